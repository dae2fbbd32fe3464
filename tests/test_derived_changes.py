"""Changes of a label's public status that time alone made (certification.derived): found by the
periodic task, recorded once at the instant they took effect, listed in the three Atom feeds, and
mailed once to each confirmed subscriber and each applicant of the enterprise, in his or her
language. The clock is moved, never waited for."""

import datetime
from decimal import Decimal

import feedparser
import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from background.models import Mail
from certification.codes import make_label_code
from certification.derived import (
    Window,
    labels_in_window,
    labels_touched,
    record_derived_changes,
    record_derived_status_changes,
    scheme_periods,
)
from certification.models import DerivedChangeScan, DerivedStatusChange, Enterprise, Label, Role, StatusReason
from certification.models.derived import NEWS_WITHIN
from certification.models.public_status import first_day_outlasting, first_instant_outlasting, midnight
from certification.services.labels import change_label_status
from tests.factories import ApplicationFactory, UserFactory
from watch.models import Subscription

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)
ISSUED_AT = datetime.datetime(2027, 1, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def colleague(enterprise):  # type: ignore[no-untyped-def]
    """A second applicant of alice's enterprise, who reads French."""
    user = UserFactory(username="camille", roles=[Role.APPLICANT], language="fr")
    enterprise.members.add(user)
    return user


@pytest.fixture
def label(issue_label, enterprise, colleague, committed) -> Label:  # type: ignore[no-untyped-def]
    """A label issued on 4 January 2027, its enterprise recognised for years; the task has run once."""
    with time_machine.travel(ISSUED_AT, tick=False), committed():
        enterprise.recognition_valid_until = datetime.date(2040, 12, 31)
        enterprise.save()
        issued = issue_label(name="Houten speelgoedtrein")
        record_derived_changes()
    return issued


@pytest.fixture
def subscribers(label):  # type: ignore[no-untyped-def]
    """A buyer (Dutch) following the label, a procurer (French) following the enterprise, and
    an address that never confirmed."""
    confirmed = ISSUED_AT + DAY
    Subscription.objects.create(email="koper@example.be", label=label, language="nl", confirmed_at=confirmed)
    enterprise = label.product.enterprise
    Subscription.objects.create(email="achats@example.be", enterprise=enterprise, language="fr", confirmed_at=confirmed)
    Subscription.objects.create(email="stil@example.be", label=label, language="en")


def overdue_from(label: Label) -> datetime.datetime:
    """The first instant its surveillance is overdue past the grace period."""
    assert label.surveillance_due_on is not None
    return midnight(label.surveillance_due_on + datetime.timedelta(days=label.scheme.surveillance_grace_days) + DAY)


def run_at(instant: datetime.datetime, committed) -> int:  # type: ignore[no-untyped-def]
    with time_machine.travel(instant, tick=False), committed():
        return record_derived_status_changes.call()


def recorded(label: Label) -> list[tuple[str, datetime.datetime]]:
    return [(row.reason, row.effective_at) for row in DerivedStatusChange.objects.filter(label=label)]


def mails_to(address: str) -> list[tuple[str, str]]:
    return [(mail.language, mail.subject) for mail in Mail.objects.filter(to=address).order_by("pk")]


def lapse(enterprise: Enterprise, last_day: datetime.date) -> None:
    enterprise.recognition_valid_until = last_day
    enterprise.save()


def feed(path: str) -> feedparser.FeedParserDict:
    response = Client(headers={"Accept-Language": "en"}).get(path)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_an_overdue_surveillance_is_recorded_once_at_its_instant(label, committed) -> None:  # type: ignore[no-untyped-def]
    instant = overdue_from(label)
    assert run_at(instant - SECOND, committed) == 0
    assert recorded(label) == []
    assert run_at(instant, committed) == 1
    assert run_at(instant, committed) == 0
    assert run_at(instant + datetime.timedelta(hours=5), committed) == 0
    assert recorded(label) == [(StatusReason.SURVEILLANCE_OVERDUE, instant)]


def test_a_late_run_records_the_instant_of_effect_not_its_own(label, committed) -> None:  # type: ignore[no-untyped-def]
    instant = overdue_from(label)
    assert run_at(instant + datetime.timedelta(days=3, hours=7), committed) == 1
    assert recorded(label) == [(StatusReason.SURVEILLANCE_OVERDUE, instant)]


def test_a_surveillance_done_in_time_records_nothing(label, committed) -> None:  # type: ignore[no-untyped-def]
    instant = overdue_from(label)
    with time_machine.travel(instant - DAY, tick=False):
        label.surveillance_due_on = label.surveillance_due_on + relativedelta(months=12)
        label.save(update_fields=["surveillance_due_on"])
    assert run_at(instant + DAY, committed) == 0
    assert recorded(label) == []


def test_a_lapse_then_the_end_of_the_longest_suspension_are_one_entry_each(label, committed) -> None:  # type: ignore[no-untyped-def]
    last_day = datetime.date(2027, 3, 31)
    with time_machine.travel(ISSUED_AT + DAY, tick=False):
        lapse(label.product.enterprise, last_day)
    lapsed = midnight(last_day + DAY)
    longest = relativedelta(months=label.scheme.max_suspension_months)
    revoked = midnight(first_day_outlasting(last_day + DAY, longest))
    assert run_at(lapsed - SECOND, committed) == 0
    assert run_at(lapsed, committed) == 1
    assert run_at(revoked - SECOND, committed) == 0
    assert run_at(revoked, committed) == 1
    assert run_at(revoked + DAY, committed) == 0
    assert recorded(label) == [
        (StatusReason.RECOGNITION_LAPSED, lapsed),
        (StatusReason.SUSPENSION_NOT_LIFTED, revoked),
    ]


def test_a_suspension_by_an_officer_past_the_maximum_is_recorded_as_revoked(label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    suspended_at = datetime.datetime(2027, 2, 10, 14, 30, tzinfo=datetime.UTC)
    with time_machine.travel(suspended_at, tick=False), committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern", category="misuse")
    ends = first_instant_outlasting(suspended_at, relativedelta(months=label.scheme.max_suspension_months))
    assert run_at(ends - SECOND, committed) == 0
    assert run_at(ends, committed) == 1
    assert recorded(label) == [(StatusReason.SUSPENSION_NOT_LIFTED, ends)]
    assert Label.objects.get(pk=label.pk).public_state(ends).since == ends


def test_a_suspension_outlasting_the_maximum_late_on_a_clamped_day_is_recorded_by_the_run_after_midnight(  # type: ignore[no-untyped-def]
    label, olivia, committed
) -> None:
    """Begun on 28 February at 23:59:30 UTC: it outlasts the maximum on the 28th of a month at
    23:59:30; a run at 23:59 finds nothing, the run at midnight records it, although "midnight
    less the maximum" falls on 28 February at 00:00 in a month without a 29th or later."""
    suspended_at = datetime.datetime(2027, 2, 28, 23, 59, 30, tzinfo=datetime.UTC)
    with time_machine.travel(suspended_at, tick=False), committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern", category="misuse")
    ends = first_instant_outlasting(suspended_at, relativedelta(months=label.scheme.max_suspension_months))
    assert (ends.day, ends.hour, ends.minute, ends.second) == (28, 23, 59, 30)
    assert run_at(ends - datetime.timedelta(seconds=30), committed) == 0
    assert run_at(ends + datetime.timedelta(seconds=30), committed) == 1
    assert recorded(label) == [(StatusReason.SUSPENSION_NOT_LIFTED, ends)]


def test_a_suspension_lifted_in_time_records_nothing(label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    suspended_at = datetime.datetime(2027, 2, 10, 14, 30, tzinfo=datetime.UTC)
    with time_machine.travel(suspended_at, tick=False), committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern", category="misuse")
    with time_machine.travel(suspended_at + relativedelta(months=2), tick=False), committed():
        change_label_status(label=label, name="reinstate", by=olivia, reason="Opgelost", category="corrected")
    assert run_at(suspended_at + relativedelta(months=8), committed) == 0
    assert recorded(label) == []


def test_a_cause_remedied_makes_the_label_valid_again_in_the_record(label, committed) -> None:  # type: ignore[no-untyped-def]
    instant = overdue_from(label)
    assert run_at(instant, committed) == 1
    done = instant + datetime.timedelta(days=2, hours=9)
    with time_machine.travel(done, tick=False):
        label.surveillance_due_on = timezone.localdate() + relativedelta(months=12)
        label.save(update_fields=["surveillance_due_on"])
    assert run_at(done + datetime.timedelta(minutes=1), committed) == 1
    assert recorded(label) == [(StatusReason.SURVEILLANCE_OVERDUE, instant), (StatusReason.CORRECTED, done)]
    titles = [entry.title for entry in feed(f"/verify/{label.code}/feed.atom").entries]
    assert titles[:2] == [f"{label.code}: valid", f"{label.code}: suspended"]


def test_a_label_reinstated_while_its_surveillance_is_overdue_is_told_suspended(  # type: ignore[no-untyped-def]
    label, olivia, subscribers, committed
) -> None:
    instant = overdue_from(label)
    with time_machine.travel(instant - datetime.timedelta(days=10), tick=False), committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern", category="misuse")
    assert run_at(instant, committed) == 0  # stored suspended: it read suspended for its own reason
    reinstated_at = instant + datetime.timedelta(days=3)
    with time_machine.travel(reinstated_at, tick=False), committed():
        change_label_status(label=label, name="reinstate", by=olivia, reason="Opgelost", category="corrected")
    assert run_at(reinstated_at + SECOND, committed) == 1
    assert recorded(label) == [(StatusReason.SURVEILLANCE_OVERDUE, reinstated_at)]
    entries = feed(f"/verify/{label.code}/feed.atom").entries
    assert [entry.title for entry in entries][:2] == [f"{label.code}: suspended", f"{label.code}: valid"]
    assert "Reason: surveillance audit overdue." in entries[0].summary
    # The enterprise is told what the label reads, not that it is valid again.
    told = Mail.objects.filter(to="alice@example.be", key__startswith=f"label:{label.pk}:").order_by("pk")
    reinstated = [mail for mail in told if "opgeheven" in mail.body]
    assert [mail.subject for mail in reinstated] == [f"Label {label.code} is nu geschorst"]
    assert "maar het staat nog geschorst" in reinstated[0].body
    assert "opvolgingsaudit niet op tijd" in reinstated[0].body
    # The subscriber is told it is suspended for another reason, never that it is valid.
    assert mails_to("koper@example.be") == [("nl", f"{label.code}: geschorst"), ("nl", f"{label.code}: geschorst")]
    watch_mails = Mail.objects.filter(to="koper@example.be").order_by("pk")
    assert "opvolgingsaudit niet op tijd" in watch_mails[1].body


def test_a_cause_remedied_after_a_reinstatement_into_an_overdue_surveillance_is_told(  # type: ignore[no-untyped-def]
    label, olivia, committed
) -> None:
    instant = overdue_from(label)
    with time_machine.travel(instant - datetime.timedelta(days=10), tick=False), committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern", category="misuse")
    reinstated_at = instant + datetime.timedelta(days=3)
    with time_machine.travel(reinstated_at, tick=False), committed():
        change_label_status(label=label, name="reinstate", by=olivia, reason="Opgelost", category="corrected")
    run_at(reinstated_at + SECOND, committed)
    done = reinstated_at + DAY
    with time_machine.travel(done, tick=False):
        label.surveillance_due_on = timezone.localdate() + relativedelta(months=12)
        label.save(update_fields=["surveillance_due_on"])
    assert run_at(done + SECOND, committed) == 1
    assert recorded(label)[-1] == (StatusReason.CORRECTED, done)


def test_a_change_committed_after_the_run_that_its_stamp_precedes_is_found(label, committed) -> None:  # type: ignore[no-untyped-def]
    instant = overdue_from(label)
    assert run_at(instant, committed) == 1
    done = instant + datetime.timedelta(days=2)
    run_at(done, committed)
    # Stamped a minute before that run, committed after it: a transaction slower than the run.
    stamped = done - datetime.timedelta(minutes=1)
    Label.objects.filter(pk=label.pk).update(surveillance_due_on=datetime.date(2030, 1, 1), updated_at=stamped)
    assert run_at(done + datetime.timedelta(minutes=1), committed) == 1
    assert recorded(label)[-1] == (StatusReason.CORRECTED, stamped)


def test_the_first_run_records_what_already_reads_suspended_and_mails_only_news(  # type: ignore[no-untyped-def]
    label, subscribers, committed
) -> None:
    DerivedChangeScan.objects.all().delete()  # as on the day the task is first deployed
    instant = overdue_from(label)
    assert run_at(instant + NEWS_WITHIN + DAY, committed) == 1
    assert recorded(label) == [(StatusReason.SURVEILLANCE_OVERDUE, instant)]
    newest = feed(f"/verify/{label.code}/feed.atom").entries[0]
    assert newest.title == f"{label.code}: suspended"
    assert not Mail.objects.filter(key__contains=":derived:").exists()
    assert mails_to("koper@example.be") == []


def test_a_change_to_a_label_that_time_does_not_concern_is_not_looked_at(label, committed) -> None:  # type: ignore[no-untyped-def]
    moment = ISSUED_AT + datetime.timedelta(days=20)
    with time_machine.travel(moment, tick=False):
        label.save()  # touched, as when its product is renamed
        window = Window(moment - datetime.timedelta(minutes=1), moment + SECOND)
        assert labels_touched(window, scheme_periods()) == set()


def test_the_three_feeds_list_the_changes_in_order(label, committed) -> None:  # type: ignore[no-untyped-def]
    last_day = datetime.date(2027, 3, 31)
    with time_machine.travel(ISSUED_AT + DAY, tick=False):
        lapse(label.product.enterprise, last_day)
    revoked = midnight(first_day_outlasting(last_day + DAY, relativedelta(months=6)))
    run_at(midnight(last_day + DAY), committed)
    run_at(revoked, committed)
    number = label.product.enterprise.enterprise_number
    with time_machine.travel(revoked + DAY, tick=False):
        feeds = [
            feed(f"/verify/{label.code}/feed.atom"),
            feed(f"/enterprises/{number}/feed.atom"),
            feed("/registry/changes.atom"),
        ]
    for parsed in feeds:
        assert [entry.title for entry in parsed.entries][:3] == [
            f"{label.code}: revoked",
            f"{label.code}: suspended",
            f"{label.code}: valid",
        ]
        revocation, suspension = parsed.entries[:2]
        assert "Reason: suspension not lifted in time." in revocation.summary
        assert "Reason: recognition of the enterprise lapsed." in suspension.summary
        assert revocation.link == f"https://label.example.be/verify/{label.code}/"
        updated = datetime.datetime(*suspension.updated_parsed[:6], tzinfo=datetime.UTC)
        assert updated == midnight(last_day + DAY)


def test_each_confirmed_subscriber_and_applicant_gets_one_mail_in_his_or_her_language(  # type: ignore[no-untyped-def]
    label, subscribers, committed
) -> None:
    instant = overdue_from(label)
    run_at(instant, committed)
    run_at(instant + datetime.timedelta(hours=1), committed)
    record_derived_changes(instant + datetime.timedelta(hours=2))  # a second scheduler
    assert mails_to("koper@example.be") == [("nl", f"{label.code}: geschorst")]
    assert mails_to("achats@example.be") == [("fr", f"{label.code}: suspendu")]
    assert mails_to("stil@example.be") == []
    derived = list(Mail.objects.filter(key__contains=":derived:").order_by("to"))
    assert [(m.to, m.language, m.subject) for m in derived] == [
        ("alice@example.be", "nl", f"Label {label.code} is nu geschorst"),
        ("camille@example.be", "fr", f"Le label {label.code} est maintenant suspendu"),
    ]
    assert all(f"/verify/{label.code}/" in m.body for m in derived)
    assert "de surveillance-audit is over tijd" in derived[0].body
    assert "son audit de surveillance est en retard" in derived[1].body


def untouched_labels(count: int, scheme, enterprise) -> None:  # type: ignore[no-untyped-def]
    """Labels that nothing will change: valid for years, surveillance far ahead."""
    for _index in range(count):
        application = ApplicationFactory(enterprise=enterprise)
        Label.objects.create(
            code=make_label_code(),
            application=application,
            product=application.product,
            scheme=scheme,
            level=3,
            social_share=Decimal("80"),
            issued_on=datetime.date(2027, 1, 4),
            valid_until=datetime.date(2030, 1, 3),
            surveillance_due_on=datetime.date(2029, 1, 4),
        )


def test_the_tasks_cost_does_not_grow_with_untouched_labels(label, scheme, other_enterprise, committed) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(ISSUED_AT + SECOND, tick=False):
        untouched_labels(3, scheme, other_enterprise)
        Enterprise.objects.update(recognition_valid_until=datetime.date(2040, 12, 31))
    run_at(ISSUED_AT + datetime.timedelta(hours=1), committed)  # past the settling margin
    instant = overdue_from(label)
    with CaptureQueriesContext(connection) as few:
        assert run_at(instant, committed) == 1
    with time_machine.travel(instant + SECOND, tick=False):
        untouched_labels(30, scheme, other_enterprise)
        Enterprise.objects.update(recognition_valid_until=datetime.date(2040, 12, 31))
    run_at(instant + datetime.timedelta(hours=1), committed)
    revoked = midnight(
        first_day_outlasting(timezone.localdate(instant), relativedelta(months=label.scheme.max_suspension_months))
    )
    with CaptureQueriesContext(connection) as many:
        assert run_at(revoked, committed) == 1
    assert len(many.captured_queries) == len(few.captured_queries)
    # And the database is asked only for the labels whose dates fall in the window.
    window = Window(revoked - datetime.timedelta(minutes=1), revoked)
    assert labels_in_window(window, scheme_periods()) == {label.pk}


def test_a_surveillance_continued_late_makes_the_label_valid_again_in_the_feed_and_the_mail(  # type: ignore[no-untyped-def]
    label, carol, olivia, subscribers, committed
) -> None:
    from audits.services.surveillance import continue_certification
    from audits.surveillance import SurveillanceState
    from tests.surveillance_world import build_surveillance

    instant = overdue_from(label)
    run_at(instant, committed)
    decided = instant + datetime.timedelta(days=5, hours=9)
    with time_machine.travel(decided, tick=False), committed():
        surveillance = build_surveillance(SurveillanceState.REPORTED, label=label, auditor=carol)
        continue_certification(surveillance=surveillance, by=olivia)
    assert run_at(decided + datetime.timedelta(minutes=1), committed) == 1
    assert recorded(label)[-1] == (StatusReason.CORRECTED, decided)
    newest = feed(f"/verify/{label.code}/feed.atom").entries[0]
    assert newest.title == f"{label.code}: valid"
    assert "Reason: the cause was remedied." in newest.summary
    assert mails_to("koper@example.be") == [("nl", f"{label.code}: geschorst"), ("nl", f"{label.code}: geldig")]
    told = Mail.objects.filter(to="alice@example.be", key__contains=":derived:").order_by("pk")
    assert [mail.subject for mail in told] == [
        f"Label {label.code} is nu geschorst",
        f"Label {label.code} is nu geldig",
    ]


def test_the_registry_feed_pages_through_changes_of_every_source_in_order(label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    from watch.changes import label_changes

    instant = overdue_from(label)
    with time_machine.travel(instant - datetime.timedelta(days=10), tick=False), committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="Intern", category="misuse")
    reinstated_at = instant + datetime.timedelta(days=3)
    with time_machine.travel(reinstated_at, tick=False), committed():
        change_label_status(label=label, name="reinstate", by=olivia, reason="Opgelost", category="corrected")
    run_at(reinstated_at + SECOND, committed)
    whole = label_changes(size=50).changes
    paged, cursor = [], None
    while True:
        page = label_changes(cursor=cursor, size=1)
        paged += page.changes
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [change.key for change in paged] == [change.key for change in whole]
    assert [change.at for change in whole] == sorted((change.at for change in whole), reverse=True)
    assert whole[0].key.startswith("derived-")  # what the rule read after the act, above the act
    assert whole[0].at == whole[1].at == reinstated_at


def test_a_recognition_ended_before_the_label_was_issued_is_told_from_its_issue(label, committed) -> None:  # type: ignore[no-untyped-def]
    corrected = ISSUED_AT + datetime.timedelta(hours=1)
    with time_machine.travel(corrected, tick=False):  # the recognition had ended the day before
        lapse(label.product.enterprise, timezone.localdate(ISSUED_AT) - DAY)
    assert run_at(corrected + SECOND, committed) == 1
    issued = label.created_at
    [(reason, at)] = recorded(label)
    assert reason == StatusReason.RECOGNITION_LAPSED
    assert issued <= at <= ISSUED_AT  # the issue, not the midnight before it
    entries = feed(f"/verify/{label.code}/feed.atom").entries
    assert [entry.title for entry in entries] == [f"{label.code}: suspended", f"{label.code}: valid"]
