"""Reads of complaints: what the public sees by tracking number, and what officers see."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from certification.models import HistoryEvent, User
from certification.models.accounts import Role, has_role
from complaints.models import Complaint


def find_complaint(tracking_number: str) -> Complaint | None:
    """The complaint with this canonical tracking number, or None."""
    return Complaint.objects.select_related("label", "enterprise").filter(tracking_number=tracking_number).first()


def _stages(complaint: Complaint) -> QuerySet[HistoryEvent]:
    """The complaint's own history: each stage it reached."""
    return HistoryEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Complaint), target_id=complaint.pk
    ).order_by("sequence")


def complaint_history(complaint: Complaint) -> QuerySet[HistoryEvent]:
    """The complaint's history as officers read it: its stages, and what its upholding did to the
    label (the suspension, or the order of an extra surveillance audit)."""
    outcomes = [pk for pk in (complaint.suspension_id, complaint.extra_surveillance_id) if pk is not None]
    return HistoryEvent.objects.filter(
        Q(target_type=ContentType.objects.get_for_model(Complaint), target_id=complaint.pk) | Q(pk__in=outcomes)
    ).order_by("sequence")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def public_complaint(complaint: Complaint) -> dict[str, Any]:
    """What anyone holding the tracking number sees: the stage and its dates, what the complaint
    is about; never who filed it, what it says, or the officers' notes and names."""
    return {
        "tracking_number": complaint.tracking_number,
        "status": complaint.state,
        "overdue": complaint.overdue(),
        "category": complaint.category,
        "label": complaint.label.code if complaint.label else None,
        "enterprise": complaint.enterprise.name,
        "received_at": _iso(complaint.received_at),
        "acknowledge_by": _iso(complaint.acknowledge_by),
        "acknowledged_at": _iso(complaint.acknowledged_at),
        "decide_by": _iso(complaint.decide_by),
        "decided_at": _iso(complaint.decided_at),
        "closed_at": _iso(complaint.closed_at),
        "led_to_suspension": complaint.suspension_id is not None,
        "stages": [
            {"status": to_state, "at": at.isoformat()}
            for to_state, at in _stages(complaint).values_list("to_state", "created_at")
        ],
    }


def complaints_visible_to(*, user: User) -> QuerySet[Complaint]:
    """Officers see every complaint; nobody else sees one but by its tracking number."""
    complaints = Complaint.objects.select_related("label", "enterprise", "handled_by", "extra_surveillance")
    return complaints if has_role(user, Role.OFFICER) else complaints.none()
