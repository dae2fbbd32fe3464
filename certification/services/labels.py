"""Issuing labels and changing their status (DESIGN §5)."""

import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.codes import make_label_code
from certification.exceptions import TransitionNotAllowed
from certification.inputs import LabelStatusForm
from certification.models import Application, ApplicationState, Label, LabelStatus, StatusReason, User
from certification.notifications import latest_event, notify_label_change
from certification.services.certificates import issue_certificate
from certification.services.history import record_event
from certification.services.workflow import apply_transition, guard_transition, require
from certification.transitions import performs, step_of


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    return day + relativedelta(months=months)


def issue_label(*, application: Application, social_share: Decimal, level: int, by: User) -> Label:
    """Issue the label of an application being approved; runs inside approve's transaction.

    A label the product already holds is superseded by the new one. Of approvals for one product
    at the same time, the first to commit issues its label; the others are refused, changing
    nothing: the constraint one_current_label_per_product decides, not a read that may be stale.
    """
    assert application.scheme is not None
    assert application.product is not None
    issued_on = timezone.localdate()
    # Locked in pk order, so that approvals waiting on the same labels cannot deadlock.
    predecessors = list(
        Label.objects.select_for_update()
        .filter(product=application.product, status__in=CURRENT_STATUSES)
        .order_by("pk")
    )
    code = _fresh_code()
    from_states = [predecessor.status for predecessor in predecessors]
    for predecessor in predecessors:  # out of the constraint's way before the new label is saved
        predecessor.supersede(successor_code=code)
        predecessor.save()
    label = _create_current_label(
        code=code,
        application=application,
        product=application.product,
        scheme=application.scheme,
        level=level,
        social_share=social_share,
        issued_on=issued_on,
        valid_until=add_months(issued_on, application.scheme.validity_months),
        predecessor=predecessors[0] if predecessors else None,
        surveillance_due_on=add_months(issued_on, application.scheme.surveillance_months),
    )
    issue_certificate(label=label, by=by)
    issued = record_event(
        action="label.issued",
        by=by,
        target=label,
        application=application,
        to_state=label.status,
        data={"code": label.code, "level": level, "social_share": str(social_share)},
    )
    notify_label_change(label, issued)
    for predecessor, from_state in zip(predecessors, from_states, strict=True):
        predecessor.superseded_by = label
        predecessor.save(update_fields=["superseded_by"])
        superseded = record_event(
            action="label.superseded",
            by=by,
            target=predecessor,
            application=predecessor.application,
            from_state=from_state,
            to_state=predecessor.status,
            comment=predecessor.status_reason,
            data={"successor": label.code},
        )
        notify_label_change(predecessor, superseded)
    return label


# The statuses one_current_label_per_product allows once per product.
CURRENT_STATUSES = [LabelStatus.ACTIVE, LabelStatus.SUSPENDED]


def _fresh_code() -> str:
    # Codes are random over 2^50 values: a clash is all but impossible, and costs one more draw.
    code = make_label_code()
    while Label.objects.filter(code=code).exists():
        code = make_label_code()
    return code


def _create_current_label(**fields: Any) -> Label:
    """Save a new current label, or refuse when another approval gave the product one meanwhile
    (committed after this transaction looked for the product's labels)."""
    try:
        with transaction.atomic():
            return Label.objects.create(**fields)
    except IntegrityError:
        if not Label.objects.filter(product=fields["product"], status__in=CURRENT_STATUSES).exists():
            raise
    raise TransitionNotAllowed(
        _("Another label was issued for this product or service meanwhile; reload the application and decide again."),
        state=ApplicationState.AUDIT_REPORTED,  # approve's only source: nothing was changed
        allowed=[],
    )


@transaction.atomic
def change_label_status(*, label: Label, name: str, by: User, reason: str, category: str = StatusReason.OTHER) -> Label:
    """Suspend, reinstate or revoke a label (officers): `reason` in the officer's words for the
    record, `category` the reason the public is shown."""
    label = Label.objects.select_for_update().get(pk=label.pk)
    guard_transition(label, name, by=by)
    unmet = []
    if not reason.strip():
        unmet.append(_("Give the reason for this change."))
    if category not in StatusReason.values:
        unmet.append(_("Choose the kind of reason the public is shown."))
    require(unmet)
    apply_transition(label, name, by=by, comment=reason, data={"category": category}, reason=reason, category=category)
    notify_label_change(label, latest_event(label, step_of(Label, name).action))
    return label


for _name in ("suspend", "reinstate", "revoke"):
    performs(Label, _name, form=LabelStatusForm)(partial(change_label_status, name=_name))


def refresh_public_records(*, labels: QuerySet[Label]) -> list[str]:
    """Rewrite the public records (Label.public_record) and search texts of these labels that no
    longer match their product, enterprise, scheme and successor; the codes of those rewritten.
    Label.save() keeps a label's own record current: this is for changes to what it copies."""
    codes, changed = [], []
    fields = ["public_record", "search_text", "updated_at"]
    related = labels.select_related(
        "product__category", "product__enterprise", "scheme", "superseded_by", "predecessor"
    )
    for label in related.order_by("pk").iterator(chunk_size=1000):
        record, text = label.render_public_record(), label.render_search_text()
        if (record, text) != (label.public_record, label.search_text):
            label.public_record, label.search_text, label.updated_at = record, text, timezone.now()
            changed.append(label)
            codes.append(label.code)
        if len(changed) == 1000:
            Label.objects.bulk_update(changed, fields)
            changed = []
    Label.objects.bulk_update(changed, fields)
    return codes
