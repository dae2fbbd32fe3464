"""An extra surveillance audit of a label (ISO/IEC 17065 7.9, 7.10, 7.13), ordered by an officer's
decision on a change affecting certification or on an upheld complaint: one way for both.

The order makes the label's surveillance due today (never later than it was), so it is listed
as due at once and reads suspended if no surveillance audit follows within the scheme's grace
period. The order is a row of the label's history; what ordered it (the change, the complaint)
keeps that row, and the surveillance audit scheduled next answers it (audits.services.surveillance).
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import HistoryEvent, Label, PublicStatus, User
from certification.services.history import record_event
from certification.services.workflow import require

ORDERED = "label.extra_surveillance_ordered"


def extra_surveillance_refusal(label: Label) -> str | None:
    """Why the label cannot get an extra surveillance audit now, in one sentence, or None."""
    status = label.public_status()
    if status != PublicStatus.VALID:
        return _("Label %(code)s is %(status)s: only a valid label can get an extra surveillance audit.") % {
            "code": label.code,
            "status": status.label,
        }
    return None


def order_extra_surveillance(*, label: Label, by: User, reason: str, data: dict[str, Any]) -> HistoryEvent:
    """Make the label's surveillance due today, in the caller's transaction; refused with a
    sentence, changing nothing, when the label is not valid. `data` names what ordered it.
    Returns the order's history row."""
    label = (
        Label.objects.select_for_update(of=("self",)).select_related("product__enterprise", "scheme").get(pk=label.pk)
    )
    refusal = extra_surveillance_refusal(label)
    require([refusal] if refusal else [])
    today = timezone.localdate()
    if label.surveillance_due_on is None or label.surveillance_due_on > today:
        label.surveillance_due_on = today
        label.save(update_fields=["surveillance_due_on"])
    return record_event(
        action=ORDERED,
        by=by,
        target=label,
        application=label.application,
        comment=reason,
        data={"due": today.isoformat(), **data},
    )


def extra_surveillance_orders(label: Label) -> QuerySet[HistoryEvent]:
    """Every order of an extra surveillance audit of `label`, oldest first."""
    rows = HistoryEvent.objects.filter(action=ORDERED, target_type=ContentType.objects.get_for_model(Label))
    return rows.filter(target_id=label.pk).order_by("sequence")
