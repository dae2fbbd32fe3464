"""GET /api/v1/labels/: the public registry, its filters, CSV export and throttling."""

import base64
import csv
import datetime
import io

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.opendata import CSV_COLUMNS
from api.throttling import PublicRateThrottle
from certification.models import Label
from certification.services.labels import change_label_status


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def labels(issue_label, olivia):  # type: ignore[no-untyped-def]
    jam = issue_label(name="Aardbeienconfituur", category="food")
    cleaning = issue_label(name="Kantoorschoonmaak", kind="service", category="cleaning")
    chair = issue_label(name="Eiken stoel")
    chair.level, chair.social_share = 1, 30
    chair.save(update_fields=["level", "social_share"])
    suspended = issue_label(name="Geschorste zeep")
    change_label_status(label=suspended, name="suspend", by=olivia, reason="x", category="other")
    expired = issue_label(name="Oude kaars")
    expired.issued_on = timezone.localdate() - datetime.timedelta(days=1200)
    expired.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    expired.save(update_fields=["issued_on", "valid_until"])
    return {"jam": jam, "cleaning": cleaning, "chair": chair, "suspended": suspended, "expired": expired}


def codes(answer) -> set[str]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.content
    return {row["code"] for row in answer.json()["results"]}


def registry(api: APIClient, **query: object):  # type: ignore[no-untyped-def]
    return api.get(reverse("api:registry"), query)


def test_the_registry_lists_valid_labels_by_default(api, labels) -> None:  # type: ignore[no-untyped-def]
    assert codes(registry(api)) == {labels[k].code for k in ("jam", "cleaning", "chair")}


@pytest.mark.parametrize(("status", "key"), [("suspended", "suspended"), ("expired", "expired")])
def test_the_registry_filters_on_the_public_status(api, labels, status, key) -> None:  # type: ignore[no-untyped-def]
    assert codes(registry(api, status=status)) == {labels[key].code}


def test_the_registry_filters_on_category_level_kind_and_enterprise(api, labels, bob) -> None:  # type: ignore[no-untyped-def]
    assert codes(registry(api, category="food")) == {labels["jam"].code}
    assert codes(registry(api, level=1)) == {labels["chair"].code}
    assert codes(registry(api, kind="service")) == {labels["cleaning"].code}
    assert len(codes(registry(api, enterprise_number="BE 0403.170.701"))) == 3
    assert codes(registry(api, enterprise_number="0203.201.340")) == set()


def test_an_invalid_enterprise_number_is_a_clear_400(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = registry(api, enterprise_number="1234")
    assert answer.status_code == 400
    assert "enterprise_number" in answer.json()["detail"]


def test_the_registry_searches_product_enterprise_and_code(api, labels) -> None:  # type: ignore[no-untyped-def]
    assert codes(registry(api, q="confituur")) == {labels["jam"].code}
    assert len(codes(registry(api, q="atelier alice"))) == 3
    assert codes(registry(api, q=labels["chair"].code.lower().replace("-", ""))) == {labels["chair"].code}


def walk(api: APIClient, **query: object) -> list[list[str]]:  # the codes of every page, following `next`
    pages, answer = [], registry(api, **query)
    while True:
        assert answer.status_code == 200, answer.content
        pages.append([row["code"] for row in answer.json()["results"]])
        if not answer.json()["next"]:
            return pages
        answer = api.get(answer.json()["next"])


def test_the_registry_is_paginated_and_ordered(api, labels) -> None:  # type: ignore[no-untyped-def]
    first = registry(api, page_size=2, ordering="level").json()
    assert set(first) == {"next", "previous", "results"}  # keyset pages: no count of every match
    assert len(first["results"]) == 2
    assert first["results"][0]["code"] == labels["chair"].code
    assert first["previous"] is None
    assert "cursor=" in first["next"]


ORDERINGS = ["issued_on", "valid_until", "level", "social_share", "code", "product__name"]


def test_keyset_pages_list_every_label_once_in_order(api, labels) -> None:  # type: ignore[no-untyped-def]
    for ordering in [*ORDERINGS, *(f"-{name}" for name in ORDERINGS)]:
        pages = walk(api, page_size=2, status="all", ordering=ordering)
        assert [len(page) for page in pages] == [2, 2, 1], ordering
        column = ordering.replace("product__name", "search_text")
        expected = Label.objects.order_by(column, "-code" if ordering.startswith("-") else "code")
        assert [code for page in pages for code in page] == list(expected.values_list("code", flat=True)), ordering


def test_previous_goes_back_to_the_page_before(api, labels) -> None:  # type: ignore[no-untyped-def]
    first = registry(api, page_size=2, status="all")
    second = api.get(first.json()["next"])
    third = api.get(second.json()["next"])
    assert codes(api.get(third.json()["previous"])) == codes(second)
    back = api.get(second.json()["previous"])
    assert codes(back) == codes(first)
    assert back.json()["previous"] is None


def test_keyset_pages_are_stable_under_inserts(api, labels, issue_label) -> None:  # type: ignore[no-untyped-def]
    """A label issued while someone pages through shifts no page: none seen twice, none missed."""
    before = set(Label.objects.values_list("code", flat=True))
    first = registry(api, page_size=2, status="all", ordering="-issued_on")
    seen = [row["code"] for row in first.json()["results"]]
    new = issue_label(name="Nieuw tijdens het bladeren")
    answer = api.get(first.json()["next"])
    while True:
        seen += [row["code"] for row in answer.json()["results"]]
        if not answer.json()["next"]:
            break
        answer = api.get(answer.json()["next"])
    assert len(seen) == len(set(seen))
    assert set(seen) - {new.code} == before


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "eyJvIjoiLWlzc3VlZF9vbiJ9", base64.urlsafe_b64encode(b'{"o":"-issued_on","k":["x","y"],"b":false}')],
)
def test_a_cursor_the_registry_did_not_make_is_a_clear_400(api, labels, cursor) -> None:  # type: ignore[no-untyped-def]
    value = cursor.decode() if isinstance(cursor, bytes) else cursor
    answer = registry(api, cursor=value)
    assert answer.status_code == 400
    assert "cursor" in answer.json()["detail"]


def test_a_cursor_of_another_ordering_is_refused(api, labels) -> None:  # type: ignore[no-untyped-def]
    link = registry(api, page_size=1, ordering="level").json()["next"]
    answer = api.get(link.replace("ordering=level", "ordering=code"))
    assert answer.status_code == 400


@pytest.mark.parametrize("size", ["0", "101", "ten", "-1"])
def test_a_page_size_out_of_range_is_a_clear_400(api, labels, size) -> None:  # type: ignore[no-untyped-def]
    answer = registry(api, page_size=size)
    assert answer.status_code == 400
    assert "page_size" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("query", "named"),
    [({"provincie": "Antwerpen"}, "provincie"), ({"Level": "1", "q": "x" * 3, "sort": "code"}, "Level, sort")],
)
def test_unknown_parameters_are_a_400_that_names_them(api, labels, query, named) -> None:  # type: ignore[no-untyped-def]
    answer = registry(api, **query)
    assert answer.status_code == 400
    assert named in answer.json()["detail"]
    assert "enterprise_number" in answer.json()["detail"]  # and what it knows instead


def test_every_known_parameter_is_accepted(api, labels) -> None:  # type: ignore[no-untyped-def]
    query = {"q": "stoel", "category": "assembly", "level": "1", "kind": "product", "status": "valid"}
    query |= {"enterprise_number": "0403170701", "ordering": "code", "page_size": "5", "province": "unknown"}
    assert codes(registry(api, **query)) == {labels["chair"].code}
    assert registry(api, format="json").status_code == 200


def test_the_registry_filters_on_the_province_of_the_enterprise(api, labels, enterprise) -> None:  # type: ignore[no-untyped-def]
    valid = {labels[k].code for k in ("jam", "cleaning", "chair")}
    enterprise.postal_code = "9000"
    enterprise.save()
    assert codes(registry(api, province="east_flanders")) == valid
    assert codes(registry(api, province="antwerp")) == set()
    enterprise.postal_code = "2000"  # the enterprise moves: its labels with it
    enterprise.save()
    assert codes(registry(api, province="antwerp")) == valid
    assert codes(registry(api, province="east_flanders")) == set()
    assert codes(registry(api, province="antwerp", status="all")) == {label.code for label in labels.values()}


def test_a_province_the_registry_does_not_know_is_a_400_that_names_it(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = registry(api, province="Limburgg")
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "Unknown province: Limburgg." in detail
    assert "east_flanders" in detail  # and what it knows instead


def test_an_invalid_ordering_is_a_clear_400(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = registry(api, ordering="enterprise__name")
    assert answer.status_code == 400
    assert "ordering" in answer.json()["detail"]


def test_the_csv_export_has_a_stable_column_set(api, labels) -> None:  # type: ignore[no-untyped-def]
    answer = api.get(reverse("api:registry"), {"format": "csv", "status": "valid"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0] == CSV_COLUMNS
    assert {row[0] for row in rows[1:]} == {labels[k].code for k in ("jam", "cleaning", "chair")}
    jam = next(row for row in rows if row[0] == labels["jam"].code)
    assert dict(zip(CSV_COLUMNS, jam, strict=True))["product_name"] == "Aardbeienconfituur"


def test_public_endpoints_are_throttled_with_retry_after(api, labels, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})
    url = reverse("api:label", args=[labels["jam"].code])
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"]


def test_healthz_answers_without_the_database(client, django_assert_num_queries, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    assert client.get("/healthz/").json() == {"status": "ok"}
    assert client.get("/readyz/").status_code == 503


def test_readyz_checks_the_database(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/readyz/").json()["status"] == "ok"


def test_an_officer_suspends_a_label_through_the_api(api, labels, olivia) -> None:  # type: ignore[no-untyped-def]
    api.force_login(olivia)
    url = reverse("api:label-transition", args=[labels["jam"].code, "suspend"])
    answer = api.post(url, {"reason": "Klacht.", "category": "non_conformity"}, format="json")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["status_reason"]) == ("suspended", "non_conformity")
    again = api.post(url, {"reason": "Klacht.", "category": "non_conformity"}, format="json")
    assert again.status_code == 409
    assert again.json()["state"] == "suspended"
    assert api.post(url.replace("suspend", "explode"), {}, format="json").status_code == 404


def test_only_officers_change_a_labels_status(api, labels, alice, carol) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api:label-transition", args=[labels["jam"].code, "revoke"])
    assert api.post(url, {"reason": "x"}, format="json").status_code == 401
    for user in (alice, carol):
        api.force_login(user)
        assert api.post(url, {"reason": "x"}, format="json").status_code == 403
    labels["jam"].refresh_from_db()
    assert labels["jam"].status == "active"


def test_a_label_transition_needs_a_reason(api, labels, olivia) -> None:  # type: ignore[no-untyped-def]
    api.force_login(olivia)
    answer = api.post(reverse("api:label-transition", args=[labels["jam"].code, "revoke"]), {}, format="json")
    assert answer.status_code == 400
    assert answer.json()["unmet"] == ["Give the reason for this change."]
