"""The scheme, published (ISO/IEC 17065 4.6): a page and an API per version, read by anyone;
the verify page and the certificate explain a label's level with its own version's thresholds."""

from decimal import Decimal

from django.test import Client
from rest_framework.test import APIClient

from certification.models import Scheme
from certification.services.schemes import activate_scheme, copy_scheme


def test_the_scheme_page_publishes_criteria_method_thresholds_and_dates(scheme) -> None:  # type: ignore[no-untyped-def]
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/schemes/{scheme.version}/").content.decode()
    for expected in (
        f"Scheme {scheme}",
        "Applies to applications submitted from",
        "a measured share of at least 75 %",
        "36 months",
        "every 12 months",
        "the last 12 months before the audit",
        "recognised social-economy enterprise",
        "Share = 100 \u00d7 800 ÷ 1100 = 72.73 %: level 2.",
        'id="category-wood-furniture"',
        "W1</strong> Strength and durability of furniture (EN 581 / EN 12520)",
        "a pass from 3 of 4",
        "quality score = 100",
    ):
        assert expected in html, expected


def test_a_draft_scheme_is_not_published(scheme, olivia) -> None:  # type: ignore[no-untyped-def]
    copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    assert Client().get("/schemes/2027.1/").status_code == 404
    assert APIClient().get("/api/v1/schemes/2027.1/").status_code == 404
    assert [s["version"] for s in APIClient().get("/api/v1/schemes/").json()] == [scheme.version]


def test_the_api_publishes_every_version_with_when_it_applied(scheme, olivia) -> None:  # type: ignore[no-untyped-def]
    successor = copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    activate_scheme(scheme=successor, by=olivia)
    listed = APIClient().get("/api/v1/schemes/").json()
    assert [(s["version"], s["status"]) for s in listed] == [("2027.1", "active"), ("2026.1", "retired")]
    assert listed[1]["applies_until"] == listed[0]["applies_from"]
    assert listed[0]["applies_until"] is None
    assert listed[1]["url"] == "http://testserver/schemes/2026.1/"


def test_the_api_gives_criteria_per_category_with_pass_marks_weights_and_the_method(scheme) -> None:  # type: ignore[no-untyped-def]
    body = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/schemes/{scheme.version}/").json()
    assert [level["min_share"] for level in body["levels"]] == ["25.00", "50.00", "75.00"]
    assert (body["validity_months"], body["surveillance_months"], body["reference_period_months"]) == (36, 12, 12)
    packaging = next(c for c in body["categories"] if c["code"] == "packaging-logistics")
    p1 = next(c for c in packaging["criteria"] if c["code"] == "P1")
    assert (p1["pass_mark"], p1["weight"], p1["mandatory"], p1["product_quality"]) == (3, 2, True, True)
    assert "delivered right and on time" in p1["guidance"]
    assert {c["code"] for c in packaging["criteria"]} >= {"C1", "C2", "C3", "P1"}
    example = body["worked_example"]
    assert (example["share"], example["level"], example["total_hours"]) == ("72.73", 2, "1100.00")
    assert "target-group hours" in body["share_formula"]


def test_a_label_of_a_retired_version_keeps_its_thresholds(issue_label, scheme, olivia) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    successor = copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    Scheme.objects.filter(pk=successor.pk).update(level_3_min_share=Decimal(85))
    activate_scheme(scheme=successor, by=olivia)
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/verify/{label.code}/").content.decode()
    assert f'href="/schemes/{scheme.version}/"' in html
    assert f"Level 3 under scheme {scheme}: a share of at least 75 % of the work" in html


def test_criteria_are_published_in_dutch_french_and_english(scheme) -> None:  # type: ignore[no-untyped-def]
    titles = {
        "nl": "Leveringsnauwkeurigheid en schadegraad",
        "fr": "Exactitude des livraisons et taux de dommages",
        "en": "Delivery accuracy and damage rate",
    }
    for language, title in titles.items():
        html = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"/schemes/{scheme.version}/").content.decode()
        assert f"P1</strong> {title}" in html, language
