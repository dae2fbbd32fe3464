"""Periodic work of the watch (settings.PERIODIC_TASKS)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from certification.models import Label
from watch.changes import expiries_between
from watch.models import ConfirmationSent, Subscription
from watch.services import CONFIRM_WITHIN, tell_subscribers

# Expiries are looked for this far back on every run: a scheduler stopped for days still tells
# them when it starts again, and the mails' keys make a second telling send nothing.
EXPIRY_LOOKBACK = datetime.timedelta(days=7)


@task()
def tell_expiries() -> int:
    """Mail the subscribers of labels that expired lately (a change no history row records);
    how many mails were recorded now."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Only the labels someone follows: the others' expiries would be looked at for no one.
    confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
    recorded = 0
    followed = Label.objects.filter(
        Q(pk__in=confirmed.values("label")) | Q(product__enterprise__in=confirmed.values("enterprise"))
    )
    for change in expiries_between(first_day=yesterday - EXPIRY_LOOKBACK, last_day=yesterday, among=followed):
        with transaction.atomic():
            recorded += tell_subscribers(change)
    return recorded


@task()
def forget_stale_requests() -> int:
    """Delete requests never confirmed in time, and the count of confirmations older than a day."""
    now = timezone.now()
    deleted, _rows = Subscription.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=now - CONFIRM_WITHIN
    ).delete()
    ConfirmationSent.objects.filter(sent_at__lt=now - datetime.timedelta(days=1)).delete()
    return deleted
