"""The share criterion's data: hours per production step, checked, stored, and turned into the share."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audits.models import Assessment, AssessmentResult, Audit, ProductionStep
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


def store_steps(assessment: Assessment, steps: Sequence[StepRecord]) -> None:
    """Replace the assessment's production steps by these (already checked)."""
    assessment.steps.all().delete()
    ProductionStep.objects.bulk_create(
        ProductionStep(
            assessment=assessment,
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


def share_assessment(audit: Audit) -> Assessment | None:
    """The assessment of the share criterion of this audit, with its steps, if recorded."""
    return (
        audit.assessments.filter(criterion__kind=CriterionKind.SOCIAL_SHARE)
        .select_related("criterion")
        .prefetch_related("steps")
        .first()
    )


def measured_share(audit: Audit) -> Decimal | None:
    """The share computed from the recorded hours, or None when no step is recorded."""
    assessment = share_assessment(audit)
    if assessment is None:
        return None
    return social_share([step.hours() for step in assessment.steps.all()])


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
