"""Issuing labels and changing their status (DESIGN §5)."""

import calendar
import datetime
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, has_transition_perm

from certification.codes import make_label_code
from certification.exceptions import ActionForbidden, TransitionNotAllowed
from certification.lookup import forget_labels
from certification.models import Application, Label, LabelStatus, StatusReason, User
from certification.services.certificates import issue_certificate
from certification.services.history import record_event
from certification.services.workflow import require


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def issue_label(*, application: Application, social_share: Decimal, level: int, by: User) -> Label:
    """Issue the label of an application being approved; runs inside approve's transaction.

    A label the product already holds is superseded by the new one.
    """
    assert application.scheme is not None
    assert application.product is not None
    issued_on = timezone.localdate()
    predecessors = list(
        Label.objects.select_for_update()
        .filter(product=application.product, status__in=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED])
        .order_by("pk")
    )
    label = _create_with_fresh_code(
        application=application,
        product=application.product,
        scheme=application.scheme,
        level=level,
        social_share=social_share,
        issued_on=issued_on,
        valid_until=add_months(issued_on, application.scheme.validity_months),
    )
    issue_certificate(label=label, by=by)
    record_event(
        action="label.issued",
        by=by,
        target=label,
        application=application,
        to_state=label.status,
        data={"code": label.code, "level": level, "social_share": str(social_share)},
    )
    transaction.on_commit(partial(forget_labels, [label.code, *(p.code for p in predecessors)]))
    for predecessor in predecessors:
        from_state = predecessor.status
        predecessor.supersede(successor=label)
        predecessor.save()
        record_event(
            action="label.superseded",
            by=by,
            target=predecessor,
            application=predecessor.application,
            from_state=from_state,
            to_state=predecessor.status,
            comment=predecessor.status_reason,
            data={"successor": label.code},
        )
    return label


def _create_with_fresh_code(**fields: object) -> Label:
    # Codes are random over 2^50 values: a clash is all but impossible, and costs one more draw.
    code = make_label_code()
    while Label.objects.filter(code=code).exists():
        code = make_label_code()
    return Label.objects.create(code=code, **fields)


LABEL_ACTIONS = {"suspend": "label.suspended", "reinstate": "label.reinstated", "revoke": "label.revoked"}


@transaction.atomic
def change_label_status(*, label: Label, name: str, by: User, reason: str, category: str = StatusReason.OTHER) -> Label:
    """Suspend, reinstate or revoke a label (officers): `reason` in the officer's words for the
    record, `category` the reason the public is shown."""
    if name not in LABEL_ACTIONS:
        raise ValueError(name)
    label = Label.objects.select_for_update().get(pk=label.pk)
    method = getattr(label, name)
    allowed = [t.name for t in label.get_available_user_status_transitions(by)]  # type: ignore[attr-defined]
    if name not in [t.name for t in label.get_available_status_transitions()]:  # type: ignore[attr-defined]
        raise TransitionNotAllowed(
            _("A label that is %(status)s cannot be changed this way.") % {"status": label.get_status_display()},
            state=label.status,
            allowed=[n for n in allowed if n in LABEL_ACTIONS],
        )
    if not has_transition_perm(method, by):
        raise ActionForbidden(_("Only a certification officer may change the status of a label."))
    require(
        [
            None if reason.strip() else _("Give the reason for this change."),
            None if category in StatusReason.values else _("Choose the kind of reason the public is shown."),
        ]
    )
    from_state = label.status
    method(reason=reason, category=category)
    try:
        label.save()
    except ConcurrentTransition as error:
        raise TransitionNotAllowed(
            _("Someone else changed this label meanwhile; reload it and try again."), state=from_state, allowed=[]
        ) from error
    record_event(
        action=LABEL_ACTIONS[name],
        by=by,
        target=label,
        application=label.application,
        from_state=from_state,
        to_state=label.status,
        comment=reason,
        data={"category": category},
    )
    transaction.on_commit(partial(forget_labels, [label.code]))
    return label


def refresh_public_records(*, labels: QuerySet[Label]) -> list[str]:
    """Rewrite the public records (Label.public_record) and search texts of these labels that no
    longer match their product, enterprise, scheme and successor; the codes of those rewritten.
    Label.save() keeps a label's own record current: this is for changes to what it copies."""
    codes, changed = [], []
    fields = ["public_record", "search_text", "updated_at"]
    related = labels.select_related("product__category", "product__enterprise", "scheme", "superseded_by")
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
