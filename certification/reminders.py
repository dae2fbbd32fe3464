"""Reminders before a label's last day, and the notice once it has expired (DESIGN §9), mailed
by a daily periodic task. (Expiry is derived when a label is read, never stored: no transaction
changes it, so the notice is the daily round's.)

Each reminder is keyed by its label, the day it reminds of, the offset and the recipient, so a
second run on the same day, or a run on the next day, sends none twice. Only the nearest offset
already reached is sent: after days without a run, the enterprise gets one reminder, not every
one it missed. The task only records the mails; the worker delivers them after the commit.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from background.outbox import in_language, queue_mail
from certification.lookup import public_verify_url
from certification.models import OPEN_STATES, Label, LabelStatus, PublicStatus, Scheme
from certification.notifications import enterprise_applicants
from certification.services.renewals import renewal_opens_on


def reminder_due(offsets: list[int], due_on: datetime.date, today: datetime.date) -> int | None:
    """Which reminder (its days before `due_on`) is due `today`: the smallest offset already
    reached while `due_on` has not passed, or None."""
    if today > due_on:
        return None
    reached = [days for days in offsets if due_on - datetime.timedelta(days=days) <= today]
    return min(reached, default=None)


def remind_of_expiry(label: Label, days: int) -> int:
    """Record the expiry reminder `days` before the label's last day, once per applicant; how many."""
    recorded = 0
    for user in enterprise_applicants(label.product.enterprise_id):
        with in_language(user.language):
            until = date_format(label.valid_until, "DATE_FORMAT")
            subject = _("Label %(code)s expires on %(date)s") % {"code": label.code, "date": until}
            body = "\n\n".join(
                [
                    _("Label %(code)s of %(product)s is valid until %(date)s.")
                    % {"code": label.code, "product": label.product.name, "date": until},
                    _(
                        "To keep the label without interruption, apply for its renewal before that day: "
                        "you can from %(opens)s on."
                    )
                    % {"opens": date_format(renewal_opens_on(label), "DATE_FORMAT")},
                    _("Check the label: %(url)s") % {"url": public_verify_url(label.code)},
                ]
            )
        mail = queue_mail(
            key=f"reminder:expiry:{label.pk}:{label.valid_until}:{days}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body=body,
        )
        recorded += mail is not None
    return recorded


def expiry_reminders(today: datetime.date) -> int:
    """Record every expiry reminder due today; how many mails."""
    recorded = 0
    for scheme in Scheme.objects.filter(labels__status=LabelStatus.ACTIVE).distinct():
        horizon = today + datetime.timedelta(days=max(scheme.expiry_reminder_days, default=0))
        labels = Label.objects.filter(
            scheme=scheme, status=LabelStatus.ACTIVE, valid_until__gte=today, valid_until__lte=horizon
        ).exclude(renewals__state__in=OPEN_STATES)  # its enterprise has applied for the renewal already
        labels = labels.select_related("product__enterprise", "scheme")
        for label in labels.order_by("pk").iterator(chunk_size=500):
            days = reminder_due(scheme.expiry_reminder_days, label.valid_until, today)
            if days is None or label.public_status() != PublicStatus.VALID:
                continue
            with transaction.atomic():
                recorded += remind_of_expiry(label, days)
    return recorded


# How far back the daily round looks for labels that expired: a round missed for up to this
# long still tells of the expiry, and the round stays small however many labels ever expired.
EXPIRY_NOTICE_WITHIN = datetime.timedelta(days=30)


def expiry_notices(today: datetime.date) -> int:
    """Tell the enterprises whose labels expired (since the round's look-back), once; how many mails."""
    recorded = 0
    labels = Label.objects.filter(
        status=LabelStatus.ACTIVE, valid_until__lt=today, valid_until__gte=today - EXPIRY_NOTICE_WITHIN
    ).select_related("product__enterprise")
    for label in labels.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            for user in enterprise_applicants(label.product.enterprise_id):
                with in_language(user.language):
                    status = label.public_status().label
                    subject = _("Label %(code)s is now %(status)s") % {"code": label.code, "status": status}
                    body = "\n\n".join(
                        [
                            _("Label %(code)s of %(product)s expired after %(date)s.")
                            % {
                                "code": label.code,
                                "product": label.product.name,
                                "date": date_format(label.valid_until, "DATE_FORMAT"),
                            },
                            _("Check the label: %(url)s") % {"url": public_verify_url(label.code)},
                        ]
                    )
                mail = queue_mail(
                    key=f"label:{label.pk}:expired:{label.valid_until}:{user.pk}",
                    to=user.email,
                    language=user.language,
                    subject=subject,
                    body=body,
                )
                recorded += mail is not None
    return recorded


@task()
def send_reminders() -> int:
    """The daily round: record the reminders and notices due today; how many mails."""
    today = timezone.localdate()
    return expiry_reminders(today) + expiry_notices(today)
