"""What the auditor records during the audit: assessments per criterion and findings."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Assessment, AssessmentResult, Audit, Finding, FindingSeverity, FindingStatus
from audits.services.share import StepRecord, checked_share, step_data, store_steps
from certification.exceptions import RequirementsNotMet
from certification.models import Criterion, CriterionKind, User
from certification.policies import recording_refusal
from certification.selectors import applicable_criteria
from certification.services.history import record_event
from certification.services.workflow import require

VALUE_RANGES = {
    CriterionKind.SCORE_0_4: (Decimal(0), Decimal(4)),
    CriterionKind.PERCENTAGE: (Decimal(0), Decimal(100)),
}


def _lock_audit_in_progress(audit: Audit, *, by: User, doing: str) -> Audit:
    audit = Audit.objects.select_for_update(of=("self",)).select_related("application__product").get(pk=audit.pk)
    if (error := recording_refusal(by, audit.application, doing=doing)) is not None:
        raise error
    return audit


def value_unmet(criterion: Criterion, result: str, value: Decimal | None) -> list[str]:
    if criterion.kind == CriterionKind.YES_NO:
        if value is not None:
            return [_("Criterion %(code)s is answered yes or no; it takes no value.") % {"code": criterion.code}]
        return []
    if result == AssessmentResult.NOT_APPLICABLE:
        return []
    low, high = VALUE_RANGES[CriterionKind(criterion.kind)]
    if value is None:
        return [
            _("Criterion %(code)s needs a value (%(low)s to %(high)s).")
            % {"code": criterion.code, "low": low, "high": high}
        ]
    if not low <= value <= high or (criterion.kind == CriterionKind.SCORE_0_4 and value != value.to_integral_value()):
        return [
            _("The value of criterion %(code)s must be %(kind)s from %(low)s to %(high)s.")
            % {
                "code": criterion.code,
                "kind": _("a whole score") if criterion.kind == CriterionKind.SCORE_0_4 else _("a percentage"),
                "low": low,
                "high": high,
            }
        ]
    return []


def checked_judgement(
    criterion: Criterion, result: str | None, value: Decimal | None, steps: Sequence[StepRecord]
) -> str:
    """The result of a criterion judged by the auditor (at the first audit and at surveillance); a
    score's result follows from its pass mark."""
    scored = criterion.kind == CriterionKind.SCORE_0_4
    unmet = []
    if steps:
        unmet.append(_("Criterion %(code)s takes no production steps.") % {"code": criterion.code})
    if result not in AssessmentResult.values and not (scored and result is None):
        unmet.append(_("The result must be pass, fail or not applicable."))
    require(unmet)
    unmet = value_unmet(criterion, result or AssessmentResult.PASS, value)
    if criterion.mandatory and result == AssessmentResult.NOT_APPLICABLE:
        unmet.insert(0, _("Criterion %(code)s is mandatory: it cannot be not applicable.") % {"code": criterion.code})
    require(unmet)
    if not scored or result == AssessmentResult.NOT_APPLICABLE:
        assert result is not None
        return result
    assert value is not None
    derived = AssessmentResult.PASS if value >= criterion.pass_mark else AssessmentResult.FAIL
    if result and result != derived:
        raise RequirementsNotMet(
            [
                _("The result of %(code)s follows from its score (a pass from %(mark)s of 4): %(result)s.")
                % {"code": criterion.code, "mark": criterion.pass_mark, "result": derived.label}
            ]
        )
    return derived


@transaction.atomic
def record_assessment(
    *,
    audit: Audit,
    criterion_code: str,
    by: User,
    result: str | None = None,
    value: Decimal | None = None,
    comment: str = "",
    steps: Sequence[StepRecord] = (),
) -> Assessment:
    """Record (or correct) the assessment of one criterion; recording the same twice changes nothing.
    The share criterion takes the hours per production step, from which its share and result follow."""
    audit = _lock_audit_in_progress(audit, by=by, doing=_("assess criteria"))
    criterion = applicable_criteria(application=audit.application).filter(code=criterion_code).first()
    if criterion is None:
        raise RequirementsNotMet(
            [_("%(code)s is not a criterion of this application's scheme and category.") % {"code": criterion_code}]
        )
    if criterion.kind == CriterionKind.SOCIAL_SHARE:
        assert audit.application.scheme is not None
        result, value = checked_share(
            scheme=audit.application.scheme, criterion=criterion, result=result, value=value, steps=steps
        )
    else:
        result = checked_judgement(criterion, result, value, steps)
    assessment, _created = Assessment.objects.update_or_create(
        audit=audit,
        criterion=criterion,
        defaults={"result": result, "value": value, "comment": comment, "assessed_by": by},
    )
    data: dict[str, object] = {
        "criterion": criterion.code,
        "result": result,
        "value": None if value is None else str(value),
    }
    if criterion.kind == CriterionKind.SOCIAL_SHARE:
        store_steps(assessment, steps)
        data["steps"] = [step_data(step) for step in assessment.steps.all()]
    record_event(
        action="audit.assessment_recorded",
        by=by,
        target=assessment,
        application=audit.application,
        comment=comment,
        data=data,
    )
    return assessment


@transaction.atomic
def add_finding(
    *, audit: Audit, by: User, severity: str, description: str, criterion_code: str | None = None
) -> Finding:
    audit = _lock_audit_in_progress(audit, by=by, doing=_("record findings"))
    criterion = (
        applicable_criteria(application=audit.application).filter(code=criterion_code).first()
        if criterion_code
        else None
    )
    unmet = []
    if severity not in FindingSeverity.values:
        unmet.append(_("The severity must be major, minor or observation."))
    if not description.strip():
        unmet.append(_("Describe the finding."))
    if criterion_code and criterion is None:
        unmet.append(
            _("%(code)s is not a criterion of this application's scheme and category.") % {"code": criterion_code}
        )
    require(unmet)
    finding = Finding.objects.create(
        audit=audit, criterion=criterion, severity=severity, description=description.strip(), created_by=by
    )
    record_event(
        action="finding.added",
        by=by,
        target=finding,
        application=audit.application,
        to_state=finding.status,
        comment=finding.description,
        data={"severity": severity, "criterion": criterion_code or None},
    )
    return finding


@transaction.atomic
def close_finding(*, finding: Finding, by: User, comment: str = "") -> Finding:
    """The auditor accepts the correction (or the observation is noted): the finding is closed."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    audit = _lock_audit_in_progress(finding.audit, by=by, doing=_("close findings"))
    if finding.status == FindingStatus.CLOSED:
        raise RequirementsNotMet([_("This finding is already closed.")])
    from_state = finding.status
    finding.status, finding.closed_at, finding.closed_by = FindingStatus.CLOSED, timezone.now(), by
    finding.save(update_fields=["status", "closed_at", "closed_by"])
    record_event(
        action="finding.closed",
        by=by,
        target=finding,
        application=audit.application,
        from_state=from_state,
        to_state=finding.status,
        comment=comment,
    )
    return finding
