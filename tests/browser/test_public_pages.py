"""The public pages in a real browser: languages, a phone's width, accessibility, a suspension."""

from pathlib import Path

import pytest

from certification.models import Label

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten fietsrek")


@pytest.mark.parametrize(("language", "word"), [("nl-BE", "Geldig"), ("en-GB", "Valid"), ("fr-BE", "Valide")])
def test_the_verify_page_in_each_language(live_server, open_page, label, language, word) -> None:  # type: ignore[no-untyped-def]
    page = open_page(language=language)
    page.goto(f"{live_server.url}/verify/{label.code}/")
    assert page.locator("h1").inner_text() == word
    assert page.locator(".verdict").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(27, 94, 32)"
    assert page.locator(".verdict svg.status-icon").count() == 1


@pytest.mark.parametrize("path", ["/", "/verify/{code}/", "/registry/", "/verify/certificate/"])
def test_no_page_scrolls_sideways_on_a_phone(live_server, open_page, label, path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(width=375)
    page.goto(live_server.url + path.format(code=label.code))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize(
    "path", ["/", "/verify/{code}/", "/verify/SE-7K3M-9QX2-4H6/", "/registry/", "/verify/certificate/"]
)
def test_axe_finds_no_serious_or_critical_violation(live_server, open_page, label, path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(bypass_csp=True)
    page.goto(live_server.url + path.format(code=label.code))
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    serious = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == []


def test_a_code_typed_on_the_home_page_opens_its_verify_page(live_server, open_page, label) -> None:  # type: ignore[no-untyped-def]
    page = open_page()
    page.goto(live_server.url)
    page.get_by_label("Labelcode").fill(label.code.lower().replace("-", " "))
    page.get_by_role("button", name="Controleer").click()
    page.wait_for_url(f"**/verify/{label.code}/")
    assert page.locator("h1").inner_text() == "Geldig"


def test_an_officer_suspends_and_the_visitor_sees_it_on_reload(live_server, open_page, label, olivia) -> None:  # type: ignore[no-untyped-def]
    olivia.set_password("officer-password")
    olivia.save()
    visitor = open_page(width=375)
    visitor.goto(f"{live_server.url}/verify/{label.code}/")
    assert visitor.locator("h1").inner_text() == "Geldig"

    officer = open_page()
    officer.goto(f"{live_server.url}/admin/certification/label/{label.pk}/change/")
    officer.fill("#id_username", "olivia")
    officer.fill("#id_password", "officer-password")
    officer.locator("input[type=submit]").click()
    officer.get_by_role("link", name="Schorsen").click()
    officer.select_option("#id_category", "non_conformity")
    officer.fill("#id_reason", "Klacht over onderaanneming buiten de sociale economie.")
    officer.locator("input[type=submit]").click()
    assert "geschorst" in officer.locator(".messagelist").inner_text()

    visitor.reload()
    assert visitor.locator("h1").inner_text() == "Geschorst"
    assert "non-conformiteit vastgesteld" in visitor.locator(".reason").inner_text()
