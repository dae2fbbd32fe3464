"""Reminders before a label's surveillance audit is due: to the enterprise's applicants and to
the officers, at the scheme's offsets, each once, in the recipient's language; none for a label
whose surveillance audit is already scheduled or that is not valid. The clock is moved."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from audits.reminders import send_surveillance_reminders
from audits.services.surveillance import schedule_surveillance
from background.models import Mail
from certification.models import Label, Role, Scheme, StatusReason
from certification.notifications import enterprise_applicants, officers_to_tell
from certification.services.labels import change_label_status
from tests.factories import UserFactory

ISSUED_AT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def label(issue_label, enterprise, committed) -> Label:  # type: ignore[no-untyped-def]
    """A label issued on 1 December 2026 whose first surveillance is due a year later; a French
    colleague of alice's shares the enterprise."""
    type(enterprise).objects.filter(pk=enterprise.pk).update(
        recognition_valid_until=ISSUED_AT.date() + relativedelta(years=10)
    )
    enterprise.members.add(UserFactory(username="camille", roles=[Role.APPLICANT], language="fr"))
    with time_machine.travel(ISSUED_AT, tick=False), committed():
        return issue_label()


def morning(label: Label, days_before_due: int) -> datetime.datetime:
    assert label.surveillance_due_on is not None
    when = label.surveillance_due_on - datetime.timedelta(days=days_before_due)
    return datetime.datetime.combine(when, datetime.time(9), timezone.get_current_timezone())


def reminders() -> list[tuple[str, str, str]]:
    return sorted(
        (m.key.split(":")[4], m.to, m.subject) for m in Mail.objects.filter(key__startswith="reminder:surveillance:")
    )


def test_the_enterprise_and_the_officers_are_reminded_once_at_each_offset(label, scheme, committed) -> None:  # type: ignore[no-untyped-def]
    assert scheme.surveillance_reminder_days == [30, 7]
    assert label.surveillance_due_on == datetime.date(2027, 12, 1)
    everyone = len(enterprise_applicants(label.product.enterprise_id)) + len(officers_to_tell(label))
    assert everyone >= 3
    for days_before, expected in [(31, 0), (30, everyone), (30, 0), (8, 0), (7, everyone), (1, 0), (0, 0)]:
        with time_machine.travel(morning(label, days_before), tick=False), committed():
            assert send_surveillance_reminders.call() == expected, days_before
    sent = reminders()
    assert ("30", "alice@example.be", f"Surveillance-audit van label {label.code} verwacht op 1 december 2027") in sent
    assert ("7", "camille@example.be", f"Audit de surveillance du label {label.code} prévu le 1 décembre 2027") in sent
    assert {to for _offset, to, _subject in sent} >= {officer.email for officer in officers_to_tell(label)}
    assert all(m.sent_at is not None for m in Mail.objects.filter(key__startswith="reminder:surveillance:"))


def test_days_without_a_run_give_the_nearest_reminder_only(label) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(morning(label, 5), tick=False):
        send_surveillance_reminders.call()
    assert {offset for offset, _to, _subject in reminders()} == {"7"}


def test_the_offsets_are_the_schemes(label, scheme) -> None:  # type: ignore[no-untyped-def]
    Scheme.objects.filter(pk=scheme.pk).update(surveillance_reminder_days=[60])
    with time_machine.travel(morning(label, 61), tick=False):
        assert send_surveillance_reminders.call() == 0
    with time_machine.travel(morning(label, 60), tick=False):
        assert send_surveillance_reminders.call() > 0
    assert {offset for offset, _to, _subject in reminders()} == {"60"}


def test_a_surveillance_already_scheduled_needs_no_reminder(label, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(morning(label, 40), tick=False):
        schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=label.surveillance_due_on)
    with time_machine.travel(morning(label, 30), tick=False):
        assert send_surveillance_reminders.call() == 0


def test_a_label_that_is_not_valid_gets_no_reminder(label, olivia) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    with time_machine.travel(morning(label, 30), tick=False):
        assert send_surveillance_reminders.call() == 0


def test_the_scheduler_runs_the_surveillance_reminders_daily(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.PERIODIC_TASKS["audits.reminders.send_surveillance_reminders"] == 24 * 3600
