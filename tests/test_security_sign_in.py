"""Issue 11, finding 5: sign-in limited per client address and per username, counted atomically.

Each test is the attack as it was sent: wrong passwords at once, many usernames from one
address, and a stranger trying to lock a real user out.
"""

import io
import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import AttemptCounter
from certification.tasks import forget_spent_attempts

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def evaluations(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every password the server checked (hashing it is what an attacker makes us pay for)."""
    checked: list[str] = []
    lock = threading.Lock()
    real = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            checked.append(str(username))
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return checked


def sign_in(username: str, password: str, *, address: str = ATTACKER, language: str = "en"):  # type: ignore[no-untyped-def]
    client = APIClient(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


@pytest.mark.django_db(transaction=True)  # each thread has its own connection and sees what is committed
def test_sixty_concurrent_wrong_passwords_evaluate_exactly_the_limit(alice, settings, evaluations) -> None:  # type: ignore[no-untyped-def]
    if "mode=memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite database refuses concurrent writers instead of queueing them")
    settings.LOGIN_ATTEMPTS = 5
    start = threading.Barrier(60)
    statuses: list[int] = []
    lock = threading.Lock()

    def attack() -> None:
        try:
            start.wait(timeout=30)
            status = sign_in("alice", "guess").status_code
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attack) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(evaluations) == 5
    assert sorted(statuses) == [400] * 5 + [429] * 55


def test_the_lockout_says_when_to_retry_in_the_readers_language(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 2
    moment = timezone.make_aware(datetime(2026, 3, 2, 10, 0))
    with time_machine.travel(moment, tick=False):
        for _ in range(2):
            sign_in("alice", "guess")
        english, dutch = sign_in("alice", "secret"), sign_in("alice", "secret", language="nl")
        french = sign_in("alice", "secret", language="fr")
    assert english.status_code == dutch.status_code == french.status_code == 429
    assert english["Retry-After"] == str(settings.LOGIN_LOCKOUT_SECONDS)
    assert english.json()["detail"] == (
        "Too many failed sign-ins for this account from your address: try again at 10:15 a.m., in 15 minutes."
    )
    assert dutch.json()["detail"].startswith("Te veel mislukte aanmeldingen")
    assert "15 minuten" in dutch.json()["detail"]
    assert "10:15" in dutch.json()["detail"]
    assert "15 minutes" in french.json()["detail"]
    assert "10:15" in french.json()["detail"]


def test_the_page_answers_a_lockout_as_the_api_does(client, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 1
    client.post("/account/sign-in/", {"username": "alice", "password": "guess"})
    page = client.post("/account/sign-in/", {"username": "alice", "password": "secret"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 429
    assert int(page["Retry-After"]) == settings.LOGIN_LOCKOUT_SECONDS
    assert "Too many failed sign-ins for this account from your address: try again at" in page.content.decode()


def test_a_stranger_cannot_lock_the_owner_out(alice, settings, evaluations) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 5
    for _ in range(5):
        assert sign_in("alice", "guess").status_code == 400
    assert sign_in("alice", "guess").status_code == 429  # the stranger's own address waits
    assert sign_in("alice", "secret", address=OWNER).status_code == 200  # the owner, elsewhere, does not


def test_the_pair_opens_again_after_the_lockout(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 3
    for _ in range(3):
        sign_in("alice", "guess")
    assert sign_in("alice", "secret").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 1)):
        assert sign_in("alice", "secret").status_code == 200


def test_one_address_trying_150_usernames_is_stopped_at_its_budget(alice, settings, evaluations) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ADDRESS_ATTEMPTS = 20
    answers = [sign_in(f"user{number}", "Welkom123") for number in range(150)]
    assert [answer.status_code for answer in answers] == [400] * 20 + [429] * 130
    assert len(evaluations) == 20
    assert answers[20].json()["detail"].startswith("Too many failed sign-ins from your address: try again at")
    assert sign_in("alice", "secret", address=OWNER).status_code == 200


def test_a_successful_sign_in_gives_its_attempts_back(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 3
    for _ in range(5):  # someone who mistypes twice every time: 10 failures, the address allows 20
        sign_in("alice", "typo")
        sign_in("alice", "typo")
        assert sign_in("alice", "secret").status_code == 200


def test_the_counters_hold_no_username_or_address(alice) -> None:  # type: ignore[no-untyped-def]
    sign_in("alice", "guess")
    keys = " ".join(AttemptCounter.objects.values_list("key", flat=True))
    assert "alice" not in keys
    assert ATTACKER not in keys


def test_counters_whose_window_is_over_are_forgotten(alice, settings) -> None:  # type: ignore[no-untyped-def]
    sign_in("alice", "guess")
    assert forget_spent_attempts.call() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS + 1)):
        assert forget_spent_attempts.call() == 2
    assert not AttemptCounter.objects.exists()


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(alice, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    settings.LOGIN_ATTEMPTS = 1
    proxy = APIClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER, HTTP_ACCEPT_LANGUAGE="en")
    proxy.post("/api/v1/auth/token/", {"username": "alice", "password": "guess"}, format="json")
    owner = APIClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=OWNER)
    assert (
        owner.post("/api/v1/auth/token/", {"username": "alice", "password": "secret"}, format="json").status_code == 200
    )


def test_an_operator_opens_a_locked_address_before_its_time(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS, settings.LOGIN_ADDRESS_ATTEMPTS = 2, 3
    for username in ["alice", "alice", "bob"]:
        sign_in(username, "guess")
    assert sign_in("alice", "secret").status_code == 429
    out = io.StringIO()
    call_command("unlock_sign_in", ATTACKER, stdout=out)
    assert out.getvalue() == f"Sign-in is open again for every username from {ATTACKER}.\n"
    assert sign_in("alice", "secret").status_code == 429  # the pair is still locked
    call_command("unlock_sign_in", ATTACKER, "--username", "Alice", stdout=out)
    assert sign_in("alice", "secret").status_code == 200
    call_command("unlock_sign_in", OWNER, stdout=out)
    assert out.getvalue().endswith(f"No failed sign-in is counted for every username from {OWNER}: nothing to open.\n")
