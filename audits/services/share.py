"""The share criterion's data: hours per production step, checked, stored, and turned into the share."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audits.models import Assessment, AssessmentResult, Audit, ProductionStep
from audits.surveillance import Surveillance, SurveillanceAssessment
from certification.exceptions import RequirementsNotMet
from certification.identifiers import canonical_enterprise_number
from certification.models import Criterion, CriterionKind, Scheme
from certification.share import StepHours, social_share

MAX_HOURS = Decimal("99999999.99")


@dataclass(frozen=True)
class StepRecord:
    """One production step as the auditor gives it."""

    name: str
    target_group_hours: Decimal | None
    all_hours: Decimal | None
    subcontracted_hours: Decimal | None = None
    subcontractor_name: str = ""
    subcontractor_enterprise_number: str = ""
    subcontractor_recognised: bool = False


def _hours_unmet(step: StepRecord, label: str) -> list[str]:
    unmet = []
    for hours, words, required in (
        (step.target_group_hours, _("target-group hours"), True),
        (step.all_hours, _("all hours worked"), True),
        (step.subcontracted_hours, _("hours subcontracted"), False),
    ):
        if hours is None and required:
            unmet.append(_("%(step)s: give the %(hours)s.") % {"step": label, "hours": words})
        elif hours is not None and not Decimal(0) <= hours <= MAX_HOURS:
            unmet.append(
                _("%(step)s: the %(hours)s must be from 0 to %(max)s.")
                % {"step": label, "hours": words, "max": MAX_HOURS}
            )
    if not unmet and step.target_group_hours > step.all_hours:  # type: ignore[operator]
        unmet.append(_("%(step)s: the target-group hours cannot exceed all hours worked.") % {"step": label})
    return unmet


def _subcontractor_unmet(step: StepRecord, label: str) -> list[str]:
    if not step.subcontractor_recognised or not step.subcontracted_hours:
        return []
    unmet = []
    if not step.subcontractor_name.strip():
        unmet.append(_("%(step)s: name the recognised subcontractor.") % {"step": label})
    try:
        canonical_enterprise_number(step.subcontractor_enterprise_number)
    except ValidationError:
        unmet.append(
            _("%(step)s: subcontracted hours count only with the subcontractor's valid enterprise number.")
            % {"step": label}
        )
    return unmet


def steps_unmet(steps: Sequence[StepRecord]) -> list[str]:
    """What is wrong with the hours given, one sentence each."""
    if not steps:
        return [_("Record the hours of at least one production step.")]
    unmet = []
    for number, step in enumerate(steps, start=1):
        label = step.name.strip() or _("Step %(number)s") % {"number": number}
        if not step.name.strip():
            unmet.append(_("%(step)s: name the production step.") % {"step": label})
        unmet += _hours_unmet(step, label) + _subcontractor_unmet(step, label)
    if not unmet and social_share(hours_of(steps)) is None:
        unmet.append(_("No hour is recorded: the share cannot be computed."))
    return unmet


def hours_of(steps: Sequence[StepRecord]) -> list[StepHours]:
    return [
        StepHours(
            name=step.name.strip(),
            target_group_hours=step.target_group_hours or Decimal(0),
            all_hours=step.all_hours or Decimal(0),
            subcontracted_hours=step.subcontracted_hours or Decimal(0),
            subcontractor_recognised=step.subcontractor_recognised and bool(step.subcontracted_hours),
        )
        for step in steps
    ]


def share_result(scheme: Scheme, share: Decimal) -> AssessmentResult:
    """The share criterion passes when the share reaches the scheme's lowest level."""
    return AssessmentResult.PASS if scheme.level_for(share) is not None else AssessmentResult.FAIL


def checked_share(
    *, scheme: Scheme, criterion: Criterion, result: str | None, value: Decimal | None, steps: Sequence[StepRecord]
) -> tuple[AssessmentResult, Decimal]:
    """The result and share of the share criterion, from its hours only (a typed share is refused),
    at the first audit and at surveillance alike."""
    unmet = []
    if value is not None:
        unmet.append(
            _("The share of %(code)s is computed from the hours per production step; it cannot be typed.")
            % {"code": criterion.code}
        )
    unmet += steps_unmet(steps)
    if unmet:
        raise RequirementsNotMet(unmet)
    share = social_share(hours_of(steps))
    assert share is not None
    derived = share_result(scheme, share)
    if result and result != derived:
        raise RequirementsNotMet(
            [
                _("The result of %(code)s follows from the share (%(share)s %%): %(result)s.")
                % {"code": criterion.code, "share": share, "result": derived.label}
            ]
        )
    return derived, share


def _owner(assessment: Assessment | SurveillanceAssessment) -> dict[str, Any]:
    """A production step's link to its assessment, whichever kind of audit that is in."""
    if isinstance(assessment, SurveillanceAssessment):
        return {"surveillance_assessment": assessment}
    return {"assessment": assessment}


def store_steps(assessment: Assessment | SurveillanceAssessment, steps: Sequence[StepRecord]) -> None:
    """Replace the assessment's production steps by these (already checked)."""
    assessment.steps.all().delete()
    ProductionStep.objects.bulk_create(
        ProductionStep(
            **_owner(assessment),
            position=position,
            name=step.name.strip(),
            target_group_hours=hours.target_group_hours,
            all_hours=hours.all_hours,
            subcontracted_hours=hours.subcontracted_hours,
            subcontractor_name=step.subcontractor_name.strip() if hours.subcontracted_hours else "",
            subcontractor_enterprise_number=(
                canonical_enterprise_number(step.subcontractor_enterprise_number)
                if hours.subcontractor_recognised
                else ""
            ),
            subcontractor_recognised=hours.subcontractor_recognised,
        )
        for position, (step, hours) in enumerate(zip(steps, hours_of(steps), strict=True), start=1)
    )


def share_assessment(audit: Audit | Surveillance) -> Assessment | SurveillanceAssessment | None:
    """The assessment of the share criterion of this audit (first or surveillance), with its
    steps, if recorded."""
    assessments = audit.assessments.filter(criterion__kind=CriterionKind.SOCIAL_SHARE)
    return assessments.select_related("criterion").prefetch_related("steps").first()  # type: ignore[no-any-return]


def share_of(steps: Iterable[ProductionStep]) -> Decimal | None:
    """The share computed from these recorded steps, or None when there is no hour."""
    return social_share([step.hours() for step in steps])


def measured_share(audit: Audit | Surveillance) -> Decimal | None:
    """The share computed from the hours recorded in this audit (first or surveillance), or None
    when no step is recorded."""
    assessment = share_assessment(audit)
    if assessment is None:
        return None
    return share_of(assessment.steps.all())


def hours_missing(criterion: Criterion | None) -> str:
    """Why a report is refused while the share criterion lacks its hours."""
    code = criterion.code if criterion else _("The share criterion")
    return _("%(code)s lacks the hours per production step from which the share is computed: record them.") % {
        "code": code
    }


def gap_beyond_limit(scheme: Scheme, reference: Decimal | None, share: Decimal) -> Decimal | None:
    """How many points the measured share lies below the reference (the declared share at the
    first audit, the label's share at surveillance), when that is more than the scheme allows."""
    if reference is None or reference - share <= scheme.max_share_gap:
        return None
    return reference - share


def share_criterion(criteria: Sequence[Criterion]) -> Criterion | None:
    return next((c for c in criteria if c.kind == CriterionKind.SOCIAL_SHARE), None)


def step_data(step: ProductionStep) -> dict[str, object]:
    """A production step as the history and the API give it."""
    return {
        "name": step.name,
        "target_group_hours": str(step.target_group_hours),
        "all_hours": str(step.all_hours),
        "subcontracted_hours": str(step.subcontracted_hours),
        "subcontractor_name": step.subcontractor_name,
        "subcontractor_enterprise_number": step.subcontractor_enterprise_number,
        "subcontractor_recognised": step.subcontractor_recognised,
    }
