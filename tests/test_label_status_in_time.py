"""A label's public status follows time by itself (DESIGN §9): a surveillance overdue past the
scheme's grace period, an enterprise's recognition that lapsed, a suspension past its maximum.
Each at the exact instant, Brussels time, and alike in the lookup, the verify page, the
registry and its exports."""

import csv
import datetime
import io

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.lookup import labels_for_lookup, lookup_label, public_representation
from certification.models import Enterprise, Label, PublicStatus
from certification.models.public_status import midnight
from certification.registry import with_public_status
from certification.services.labels import add_months, change_label_status

SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _recognised_for_years(enterprise) -> None:  # type: ignore[no-untyped-def]
    """The enterprise stays recognised beyond the instants these tests travel to, unless a test says otherwise."""
    lapse(enterprise, timezone.localdate() + relativedelta(years=10))


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


def seen(api: APIClient, client, label: Label) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The label's status and reason as every public reader shows it; they must agree."""
    looked_up = api.get(reverse("api:label", args=[label.code])).json()
    listed = api.get(reverse("api:registry"), {"status": "all", "page_size": 100}).json()["results"]
    lines = api.get(reverse("api:registry"), {"status": "all", "format": "jsonl"})
    exported = [row for row in csv.DictReader(io.StringIO(b"".join(
        api.get(reverse("api:registry"), {"status": "all", "format": "csv"}).streaming_content
    ).decode())) if row["code"] == label.code]  # fmt: skip
    in_lines = [line for line in b"".join(lines.streaming_content).decode().splitlines() if label.code in line]
    [row] = [row for row in listed if row["code"] == label.code]
    status = looked_up["status"]
    assert row["status"] == exported[0]["status"] == status
    assert f'"status":"{status}"' in in_lines[0]
    assert row["status_reason"] == looked_up["status_reason"]
    filtered = api.get(reverse("api:registry"), {"status": status, "page_size": 100}).json()["results"]
    assert label.code in {found["code"] for found in filtered}
    html = client.get(f"/verify/{label.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'class="verdict-status">{PublicStatus(status).label.capitalize()}</h1>' in html
    return {"status": status, "reason": looked_up["status_reason"], "since": looked_up["status_since"]}


def test_the_first_surveillance_is_due_one_interval_after_issue(label) -> None:  # type: ignore[no-untyped-def]
    assert label.surveillance_due_on == add_months(label.issued_on, label.scheme.surveillance_months)


def test_a_surveillance_overdue_within_the_grace_period_leaves_the_label_valid(api, client, label) -> None:  # type: ignore[no-untyped-def]
    last_day_of_grace = label.surveillance_due_on + datetime.timedelta(days=label.scheme.surveillance_grace_days)
    with time_machine.travel(midnight(label.surveillance_due_on + DAY), tick=False):
        assert seen(api, client, label)["status"] == "valid"
    with time_machine.travel(midnight(last_day_of_grace + DAY) - SECOND, tick=False):
        assert seen(api, client, label)["status"] == "valid"
        assert label.code in {row.code for row in with_public_status(Label.objects.all(), PublicStatus.VALID)}


def test_a_surveillance_overdue_past_the_grace_period_reads_suspended_at_that_instant(api, client, label) -> None:  # type: ignore[no-untyped-def]
    first_day_suspended = label.surveillance_due_on + datetime.timedelta(days=label.scheme.surveillance_grace_days + 1)
    with time_machine.travel(midnight(first_day_suspended), tick=False):
        state = seen(api, client, label)
        assert label.code not in {row.code for row in with_public_status(Label.objects.all(), PublicStatus.VALID)}
        html = client.get(f"/verify/{label.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert state["status"] == "suspended"
    assert state["reason"] == "surveillance_overdue"
    assert datetime.datetime.fromisoformat(str(state["since"])) == midnight(first_day_suspended)
    assert "Reason: surveillance audit overdue" in html
    assert Label.objects.get(pk=label.pk).status == "active"  # nothing was written: it is read so


def test_an_overdue_suspension_past_the_maximum_reads_revoked(api, client, label) -> None:  # type: ignore[no-untyped-def]
    first_day_suspended = label.surveillance_due_on + datetime.timedelta(days=label.scheme.surveillance_grace_days + 1)
    revoked_from = midnight(first_day_suspended + relativedelta(months=label.scheme.max_suspension_months))
    with time_machine.travel(revoked_from - SECOND, tick=False):
        assert seen(api, client, label)["status"] == "suspended"
    with time_machine.travel(revoked_from, tick=False):
        state = seen(api, client, label)
    assert (state["status"], state["reason"]) == ("revoked", "suspension_not_lifted")


def lapse(enterprise: Enterprise, on: datetime.date) -> None:
    enterprise.recognition_valid_until = on
    enterprise.save()


def test_a_lapsed_recognition_suspends_every_label_at_midnight_brussels_time(
    api, client, issue_label, enterprise
) -> None:  # type: ignore[no-untyped-def]
    labels = [issue_label(name="Eiken stoel"), issue_label(name="Kantoorschoonmaak", kind="service")]
    last_day = timezone.localdate() + datetime.timedelta(days=40)
    lapse(enterprise, last_day)
    with time_machine.travel(midnight(last_day + DAY) - SECOND, tick=False):
        assert {seen(api, client, label)["status"] for label in labels} == {"valid"}
    with time_machine.travel(midnight(last_day + DAY), tick=False):
        states = [seen(api, client, label) for label in labels]
    assert {(state["status"], state["reason"]) for state in states} == {("suspended", "recognition_lapsed")}
    assert datetime.datetime.fromisoformat(str(states[0]["since"])) == midnight(last_day + DAY)


def test_a_renewed_recognition_makes_the_labels_valid_again(api, client, label, enterprise) -> None:  # type: ignore[no-untyped-def]
    lapse(enterprise, timezone.localdate() - DAY)
    assert seen(api, client, label)["status"] == "suspended"
    lapse(enterprise, timezone.localdate() + datetime.timedelta(days=365))
    assert seen(api, client, label)["status"] == "valid"


def test_a_recognition_lapsed_longer_than_the_maximum_suspension_reads_revoked(api, client, label, enterprise) -> None:  # type: ignore[no-untyped-def]
    last_day = timezone.localdate() + datetime.timedelta(days=10)
    lapse(enterprise, last_day)
    revoked_from = midnight(last_day + DAY + relativedelta(months=label.scheme.max_suspension_months))
    with time_machine.travel(revoked_from - SECOND, tick=False):
        assert seen(api, client, label)["status"] == "suspended"
    with time_machine.travel(revoked_from, tick=False):
        state = seen(api, client, label)
    assert (state["status"], state["reason"]) == ("revoked", "suspension_not_lifted")


def test_a_suspension_not_lifted_within_the_maximum_reads_revoked(api, client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    suspended_at = timezone.now()
    with time_machine.travel(suspended_at, tick=False):
        change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
    ends = suspended_at + relativedelta(months=label.scheme.max_suspension_months)
    with time_machine.travel(ends - SECOND, tick=False):
        state = seen(api, client, label)
        assert (state["status"], state["reason"]) == ("suspended", "non_conformity")
        assert datetime.datetime.fromisoformat(str(state["since"])) == suspended_at
    with time_machine.travel(ends, tick=False):
        state = seen(api, client, label)
    assert (state["status"], state["reason"]) == ("revoked", "suspension_not_lifted")
    assert Label.objects.get(pk=label.pk).status == "suspended"  # an officer may still reinstate it


def test_a_suspension_reinstated_in_time_is_valid_after_the_maximum(api, client, label, olivia) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
    change_label_status(label=label, name="reinstate", by=olivia, reason="Opgelost.", category="corrected")
    with time_machine.travel(timezone.now() + relativedelta(months=7), tick=False):
        assert seen(api, client, label)["status"] == "valid"


def test_the_maximum_and_the_grace_period_are_the_schemes(api, client, label) -> None:  # type: ignore[no-untyped-def]
    type(label.scheme).objects.filter(pk=label.scheme_id).update(surveillance_grace_days=0)
    with time_machine.travel(midnight(label.surveillance_due_on + DAY), tick=False):
        assert seen(api, client, label)["status"] == "suspended"


def test_sql_and_python_agree_at_every_boundary(issue_label, enterprise, olivia) -> None:  # type: ignore[no-untyped-def]
    """The registry's filter (SQL) and the lookup (Python) derive the same status for labels in
    every situation, at each instant where one of them changes and just before it."""
    plain = issue_label(name="Stoel")
    suspended = issue_label(name="Zeep")
    change_label_status(label=suspended, name="suspend", by=olivia, reason="x", category="misuse")
    revoked = issue_label(name="Kaars")
    change_label_status(label=revoked, name="revoke", by=olivia, reason="x", category="misuse")
    lapsing = issue_label(name="Tafel")
    other = Enterprise.objects.create(
        name="Later", enterprise_number="0203.201.340", recognition_type="maatwerkbedrijf", recognition_number="R",
        recognition_valid_until=timezone.localdate() + datetime.timedelta(days=500),
    )  # fmt: skip
    type(lapsing.product).objects.filter(pk=lapsing.product_id).update(enterprise=other)
    labels = [plain, suspended, revoked, lapsing]
    scheme = plain.scheme
    due = plain.surveillance_due_on
    grace = datetime.timedelta(days=scheme.surveillance_grace_days)
    longest = relativedelta(months=scheme.max_suspension_months)
    instants = [
        midnight(due + grace + DAY),
        midnight(due + grace + DAY + longest),
        Label.objects.get(pk=suspended.pk).status_changed_at + longest,
        midnight(other.recognition_valid_until + DAY),
        midnight(other.recognition_valid_until + DAY + longest),
        midnight(plain.valid_until + DAY),
    ]
    for instant in [moment + shift for moment in instants for shift in (-SECOND, datetime.timedelta())]:
        with time_machine.travel(instant, tick=False):
            python = {label.code: Label.objects.get(pk=label.pk).public_status().value for label in labels}
            sql = {
                label.code: status
                for status in PublicStatus.values
                for label in with_public_status(Label.objects.all(), status)
            }
        assert sql == python, instant


def test_the_lookups_sql_answers_as_the_orm_does_in_every_status(issue_label, enterprise, olivia) -> None:  # type: ignore[no-untyped-def]
    """The lookup's query is written out in SQL (certification.lookup.LOOKUP_SQL); the registry
    and the pages compose theirs with the ORM. Every answer, field for field, alike."""
    valid, suspended, revoked, lapsing = (issue_label(name=name) for name in ("Trein", "Stoel", "Kast", "Tafel"))
    suspended_at = timezone.now()
    with time_machine.travel(suspended_at, tick=False):
        change_label_status(label=suspended, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
        change_label_status(label=revoked, name="revoke", by=olivia, reason="Misbruik.", category="misuse")
    lapse(enterprise, timezone.localdate() + relativedelta(months=2))
    labels = (valid, suspended, revoked, lapsing)
    moments = {
        "now": suspended_at + SECOND,
        "lapsed": midnight(timezone.localdate() + relativedelta(months=2) + DAY),
        "suspended too long": suspended_at + relativedelta(months=suspended.scheme.max_suspension_months),
        "surveillance overdue": midnight(valid.surveillance_due_on + DAY * 60),
        "expired": midnight(valid.valid_until + DAY),
    }
    statuses = set()
    for moment in moments.values():
        with time_machine.travel(moment, tick=False):
            for label in labels:
                answer = lookup_label(label.code)
                assert answer == public_representation(labels_for_lookup().get(code=label.code))
                statuses.add((answer or {}).get("status_reason"))
    assert {"non_conformity", "misuse", "recognition_lapsed", "suspension_not_lifted", None} <= statuses
    assert lookup_label("SE-0000-0000-0000") is None


def test_a_suspension_begun_near_a_month_end_once_revoked_stays_revoked(issue_label, olivia) -> None:  # type: ignore[no-untyped-def]
    """Begun on 28 February at 15:51 UTC: the suspension outlasts its maximum on the 28th of a
    month at 15:51, and reads revoked from then on, in the lookup and the registry's filter alike,
    through the days a shorter February clamps "now less the maximum" to (it read suspended
    again from midnight until 15:51 the next day, when the rule compared with that clamped instant)."""
    label = issue_label(name="Zeep")
    suspended_at = datetime.datetime(2027, 2, 28, 15, 51, tzinfo=datetime.UTC)
    with time_machine.travel(suspended_at, tick=False):
        change_label_status(label=label, name="suspend", by=olivia, reason="Klacht.", category="non_conformity")
    ends = suspended_at + relativedelta(months=label.scheme.max_suspension_months)
    assert (ends.day, ends.hour, ends.minute) == (28, 15, 51)
    later = [ends + datetime.timedelta(hours=hours) for hours in (7, 8, 9, 14, 24, 32, 81)]
    for instant in [ends - SECOND, ends, *later]:
        with time_machine.travel(instant, tick=False):
            python = Label.objects.get(pk=label.pk).public_status().value
            this_label = Label.objects.filter(pk=label.pk)
            [sql] = [status for status in PublicStatus.values if with_public_status(this_label, status)]
        expected = "suspended" if instant < ends else "revoked"
        assert python == sql == expected, instant
