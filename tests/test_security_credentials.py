"""Issue 11, finding 4: a leaked signing key cannot make a credential that verifies as ours.

Each attack is made as an attacker would: with the private key (current or retired) in hand
and a standard JOSE library (PyJWT, not the one that signs), sent to the public verify API.
"""

import datetime
import importlib
import io
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import CertificateRecord, KeyStatus, Label, SigningKey
from certification.services.certificates import label_claims, regenerate_certificate
from certification.signing import sign_claims


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def key_file(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """The server signs with a key file, as in production; `generate_signing_key` made it."""
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    call_command("generate_signing_key", stdout=io.StringIO())
    return Path(settings.SIGNING_KEY_FILE)


def verify(api: APIClient, token: str) -> dict[str, Any]:
    answer = api.post(reverse("api:verify"), {"credential": token}, format="json")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert set(body) >= {"outcome", "reason", "detail", "label"}
    return body


def forge(pem: bytes, claims: dict[str, Any]) -> str:
    """What an attacker holding our private key sends: a standard EdDSA JWS with our key id."""
    return jwt.encode(claims, pem, algorithm="EdDSA", headers={"kid": current_kid_of(pem), "typ": "JWT"})


def current_kid_of(pem: bytes) -> str:
    from joserfc.jwk import OKPKey

    return str(OKPKey.import_key(pem).thumbprint())


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_a_credential_signed_with_the_current_key_but_never_issued_is_not_authentic(api, issue_label, settings) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    Label.objects.filter(pk=label.pk).update(level=2)
    label = regenerate_certificate(label=label, by=None)  # the register says level 2
    assert verify(api, label.credential)["outcome"] == "authentic"

    claims = claims_of(label.credential)
    claims["label"]["level"] = 3
    forged = forge(settings.SIGNING_KEY.encode(), claims)
    body = verify(api, forged)
    assert (body["outcome"], body["reason"], body["label"]) == ("not_authentic", "not_issued", None)
    assert "never issued" in body["detail"]


def test_a_credential_made_up_from_scratch_with_the_current_key_is_not_issued(api, issue_label, settings) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    claims = {**label_claims(label), "exp": 1, "iat": int(timezone.now().timestamp())}
    body = verify(api, forge(settings.SIGNING_KEY.encode(), claims))
    assert (body["outcome"], body["reason"]) == ("not_authentic", "not_issued")


def test_a_credential_forged_with_a_retired_key_is_not_authentic(api, issue_label, key_file) -> None:  # type: ignore[no-untyped-def]
    old_pem = key_file.read_bytes()
    old = issue_label()
    call_command("generate_signing_key", "--rotate", stdout=io.StringIO())
    assert SigningKey.objects.get(kid=current_kid_of(old_pem)).status == KeyStatus.RETIRED
    assert verify(api, Label.objects.get(pk=old.pk).credential)["outcome"] == "authentic"

    # The attacker found the retired key on an old backup, and signs level 3, never expiring.
    claims = claims_of(Label.objects.get(pk=old.pk).credential)
    claims["label"]["level"], claims["exp"] = 3, 1
    claims["iat"] = claims["iat"] - 3600  # back-dated, to look signed before the retirement
    body = verify(api, forge(old_pem, claims))
    assert (body["outcome"], body["reason"]) == ("not_authentic", "not_issued")


def test_a_retired_key_verifies_only_what_it_signed_before_its_retirement(api, issue_label, key_file) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    record = CertificateRecord.objects.get(label=label, superseded_at__isnull=True)
    call_command("generate_signing_key", "--rotate", stdout=io.StringIO())
    key = SigningKey.objects.get(kid=record.key_id)
    assert record.signed_at is not None
    assert record.signed_at < key.retired_at  # type: ignore[operator]
    assert verify(api, label.credential)["reason"] == "signed"

    # The operator learns that the key was out of custody from an earlier moment on.
    SigningKey.objects.filter(pk=key.pk).update(retired_at=record.signed_at - datetime.timedelta(seconds=1))
    body = verify(api, label.credential)
    assert (body["outcome"], body["reason"]) == ("not_authentic", "key_retired")


def test_a_retired_or_compromised_key_signs_nothing_more(issue_label, key_file, settings) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    kid = CertificateRecord.objects.get(label=label).key_id
    SigningKey.objects.filter(kid=kid).update(status=KeyStatus.RETIRED, retired_at=timezone.now())
    with pytest.raises(ImproperlyConfigured, match="--rotate"):
        sign_claims(label_claims(label))


def test_a_compromised_key_makes_what_it_signed_not_authentic_until_reissued(api, issue_label, key_file) -> None:  # type: ignore[no-untyped-def]
    first, second = issue_label(), issue_label()
    leaked = current_kid_of(key_file.read_bytes())
    output = io.StringIO()
    call_command("generate_signing_key", "--rotate", "--compromised", leaked, stdout=output)
    assert "regenerate_certificates" in output.getvalue()
    assert first.code in output.getvalue()
    assert second.code in output.getvalue()
    assert SigningKey.objects.get(kid=leaked).status == KeyStatus.COMPROMISED
    old_tokens = [Label.objects.get(pk=label.pk).credential for label in (first, second)]
    for token in old_tokens:
        body = verify(api, token)
        assert (body["outcome"], body["reason"]) == ("not_authentic", "key_compromised")

    call_command("regenerate_certificates", first.code, second.code, stdout=io.StringIO())
    for label, old_token in zip((first, second), old_tokens, strict=True):
        label.refresh_from_db()
        assert current_kid_of_token(label.credential) != leaked
        body = verify(api, label.credential)
        assert (body["outcome"], body["reason"], body["label"]["code"]) == ("authentic", "signed", label.code)
        assert verify(api, old_token)["reason"] == "key_compromised"  # the leaked one stays refused
    # The published key set says why.
    statuses = {key["kid"]: key["status"] for key in api.get(reverse("api:keys")).json()["keys"]}
    assert statuses[leaked] == "compromised"


def current_kid_of_token(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def test_a_compromised_current_key_must_be_rotated_before_anything_is_issued(issue_label, key_file) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    kid = current_kid_of(key_file.read_bytes())
    output = io.StringIO()
    call_command("generate_signing_key", "--compromised", kid, stdout=output)
    assert "--rotate" in output.getvalue()
    with pytest.raises(ImproperlyConfigured, match="compromised"):
        regenerate_certificate(label=label, by=None)


def test_marking_an_unknown_key_compromised_says_so(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="no-such-key"):
        call_command("generate_signing_key", "--compromised", "no-such-key", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "nooit uitgereikt"), ("fr", "jamais délivré")],
)
def test_the_refusal_is_said_in_the_askers_language(issue_label, settings, language, words) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    forged = forge(settings.SIGNING_KEY.encode(), {**label_claims(label), "exp": 1})
    body = verify(APIClient(HTTP_ACCEPT_LANGUAGE=language), forged)
    assert body["reason"] == "not_issued"
    assert words in body["detail"]


def test_the_migration_registers_the_credentials_issued_before_the_register(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps

    migration = importlib.import_module("certification.migrations.0008_credential_register")
    label = issue_label()
    record = CertificateRecord.objects.get(label=label, superseded_at__isnull=True)
    signed_at = record.signed_at
    CertificateRecord.objects.filter(pk=record.pk).update(credential_sha256=None, signed_at=None)
    assert verify(api, label.credential)["reason"] == "not_issued"

    migration.register_current_credentials(apps, None)
    record.refresh_from_db()
    assert record.signed_at == signed_at
    assert verify(api, label.credential)["reason"] == "signed"
