"""Complaints at any stage, and each step taken as its rightful actor would."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from certification.models import Enterprise, Label, User
from complaints.models import Complaint, ComplaintState
from complaints.services.handling import (
    acknowledge_complaint,
    close_complaint,
    dismiss_complaint,
    start_investigation,
    uphold_complaint,
)
from tests.factories import ComplaintFactory

C = ComplaintState
ACKNOWLEDGED_OR_LATER = {C.ACKNOWLEDGED, C.UNDER_INVESTIGATION, C.UPHELD, C.NOT_UPHELD, C.CLOSED}
DECIDED = {C.UPHELD, C.NOT_UPHELD, C.CLOSED}


def build_complaint(state: ComplaintState, *, enterprise: Enterprise, label: Label | None = None) -> Complaint:
    """A complaint at `state`, made with a factory (not the services), so any stage can be had directly."""
    now = timezone.now()
    acknowledged = state in ACKNOWLEDGED_OR_LATER
    return ComplaintFactory(
        state=state,
        enterprise=enterprise,
        label=label,
        acknowledged_at=now if acknowledged else None,
        decide_by=timezone.localdate() + datetime.timedelta(days=28) if acknowledged else None,
        decided_at=now if state in DECIDED else None,
        closed_at=now if state == C.CLOSED else None,
    )


def acknowledge(complaint: Complaint, by: User) -> object:
    return acknowledge_complaint(complaint=complaint, by=by, note="Ontvankelijk.")


def investigate(complaint: Complaint, by: User) -> object:
    return start_investigation(complaint=complaint, by=by, note="Bezoek gepland.")


def uphold(complaint: Complaint, by: User) -> object:
    return uphold_complaint(complaint=complaint, by=by, reason="Vastgesteld bij een onaangekondigd bezoek.")


def dismiss(complaint: Complaint, by: User) -> object:
    return dismiss_complaint(complaint=complaint, by=by, reason="Het product is correct gelabeld.")


def close(complaint: Complaint, by: User) -> object:
    return close_complaint(complaint=complaint, by=by)


STEP_CALLS: dict[str, Callable[[Complaint, User], object]] = {
    "acknowledge": acknowledge,
    "investigate": investigate,
    "uphold": uphold,
    "dismiss": dismiss,
    "close": close,
}
# DESIGN §10 as a table: each step's sources and target.
ALLOWED = {
    "acknowledge": ({C.RECEIVED}, C.ACKNOWLEDGED),
    "investigate": ({C.ACKNOWLEDGED}, C.UNDER_INVESTIGATION),
    "uphold": ({C.UNDER_INVESTIGATION}, C.UPHELD),
    "dismiss": ({C.UNDER_INVESTIGATION}, C.NOT_UPHELD),
    "close": ({C.UPHELD, C.NOT_UPHELD}, C.CLOSED),
}
