"""Reads of the audit side, scoped to who asks."""

from typing import Any

from django.db.models import QuerySet

from audits.models import Audit, Finding
from certification.models import Role, User
from certification.models.accounts import has_role
from certification.selectors import applicable_criteria, applications_visible_to


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
    assessments = {a.criterion_id: a for a in audit.assessments.select_related("criterion")}
    return [
        {
            "code": criterion.code,
            "title": criterion.title,
            "guidance": criterion.guidance,
            "kind": criterion.kind,
            "mandatory": criterion.mandatory,
            "weight": criterion.weight,
            "assessment": assessments.get(criterion.pk),
        }
        for criterion in applicable_criteria(application=audit.application)
    ]
