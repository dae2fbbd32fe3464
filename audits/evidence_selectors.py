"""Reads of audit evidence, scoped to who asks (as application documents are)."""

from django.db.models import Q, QuerySet

from audits.evidence import Evidence
from audits.surveillance_selectors import surveillances_visible_to
from certification.models import User
from certification.selectors import applications_visible_to


def evidence_visible_to(*, user: User) -> QuerySet[Evidence]:
    """The evidence of the audits and surveillance audits this user may see: the auditor's own,
    every one for officers, their enterprises' for applicants; none for anyone else (a 404)."""
    applications = applications_visible_to(user=user).values("pk")
    return Evidence.objects.filter(
        Q(assessment__audit__application__in=applications)
        | Q(finding__audit__application__in=applications)
        | Q(surveillance_assessment__surveillance__in=surveillances_visible_to(user=user).values("pk"))
    ).select_related("uploaded_by")
