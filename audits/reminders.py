"""Reminders before a label's surveillance audit is due (DESIGN §9, ISO/IEC 17065 7.9), mailed
by a daily periodic task at the scheme's offsets (`surveillance_reminder_days`): to the
enterprise's applicants, who must be ready for it, and to the officers who may schedule it (none
with a conflict with the enterprise).
A label whose surveillance audit is already open is left out: it is on its way.

Each reminder is keyed by its label, the due date it reminds of, the offset and the recipient,
so no run sends one twice, and after days without a run only the nearest offset is sent (as
expiry reminders are, certification.reminders). The task only records the mails; the worker
delivers them after the commit.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from audits.surveillance import OPEN_SURVEILLANCE
from background.outbox import in_language, queue_mail
from certification.lookup import public_verify_url
from certification.models import Label, LabelStatus, PublicStatus, Scheme, User
from certification.notifications import enterprise_applicants, officers_to_tell
from certification.reminders import reminder_due


def remind_of_surveillance(label: Label, days: int, recipients: list[User]) -> int:
    """Record the reminder `days` before the label's surveillance is due, once per recipient; how many."""
    assert label.surveillance_due_on is not None
    recorded = 0
    for user in recipients:
        with in_language(user.language):
            due = date_format(label.surveillance_due_on, "DATE_FORMAT")
            subject = _("Surveillance audit of label %(code)s due on %(date)s") % {"code": label.code, "date": due}
            body = "\n\n".join(
                [
                    _("The surveillance audit of label %(code)s of %(product)s (%(enterprise)s) is due on %(date)s.")
                    % {
                        "code": label.code,
                        "product": label.product.name,
                        "enterprise": label.product.enterprise.name,
                        "date": due,
                    },
                    _(
                        "Past that day and the scheme's grace period of %(days)s days, the label reads suspended "
                        "until the surveillance audit has taken place."
                    )
                    % {"days": label.scheme.surveillance_grace_days},
                    _("Check the label: %(url)s") % {"url": public_verify_url(label.code)},
                ]
            )
        mail = queue_mail(
            key=f"reminder:surveillance:{label.pk}:{label.surveillance_due_on}:{days}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body=body,
        )
        recorded += mail is not None
    return recorded


def surveillance_reminders(today: datetime.date) -> int:
    """Record every surveillance reminder due today; how many mails."""
    recorded = 0
    for scheme in Scheme.objects.filter(labels__status=LabelStatus.ACTIVE).distinct():
        horizon = today + datetime.timedelta(days=max(scheme.surveillance_reminder_days, default=0))
        labels = Label.objects.filter(
            scheme=scheme, status=LabelStatus.ACTIVE, surveillance_due_on__gte=today, surveillance_due_on__lte=horizon
        ).exclude(surveillances__state__in=OPEN_SURVEILLANCE)
        labels = labels.select_related("product__enterprise", "scheme")
        for label in labels.order_by("pk").iterator(chunk_size=500):
            assert label.surveillance_due_on is not None
            days = reminder_due(scheme.surveillance_reminder_days, label.surveillance_due_on, today)
            if days is None or label.public_status() != PublicStatus.VALID:
                continue
            with transaction.atomic():
                recipients = [*enterprise_applicants(label.product.enterprise_id), *officers_to_tell(label)]
                recorded += remind_of_surveillance(label, days, recipients)
    return recorded


@task()
def send_surveillance_reminders() -> int:
    """The daily round of surveillance reminders; how many mails."""
    return surveillance_reminders(timezone.localdate())
