"""Signed credentials: compact JWS, EdDSA over Ed25519 (DESIGN §5).

The private key comes from settings (SIGNING_KEY, or the file SIGNING_KEY_FILE); its public
half is published in the database, and so in the JWK set, before it signs anything. Retired
keys stay published, so every credential ever issued keeps verifying; only the active key
signs. A key marked compromised stays published too, so that a verifier learns why what it
signed is no longer trusted.
"""

import hashlib
import warnings
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jws import extract_compact

from certification.models import KeyStatus, SigningKey

ALGORITHM = "EdDSA"

# joserfc prefers the newer fully-specified name "Ed25519" (RFC 9864); "EdDSA" is what the
# standard JOSE libraries that verifiers use today understand, so credentials keep it.
warnings.filterwarnings("ignore", message="EdDSA is deprecated")


class CredentialError(Exception):
    """A credential that cannot be trusted; `reason` is a stable code, the message a sentence."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def generate_private_key_pem() -> bytes:
    return OKPKey.generate_key("Ed25519").as_pem(private=True)


@cache
def load_key(pem: bytes) -> OKPKey:
    key = OKPKey.import_key(pem)
    if key.as_dict(private=False).get("crv") != "Ed25519":
        raise ImproperlyConfigured("The signing key must be an Ed25519 key.")
    return key


def current_private_key() -> OKPKey:
    if settings.SIGNING_KEY:
        return load_key(settings.SIGNING_KEY.encode())
    path = Path(settings.SIGNING_KEY_FILE)
    if not path.exists():
        raise ImproperlyConfigured(
            f"No signing key: set SIGNING_KEY, or create {path} with `manage.py generate_signing_key`."
        )
    return load_key(path.read_bytes())


def public_jwk(key: OKPKey) -> dict[str, Any]:
    """RFC 7517/8037 public JWK with its key id (the RFC 7638 thumbprint)."""
    return {**key.as_dict(private=False), "kid": key.thumbprint(), "use": "sig", "alg": ALGORITHM}


def publish_key(key: OKPKey, *, make_active: bool) -> SigningKey:
    """Make sure the public half of `key` is published; optionally retire every other key."""
    jwk = public_jwk(key)
    with transaction.atomic():
        record, _ = SigningKey.objects.get_or_create(kid=jwk["kid"], defaults={"public_jwk": jwk})
        if make_active and record.status == KeyStatus.COMPROMISED:
            raise ImproperlyConfigured(f"The signing key {record.kid} is compromised: it never signs again.")
        if make_active:
            SigningKey.objects.exclude(kid=record.kid).filter(status=KeyStatus.ACTIVE).update(
                status=KeyStatus.RETIRED, retired_at=timezone.now()
            )
            if record.status != KeyStatus.ACTIVE:
                record.status, record.retired_at = KeyStatus.ACTIVE, None
                record.save(update_fields=["status", "retired_at"])
    return record


def mark_key_compromised(kid: str) -> SigningKey:
    """From now on, nothing `kid` signed is trusted, and it signs nothing more; it stays
    published. Raises SigningKey.DoesNotExist for a key this system never published."""
    with transaction.atomic():
        record = SigningKey.objects.select_for_update().get(kid=kid)
        record.status = KeyStatus.COMPROMISED
        record.retired_at = record.retired_at or timezone.now()
        record.save(update_fields=["status", "retired_at"])
    return record


def sign_claims(claims: dict[str, Any]) -> str:
    """The compact JWS of `claims`, signed with the current key (published first). A key that
    was retired or marked compromised signs nothing: what it would sign could not be trusted."""
    key = current_private_key()
    kid = key.thumbprint()
    record = SigningKey.objects.filter(kid=kid).first() or publish_key(key, make_active=False)
    if record.status != KeyStatus.ACTIVE:
        raise ImproperlyConfigured(
            f"The signing key {kid} is {record.status}: "
            "create a new one with `manage.py generate_signing_key --rotate`."
        )
    return jwt.encode({"alg": ALGORITHM, "kid": kid, "typ": "JWT"}, claims, key, algorithms=[ALGORITHM])


def credential_key_id(token: str) -> str:
    return str(extract_compact(token.encode()).protected["kid"])


def credential_digest(token: str) -> str:
    """The SHA-256 under which the register knows a credential it issued."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def key_set() -> dict[str, list[dict[str, Any]]]:
    """The JWK set: every key that ever signed, with its status."""
    return {
        "keys": [
            {**record.public_jwk, "status": record.status}
            for record in SigningKey.objects.order_by("-created_at").only("public_jwk", "status")
        ]
    }


def verify_credential(token: str) -> tuple[dict[str, Any], SigningKey]:
    """The claims of a credential that one of our keys signed, and that key; or CredentialError
    saying why not. Whether this system issued it is the register's to say (verification.py).

    Expiry is not checked here: a verifier is told the label's status, expired included.
    """
    try:
        header = extract_compact(token.strip().encode()).protected
    except (JoseError, ValueError, TypeError) as error:
        raise CredentialError("malformed", "This is not a credential: expected a compact JWS.") from error
    record = SigningKey.objects.filter(kid=str(header.get("kid", ""))).first()
    if record is None:
        raise CredentialError("unknown_key", "The credential was signed with a key this system never published.")
    if header.get("alg") != ALGORITHM:
        raise CredentialError("bad_signature", "The credential does not use the EdDSA algorithm.")
    try:
        claims = dict(jwt.decode(token.strip(), OKPKey.import_key(record.public_jwk), algorithms=[ALGORITHM]).claims)
    except (JoseError, ValueError) as error:
        raise CredentialError("bad_signature", "The signature does not match the credential's content.") from error
    return claims, record
