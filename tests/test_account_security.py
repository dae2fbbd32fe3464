"""A new password ends every API token and every other session; tokens expire (issue 11)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import ApiToken
from certification.services.tokens import hash_key

NEW = {"new_password1": "een-nieuw-wachtwoord-2026", "new_password2": "een-nieuw-wachtwoord-2026"}


def token_of(user) -> str:  # type: ignore[no-untyped-def]
    answer = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "secret"})
    assert answer.status_code == 200
    return str(answer.json()["token"])


def api_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def browser_of(user) -> Client:  # type: ignore[no-untyped-def]
    browser = Client()
    browser.force_login(user)
    assert browser.get("/dashboard/").status_code == 200
    return browser


def test_the_old_token_and_sessions_end_after_a_password_reset(alice) -> None:  # type: ignore[no-untyped-def]
    alice.email = "alice@atelier.example"
    alice.save()
    token, other_browser = token_of(alice), browser_of(alice)
    resetting = Client()
    resetting.post("/account/password/reset/", {"email": "alice@atelier.example"})
    link = re.search(r"http://testserver(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form = resetting.get(link, follow=True)
    resetting.post(form.redirect_chain[-1][0], NEW)
    answer = api_with(token).get("/api/v1/me/")
    assert answer.status_code == 401
    assert other_browser.get("/dashboard/").status_code == 302  # sent to sign in
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_password_change_ends_tokens_and_other_sessions_but_not_its_own(alice) -> None:  # type: ignore[no-untyped-def]
    token, other_browser, changing = token_of(alice), browser_of(alice), browser_of(alice)
    changing.post("/account/password/", {"old_password": "secret", **NEW})
    assert api_with(token).get("/api/v1/me/").status_code == 401
    assert other_browser.get("/dashboard/").status_code == 302
    assert changing.get("/dashboard/").status_code == 200


def test_signing_in_again_gives_another_token_and_keeps_the_first(alice) -> None:  # type: ignore[no-untyped-def]
    token = token_of(alice)
    Client().post("/account/sign-in/", {"username": "alice", "password": "secret"})
    second = token_of(alice)
    assert second != token
    assert api_with(token).get("/api/v1/me/").status_code == 200
    assert api_with(second).get("/api/v1/me/").status_code == 200


def test_a_token_says_when_it_expires(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_TOKEN_LIFETIME_DAYS = 30
    answer = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "secret"}).json()
    created = ApiToken.objects.get(key_hash=hash_key(answer["token"])).created_at
    expires_at = (created + timedelta(days=30)).astimezone(timezone.get_current_timezone())
    assert answer["expires_at"] == expires_at.isoformat()


@pytest.mark.parametrize(("age_days", "status"), [(29, 200), (30, 401), (400, 401)])
def test_a_token_older_than_its_lifetime_is_refused(alice, settings, age_days, status) -> None:  # type: ignore[no-untyped-def]
    settings.API_TOKEN_LIFETIME_DAYS = 30
    token = token_of(alice)
    ApiToken.objects.filter(key_hash=hash_key(token)).update(expires_at=timezone.now() + timedelta(days=30 - age_days))
    answer = api_with(token).get("/api/v1/me/")
    assert answer.status_code == status
    if status == 401:
        assert answer.json()["detail"].startswith("Dit token is vervallen")  # Dutch: no Accept-Language
        assert token_of(alice) != token  # signing in again gives a new one


def test_signing_in_with_an_expired_token_on_record_gives_a_new_one(alice, settings) -> None:  # type: ignore[no-untyped-def]
    token = token_of(alice)
    ApiToken.objects.filter(key_hash=hash_key(token)).update(expires_at=timezone.now() - timedelta(days=1))
    fresh = token_of(alice)
    assert fresh != token
    assert api_with(fresh).get("/api/v1/me/").status_code == 200
