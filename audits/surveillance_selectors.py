"""Reads of the surveillance of labels, scoped to who asks."""

import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from audits.selectors import share_figures
from audits.services.share import gap_beyond_limit, share_assessment
from audits.surveillance import OPEN_SURVEILLANCE, Surveillance
from certification.models import Criterion, CriterionKind, Label, LabelStatus, Role, User
from certification.models.accounts import has_role
from certification.selectors import applicable_criteria

# Labels whose surveillance falls due within this many days are listed as due.
DUE_WITHIN_DAYS = 60


def surveillance_criteria(*, surveillance: Surveillance) -> QuerySet[Criterion]:
    """The criteria of the label's scheme and category that the scheme checks at surveillance, and
    always the share criterion: the share is measured again from the hours per production step."""
    criteria = applicable_criteria(application=surveillance.label.application)
    return criteria.filter(Q(checked_at_surveillance=True) | Q(kind=CriterionKind.SOCIAL_SHARE))


def surveillances_visible_to(*, user: User) -> QuerySet[Surveillance]:
    """Officers see every surveillance audit, auditors their own, applicants their enterprises'."""
    surveillances = Surveillance.objects.select_related(
        "label__product__enterprise", "label__product__category", "label__scheme", "label__application", "auditor"
    )
    scope = Q(pk__in=[])
    if has_role(user, Role.OFFICER):
        return surveillances
    if has_role(user, Role.AUDITOR):
        scope |= Q(auditor=user)
    if has_role(user, Role.APPLICANT):
        scope |= Q(label__product__enterprise__members=user)
    return surveillances.filter(scope).distinct()


def labels_due_for_surveillance(*, today: datetime.date | None = None) -> QuerySet[Label]:
    """Current labels whose surveillance is due within DUE_WITHIN_DAYS or overdue, the most
    overdue first; `open_surveillance` is the id of one under way, if any."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    open_ones = Surveillance.objects.filter(label=OuterRef("pk"), state__in=OPEN_SURVEILLANCE)
    return (
        Label.objects.filter(
            status__in=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED],
            valid_until__gte=today,
            surveillance_due_on__lte=horizon,
        )
        .select_related("product__enterprise", "scheme")
        .annotate(open_surveillance=Subquery(open_ones.values("pk")[:1]))
        .order_by("surveillance_due_on", "code")
    )


def surveillance_checklist(*, surveillance: Surveillance) -> list[dict[str, Any]]:
    """Every criterion checked at this surveillance with its assessment so far (None when not yet
    assessed): the rows of the audit checklist."""
    assessments = {
        a.criterion_id: a
        for a in surveillance.assessments.select_related("criterion").prefetch_related("steps", "evidence")
    }
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
        for criterion in surveillance_criteria(surveillance=surveillance)
    ]


def surveillance_share_summary(*, surveillance: Surveillance) -> dict[str, Any]:
    """The share measured at this surveillance, with the label's share (the one certified, to which
    a drop is compared) beside it, and the auditor's comment on the share criterion."""
    label = surveillance.label
    figures = share_figures(audit=surveillance, scheme=label.scheme, ending=surveillance.scheduled_for)
    share = figures["share"]
    assessment = share_assessment(surveillance)
    return {
        **figures,
        "label_share": label.social_share,
        "label_level": label.level,
        "gap": label.social_share - share if share is not None else None,
        "limit": label.scheme.max_share_gap,
        "beyond_limit": share is not None and gap_beyond_limit(label.scheme, label.social_share, share) is not None,
        "explanation": assessment.comment if assessment is not None else "",
    }


def extra_surveillance_orders_of(*, surveillance: Surveillance, user: User) -> list[dict[str, Any]]:
    """What ordered this surveillance audit as an extra one, oldest first: the date, and the
    complaint (its tracking number, to officers only: the enterprise is told of a complaint,
    never more) or the change (its id) whose decision ordered it."""
    officer = has_role(user, Role.OFFICER)
    return [
        {
            "ordered_at": order.created_at,
            "by": "complaint" if "complaint" in order.data else "change",
            "complaint": order.data.get("complaint") if officer else None,
            "change": order.data.get("change"),
        }
        for order in surveillance.orders.order_by("sequence")
    ]


def surveillance_answering(*, order_id: int | None) -> Surveillance | None:
    """The surveillance audit that answers an order of an extra one (a history row's id), if scheduled."""
    if order_id is None:
        return None
    return Surveillance.objects.filter(orders=order_id).order_by("pk").first()
