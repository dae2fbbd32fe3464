"""Changes affecting certification (ISO/IEC 17065 7.10): notified by the enterprise, decided by
an officer without a conflict: no effect, an extra surveillance audit (due at once), or suspension."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.inputs import DecisionForm
from certification.models import Label, StatusReason, User
from certification.models.changes import Change, ChangeKind
from certification.notifications import notify_officers, workspace_url
from certification.policies import change_notification_refusal
from certification.services.extra_surveillance import order_extra_surveillance
from certification.services.history import record_event
from certification.services.workflow import apply_transition, guard_transition, lock, require
from certification.transitions import performs

# What the officers are told of a change notified, in their words.
CHANGE_SUBJECT = gettext_lazy("Label %(code)s: a change to decide on")
CHANGE_SENTENCE = gettext_lazy(
    "%(enterprise)s notified a change to label %(code)s of %(product)s: %(kind)s, taking effect on %(date)s. "
    "It waits for your decision: no effect, an extra surveillance audit or suspension."
)


@transaction.atomic
def notify_change(*, label: Label, by: User, kind: str, description: str, effective_on: datetime.date | None) -> Change:
    """An applicant of the enterprise tells the certification body of a change to a labelled
    product or service."""
    label = Label.objects.select_for_update(of=("self",)).select_related("product__enterprise").get(pk=label.pk)
    if (refusal := change_notification_refusal(by, label)) is not None:
        raise refusal
    unmet = []
    if kind not in ChangeKind.values:
        unmet.append(_("Choose what changed: production moved, subcontractor changed or composition changed."))
    if not description.strip():
        unmet.append(_("Describe the change."))
    if effective_on is None:
        unmet.append(_("Give the date the change takes effect."))
    require(unmet)
    assert effective_on is not None
    change = Change.objects.create(
        label=label, kind=kind, description=description.strip(), effective_on=effective_on, notified_by=by
    )
    event = record_event(
        action="change.notified",
        by=by,
        target=change,
        application=label.application,
        to_state=change.state,
        comment=change.description,
        data={"label": label.code, "kind": kind, "effective_on": effective_on.isoformat()},
    )
    notify_officers(
        change,
        event,
        subject=CHANGE_SUBJECT,
        sentence=CHANGE_SENTENCE,
        facts={
            "code": label.code,
            "product": label.product.name,
            "enterprise": label.product.enterprise.name,
            "kind": ChangeKind(kind).label,
            "date": effective_on,
        },
        url=f"{workspace_url('changes')}#change-{change.pk}",
    )
    return change


def _decide(change: Change, name: str, *, by: User, decision: str) -> Change:
    change = lock(change)
    guard_transition(change, name, by=by)
    require([_("Give the reasons for the decision.")] if not decision.strip() else [])
    return change


@performs(Change, "no_effect", form=DecisionForm)
@transaction.atomic
def decide_no_effect(*, change: Change, by: User, decision: str) -> Change:
    change = _decide(change, "no_effect", by=by, decision=decision)
    return apply_transition(change, "no_effect", by=by, comment=decision.strip(), decision=decision)


@performs(Change, "extra_surveillance", form=DecisionForm)
@transaction.atomic
def require_extra_surveillance(*, change: Change, by: User, decision: str) -> Change:
    """The label's surveillance falls due today (certification.services.extra_surveillance): it is
    listed as due at once, and reads suspended if no surveillance audit follows within the
    scheme's grace period. Refused for a label that is not valid."""
    change = _decide(change, "extra_surveillance", by=by, decision=decision)
    order = order_extra_surveillance(
        label=change.label, by=by, reason=decision.strip(), data={"change": change.pk, "label": change.label.code}
    )
    return apply_transition(
        change,
        "extra_surveillance",
        by=by,
        comment=decision.strip(),
        data={"due": order.data["due"]},
        decision=decision,
    )


@performs(Change, "suspend_label", form=DecisionForm)
@transaction.atomic
def suspend_for_change(*, change: Change, by: User, decision: str) -> Change:
    change = _decide(change, "suspend_label", by=by, decision=decision)
    label = Label.objects.select_for_update(of=("self",)).get(pk=change.label_id)
    guard_transition(label, "suspend", by=by)
    apply_transition(change, "suspend_label", by=by, comment=decision.strip(), decision=decision)
    category = StatusReason.CHANGE_UNDER_REVIEW
    apply_transition(
        label, "suspend", by=by, comment=decision.strip(), data={"category": category}, reason=decision,
        category=category,
    )  # fmt: skip
    return change
