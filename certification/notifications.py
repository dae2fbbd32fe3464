"""Mail to the people an application or label change concerns, each in his or her language.

Recorded in the outbox in the transaction of the change (one mail per change and recipient),
delivered by the task worker only after that transaction commits."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from background.outbox import in_language, queue_mail
from certification.lookup import public_verify_url
from certification.models import (
    Application,
    ApplicationState,
    DerivedStatusChange,
    HistoryEvent,
    Label,
    PublicStatus,
    Role,
    StatusReason,
    User,
)
from certification.policies import deciding_officers
from certification.transitions import Recipient, step_for_action


def officers_to_tell(target: models.Model) -> list[User]:
    """The certification officers told that `target` waits for a decision: those the policies
    let decide it (certification.policies.deciding_officers) who can be mailed."""
    return [officer for officer in deciding_officers(target) if officer.email]


def recipients_for(application: Application, action: str) -> list[User]:
    step = step_for_action(action)
    groups = step.notify if step else ()
    who = Q(pk__in=[])
    if Recipient.APPLICANTS in groups:
        who |= Q(enterprises=application.enterprise_id, groups__name=Role.APPLICANT)
    if Recipient.AUDITOR in groups and application.auditor_id:
        who |= Q(pk=application.auditor_id)
    users = {user.pk: user for user in User.objects.filter(who, is_active=True).exclude(email="").distinct()}
    if Recipient.OFFICERS in groups:
        users.update((officer.pk, officer) for officer in officers_to_tell(application))
    return sorted(users.values(), key=lambda user: (user.email, user.pk))


def notify_application_change(application: Application, action: str, comment: str = "") -> None:
    """Tell who it concerns that the application reached its current state through `action`.

    Called in the transaction of the change, after its history row: that row names the change,
    so each recipient gets one mail for it however often it is told."""
    change_id = HistoryEvent.objects.filter(application=application, action=action).latest("sequence").sequence
    for user in recipients_for(application, action):
        with in_language(user.language):
            state = ApplicationState(application.state).label
            subject = _("%(reference)s is now %(state)s") % {"reference": application.reference, "state": state}
            sentence = _("Application %(reference)s of %(enterprise)s for %(product)s is now %(state)s.") % {
                "reference": application.reference,
                "enterprise": application.enterprise.name,
                "product": application.product or "-",
                "state": state,
            }
        queue_mail(
            key=f"application:{application.pk}:{change_id}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body="\n\n".join(part for part in (sentence, comment) if part),
        )


def enterprise_applicants(enterprise_id: int) -> list[User]:
    """The applicants of an enterprise who can be mailed: who hears of its labels."""
    users = User.objects.filter(enterprises=enterprise_id, groups__name=Role.APPLICANT, is_active=True)
    return list(users.exclude(email="").distinct().order_by("email"))


# What the enterprise is told of each change of one of its labels, in its words.
LABEL_CHANGES = {
    "label.issued": gettext_lazy("Label %(code)s is issued for %(product)s."),
    "label.suspended": gettext_lazy("Label %(code)s of %(product)s is suspended."),
    "label.reinstated": gettext_lazy("Label %(code)s of %(product)s is reinstated: it is valid again."),
    "label.revoked": gettext_lazy("Label %(code)s of %(product)s is revoked."),
    "label.superseded": gettext_lazy("Label %(code)s of %(product)s is replaced by label %(successor)s."),
}


# The same, for a label issued or reinstated that does not read valid all the same.
VALID_AGAIN = {
    "label.issued": gettext_lazy("Label %(code)s is issued for %(product)s, but it reads %(status)s."),
    "label.reinstated": gettext_lazy("Label %(code)s of %(product)s is reinstated, but it still reads %(status)s."),
}


def latest_event(target: models.Model, action: str) -> HistoryEvent:
    """The history row of the change `action` just made to `target`."""
    rows = HistoryEvent.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    return rows.filter(action=action).latest("sequence")


def notify_label_change(label: Label, event: HistoryEvent) -> None:
    """Tell the enterprise's applicants that one of its labels changed status (`event`, its
    history row, names the change: one mail per change and recipient). Called in the
    transaction of the change."""
    facts = {"code": label.code, "product": label.product.name, "successor": event.data.get("successor", "")}
    reason = StatusReason(label.status_reason_category) if label.status_reason_category else None
    state = label.public_state()
    # Issued or reinstated while time keeps it from reading valid (its surveillance overdue, its
    # enterprise's recognition lapsed): the mail says what it reads, and why, as the rule does.
    held_back = event.action in VALID_AGAIN and state.status != PublicStatus.VALID
    if held_back:
        reason = StatusReason(state.reason) if state.reason else None
    for user in enterprise_applicants(label.product.enterprise_id):
        with in_language(user.language):
            status = state.status.label
            subject = _("Label %(code)s is now %(status)s") % {"code": label.code, "status": status}
            words = VALID_AGAIN[event.action] if held_back else LABEL_CHANGES[event.action]
            lines = [str(words % {**facts, "status": status})]
            if reason is not None and (event.action != "label.issued" or held_back):
                lines.append(_("Reason: %(reason)s.") % {"reason": reason.label})
            if event.comment and event.action != "label.superseded":
                lines.append(event.comment)
            lines.append(_("Check the label: %(url)s") % {"url": public_verify_url(label.code)})
        queue_mail(
            key=f"label:{label.pk}:{event.sequence}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body="\n\n".join(lines),
        )


# What the enterprise is told of each change of one of its labels that time made.
DERIVED_CHANGES = {
    StatusReason.SURVEILLANCE_OVERDUE: gettext_lazy(
        "Label %(code)s of %(product)s is suspended: its surveillance audit is overdue past the grace period."
    ),
    StatusReason.RECOGNITION_LAPSED: gettext_lazy(
        "Label %(code)s of %(product)s is suspended: the recognition of %(enterprise)s has lapsed."
    ),
    StatusReason.SUSPENSION_NOT_LIFTED: gettext_lazy(
        "Label %(code)s of %(product)s is revoked: its suspension was not lifted within the longest period allowed."
    ),
    StatusReason.CORRECTED: gettext_lazy("Label %(code)s of %(product)s is valid again: the cause was remedied."),
}


def notify_derived_change(change: DerivedStatusChange) -> None:
    """Tell the enterprise's applicants of a change of one of its labels that time made (one
    mail per change and recipient). Called in the transaction that records the change."""
    label = change.label
    enterprise = label.product.enterprise
    reason = StatusReason(change.reason)
    facts = {"code": label.code, "product": label.product.name, "enterprise": enterprise.name}
    for user in enterprise_applicants(enterprise.pk):
        with in_language(user.language):
            subject = _("Label %(code)s is now %(status)s") % {"code": label.code, "status": change.status.label}
            since = date_format(timezone.localtime(change.effective_at), "DATETIME_FORMAT")
            lines = [
                str(DERIVED_CHANGES[reason] % facts),
                _("Since: %(moment)s.") % {"moment": since},
                _("Check the label: %(url)s") % {"url": public_verify_url(label.code)},
            ]
        queue_mail(
            key=f"label:{label.pk}:derived:{change.pk}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body="\n\n".join(lines),
        )


def workspace_url(name: str, *args: object) -> str:
    """The absolute address of a workspace page (`web:<name>`), for a mail."""
    return f"{settings.PUBLIC_BASE_URL}{reverse(f'web:{name}', args=args)}"


def notify_officers(
    target: models.Model, event: HistoryEvent, *, subject: Promise, sentence: Promise, facts: dict[str, Any], url: str
) -> None:
    """Tell the officers who may decide on `target` that it waits for their decision, each in his
    or her language, with the address of the page where it is decided. `event`, the history row
    of what happened, names the mail: one per event and officer. Called in the transaction of
    the change, so nothing is sent if it rolls back; dates in `facts` are written in the
    officer's language."""
    for officer in officers_to_tell(target):
        with in_language(officer.language):
            words = {
                name: date_format(value, "DATE_FORMAT") if isinstance(value, datetime.date) else value
                for name, value in facts.items()
            }
            title = str(subject % words)
            body = "\n\n".join([str(sentence % words), _("Decide here: %(url)s") % {"url": url}])
        queue_mail(
            key=f"decide:{event.sequence}:{officer.pk}",
            to=officer.email,
            language=officer.language,
            subject=title,
            body=body,
        )
