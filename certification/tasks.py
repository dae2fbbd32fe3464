"""Periodic work of the certification app (settings.PERIODIC_TASKS)."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from certification.services.limits import forget_spent_budgets
from certification.services.tokens import remove_expired_api_tokens


@task()
def forget_spent_attempts() -> int:
    """Remove attempt counters older than the longest window: they would start from zero."""
    longest = max(settings.LOGIN_LOCKOUT_SECONDS, settings.PASSWORD_RESET_WINDOW_SECONDS)
    return forget_spent_budgets(older_than=timedelta(seconds=longest))


@task()
def remove_expired_tokens() -> int:
    """Remove API tokens past their expiry (one used after it is refused and removed at once)."""
    return remove_expired_api_tokens()
