"""Signing in, with a lockout after repeated failures (per account, across every web process)."""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.utils.translation import gettext as _

from certification.exceptions import DomainError
from certification.models import User


class SignInRefused(DomainError):
    """Wrong credentials, or an account locked for a while; `retry_after` in seconds when locked."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _key(username: str) -> str:
    # Hashed: whatever someone types as a username makes a valid cache key.
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"se-label:sign-in-failures:{digest}"


def sign_in(*, request: Any, username: str, password: str) -> User:
    key = _key(username)
    if (cache.get(key) or 0) >= settings.LOGIN_ATTEMPTS:
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        raise SignInRefused(
            _("Too many failed sign-ins for this account: try again in %(minutes)s minutes.") % {"minutes": minutes},
            retry_after=settings.LOGIN_LOCKOUT_SECONDS,
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
        raise SignInRefused(_("The username or password is not right."))
    cache.delete(key)
    return user  # type: ignore[return-value]
