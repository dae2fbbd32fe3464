"""Password reset, throttled per client address and per account (issue 11).

An address may ask PASSWORD_RESET_ADDRESS_REQUESTS times per PASSWORD_RESET_WINDOW_SECONDS,
whatever address of mail it gives: past that it is told to wait, which says nothing about any
account. An account gets at most PASSWORD_RESET_ACCOUNT_MAILS mails in that window, from all
addresses together; a request past that is answered as every other (a mail is on its way if
the account exists) and sends nothing, so that nobody can flood a mailbox or learn from the
answer whether an account exists.
"""

import math

from django.conf import settings
from django.utils.translation import ngettext

from certification.exceptions import DomainError
from certification.models import User
from certification.services.limits import Budget, BudgetSpent, budget_key, spend


class ResetRefused(DomainError):
    """Too many requests from one address; `retry_after` in seconds."""

    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _budget(kind: str, what: str, limit: int) -> Budget:
    return Budget(budget_key(kind, what), limit, settings.PASSWORD_RESET_WINDOW_SECONDS)


def take_reset_request(*, address: str) -> None:
    """Count one request from `address`, or refuse it with when to ask again."""
    try:
        spend(_budget("reset:address", address, settings.PASSWORD_RESET_ADDRESS_REQUESTS))
    except BudgetSpent as spent:
        minutes = max(1, math.ceil(spent.retry_after / 60))
        raise ResetRefused(
            ngettext(
                "Too many password reset requests from your address: try again in %(minutes)d minute.",
                "Too many password reset requests from your address: try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            retry_after=spent.retry_after,
        ) from spent


def may_mail_reset(*, user: User) -> bool:
    """True, and counted, while the account has a reset mail left in this window."""
    try:
        spend(_budget("reset:account", str(user.pk), settings.PASSWORD_RESET_ACCOUNT_MAILS))
    except BudgetSpent:
        return False
    return True
