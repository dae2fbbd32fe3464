"""The lookup answers each process keeps (certification.lookup_cache): never the old value of a
committed change, never past the instant time changes its status, nothing trusted while the
process does not hear PostgreSQL. The tests on PostgreSQL commit (transaction=True): only a
committed change is notified."""

import datetime
import random
import time
from collections.abc import Callable, Iterator

import orjson
import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from certification.lookup import look_up, lookup_label
from certification.lookup_cache import (
    CHANNEL,
    KeptLookups,
    Lookup,
    NotListening,
    kept_lookups,
    listening_connection,
    still_listening,
)
from certification.models import Enterprise, Label, LabelStatus, Product, Scheme
from certification.models.public_status import (
    Periods,
    StatusFacts,
    first_instant_outlasting,
    midnight,
    public_state,
    state_holds_until,
)
from certification.services.labels import change_label_status
from tests.factories import EnterpriseFactory

BRUSSELS_NOON = timezone.make_aware(datetime.datetime(2026, 3, 14, 12, 0))


def facts(**changes: object) -> StatusFacts:
    values: dict[str, object] = {
        "status": LabelStatus.ACTIVE,
        "issued_on": datetime.date(2025, 1, 1),
        "valid_until": datetime.date(2028, 1, 1),
        "surveillance_due_on": datetime.date(2026, 6, 1),
        "status_reason_category": "",
        "status_changed_at": None,
        "recognition_valid_until": datetime.date(2027, 1, 1),
        "periods": Periods(grace_days=30, max_suspension_months=3),
    }
    return StatusFacts(**{**values, **changes})  # type: ignore[arg-type]


MICROSECOND = datetime.timedelta(microseconds=1)


@pytest.mark.parametrize(
    "shape",
    [
        facts(),
        facts(valid_until=datetime.date(2026, 3, 14)),  # its last day: expired at midnight
        facts(surveillance_due_on=datetime.date(2026, 2, 11)),  # overdue past grace from midnight
        facts(recognition_valid_until=datetime.date(2026, 3, 14)),
        facts(status=LabelStatus.SUSPENDED, status_changed_at=BRUSSELS_NOON - datetime.timedelta(days=10)),
        facts(status=LabelStatus.REVOKED, status_changed_at=BRUSSELS_NOON - datetime.timedelta(days=10)),
    ],
)
def test_a_state_holds_until_the_next_midnight(shape: StatusFacts) -> None:
    until = state_holds_until(shape, BRUSSELS_NOON)
    assert until == midnight(datetime.date(2026, 3, 15))
    now = public_state(shape, BRUSSELS_NOON)
    for instant in (BRUSSELS_NOON + datetime.timedelta(hours=5), until - MICROSECOND):
        assert public_state(shape, instant) == now


def test_a_suspension_holds_until_the_instant_it_outlasts_the_maximum() -> None:
    # Suspended on 14 December at 15:30: three months later, 14 March at 15:30, it reads revoked.
    since = timezone.make_aware(datetime.datetime(2025, 12, 14, 15, 30))
    suspended = facts(status=LabelStatus.SUSPENDED, status_changed_at=since)
    until = state_holds_until(suspended, BRUSSELS_NOON)
    assert until == since + datetime.timedelta(days=90)
    assert public_state(suspended, until - MICROSECOND).status == "suspended"
    assert public_state(suspended, until).status == "revoked"


def test_a_suspension_near_a_month_end_holds_until_the_next_midnight_once_revoked() -> None:
    # Suspended on 28 February at 15:51 UTC, three months at most: revoked from 28 May at 15:51,
    # and still on the 29th, although "now less three months" is clamped to 28 February then too.
    since = datetime.datetime(2026, 2, 28, 15, 51, tzinfo=datetime.UTC)
    suspended = facts(status=LabelStatus.SUSPENDED, status_changed_at=since)
    early = datetime.datetime(2026, 5, 28, 9, 0, tzinfo=datetime.UTC)
    assert public_state(suspended, early).status == "suspended"
    outlasted = datetime.datetime(2026, 5, 28, 15, 51, tzinfo=datetime.UTC)
    assert state_holds_until(suspended, early) == outlasted
    late = datetime.datetime(2026, 5, 28, 22, 30, tzinfo=datetime.UTC)
    assert public_state(suspended, late).status == "revoked"
    assert state_holds_until(suspended, late) == midnight(datetime.date(2026, 5, 30))  # Brussels
    for hours in (1, 6, 17, 20, 60):
        assert public_state(suspended, late + datetime.timedelta(hours=hours)).status == "revoked"


def test_no_state_changes_before_it_is_said_to(settings) -> None:  # type: ignore[no-untyped-def]
    """Labels of every kind, at instants around month ends and midnights: the state read at any
    instant before `state_holds_until` is the state read at the start."""
    chance = random.Random(17)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for _ in range(3000):
        longest = chance.randrange(1, 7)
        since = start + datetime.timedelta(seconds=chance.randrange(400 * 86400))
        # near the instant it outlasts the maximum, where month ends clamp
        now = (
            since + relativedelta(months=longest) + datetime.timedelta(seconds=chance.randrange(-3 * 86400, 3 * 86400))
        )
        day = timezone.localdate(now)
        shape = facts(
            status=chance.choice([LabelStatus.ACTIVE, LabelStatus.SUSPENDED, LabelStatus.REVOKED]),
            valid_until=day + datetime.timedelta(days=chance.randrange(-3, 4)),
            surveillance_due_on=day - datetime.timedelta(days=chance.randrange(0, 200)),
            recognition_valid_until=day + datetime.timedelta(days=chance.randrange(-100, 4)),
            status_changed_at=since,
            periods=Periods(grace_days=chance.randrange(0, 60), max_suspension_months=longest),
        )
        until = state_holds_until(shape, now)
        assert until > now
        read = public_state(shape, now)
        for instant in (until - MICROSECOND, now + (until - now) * chance.random()):
            instant = instant.astimezone(datetime.UTC)  # as timezone.now(): the months are those of UTC
            assert public_state(shape, instant) == read, (shape, now, instant)


def kept(trusted: bool = True) -> KeptLookups:
    lookups = KeptLookups()
    if trusted:
        lookups.trusted_until = time.monotonic() + 60
    return lookups


def answer(body: bytes = b"{}", seconds: float = 60) -> Lookup:
    return Lookup(body, '"etag"', time.time() + seconds)


@pytest.fixture
def keeping_size(settings):  # type: ignore[no-untyped-def]
    settings.LOOKUP_CACHE_SIZE = 2


def test_a_read_during_which_a_change_was_heard_keeps_nothing(keeping_size) -> None:  # type: ignore[no-untyped-def]
    lookups = kept()
    generation = lookups.generation
    lookups.forget("SE-AAAA-AAAA-AAAA")  # heard while the read was under way, for any label
    lookups.keep("SE-BBBB-BBBB-BBBB", answer(), generation)
    assert lookups.get("SE-BBBB-BBBB-BBBB") is None
    lookups.keep("SE-BBBB-BBBB-BBBB", answer(), lookups.generation)
    assert lookups.get("SE-BBBB-BBBB-BBBB") == lookups.kept["SE-BBBB-BBBB-BBBB"]


def test_nothing_is_served_untrusted_or_past_its_time(keeping_size, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lookups = kept()
    lookups.keep("SE-AAAA-AAAA-AAAA", answer(), lookups.generation)
    lookups.keep("SE-BBBB-BBBB-BBBB", answer(seconds=-1), lookups.generation)
    assert lookups.get("SE-AAAA-AAAA-AAAA") is not None
    assert lookups.get("SE-BBBB-BBBB-BBBB") is None  # its status may have changed by time
    monkeypatch.setattr(lookups, "listen", lambda: None)
    lookups.trusted_until = time.monotonic()  # the channel has not answered lately
    assert lookups.get("SE-AAAA-AAAA-AAAA") is None
    lookups.keep("SE-CCCC-CCCC-CCCC", answer(), lookups.generation)
    assert "SE-CCCC-CCCC-CCCC" not in lookups.kept


def test_forgetting_one_label_every_label_and_keeping_at_most_the_size(keeping_size) -> None:  # type: ignore[no-untyped-def]
    lookups = kept()
    for code in ("SE-AAAA-AAAA-AAAA", "SE-BBBB-BBBB-BBBB", "SE-CCCC-CCCC-CCCC"):
        lookups.keep(code, answer(), lookups.generation)
    assert list(lookups.kept) == ["SE-BBBB-BBBB-BBBB", "SE-CCCC-CCCC-CCCC"]  # the oldest made room
    lookups.forget("SE-BBBB-BBBB-BBBB")
    assert list(lookups.kept) == ["SE-CCCC-CCCC-CCCC"]
    lookups.forget("*")
    assert lookups.kept == {}


on_postgresql = pytest.mark.skipif(not settings.ON_POSTGRESQL, reason="needs PostgreSQL: it notifies changes")


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def keeping(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.LOOKUP_CACHE_SIZE = 100
    yield
    kept_lookups.stop()


def held(code: str) -> bool:
    """Whether this process serves the label's lookup from what it kept (reading it first)."""
    look_up(code)
    return kept_lookups.get(code) is not None


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_kept_answer_is_the_databases_without_a_query(keeping, issue_label, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    read = look_up(label.code)
    assert eventually(lambda: held(label.code))
    with django_assert_num_queries(0):
        found = look_up(label.code)
    assert found is not None
    assert read is not None
    assert (found.body, found.etag) == (read.body, read.etag)
    assert lookup_label(label.code) == orjson.loads(read.body)  # the page reads the same answer


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_committed_suspension_is_forgotten_at_once(keeping, issue_label, olivia) -> None:  # type: ignore[no-untyped-def]
    label, other = issue_label(), issue_label(name="Tweede product")
    assert eventually(lambda: held(label.code) and held(other.code))
    change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
    assert kept_lookups.get(label.code) is None  # this process forgot it on commit
    assert lookup_label(label.code)["status"] == "suspended"  # type: ignore[index]
    assert kept_lookups.get(other.code) is not None  # only the label that changed


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_what_a_transaction_reads_is_neither_kept_nor_taken_from_what_was(keeping, issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    assert eventually(lambda: held(label.code))
    with transaction.atomic():
        Label.objects.filter(pk=label.pk).update(status=LabelStatus.REVOKED)
        assert lookup_label(label.code)["status"] == "revoked"  # type: ignore[index]  # its own change
        transaction.set_rollback(True)
    assert lookup_label(label.code)["status"] == "valid"  # type: ignore[index]
    assert eventually(lambda: held(label.code))
    assert lookup_label(label.code)["status"] == "valid"  # type: ignore[index]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_answer_is_kept_no_longer_than_its_status_holds(keeping, issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    assert eventually(lambda: held(label.code))
    tomorrow = midnight(timezone.localdate() + datetime.timedelta(days=1))
    assert kept_lookups.kept[label.code].holds_until == tomorrow.timestamp()


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        lambda label: Enterprise.objects.filter(pk=label.product.enterprise_id).update(
            recognition_valid_until=datetime.date(2020, 1, 1)
        ),
        lambda label: Scheme.objects.filter(pk=label.scheme_id).update(surveillance_grace_days=1),
        lambda label: Label.objects.filter(pk=label.pk).update(updated_at=timezone.now()),
        lambda label: Product.objects.filter(pk=label.product_id).update(
            enterprise=EnterpriseFactory(name="Werkplaats Bob", enterprise_number="0203.201.340")
        ),
    ],
    ids=["recognition", "scheme periods", "label row", "product's enterprise"],
)
def test_every_change_a_lookup_shows_is_heard(keeping, issue_label, change) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    assert eventually(lambda: held(label.code))
    change(label)
    assert eventually(lambda: kept_lookups.get(label.code) is None, seconds=1)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_process_that_loses_its_channel_forgets_and_reads_the_database(keeping, issue_label, olivia) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    assert eventually(lambda: held(label.code))
    with connection.cursor() as cursor:  # the server ends the listening connection
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = 'se-label lookup notifications' AND pid <> pg_backend_pid()"
        )
    assert eventually(lambda: kept_lookups.get(label.code) is None, seconds=1)
    assert kept_lookups.kept == {}
    change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
    assert lookup_label(label.code)["status"] == "suspended"  # type: ignore[index]
    assert eventually(lambda: held(label.code))  # listening again, it keeps again


@on_postgresql
@pytest.mark.django_db
def test_a_session_that_does_not_listen_is_not_trusted() -> None:
    """Behind a transaction pooler, LISTEN and the heartbeat may reach different sessions: the
    heartbeat asks the session that answers whether it listens, and by its own process id."""
    with listening_connection() as channel:
        channel.execute(f"LISTEN {CHANNEL}")
        still_listening(channel)
        channel.execute("UNLISTEN *")
        with pytest.raises(NotListening):
            still_listening(channel)


def test_a_suspension_reads_revoked_from_the_instant_it_outlasts_the_maximum_and_ever_after() -> None:
    """At any instant, anywhere around month ends: a stored suspension reads revoked exactly
    when that instant is first_instant_outlasting(since) or later (the rule never flips back)."""
    chance = random.Random(29)
    for _ in range(3000):
        longest = chance.randrange(1, 13)
        # begun on one of the last days of a month, where adding months clamps
        month_end = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) + relativedelta(months=chance.randrange(1, 30))
        since = month_end - datetime.timedelta(seconds=chance.randrange(3 * 86400))
        now = since + relativedelta(months=longest) + datetime.timedelta(seconds=chance.randrange(-86400, 4 * 86400))
        shape = facts(
            status=LabelStatus.SUSPENDED,
            status_changed_at=since,
            periods=Periods(grace_days=30, max_suspension_months=longest),
        )
        revoked = public_state(shape, now).status == "revoked"
        assert revoked == (now >= first_instant_outlasting(since, relativedelta(months=longest))), (since, now)
