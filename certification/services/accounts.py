"""Signing in, limited per client address and per username (issue 11).

Two budgets of failed sign-ins, counted atomically (certification.services.limits) before the
password is even looked at: LOGIN_ATTEMPTS for one username from one address, and
LOGIN_ADDRESS_ATTEMPTS for every username together from one address. Spent, a budget stays
closed for LOGIN_LOCKOUT_SECONDS. The pair, not the account, is locked: someone guessing from
one address locks himself out, never the account's owner signing in from another address; and
one address cannot try many usernames either. A sign-in that succeeds gives its attempt back.
"""

import math
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certification.exceptions import DomainError
from certification.models import User
from certification.services.limits import Budget, BudgetSpent, budget_key, give_back, spend
from config.clients import client_address


class SignInRefused(DomainError):
    """Wrong credentials, or too many failures for a while; `retry_after` in seconds when locked."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def sign_in_budgets(*, username: str, address: str) -> tuple[Budget, Budget]:
    """(username from this address, every username from this address)."""
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    return (
        Budget(budget_key("sign-in:pair", username.strip().lower(), address), settings.LOGIN_ATTEMPTS, seconds),
        Budget(budget_key("sign-in:address", address), settings.LOGIN_ADDRESS_ATTEMPTS, seconds),
    )


def when_to_retry(spent: BudgetSpent) -> dict[str, Any]:
    """The minutes to wait and the clock time, in the language and time zone of the reader."""
    minutes = max(1, math.ceil(spent.retry_after / 60))
    return {"minutes": minutes, "time": formats.time_format(timezone.localtime(spent.until))}


def lockout_sentence(spent: BudgetSpent, *, pair: Budget) -> str:
    retry = when_to_retry(spent)
    if spent.budget == pair:
        sentence = ngettext(
            "Too many failed sign-ins for this account from your address: "
            "try again at %(time)s, in %(minutes)d minute.",
            "Too many failed sign-ins for this account from your address: "
            "try again at %(time)s, in %(minutes)d minutes.",
            retry["minutes"],
        )
    else:
        sentence = ngettext(
            "Too many failed sign-ins from your address: try again at %(time)s, in %(minutes)d minute.",
            "Too many failed sign-ins from your address: try again at %(time)s, in %(minutes)d minutes.",
            retry["minutes"],
        )
    return sentence % retry


def sign_in(*, request: Any, username: str, password: str) -> User:
    pair, every_username = sign_in_budgets(username=username, address=client_address(request.META))
    try:
        spend(pair, every_username)
    except BudgetSpent as spent:
        raise SignInRefused(lockout_sentence(spent, pair=pair), retry_after=spent.retry_after) from spent
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise SignInRefused(_("The username or password is not right."))
    give_back(pair, every_username, every_attempt_of=pair)
    return user  # type: ignore[return-value]
