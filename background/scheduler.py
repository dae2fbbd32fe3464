"""Periodic tasks: settings.PERIODIC_TASKS names each task and how often it runs.

The scheduler only enqueues; the task worker does the work. Each task's last enqueue is a row
locked while it is checked, so two schedulers (or a cron run beside a running scheduler) never
enqueue the same round twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from background.models import PeriodicRun


def periodic_tasks() -> dict[str, timedelta]:
    return {path: timedelta(seconds=seconds) for path, seconds in settings.PERIODIC_TASKS.items()}


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed since it was last enqueued."""
    now = now or timezone.now()
    enqueued = []
    for path, interval in periodic_tasks().items():
        with transaction.atomic():
            run, created = PeriodicRun.objects.select_for_update().get_or_create(
                task=path, defaults={"enqueued_at": now}
            )
            if not created and run.enqueued_at + interval > now:
                continue
            import_string(path).enqueue()
            run.enqueued_at = now
            run.save(update_fields=["enqueued_at"])
        enqueued.append(path)
    return enqueued
