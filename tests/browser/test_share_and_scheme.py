"""The share on the tablet as the auditor types, with the server's formula; the published
scheme page in each language, checked by axe-core."""

from decimal import Decimal
from pathlib import Path

import pytest

from audits.services.share import StepRecord, hours_of
from certification.models import ApplicationState
from certification.share import social_share
from tests.factories import PNG_BYTES
from tests.workflow import Actors, build_application

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "a-long-demo-password"
TABLET = 820  # an iPad Air held upright
pytestmark = pytest.mark.django_db(transaction=True)

# Each row: (name, target-group hours, all hours, subcontracted hours, recognised), typed in turn;
# each edge of the rounding and of the thresholds the server's tests check.
TYPED = [
    [("Zagen", "24995", "100000", "", False)],
    [("Zagen", "24994", "100000", "", False)],
    [("Zagen", "1", "3", "", False)],
    [("Zagen", "600", "800", "", False), ("Verpakken", "0", "0", "200", True)],
    [("Zagen", "600", "800", "", False), ("Verpakken", "0", "0", "200", False)],
    [("Zagen", "74995", "100000", "", False)],
    [("Zagen", "49994.5", "100000", "", False)],
]


def server_share(rows, scheme) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """What the server computes for these rows: the share shown and its level."""
    records = [
        StepRecord(
            name=name,
            target_group_hours=Decimal(target),
            all_hours=Decimal(worked),
            subcontracted_hours=Decimal(subcontracted or 0),
            subcontractor_name="Werkplaats Bob" if recognised else "",
            subcontractor_enterprise_number="0203201340" if recognised else "",
            subcontractor_recognised=recognised,
        )
        for name, target, worked, subcontracted, recognised in rows
    ]
    share = social_share(hours_of(records))
    assert share is not None
    level = scheme.level_for(share)
    return f"{share} %", str(level) if level else "none"


@pytest.fixture
def audit_page(live_server, open_page, alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    application = build_application(
        ApplicationState.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    carol.set_password(PASSWORD)
    carol.save()
    page = open_page(width=TABLET, language="en-GB")
    page.goto(f"{live_server.url}/account/sign-in/")
    page.locator("#id_username").fill("carol")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/audits/{application.audit.pk}/")
    return page


def test_the_tablet_shows_the_share_and_level_as_the_auditor_types(audit_page, scheme, csp_violations) -> None:  # type: ignore[no-untyped-def]
    form = audit_page.locator("#criterion-C2")
    assert form.locator(".share-value").inner_text() == "80.00 %"  # the recorded hours, before typing
    for rows in TYPED:
        for index in range(3):
            row = rows[index] if index < len(rows) else ("", "", "", "", False)
            name, target, worked, subcontracted, recognised = row
            form.locator(f"[name='C2-step-{index}-name']").fill(name)
            form.locator(f"[name='C2-step-{index}-target_group_hours']").fill(target)
            form.locator(f"[name='C2-step-{index}-all_hours']").fill(worked)
            form.locator(f"[name='C2-step-{index}-subcontracted_hours']").fill(subcontracted)
            form.locator(f"[name='C2-step-{index}-subcontractor_recognised']").set_checked(recognised)
        shown = (form.locator(".share-value").inner_text(), form.locator(".share-level").inner_text())
        assert shown == server_share(rows, scheme), rows
    assert audit_page.evaluate("document.documentElement.scrollWidth") <= TABLET
    assert csp_violations == []


def test_a_saved_share_is_the_one_the_tablet_showed(audit_page) -> None:  # type: ignore[no-untyped-def]
    form = audit_page.locator("#criterion-C2")
    form.locator("[name='C2-step-0-name']").fill("Zagen")
    form.locator("[name='C2-step-0-target_group_hours']").fill("2")
    form.locator("[name='C2-step-0-all_hours']").fill("3")
    assert form.locator(".share-value").inner_text() == "66.67 %"
    form.get_by_role("button", name="Save C2").click()
    assert "C2: pass is recorded." in audit_page.locator(".messages").inner_text()
    assert audit_page.locator("#criterion-C2 .share-value").inner_text() == "66.67 %"
    assert audit_page.locator("#criterion-C2 .share-level").inner_text() == "2"


def test_the_auditor_attaches_a_photo_to_an_assessment_on_the_tablet(audit_page, tmp_path, csp_violations) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "werkvloer.png"
    photo.write_bytes(PNG_BYTES)
    evidence = audit_page.locator("#evidence-C3")
    evidence.get_by_label("Add a file as evidence").set_input_files(str(photo))
    evidence.get_by_role("button", name="Attach to C3").click()
    assert "werkvloer.png is attached." in audit_page.locator(".messages").inner_text()
    link = audit_page.locator("#evidence-C3").get_by_role("link", name="werkvloer.png")
    assert link.is_visible()
    with audit_page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == PNG_BYTES
    assert audit_page.evaluate("document.documentElement.scrollWidth") <= TABLET
    assert csp_violations == []


@pytest.mark.parametrize("language", ["nl-BE", "fr-BE", "en-GB"])
def test_axe_finds_no_serious_violation_on_the_scheme_page(live_server, open_page, scheme, language) -> None:  # type: ignore[no-untyped-def]
    page = open_page(language=language, bypass_csp=True)
    page.goto(f"{live_server.url}/schemes/{scheme.version}/")
    assert page.locator("html").get_attribute("lang") == language[:2]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    serious = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == []
