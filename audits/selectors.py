"""Reads of the audit side, scoped to who asks."""

import datetime
from typing import Any

from django.db.models import QuerySet

from audits.models import Audit, Finding
from audits.services.share import gap_beyond_limit, measured_share
from audits.surveillance import Surveillance
from certification.models import Application, CriterionKind, Role, Scheme, User
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
    recorded = audit.assessments.select_related("criterion").prefetch_related("steps", "evidence__uploaded_by")
    assessments = {a.criterion_id: a for a in recorded}
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


def share_figures(*, audit: Audit | Surveillance, scheme: Scheme, ending: datetime.date) -> dict[str, Any]:
    """The share as the hours recorded in this audit (first or surveillance) give it, with its
    method, reference period, level and the scheme's thresholds."""
    start, end = reference_period(ending=ending, months=scheme.reference_period_months)
    share = measured_share(audit)
    return {
        "formula": str(SHARE_FORMULA),
        "period_start": start,
        "period_end": end,
        "share": share,
        "level": scheme.level_for(share) if share is not None else None,
        "thresholds": [scheme.level_1_min_share, scheme.level_2_min_share, scheme.level_3_min_share],
    }


def share_summary(*, audit: Audit) -> dict[str, Any]:
    """The share of the first audit, with the declared share beside it."""
    application = audit.application
    assert application.scheme is not None
    figures = share_figures(audit=audit, scheme=application.scheme, ending=audit.scheduled_for)
    share, declared = figures["share"], application.declared_social_share
    return {**figures, "declared": declared, "gap": declared - share if None not in (declared, share) else None}


def share_comparison(*, application: Application) -> dict[str, Any] | None:
    """The declared and the reported measured share side by side, for the decision; None before a report."""
    audit = getattr(application, "audit", None)
    if audit is None or audit.measured_social_share is None or application.scheme is None:
        return None
    declared, measured = application.declared_social_share, audit.measured_social_share
    return {
        "declared": declared,
        "measured": measured,
        "gap": declared - measured if declared is not None else None,
        "limit": application.scheme.max_share_gap,
        "beyond_limit": gap_beyond_limit(application.scheme, declared, measured) is not None,
        "level": application.scheme.level_for(measured),
    }
