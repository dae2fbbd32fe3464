"""Reads of the audit side, scoped to who asks."""

from typing import Any

from django.db.models import QuerySet

from audits.models import Audit, Finding
from audits.services.share import measured_share
from certification.models import Application, CriterionKind, Role, User
from certification.models.accounts import has_role
from certification.selectors import applicable_criteria, applications_visible_to
from certification.share import SHARE_FORMULA, reference_period


def audits_visible_to(*, user: User) -> QuerySet[Audit]:
    """Officers see every audit, auditors their own; applicants none (they see findings)."""
    audits = Audit.objects.select_related("application__enterprise", "application__product", "auditor")
    if has_role(user, Role.OFFICER):
        return audits
    if has_role(user, Role.AUDITOR):
        return audits.filter(auditor=user)
    return audits.none()


def findings_visible_to(*, user: User) -> QuerySet[Finding]:
    """The findings of the applications this user may see."""
    return Finding.objects.filter(audit__application__in=applications_visible_to(user=user).values("pk")).order_by(
        "created_at", "pk"
    )


def checklist(*, audit: Audit) -> list[dict[str, Any]]:
    """Every applicable criterion with its assessment so far (None when not yet assessed)."""
    assessments = {a.criterion_id: a for a in audit.assessments.select_related("criterion").prefetch_related("steps")}
    return [
        {
            "code": criterion.code,
            "title": criterion.title,
            "guidance": criterion.guidance,
            "kind": criterion.kind,
            "mandatory": criterion.mandatory,
            "weight": criterion.weight,
            "pass_mark": criterion.pass_mark if criterion.kind == CriterionKind.SCORE_0_4 else None,
            "assessment": assessments.get(criterion.pk),
        }
        for criterion in applicable_criteria(application=audit.application)
    ]


def share_summary(*, audit: Audit) -> dict[str, Any]:
    """The share as the recorded hours give it, with its method, period, level and the
    declared share beside it."""
    application = audit.application
    scheme = application.scheme
    assert scheme is not None
    start, end = reference_period(ending=audit.scheduled_for, months=scheme.reference_period_months)
    share = measured_share(audit)
    declared = application.declared_social_share
    return {
        "formula": str(SHARE_FORMULA),
        "period_start": start,
        "period_end": end,
        "share": share,
        "level": scheme.level_for(share) if share is not None else None,
        "declared": declared,
        "gap": declared - share if declared is not None and share is not None else None,
        "thresholds": [scheme.level_1_min_share, scheme.level_2_min_share, scheme.level_3_min_share],
    }


def share_comparison(*, application: Application) -> dict[str, Any] | None:
    """The declared and the reported measured share side by side, for the decision; None before a report."""
    audit = getattr(application, "audit", None)
    if audit is None or audit.measured_social_share is None or application.scheme is None:
        return None
    declared, measured = application.declared_social_share, audit.measured_social_share
    gap = declared - measured if declared is not None else None
    return {
        "declared": declared,
        "measured": measured,
        "gap": gap,
        "limit": application.scheme.max_share_gap,
        "beyond_limit": gap is not None and gap > application.scheme.max_share_gap,
        "level": application.scheme.level_for(measured),
    }
