"""Handling a complaint (ISO/IEC 17065 7.13): each step by an officer with no part in what it is
about, recorded in the history, and told to the complainant and the enterprise."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import HistoryEvent, LabelStatus, StatusReason, User
from certification.services.labels import change_label_status
from certification.services.workflow import apply_transition, guard_transition, lock, require, require_text
from certification.transitions import performs, step_of
from certification.working_days import add_working_days
from complaints.inputs import DecisionForm, NoteForm, UpholdForm
from complaints.models import Complaint
from complaints.notifications import notify_complaint_change
from complaints.services.filing import deadline_scheme


def _take(complaint: Complaint, name: str, *, by: User, comment: str, **arguments: Any) -> Complaint:
    """Apply an already guarded step to the locked complaint and tell who it concerns."""
    apply_transition(complaint, name, by=by, comment=comment, **arguments)
    event = HistoryEvent.objects.filter(action=step_of(Complaint, name).action, target_id=complaint.pk).latest(
        "sequence"
    )
    notify_complaint_change(complaint, event)
    return complaint


@performs(Complaint, "acknowledge", form=NoteForm)
@transaction.atomic
def acknowledge_complaint(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """Take the complaint on: its deadline to be decided runs from today, in working days."""
    complaint = lock(complaint)
    guard_transition(complaint, "acknowledge", by=by)
    days = deadline_scheme(complaint.label).complaint_decision_working_days
    decide_by = add_working_days(timezone.localdate(), days)
    return _take(complaint, "acknowledge", by=by, comment=note, handler=by, decide_by=decide_by)


@performs(Complaint, "investigate", form=NoteForm)
@transaction.atomic
def start_investigation(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    complaint = lock(complaint)
    guard_transition(complaint, "investigate", by=by)
    return _take(complaint, "investigate", by=by, comment=note)


@performs(Complaint, "uphold", form=UpholdForm)
@transaction.atomic
def uphold_complaint(*, complaint: Complaint, by: User, reason: str, suspend_label: bool = False) -> Complaint:
    """Uphold the complaint; with `suspend_label`, the label complained about is suspended in the
    same transaction, and the suspension linked to the complaint."""
    complaint = lock(complaint)
    guard_transition(complaint, "uphold", by=by)
    unmet = []
    if not reason.strip():
        unmet.append(_("Give the reason for the decision (reason)."))
    if suspend_label and complaint.label is None:
        unmet.append(_("This complaint is about an enterprise, not a label: there is no label to suspend."))
    elif suspend_label and complaint.label is not None and complaint.label.status != LabelStatus.ACTIVE:
        unmet.append(
            _("The label is %(status)s: only an active label can be suspended.")
            % {"status": complaint.label.get_status_display()}
        )
    require(unmet)
    _take(complaint, "uphold", by=by, comment=reason)
    if suspend_label and complaint.label is not None:
        change_label_status(
            label=complaint.label,
            name="suspend",
            by=by,
            reason=_("Complaint %(number)s upheld: %(reason)s")
            % {"number": complaint.tracking_number, "reason": reason},
            category=StatusReason.COMPLAINT_UPHELD,
        )
        complaint.suspension = HistoryEvent.objects.filter(
            action="label.suspended", target_id=complaint.label.pk
        ).latest("sequence")
        complaint.save(update_fields=["suspension"])
    return complaint


@performs(Complaint, "dismiss", form=DecisionForm)
@transaction.atomic
def dismiss_complaint(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    complaint = lock(complaint)
    guard_transition(complaint, "dismiss", by=by)
    require_text(reason, _("Give the reason for the decision (reason)."))
    return _take(complaint, "dismiss", by=by, comment=reason)


@performs(Complaint, "close", form=NoteForm)
@transaction.atomic
def close_complaint(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    complaint = lock(complaint)
    guard_transition(complaint, "close", by=by)
    return _take(complaint, "close", by=by, comment=note)
