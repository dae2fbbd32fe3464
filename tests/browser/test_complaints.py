"""A complaint in a real browser: a visitor files it from the verify page on a phone and follows
it by its number; an officer with no part in the label handles it; the visitor's status page
changes. Then axe-core on the complaint and status pages in Dutch, French and English."""

from pathlib import Path

import pytest

from certification.models import Label
from complaints.models import Complaint

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "a-long-officer-password"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten fietsrek")


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]


def test_a_visitor_files_a_complaint_on_a_phone_and_sees_an_officer_handle_it(  # type: ignore[no-untyped-def]
    live_server, open_page, csp_violations, label, oscar
) -> None:
    visitor = open_page(width=375, language="en-GB")
    visitor.goto(f"{live_server.url}/verify/{label.code}/")
    visitor.get_by_role("link", name="Report a problem with this label").click()
    assert visitor.get_by_label("Label code").input_value() == label.code
    visitor.get_by_label("The product or service is not as the label claims").check()
    visitor.get_by_label("Describe what you saw").fill("Het rek in de winkel is van metaal, niet van hout.")
    visitor.locator("main form button[type=submit]").click()
    visitor.wait_for_url("**/complaints/SK-*/")
    number = Complaint.objects.get().tracking_number
    assert number in visitor.locator(".messages").inner_text()
    assert "received" in visitor.locator("#complaint-stage").inner_text().lower()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375

    # Later, by its number, typed as people type.
    visitor.goto(f"{live_server.url}/complaints/")
    visitor.get_by_label("Tracking number").fill(number.lower().replace("-", " "))
    visitor.get_by_role("button", name="Show").click()
    visitor.wait_for_url(f"**/complaints/{number}/")

    oscar.set_password(PASSWORD)
    oscar.save()
    officer = open_page(language="en-GB")
    officer.goto(f"{live_server.url}/account/sign-in/")
    officer.locator("#id_username").fill("oscar")
    officer.locator("#id_password").fill(PASSWORD)
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url("**/dashboard/")
    officer.get_by_role("link", name="Complaints").first.click()
    officer.get_by_role("link", name=number).click()
    assert "van metaal" in officer.locator("main").inner_text()
    officer.get_by_role("link", name="Acknowledge the complaint").click()
    officer.get_by_label("Internal note").fill("Ontvankelijk; winkelbezoek gepland.")
    officer.locator("main form button[type=submit]").click()
    assert "is now acknowledged" in officer.locator(".messages").inner_text()

    visitor.reload()
    assert "acknowledged" in visitor.locator("#complaint-stage").inner_text().lower()
    assert "winkelbezoek" not in visitor.locator("main").inner_text()
    assert csp_violations == []


@pytest.mark.parametrize("language", ["nl-BE", "fr-BE", "en-GB"])
@pytest.mark.parametrize("path", ["/complaints/new/?label={code}", "/complaints/", "/complaints/{number}/"])
def test_axe_finds_no_serious_violation_on_the_complaint_pages(  # type: ignore[no-untyped-def]
    live_server, open_page, label, language, path
) -> None:
    from tests.factories import ComplaintFactory

    complaint = ComplaintFactory(label=label, enterprise=label.product.enterprise)
    page = open_page(bypass_csp=True, language=language)
    page.goto(live_server.url + path.format(code=label.code, number=complaint.tracking_number))
    assert serious_violations(page) == []
