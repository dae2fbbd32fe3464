"""GET /api/v1/labels/{code}/: the fields of DESIGN §6, every status, never stale."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import ApplicationState
from certification.services.labels import change_label_status

FIELDS = {
    "code", "status", "valid", "level", "social_share_percent", "product", "enterprise", "scheme", "issued_on",
    "valid_until", "verify_url", "certificate_url", "superseded_by", "replaces", "status_reason", "status_since",
}  # fmt: skip


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein", kind="product")


def lookup(api: APIClient, code: str):  # type: ignore[no-untyped-def]
    return api.get(reverse("api:label", args=[code]))


def test_a_lookup_answers_the_fields_of_the_design(api, label) -> None:  # type: ignore[no-untyped-def]
    body = lookup(api, label.code).json()
    assert set(body) == FIELDS
    assert body["code"] == label.code
    assert (body["status"], body["valid"], body["level"], body["social_share_percent"]) == ("valid", True, 3, 80.0)
    assert body["product"] == {"name": "Houten speelgoedtrein", "kind": "product", "category": "assembly"}
    assert body["enterprise"] == {
        "name": "Atelier Alice",
        "enterprise_number": "0403170701",
        "recognition_type": "maatwerkbedrijf",
    }
    assert body["verify_url"] == f"https://label.example.be/verify/{label.code}/"
    assert body["certificate_url"].endswith(f"/api/v1/labels/{label.code}/certificate.pdf")
    assert body["superseded_by"] is None


def test_a_lookup_is_compact_utf8_json_that_states_code_status_and_validity_first(api, issue_label) -> None:  # type: ignore[no-untyped-def]
    label = issue_label(name='Crèmes & "zeepjes" — ambacht')
    answer = lookup(api, label.code)
    data = answer.json()
    assert data["product"]["name"] == 'Crèmes & "zeepjes" — ambacht'
    assert answer.content == json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    assert list(data)[:3] == ["code", "status", "valid"]


def test_the_parser_forgives_what_people_type(api, label) -> None:  # type: ignore[no-untyped-def]
    typed = label.code.lower().replace("-", "").replace("0", "o")
    assert lookup(api, typed).json()["code"] == label.code


def test_a_wrong_check_character_is_400_and_an_unknown_code_404(api, label) -> None:  # type: ignore[no-untyped-def]
    wrong = label.code[:-1] + ("0" if label.code[-1] != "0" else "1")
    answer = api.get(reverse("api:label", args=[wrong]), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert "not a valid label code (check character)" in answer.json()["detail"]
    in_dutch = lookup(api, wrong).json()["detail"]  # without Accept-Language: Dutch, the default
    assert "geen geldige labelcode (controleteken)" in in_dutch
    unknown = api.get(reverse("api:label", args=["SE-7K3M-9QX2-4H6"]), HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404
    assert "No label with this code" in unknown.json()["detail"]


@pytest.mark.parametrize(("name", "status"), [("suspend", "suspended"), ("revoke", "revoked")])
def test_a_suspended_or_revoked_label_says_why_and_since_when(api, label, olivia, name, status, committed) -> None:  # type: ignore[no-untyped-def]
    lookup(api, label.code)  # asked before: the change must show all the same
    with committed():
        change_label_status(label=label, name=name, by=olivia, reason="Intern verslag.", category="misuse")
    body = lookup(api, label.code).json()
    assert (body["status"], body["valid"], body["status_reason"]) == (status, False, "misuse")
    assert body["status_since"] is not None
    assert "Intern verslag" not in str(body)


def test_a_reinstated_label_is_valid_again(api, label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    with committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="x", category="surveillance_overdue")
    lookup(api, label.code)
    with committed():
        change_label_status(label=label, name="reinstate", by=olivia, reason="y", category="corrected")
    assert lookup(api, label.code).json()["status"] == "valid"


def test_a_label_expires_at_the_end_of_its_last_day(api, label) -> None:  # type: ignore[no-untyped-def]
    # kept under surveillance and recognised to the end, so that nothing else suspends it first
    type(label).objects.filter(pk=label.pk).update(surveillance_due_on=label.valid_until)
    type(label.product.enterprise).objects.filter(pk=label.product.enterprise_id).update(
        recognition_valid_until=label.valid_until
    )
    last_day = datetime.datetime.combine(label.valid_until, datetime.time(23, 59, 59), timezone.get_current_timezone())
    with time_machine.travel(last_day, tick=False):
        assert lookup(api, label.code).json()["status"] == "valid"
    with time_machine.travel(last_day + datetime.timedelta(seconds=1), tick=False):
        body = lookup(api, label.code).json()
    assert (body["status"], body["valid"]) == ("expired", False)


def test_a_superseded_label_names_its_successor(
    api, label, alice, carol, olivia, enterprise, scheme, committed
) -> None:  # type: ignore[no-untyped-def]
    from audits.services.decisions import approve_application
    from tests.workflow import Actors, build_application

    lookup(api, label.code)
    renewal = build_application(
        ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    type(renewal).objects.filter(pk=renewal.pk).update(product=label.product)
    renewal.refresh_from_db()
    with committed():
        successor = approve_application(application=renewal, by=olivia)

    body = lookup(api, label.code).json()
    assert (body["status"], body["superseded_by"], body["status_reason"]) == ("superseded", successor.code, "renewed")


def test_a_renamed_enterprise_shows_at_once(api, label, enterprise, committed) -> None:  # type: ignore[no-untyped-def]
    lookup(api, label.code)
    enterprise.name = "Atelier Alice vzw"
    with committed():
        enterprise.save()
    assert lookup(api, label.code).json()["enterprise"]["name"] == "Atelier Alice vzw"


def test_every_lookup_takes_one_query(api, label, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        with django_assert_num_queries(1):
            assert lookup(api, label.code).status_code == 200


def test_lookups_revalidate_with_an_etag(api, label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    first = lookup(api, label.code)
    assert first["Cache-Control"] == "public, no-cache"
    url = reverse("api:label", args=[label.code])
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH=f'"elsewhere", {first["ETag"]}').status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"elsewhere"').status_code == 200
    with committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="x", category="misuse")
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (changed.status_code, changed.json()["status"]) == (200, "suspended")
    assert changed["ETag"] != first["ETag"]


def test_the_certificate_is_served_as_a_pdf_named_after_its_code(api, label) -> None:  # type: ignore[no-untyped-def]
    answer = api.get(reverse("api:certificate", args=[label.code.lower()]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert f"certificate-{label.code}.pdf" in answer["Content-Disposition"]
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert api.get(reverse("api:certificate", args=["SE-7K3M-9QX2-4H6"])).status_code == 404


def test_every_way_to_ask_gets_the_same_answer(api, label) -> None:  # type: ignore[no-untyped-def]
    canonical = api.get(reverse("api:label", args=[label.code]))
    typed = api.get(reverse("api:label", args=[label.code.lower()]))
    assert canonical.content == typed.content
    for answer in (canonical, typed):
        assert answer["Content-Type"] == "application/json"
        assert answer["Cache-Control"] == "public, no-cache"
        assert answer["Allow"] == "GET, HEAD, OPTIONS"


def test_a_lookup_counts_once_against_the_limit_whatever_its_answer(api, label, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.throttling import PublicRateThrottle

    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})
    unknown = reverse("api:label", args=["SE-7K3M-9QX2-4H6"])
    known = reverse("api:label", args=[label.code])
    assert [api.get(path).status_code for path in (unknown, known, unknown, known)] == [404, 200, 404, 429]


def test_the_openapi_description_states_exactly_what_a_lookup_answers(api, label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    from api.serializers.public import PublicLabelSerializer

    with committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="x", category="misuse")
    body = lookup(api, label.code).json()
    described = PublicLabelSerializer(data=body)
    assert described.is_valid(), described.errors
    assert set(described.fields) == set(body)
    for nested in ("product", "enterprise"):
        assert set(described.fields[nested].fields) == set(body[nested])  # type: ignore[attr-defined]
