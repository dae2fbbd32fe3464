"""Issue 11, finding 5: password reset throttled per address and per account; the answer never
tells whether an account exists."""

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

ATTACKER = "203.0.113.9"


def ask_reset(email: str, *, address: str = ATTACKER, language: str = "en"):  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return client.post("/account/password/reset/", {"email": email})


def test_twelve_resets_in_a_row_send_three_mails(alice, settings) -> None:  # type: ignore[no-untyped-def]
    alice.email = "alice@atelier.example"
    alice.save()
    answers = [ask_reset("alice@atelier.example", address=f"198.51.100.{n}") for n in range(12)]
    assert [answer.status_code for answer in answers] == [302] * 12  # the same answer every time
    assert len(mail.outbox) == settings.PASSWORD_RESET_ACCOUNT_MAILS == 3
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS + 1)):
        ask_reset("alice@atelier.example")
    assert len(mail.outbox) == 4  # the next hour, one more


def test_one_address_is_told_to_wait_after_its_budget(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_RESET_ADDRESS_REQUESTS = 10
    answers = [ask_reset(f"someone{n}@example.org") for n in range(12)]
    assert [answer.status_code for answer in answers] == [302] * 10 + [429] * 2
    assert (
        "Too many password reset requests from your address: try again in 60 minutes." in answers[-1].content.decode()
    )
    assert int(answers[-1]["Retry-After"]) == settings.PASSWORD_RESET_WINDOW_SECONDS
    assert ask_reset("someone@example.org", address="198.51.100.7").status_code == 302


def test_the_answer_is_the_same_for_an_account_a_stranger_and_a_spent_account(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_RESET_ACCOUNT_MAILS = 1
    alice.email = "alice@atelier.example"
    alice.save()
    pages = []
    for email in ["alice@atelier.example", "nobody@atelier.example", "alice@atelier.example"]:
        answer = ask_reset(email, address="198.51.100.7")
        page = Client().get(answer["Location"]).content.decode()
        pages.append(
            (answer.status_code, answer["Location"], re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page))
        )
    assert pages[0] == pages[1] == pages[2]
    assert len(mail.outbox) == 1


def test_the_wait_is_said_in_the_readers_language(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_RESET_ADDRESS_REQUESTS = 1
    ask_reset("a@example.org")
    assert "Te veel aanvragen" in ask_reset("a@example.org", language="nl").content.decode()
