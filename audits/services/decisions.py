"""The certification decision: approving issues the label in the same transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import AssessmentResult, FindingSeverity, FindingStatus
from audits.services.quality import audit_quality_score
from certification.inputs import RationaleForm
from certification.models import Application, Label, User
from certification.selectors import applicable_criteria
from certification.services.applications import notify_step
from certification.services.labels import issue_label
from certification.services.renewals import succession_unmet
from certification.services.workflow import apply_transition, guard_transition, lock_application, require
from certification.transitions import performs


def _approval_unmet(application: Application) -> list[str]:
    audit = application.audit
    assert application.scheme is not None
    passed = set(audit.assessments.filter(result=AssessmentResult.PASS).values_list("criterion_id", flat=True))
    failing = [
        c.code for c in applicable_criteria(application=application).filter(mandatory=True) if c.pk not in passed
    ]
    open_major = list(
        audit.findings.filter(severity=FindingSeverity.MAJOR)
        .exclude(status=FindingStatus.CLOSED)
        .values_list("pk", flat=True)
    )
    share = audit.measured_social_share
    lowest = application.scheme.level_1_min_share
    unmet = []
    if failing:
        unmet.append(_("Every mandatory criterion must pass; not passed: %(codes)s.") % {"codes": ", ".join(failing)})
    if open_major:
        unmet.append(
            _("Major findings must be closed first: %(ids)s.") % {"ids": ", ".join(f"#{pk}" for pk in open_major)}
        )
    if share is None or share < lowest:
        unmet.append(
            _("The measured social-economy share (%(share)s %%) is below the lowest level (%(lowest)s %%).")
            % {"share": share if share is not None else "-", "lowest": lowest}
        )
    score, minimum = audit_quality_score(audit), application.scheme.min_quality_score
    if score is None or score < minimum:
        unmet.append(
            _("The weighted quality score (%(score)s %%) is below the scheme's minimum (%(minimum)s %%).")
            % {"score": score if score is not None else "-", "minimum": minimum}
        )
    if not application.enterprise.recognition_valid_on(timezone.localdate()):
        unmet.append(_("The enterprise's recognition is no longer valid."))
    unmet.extend(succession_unmet(application))
    return unmet


@performs(Application, "approve", form=RationaleForm)
@transaction.atomic
def approve_application(*, application: Application, by: User, rationale: str = "") -> Label:
    """Approve the application and issue its label; returns the label."""
    application = lock_application(application)
    guard_transition(application, "approve", by=by)
    require(_approval_unmet(application))
    share = application.audit.measured_social_share
    assert share is not None
    assert application.scheme is not None
    level = application.scheme.level_for(share)
    assert level is not None
    apply_transition(
        application, "approve", by=by, comment=rationale, data={"level": level, "social_share": str(share)}
    )
    label = issue_label(application=application, social_share=share, level=level, by=by)
    notify_step(application, "approve", rationale)
    return label
