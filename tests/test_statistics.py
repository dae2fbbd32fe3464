"""The figures of DESIGN §13, checked against counts made by hand on a small data set."""

import csv
import datetime
import importlib
import io
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import Enterprise, Label, LabelStatus, PublicStatus, RecognitionType, StatusReason
from certification.models.public_status import midnight
from certification.provinces import PROVINCES, UNKNOWN, province_of
from certification.registry import with_public_status
from certification.services.labels import change_label_status
from certification.statistics import all_figures, valid_count

DAY, SECOND = datetime.timedelta(days=1), datetime.timedelta(seconds=1)

# Every range's ends and the codes just outside them, with the province they belong to.
BOUNDARIES = {
    "1000": "brussels", "1299": "brussels", "1300": "walloon_brabant", "1499": "walloon_brabant",
    "1500": "flemish_brabant", "1999": "flemish_brabant", "2000": "antwerp", "2999": "antwerp",
    "3000": "flemish_brabant", "3499": "flemish_brabant", "3500": "limburg", "3999": "limburg",
    "4000": "liege", "4999": "liege", "5000": "namur", "5999": "namur", "6000": "hainaut", "6599": "hainaut",
    "6600": "luxembourg", "6999": "luxembourg", "7000": "hainaut", "7999": "hainaut",
    "8000": "west_flanders", "8999": "west_flanders", "9000": "east_flanders", "9999": "east_flanders",
    "0999": UNKNOWN, "999": UNKNOWN, "10000": UNKNOWN, "B-1000": UNKNOWN, "": UNKNOWN,
}  # fmt: skip


@pytest.mark.parametrize(("postal_code", "province"), BOUNDARIES.items())
def test_the_province_follows_from_the_postal_code(postal_code, province) -> None:  # type: ignore[no-untyped-def]
    assert province_of(postal_code) == province


def test_every_province_has_a_name_and_every_postal_code_one_province() -> None:
    seen = [province_of(f"{n:04d}") for n in range(1000, 10000)]
    assert UNKNOWN not in seen
    assert {code for code, _name, _ranges in PROVINCES} == set(seen)


@pytest.mark.django_db
def test_an_enterprise_keeps_the_province_of_its_postal_code(enterprise) -> None:  # type: ignore[no-untyped-def]
    for postal_code, province in BOUNDARIES.items():
        enterprise.postal_code = postal_code
        enterprise.save(update_fields=["postal_code"])
        assert Enterprise.objects.get(pk=enterprise.pk).province == province, postal_code


def figure(code: str) -> dict[str, float | int]:
    return {row.key: row.value for f in all_figures() if f.code == code for row in f.rows}


@pytest.fixture
def labels(issue_label, olivia, enterprise):  # type: ignore[no-untyped-def]
    """Four labels of alice's enterprise in Gent (East Flanders): levels 3, 3, 2 and 1 by their
    shares; the level-2 one suspended, the level-1 one revoked."""
    enterprise.postal_code = "9000"
    enterprise.save()
    issued = [issue_label(category) for category in ("assembly", "food", "assembly", "cleaning")]
    for label, (level, share) in zip(issued, [(3, "80"), (3, "75"), (2, "50"), (1, "30")], strict=True):
        label.level, label.social_share = level, Decimal(share)
        label.save(update_fields=["level", "social_share"])
    change_label_status(label=issued[2], name="suspend", by=olivia, reason="Klacht.", category=StatusReason.MISUSE)
    change_label_status(label=issued[3], name="revoke", by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    return issued


def test_valid_labels_are_counted_per_level_category_recognition_province_and_share(labels) -> None:  # type: ignore[no-untyped-def]
    assert figure("level") == {"1": 0, "2": 0, "3": 2}
    assert figure("category")["assembly"] == 1
    assert figure("category")["food"] == 1
    assert figure("category")["cleaning"] == 0
    assert figure("recognition_type")[RecognitionType.MAATWERKBEDRIJF] == 2
    assert figure("province")["east_flanders"] == 2
    assert sum(figure("province").values()) == 2
    assert figure("share") == {"0-25": 0, "25-50": 0, "50-75": 0, "75-100": 2}


def test_changes_are_counted_per_month(labels) -> None:  # type: ignore[no-untyped-def]
    month = timezone.localdate().strftime("%Y-%m")
    assert figure("issued")[month] == 4
    assert figure("suspended")[month] == 1
    assert figure("revoked")[month] == 1
    assert figure("expired")[month] == 0
    assert len(figure("issued")) == 12


def test_a_label_past_its_end_counts_as_expired_in_the_month_it_ended(labels) -> None:  # type: ignore[no-untyped-def]
    first = Label.objects.filter(status=LabelStatus.ACTIVE).order_by("pk").first()
    assert first is not None
    with time_machine.travel(first.valid_until + datetime.timedelta(days=40)):
        assert figure("expired")[first.valid_until.strftime("%Y-%m")] == 2
        assert figure("level")["3"] == 0


def test_the_median_days_to_a_decision_come_from_the_decided_applications(labels) -> None:  # type: ignore[no-untyped-def]
    from certification.models import Application

    days = [2, 4, 9, 30]
    for application, n in zip(Application.objects.order_by("pk"), days, strict=True):
        decided = timezone.now()
        application.submitted_at, application.decided_at = decided - datetime.timedelta(days=n), decided
        application.save(update_fields=["submitted_at", "decided_at"])
    assert figure("days_to_decision")["submission_to_decision"] == 6.5
    application.decided_at = application.submitted_at + datetime.timedelta(days=1, hours=3)  # 1.125 days
    application.save(update_fields=["decided_at"])  # 2, 4, 9 and 1.1 days
    assert figure("days_to_decision")["submission_to_decision"] == 3.0


def test_each_figure_costs_the_same_queries_however_many_labels(
    labels, issue_label, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        all_figures()
    for _n in range(3):
        issue_label()
    with django_assert_max_num_queries(len(few)):
        all_figures()


def test_the_api_and_its_csv_give_the_same_figures(labels) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    answer = client.get("/api/v1/statistics/").json()
    assert answer["valid_labels"] == 2
    by_api = {(f["code"], r["key"]): r["value"] for f in answer["figures"] for r in f["rows"]}

    response = client.get("/api/v1/statistics/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_csv = {(row["figure"], row["key"]): float(row["value"]) for row in rows}

    assert response["Content-Type"].startswith("text/csv")
    assert by_csv == {key: float(value) for key, value in by_api.items()}


def test_the_page_shows_each_figure_as_a_chart_and_a_table(client, labels) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Geldige labels per niveau" in page
    assert page.count("<table>") == len(all_figures())

    chart = client.get("/statistics/level.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    assert b"<script" not in chart.content
    assert client.get("/statistics/nothing.svg").status_code == 404


def test_the_migration_places_the_enterprises_there_are(enterprise, other_enterprise) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps

    migration = importlib.import_module("certification.migrations.0014_enterprise_province")
    Enterprise.objects.filter(pk=enterprise.pk).update(postal_code="3500", province=UNKNOWN)
    Enterprise.objects.filter(pk=other_enterprise.pk).update(postal_code="B-1000", province="antwerp")
    migration.place_enterprises(apps, None)
    assert Enterprise.objects.get(pk=enterprise.pk).province == "limburg"
    assert Enterprise.objects.get(pk=other_enterprise.pk).province == UNKNOWN


def counted_by_the_rule(dimension: str) -> dict[str, int]:
    """Valid labels per value of a dimension, by each label's own public status (Python)."""
    counts = dict.fromkeys(figure(dimension), 0)
    for label in Label.objects.select_related("product__category"):
        if label.public_status() == PublicStatus.VALID:
            counts[{"level": str(label.level), "category": label.product.category.code}[dimension]] += 1
    return counts


def test_labels_that_read_suspended_or_revoked_by_time_alone_are_not_counted_valid(labels, enterprise) -> None:  # type: ignore[no-untyped-def]
    """A lapsed recognition and an overdue surveillance take labels out of the valid counts at
    the instant the registry and the lookup stop reading them valid, and not a second before."""
    label = Label.objects.get(pk=labels[0].pk)
    grace = datetime.timedelta(days=label.scheme.surveillance_grace_days)
    longest = relativedelta(months=label.scheme.max_suspension_months)
    overdue_from = midnight(label.surveillance_due_on + grace + DAY)
    enterprise.recognition_valid_until = label.surveillance_due_on + grace + longest + 40 * DAY
    enterprise.save()
    lapsed_from = midnight(enterprise.recognition_valid_until + DAY)
    instants = [overdue_from, overdue_from + longest, lapsed_from]
    for instant in [moment + shift for moment in instants for shift in (-SECOND, datetime.timedelta())]:
        with time_machine.travel(instant, tick=False):
            registry = with_public_status(Label.objects.all(), PublicStatus.VALID).count()
            assert valid_count() == registry, instant
            assert figure("level") == counted_by_the_rule("level"), instant
            assert figure("category") == counted_by_the_rule("category"), instant
    with time_machine.travel(overdue_from - SECOND, tick=False):
        assert valid_count() == 2
    with time_machine.travel(overdue_from, tick=False):
        assert valid_count() == 0
