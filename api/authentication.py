"""API tokens (issue 11): several per user, kept as hashes, each expiring
API_TOKEN_LIFETIME_DAYS after it was made; an expired one is removed when it is next used."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from certification.models import ApiToken, User
from certification.services.tokens import TokenRefused, token_for_key


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by the key's hash in our own token table."""

    model = ApiToken
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        try:
            token = token_for_key(key)
        except TokenRefused as refusal:
            raise AuthenticationFailed(refusal.message) from refusal
        return token.user, token  # type: ignore[return-value]
