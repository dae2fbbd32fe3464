"""Credentials verify offline with a standard JOSE library (PyJWT, not the one that signs)."""

import base64
import io
import json

import jwt
import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import KeyStatus, SigningKey
from certification.signing import generate_private_key_pem


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def published_keys(api: APIClient) -> dict[str, jwt.PyJWK]:
    response = api.get(reverse("api:keys"))
    assert response.status_code == 200
    return {key["kid"]: jwt.PyJWK(key) for key in response.json()["keys"]}


def verify_offline(token: str, keys: dict[str, jwt.PyJWK]) -> dict:  # type: ignore[type-arg]
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(token, keys[kid].key, algorithms=["EdDSA"], options={"verify_exp": False})


def credential_of(api: APIClient, code: str) -> str:
    response = api.get(reverse("api:credential", args=[code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    return response.content.decode()


def test_the_key_set_is_a_standard_jwk_set(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    issue_label()
    (key,) = api.get(reverse("api:keys")).json()["keys"]
    assert {key["kty"], key["crv"], key["use"], key["alg"], key["status"]} == {
        "OKP",
        "Ed25519",
        "sig",
        "EdDSA",
        "active",
    }
    assert len(base64.urlsafe_b64decode(key["x"] + "==")) == 32
    assert "d" not in key


def test_a_credential_verifies_offline_with_the_published_key(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    claims = verify_offline(credential_of(api, label.code), published_keys(api))
    assert claims["sub"] == label.code
    assert claims["iss"] == "https://label.example.be"
    assert claims["label"]["level"] == 3
    assert claims["label"]["social_share_percent"] == 80.0
    assert claims["label"]["enterprise"] == {"name": "Atelier Alice", "enterprise_number": "0403170701"}
    assert claims["label"]["valid_until"] == label.valid_until.isoformat()
    assert claims["nbf"] < claims["exp"]


def _tamper(token: str, part: int, change) -> str:  # type: ignore[no-untyped-def]
    pieces = token.split(".")
    pieces[part] = change(pieces[part])
    return ".".join(pieces)


def _b64(data: dict) -> str:  # type: ignore[type-arg]
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_changed_payload_fails(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    token = credential_of(api, issue_label().code)
    claims = verify_offline(token, published_keys(api))
    claims["label"]["level"] = 3 if claims["label"]["level"] != 3 else 1
    forged = _tamper(token, 1, lambda _: _b64(claims))
    with pytest.raises(jwt.InvalidSignatureError):
        verify_offline(forged, published_keys(api))
    answer = api.post(reverse("api:verify"), {"credential": forged}, format="json").json()
    assert (answer["outcome"], answer["reason"]) == ("not_authentic", "bad_signature")


def test_a_changed_signature_fails(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    token = credential_of(api, issue_label().code)
    forged = _tamper(token, 2, lambda s: ("A" if s[0] != "A" else "B") + s[1:])
    with pytest.raises(jwt.InvalidSignatureError):
        verify_offline(forged, published_keys(api))
    assert api.post(reverse("api:verify"), {"credential": forged}, format="json").json()["reason"] == "bad_signature"


def test_an_unknown_key_id_fails(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    token = credential_of(api, issue_label().code)
    header = jwt.get_unverified_header(token)
    forged = _tamper(token, 0, lambda _: _b64({**header, "kid": "not-one-of-ours"}))
    with pytest.raises(KeyError):
        verify_offline(forged, published_keys(api))
    answer = api.post(reverse("api:verify"), {"credential": forged}, format="json").json()
    assert (answer["outcome"], answer["reason"]) == ("not_authentic", "unknown_key")


def test_after_rotation_old_and_new_credentials_both_verify(api, issue_label, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    call_command("generate_signing_key", stdout=io.StringIO())
    old = issue_label()
    old_token = credential_of(api, old.code)

    call_command("generate_signing_key", "--rotate", stdout=io.StringIO())
    new = issue_label()
    new_token = credential_of(api, new.code)

    keys = published_keys(api)
    assert jwt.get_unverified_header(old_token)["kid"] != jwt.get_unverified_header(new_token)["kid"]
    assert verify_offline(old_token, keys)["sub"] == old.code
    assert verify_offline(new_token, keys)["sub"] == new.code
    statuses = dict(SigningKey.objects.values_list("kid", "status"))
    assert statuses[jwt.get_unverified_header(old_token)["kid"]] == KeyStatus.RETIRED
    assert statuses[jwt.get_unverified_header(new_token)["kid"]] == KeyStatus.ACTIVE
    for token in (old_token, new_token):
        assert api.post(reverse("api:verify"), {"credential": token}, format="json").json()["outcome"] == "authentic"


def test_generate_signing_key_refuses_to_overwrite_without_rotate(settings, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError

    settings.SIGNING_KEY_FILE = tmp_path / "key.pem"
    settings.SIGNING_KEY_FILE.write_bytes(generate_private_key_pem())
    with pytest.raises(CommandError, match="--rotate"):
        call_command("generate_signing_key", stdout=io.StringIO())
    before = settings.SIGNING_KEY_FILE.read_bytes()
    call_command("generate_signing_key", "--if-missing", stdout=io.StringIO())
    assert settings.SIGNING_KEY_FILE.read_bytes() == before


def test_a_new_key_file_is_private_to_its_owner(settings, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNING_KEY_FILE = tmp_path / "key.pem"
    call_command("generate_signing_key", stdout=io.StringIO())
    assert settings.SIGNING_KEY_FILE.stat().st_mode & 0o777 == 0o600
