"""Following a label by e-mail in a real browser, on a phone: from the verify page to the
confirmation; axe-core finds no serious or critical violation on the watch's pages."""

import re
from pathlib import Path

import pytest

from background.models import Mail
from certification.models import Label

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = pytest.mark.django_db(transaction=True)
BUYER = "koper@aankoop.example"


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten fietsrek")


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]


def confirmation_path() -> str:
    found = re.search(r"https://label\.example\.be(/watch/confirm/[\w-]+/)", Mail.objects.get(to=BUYER).body)
    assert found
    return found.group(1)


def test_a_visitor_follows_a_label_from_its_verify_page_on_a_phone(live_server, open_page, label) -> None:  # type: ignore[no-untyped-def]
    page = open_page(width=375)
    page.goto(f"{live_server.url}/verify/{label.code}/")
    page.get_by_role("link", name="Volg dit label per e-mail").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Je e-mailadres").fill(BUYER)
    page.get_by_role("button", name="Volgen").click()
    assert page.url == f"{live_server.url}/verify/{label.code}/"
    assert "Kijk in je mailbox" in page.locator(".messages").inner_text()
    page.goto(live_server.url + confirmation_path())
    page.get_by_role("button", name="Ja, mail me de wijzigingen").click()
    assert f"Je volgt nu label {label.code}" in page.locator("main").inner_text()


@pytest.mark.parametrize("language", ["nl-BE", "fr-BE", "en-GB"])
@pytest.mark.parametrize("path", ["/watch/?label={code}", "confirm", "unsubscribe"])
def test_axe_finds_no_serious_violation_on_the_watch_pages(  # type: ignore[no-untyped-def]
    live_server, open_page, label, language, path
) -> None:
    from watch.services import request_subscription

    request_subscription(email=BUYER, target=label, language="nl", client="192.0.2.1")
    if path == "confirm":
        path = confirmation_path()
    elif path == "unsubscribe":
        path = confirmation_path().replace("/confirm/", "/unsubscribe/")
    page = open_page(language=language, bypass_csp=True)
    page.goto(live_server.url + path.format(code=label.code))
    assert serious_violations(page) == []
