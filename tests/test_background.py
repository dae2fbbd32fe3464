"""Background work: mail recorded with its change and sent once; periodic tasks enqueued once a round.

The database queue and its worker are used as in production where it matters (the worker test);
elsewhere tasks run at once, after the commit that enqueues them (config.settings_test)."""

import datetime
import socket

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks import task

from background.models import Mail, PeriodicRun
from background.outbox import SWEEP_AFTER, deliver, deliver_pending, queue_mail
from background.scheduler import enqueue_due
from certification.models import ApplicationState
from certification.services.applications import submit_application
from tests.workflow import Actors, build_application

ROUNDS: list[str] = []


@task()
def count_a_round() -> None:
    ROUNDS.append("round")


def queue(key: str = "change-1:alice") -> Mail | None:
    return queue_mail(key=key, to="alice@atelier.example", language="nl", subject="Onderwerp", body="Tekst")


def closed_port() -> int:
    """A local port nothing listens on: a mail server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db
def test_a_mail_goes_out_only_when_its_change_commits(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue()
    assert mail.outbox == []  # recorded, not sent: the change has not committed yet
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["alice@atelier.example"]]
    assert Mail.objects.get().sent_at is not None


@pytest.mark.django_db
def test_a_change_that_rolls_back_leaves_no_mail(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    def change_that_fails() -> None:
        with transaction.atomic():
            queue()
            raise RuntimeError("the change fails after its mail was recorded")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert not Mail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_same_change_told_twice_is_one_mail(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        assert queue() is not None
        assert queue() is None
    assert len(mail.outbox) == 1
    (recorded,) = Mail.objects.all()
    assert deliver.call(recorded.pk) is False  # delivered already: a second task sends nothing
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_server_outage_delays_the_mail_without_losing_it(settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    recorded = Mail.objects.get()
    assert (recorded.sent_at, recorded.attempts) == (None, 1)
    assert "ConnectionRefusedError" in recorded.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending.call() == 0  # too soon: its own delivery may still be under way
    with time_machine.travel(recorded.created_at + SWEEP_AFTER + datetime.timedelta(seconds=1)):
        assert deliver_pending.call() == 1
        assert deliver_pending.call() == 0
    recorded.refresh_from_db()
    assert recorded.sent_at is not None
    assert (recorded.attempts, recorded.last_error) == (2, "")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_application_change_is_recorded_once_per_recipient(  # type: ignore[no-untyped-def]
    alice, carol, olivia, enterprise, scheme, django_capture_on_commit_callbacks
) -> None:
    application = build_application(
        ApplicationState.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application=application, by=alice)
    recorded = [(m.to, m.language, m.sent_at is not None) for m in Mail.objects.all()]
    assert recorded == [(olivia.email, "nl", True)]


@pytest.mark.django_db
def test_each_periodic_task_is_enqueued_once_a_round(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PERIODIC_TASKS = {"tests.test_background.count_a_round": 3600}
    ROUNDS.clear()
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    assert enqueue_due(start) == ["tests.test_background.count_a_round"]
    assert enqueue_due(start + datetime.timedelta(minutes=59)) == []
    assert enqueue_due(start + datetime.timedelta(minutes=60)) == ["tests.test_background.count_a_round"]
    assert ROUNDS == ["round", "round"]
    assert PeriodicRun.objects.get().enqueued_at == start + datetime.timedelta(minutes=60)


@pytest.mark.django_db
def test_the_scheduler_once_enqueues_what_is_due(settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.PERIODIC_TASKS = {"tests.test_background.count_a_round": 60}
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    assert capsys.readouterr().out == "Enqueued tests.test_background.count_a_round\n"


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_deliver_the_mail(settings) -> None:  # type: ignore[no-untyped-def]
    """As in production: the delivery is a row in the task queue until the worker takes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        queue()
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Onderwerp"]
    assert Mail.objects.get().sent_at is not None


@pytest.mark.django_db
def test_mail_speaks_the_language_its_recipient_last_signed_in_with(client, alice) -> None:  # type: ignore[no-untyped-def]
    alice.set_password("a-long-enough-password")
    alice.save()
    assert alice.language == "nl"
    signed_in = client.post(
        "/account/sign-in/",
        {"username": alice.username, "password": "a-long-enough-password"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert signed_in.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "fr"
