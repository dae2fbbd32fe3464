"""API tokens: a user holds several, each named, and revokes his own.

A key is 40 random hexadecimal characters, shown once when it is made; the database keeps only
its SHA-256. A plain hash is enough for a random key of 160 bits (no dictionary to try), and
lets a request find its token with one indexed lookup.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, DomainError
from certification.models import ApiToken, User

# A token's last use is written at most this often: not one write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the only time the key exists outside the client


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_token(*, by: User, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, so that you know later what uses it."))
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=by,
        name=name[:100],
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    return IssuedToken(token=token, key=key)


def revoke_api_token(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise ActionForbidden(_("You can only revoke your own tokens."))
    token.delete()


def revoke_all_api_tokens(*, user_id: int) -> None:
    ApiToken.objects.filter(user_id=user_id).delete()


def remove_expired_api_tokens() -> int:
    """Tokens past their expiry, never used since: they could only be refused."""
    return ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()[0]


class TokenRefused(Exception):
    """A key that does not authenticate; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_for_key(key: str) -> ApiToken:
    """The live token of `key`, its last use recorded; an expired one is removed and refused."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        raise TokenRefused(_("Invalid token."))
    now = timezone.now()
    if token.expires_at <= now:
        token.delete()
        raise TokenRefused(_("This token has expired: ask for a new one (POST /api/v1/auth/token/)."))
    if not token.user.is_active:
        raise TokenRefused(_("User inactive or deleted."))
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
