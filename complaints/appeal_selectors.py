"""Reads of appeals: what can be appealed and until when, and appeals scoped to who asks
(officers see all, applicants their enterprises')."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from certification.models import Application, ApplicationState, HistoryEvent, Label, LabelStatus, Role, Scheme, User
from certification.models.accounts import has_role
from complaints.models import DECISION_ACTIONS, Appeal, AppealKind


@dataclass(frozen=True)
class Appealable:
    """A decision an appeal can be lodged against: its kind, its history row, the label it was about."""

    kind: AppealKind
    decision: HistoryEvent
    label: Label | None
    last_day: datetime.date


def appeal_deadline(decision: HistoryEvent, scheme: Scheme) -> datetime.date:
    """The last day to appeal: the scheme's number of days after the day of the decision."""
    return timezone.localdate(decision.created_at) + datetime.timedelta(days=scheme.appeal_days)


def appealable_decision(application: Application) -> Appealable | None:
    """The decision on this application that stands now and can be appealed (its rejection, or
    its label's suspension or revocation), whether or not its time has run out; None if none."""
    label = Label.objects.filter(application=application).first()
    if label is not None and label.status in (LabelStatus.SUSPENDED, LabelStatus.REVOKED):
        kind = AppealKind.SUSPENSION if label.status == LabelStatus.SUSPENDED else AppealKind.REVOCATION
        target_id = label.pk
    elif application.state == ApplicationState.REJECTED:
        label, kind, target_id = None, AppealKind.REJECTION, application.pk
    else:
        return None
    decision = (
        HistoryEvent.objects.filter(application=application, target_id=target_id, action=DECISION_ACTIONS[kind])
        .order_by("-sequence")
        .first()
    )
    if decision is None:
        return None
    return Appealable(kind, decision, label, appeal_deadline(decision, application.scheme or Scheme()))


def open_to_appeal(application: Application) -> Appealable | None:
    """What the applicant may appeal today: a decision not appealed yet, within its time."""
    found = appealable_decision(application)
    if (
        found is None
        or timezone.localdate() > found.last_day
        or Appeal.objects.filter(decision=found.decision).exists()
    ):
        return None
    return found


def appeals_visible_to(*, user: User) -> QuerySet[Appeal]:
    appeals = Appeal.objects.select_related("application", "label", "enterprise", "decision", "lodged_by")
    if has_role(user, Role.OFFICER):
        return appeals
    if has_role(user, Role.APPLICANT):
        return appeals.filter(enterprise__members=user).distinct()
    return appeals.none()


def appeal_history(appeal: Appeal) -> QuerySet[HistoryEvent]:
    return HistoryEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Appeal), target_id=appeal.pk
    ).order_by("sequence")


def appeals_of(application: Application) -> QuerySet[Appeal]:
    """The appeals lodged against decisions on this application, oldest first."""
    return Appeal.objects.filter(application=application).order_by("lodged_at", "pk")
