"""Mail goes out through the outbox: recorded in the transaction of the change it tells about,
delivered by the task worker once that transaction has committed.

A change that rolls back leaves no mail; a mail whose delivery task was lost (the process died
between the commit and the enqueue, the mail server was down) is picked up again by
`deliver_pending`, which the scheduler runs every minute. A mail is recorded once per key and
marked sent in the transaction that sends it, so none goes out twice.
"""

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from background.models import Mail

logger = logging.getLogger(__name__)

# A mail not delivered after this many tries stays in the outbox (the admin shows it) until an
# operator looks at it.
MAX_ATTEMPTS = 10
# How long a recorded mail waits for its own delivery task before the sweep takes it.
SWEEP_AFTER = timedelta(minutes=1)


def queue_mail(
    *, key: str, to: str, language: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> Mail | None:
    """Record a mail in the current transaction, to be delivered after it commits.

    `key` names the change and the recipient: a second mail with the same key is not recorded
    (None is returned), so telling the same change twice sends one mail."""
    mail, created = Mail.objects.get_or_create(
        key=key,
        defaults={"to": to, "language": language, "subject": subject, "body": body, "headers": headers or {}},
    )
    if not created:
        return None
    transaction.on_commit(partial(deliver.enqueue, mail.pk))
    return mail


def in_language(language: str) -> override:
    """Render a mail in its recipient's language: `with in_language(user.language): ...`."""
    return override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)


@task()
def deliver(mail_id: int) -> bool:
    """Send one recorded mail unless it went out already; True when it is sent now."""
    with transaction.atomic():
        # Locked while sending: a second worker given the same mail skips it.
        mail = Mail.objects.select_for_update(skip_locked=True).filter(pk=mail_id, sent_at__isnull=True).first()
        if mail is None:
            return False
        message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=mail.headers)
        mail.attempts += 1
        try:
            message.send()
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = f"{type(error).__name__}: {error}"
            mail.save(update_fields=["attempts", "last_error"])
            logger.warning("Mail %s to %s not delivered (attempt %s): %s", mail.pk, mail.to, mail.attempts, error)
            return False
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "last_error", "sent_at"])
        return True


@task()
def deliver_pending() -> int:
    """Enqueue the delivery of every mail still unsent a while after it was recorded; how many."""
    waiting = Mail.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lte=timezone.now() - SWEEP_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for mail_id in waiting.iterator():
        deliver.enqueue(mail_id)
        count += 1
    return count
