"""API tokens that expire (issue 11): a token older than API_TOKEN_LIFETIME_DAYS no longer
authenticates, and is removed; signing in again gives a new one."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from certification.models import User


def token_expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            token.delete()
            raise AuthenticationFailed(_("This token has expired: ask for a new one (POST /api/v1/auth/token/)."))
        return user, token
