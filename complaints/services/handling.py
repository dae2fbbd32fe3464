"""Handling a complaint (ISO/IEC 17065 7.13): each step by an officer with no part in what it is
about, recorded in the history, and told to the complainant and the enterprise."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import HistoryEvent, LabelStatus, StatusReason, User
from certification.services.extra_surveillance import extra_surveillance_refusal, order_extra_surveillance
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


def _outcome_unmet(complaint: Complaint, *, suspend_label: bool, extra_surveillance: bool) -> list[str]:
    """What stands in the way of the outcome asked for on the label complained about."""
    unmet = []
    label = complaint.label
    if suspend_label and extra_surveillance:
        unmet.append(_("Choose one outcome for the label: suspend it, or order an extra surveillance audit."))
    elif suspend_label and label is None:
        unmet.append(_("This complaint is about an enterprise, not a label: there is no label to suspend."))
    elif suspend_label and label is not None and label.status != LabelStatus.ACTIVE:
        unmet.append(
            _("The label is %(status)s: only an active label can be suspended.")
            % {"status": label.get_status_display()}
        )
    elif extra_surveillance and label is None:
        unmet.append(
            _("This complaint is about an enterprise, not a label: there is no label to order a surveillance audit of.")
        )
    elif extra_surveillance and label is not None and (refusal := extra_surveillance_refusal(label)):
        unmet.append(refusal)
    return unmet


@performs(Complaint, "uphold", form=UpholdForm)
@transaction.atomic
def uphold_complaint(
    *, complaint: Complaint, by: User, reason: str, suspend_label: bool = False, extra_surveillance: bool = False
) -> Complaint:
    """Uphold the complaint; with `suspend_label`, the label complained about is suspended, or with
    `extra_surveillance` its surveillance audit falls due at once (as for a change affecting
    certification, certification.services.extra_surveillance): in the same transaction, and
    linked to the complaint."""
    complaint = lock(complaint)
    guard_transition(complaint, "uphold", by=by)
    unmet = [] if reason.strip() else [_("Give the reason for the decision (reason).")]
    unmet.extend(_outcome_unmet(complaint, suspend_label=suspend_label, extra_surveillance=extra_surveillance))
    require(unmet)
    _take(complaint, "uphold", by=by, comment=reason)
    because = _("Complaint %(number)s upheld: %(reason)s") % {"number": complaint.tracking_number, "reason": reason}
    if suspend_label and complaint.label is not None:
        change_label_status(
            label=complaint.label, name="suspend", by=by, reason=because, category=StatusReason.COMPLAINT_UPHELD
        )
        complaint.suspension = HistoryEvent.objects.filter(
            action="label.suspended", target_id=complaint.label.pk
        ).latest("sequence")
        complaint.save(update_fields=["suspension"])
    if extra_surveillance and complaint.label is not None:
        # The label's history is the enterprise's to read: the order names the complaint, not the
        # officer's reasons, which stay with the complaint.
        ordered = _("Ordered on upholding complaint %(number)s.") % {"number": complaint.tracking_number}
        complaint.extra_surveillance = order_extra_surveillance(
            label=complaint.label, by=by, reason=ordered, data={"complaint": complaint.tracking_number}
        )
        complaint.save(update_fields=["extra_surveillance"])
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
