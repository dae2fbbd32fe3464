"""Mail about labels: every status change to the enterprise's applicants, in their language,
recorded with the change and sent once; reminders before expiry, once per offset, by the
daily task. The clock is moved, never waited for."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from background.models import Mail
from certification.exceptions import ActionForbidden
from certification.models import Label, Role, Scheme, StatusReason
from certification.models.schemes import validate_reminder_days
from certification.reminders import reminder_due, send_reminders
from certification.services.labels import change_label_status
from tests.factories import UserFactory

ISSUED_AT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def colleague(enterprise):  # type: ignore[no-untyped-def]
    """A second applicant of alice's enterprise, who reads French."""
    user = UserFactory(username="camille", roles=[Role.APPLICANT], language="fr")
    enterprise.members.add(user)
    return user


@pytest.fixture
def label(issue_label, scheme, colleague, bob, committed) -> Label:  # type: ignore[no-untyped-def]
    """A label valid for a year (within the enterprise's recognition and its first surveillance)."""
    Scheme.objects.filter(pk=scheme.pk).update(validity_months=12)
    with time_machine.travel(ISSUED_AT, tick=False), committed():
        return issue_label()


def mails_about(label: Label) -> list[tuple[str, str, str]]:
    return [
        (m.to, m.language, m.subject) for m in Mail.objects.filter(key__startswith=f"label:{label.pk}:").order_by("pk")
    ]


def test_issuing_a_label_mails_each_applicant_of_the_enterprise_in_his_or_her_language(label, alice) -> None:  # type: ignore[no-untyped-def]
    assert mails_about(label) == [
        ("alice@example.be", "nl", f"Label {label.code} is nu geldig"),
        ("camille@example.be", "fr", f"Le label {label.code} est maintenant valide"),
    ]
    assert all(m.sent_at is not None for m in Mail.objects.filter(key__startswith="label:"))
    assert "bob@example.be" not in {m.to for m in Mail.objects.all()}


@pytest.mark.parametrize(
    ("steps", "subject_nl"),
    [
        (["suspend"], "is nu geschorst"),
        (["suspend", "reinstate"], "is nu geldig"),
        (["revoke"], "is nu ingetrokken"),
    ],
)
def test_each_status_change_is_one_mail_per_applicant(label, olivia, committed, steps, subject_nl) -> None:  # type: ignore[no-untyped-def]
    for name in steps:
        with committed():
            change_label_status(
                label=label, name=name, by=olivia, reason="Register ontbreekt.", category=StatusReason.NON_CONFORMITY
            )
    changed = Mail.objects.filter(key__startswith=f"label:{label.pk}:").order_by("pk")
    assert changed.count() == 2 * (1 + len(steps))  # the issue, then each change, to both applicants
    last = [m for m in changed if m.language == "nl"][-1]
    assert last.subject == f"Label {label.code} {subject_nl}"
    assert "Reden: non-conformiteit vastgesteld." in last.body
    assert "Register ontbreekt." in last.body
    assert f"https://label.example.be/verify/{label.code}/" in last.body
    assert len([m for m in mail.outbox if label.code in m.subject]) == changed.count()


def test_a_refused_change_sends_nothing(label, alice, committed) -> None:  # type: ignore[no-untyped-def]
    before = Mail.objects.count()
    with pytest.raises(ActionForbidden), committed():
        change_label_status(label=label, name="suspend", by=alice, reason="x")
    assert Mail.objects.count() == before


@pytest.mark.parametrize(
    ("offsets", "days_left", "expected"),
    [
        ([90, 30], 91, None),
        ([90, 30], 90, 90),
        ([90, 30], 31, 90),
        ([90, 30], 30, 30),
        ([90, 30], 0, 30),
        ([90, 30], -1, None),
        ([], 10, None),
    ],
)
def test_the_reminder_due_is_the_nearest_offset_reached(offsets, days_left, expected) -> None:  # type: ignore[no-untyped-def]
    due_on = datetime.date(2027, 12, 1)
    assert reminder_due(offsets, due_on, due_on - datetime.timedelta(days=days_left)) == expected


@pytest.mark.parametrize("value", [[90, 30], [7], []])
def test_reminder_offsets_accept_distinct_days(value) -> None:  # type: ignore[no-untyped-def]
    validate_reminder_days(value)


@pytest.mark.parametrize("value", [[0], [731], [30, 30], ["30"], 30, [True], None])
def test_reminder_offsets_refuse_anything_else(value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        validate_reminder_days(value)


def day(label: Label, days_before_last: int) -> datetime.datetime:
    """Nine in the morning in Brussels, `days_before_last` days before the label's last day."""
    when = label.valid_until - datetime.timedelta(days=days_before_last)
    return datetime.datetime.combine(when, datetime.time(9), timezone.get_current_timezone())


def reminders() -> list[tuple[str, str, str]]:
    return [(m.key.split(":")[4], m.to, m.subject) for m in Mail.objects.filter(key__startswith="reminder:expiry:")]


def test_expiry_reminders_go_out_once_at_each_offset(label, scheme, committed) -> None:  # type: ignore[no-untyped-def]
    assert scheme.expiry_reminder_days == [90, 30]
    for days_before, expected in [(91, 0), (90, 2), (90, 0), (89, 0), (31, 0), (30, 2), (1, 0), (0, 0)]:
        with time_machine.travel(day(label, days_before), tick=False), committed():
            assert send_reminders.call() == expected, days_before
    until_nl, until_fr = "1 december 2027", "1 décembre 2027"
    assert label.valid_until == datetime.date(2027, 12, 1)
    assert sorted(reminders()) == [
        ("30", "alice@example.be", f"Label {label.code} vervalt op {until_nl}"),
        ("30", "camille@example.be", f"Le label {label.code} expire le {until_fr}"),
        ("90", "alice@example.be", f"Label {label.code} vervalt op {until_nl}"),
        ("90", "camille@example.be", f"Le label {label.code} expire le {until_fr}"),
    ]
    assert all(m.sent_at is not None for m in Mail.objects.filter(key__startswith="reminder:"))


def test_days_without_a_run_give_one_reminder_not_all_those_missed(label) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(day(label, 20), tick=False):
        assert send_reminders.call() == 2
    assert {offset for offset, _, _ in reminders()} == {"30"}


def test_the_offsets_are_the_schemes(label, scheme) -> None:  # type: ignore[no-untyped-def]
    Scheme.objects.filter(pk=scheme.pk).update(expiry_reminder_days=[45])
    with time_machine.travel(day(label, 60), tick=False):
        assert send_reminders.call() == 0
    with time_machine.travel(day(label, 45), tick=False):
        assert send_reminders.call() == 2
    assert {offset for offset, _, _ in reminders()} == {"45"}


def test_a_label_that_is_not_valid_gets_no_expiry_reminder(label, olivia) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    with time_machine.travel(day(label, 30), tick=False):
        assert send_reminders.call() == 0


def test_the_scheduler_runs_the_reminders_daily(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.PERIODIC_TASKS["certification.reminders.send_reminders"] == 24 * 3600


def test_the_enterprise_is_told_once_that_its_label_expired(label) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(day(label, 0), tick=False):
        send_reminders.call()
        assert not Mail.objects.filter(key__contains=":expired:").exists()
    for days_after in (1, 2, 30):
        with time_machine.travel(day(label, -days_after), tick=False):
            send_reminders.call()
    told = Mail.objects.filter(key__contains=":expired:").order_by("to")
    assert [(m.to, m.subject) for m in told] == [
        ("alice@example.be", f"Label {label.code} is nu vervallen"),
        ("camille@example.be", f"Le label {label.code} est maintenant expiré"),
    ]
    assert "vervallen na 1 december 2027" in told[0].body
