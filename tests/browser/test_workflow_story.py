"""The whole story in a real browser, as the people who live it: an applicant applies, an
officer assigns an auditor, the auditor audits, the officer approves, the applicant downloads
the certificate, a visitor checks the label, the officer suspends it and the visitor sees so.
Then axe-core on the pages each of them works in."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from certification.models import Application, Label, ProductCategory
from tests.factories import PDF_BYTES

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PDF = PDF_BYTES
PASSWORD = "a-long-demo-password"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(alice, carol, olivia, scheme):  # type: ignore[no-untyped-def]
    for user in (alice, carol, olivia):
        user.set_password(PASSWORD)
        user.save()


@pytest.fixture
def sign_in(live_server, open_page, people):  # type: ignore[no-untyped-def]
    def sign_in_(username: str, language: str = "en-GB", width: int = 1280, bypass_csp: bool = False):  # type: ignore[no-untyped-def]
        page = open_page(language=language, width=width, bypass_csp=bypass_csp)
        page.goto(f"{live_server.url}/account/sign-in/")
        page.locator("#id_username").fill(username)  # in any language
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/dashboard/")
        return page

    return sign_in_


def message(page) -> str:  # type: ignore[no-untyped-def]
    """What the page says after an action: its message, or else the refusal it shows."""
    return page.locator(".messages, .alert").first.inner_text()


def apply(page, live_server) -> int:  # type: ignore[no-untyped-def]
    """The applicant registers a product, applies with a document and submits."""
    page.get_by_role("link", name="New product or service").first.click()
    page.get_by_label("Name").fill("Houten speelgoed")
    page.get_by_label("Product", exact=True).check()
    page.get_by_label("Category").select_option(label=str(ProductCategory.objects.get(code="assembly")))
    page.get_by_role("button", name="Save").click()
    assert "Houten speelgoed is saved." in message(page)

    page.get_by_role("link", name="New application").first.click()
    page.get_by_label("Product or service").select_option(label="Houten speelgoed")
    page.get_by_label("Declared social-economy share (%)").fill("82")
    page.get_by_label("How the product is made or the service delivered").fill("Gezaagd en geschuurd in ons atelier.")
    page.get_by_label("Document").set_input_files(
        {"name": "erkenning.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Save the draft").click()
    assert "is saved as a draft" in message(page)
    assert page.get_by_role("link", name="erkenning.pdf").is_visible()
    page.get_by_role("button", name="Submit").click()
    assert "is now submitted" in message(page)
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def audit(page, application: Application) -> None:  # type: ignore[no-untyped-def]
    """The auditor starts the audit, records the whole checklist and reports."""
    page.get_by_role("link", name=application.product.name).click()
    page.get_by_role("button", name="Start the audit").click()
    assert "is now audit in progress" in message(page)
    for form in page.locator("form.criterion").all():
        code = form.get_attribute("id").removeprefix("criterion-")
        if form.locator(f"[name='{code}-step-0-name']").count():  # the share: hours, not a typed figure
            form.locator(f"[name='{code}-step-0-name']").fill("Assemblage")
            form.locator(f"[name='{code}-step-0-target_group_hours']").fill("800")
            form.locator(f"[name='{code}-step-0-all_hours']").fill("1000")
            form.get_by_role("button", name=f"Save {code}").click()
            assert f"{code}: pass is recorded." in message(page)
            continue
        form.get_by_label("Pass").check()
        value = form.locator(f"[name='{code}-value']")
        if value.count():
            value.fill("80" if "percentage" in form.inner_text().lower() else "3")
        form.get_by_role("button", name=f"Save {code}").click()
        assert f"{code}: pass is recorded." in message(page)
    page.get_by_role("link", name="Submit the audit report").click()
    page.get_by_label("Summary").fill("Goed georganiseerd atelier, register in orde.")
    page.get_by_role("button", name="Submit the audit report").click()
    assert "is now audit reported" in message(page)


def test_the_whole_story_in_the_browser(live_server, sign_in, open_page, csp_violations, alice, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    applicant = sign_in("alice")
    application = Application.objects.get(pk=apply(applicant, live_server))

    officer = sign_in("olivia")
    officer.get_by_role("link", name="Queue").first.click()
    officer.get_by_role("link", name=application.reference).click()
    officer.get_by_role("link", name="Schedule the audit").click()
    assert officer.get_by_label("Auditor").locator("option").all_inner_texts() == ["---------", "carol"]
    officer.get_by_label("Auditor").select_option(label="carol")
    officer.get_by_label("Date of the audit").fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    officer.get_by_role("button", name="Schedule the audit").click()
    assert "is now audit scheduled" in message(officer)

    audit(sign_in("carol", width=820), application)  # a tablet

    officer.reload()
    officer.get_by_role("link", name="Approve and issue the label").click()
    officer.get_by_label("Rationale").fill("Alle criteria voldaan.")
    officer.get_by_role("button", name="Approve and issue the label").click()
    label = Label.objects.get(application=application)
    assert f"The label {label.code} is issued" in message(officer)

    applicant.reload()
    with applicant.expect_download() as download:
        applicant.get_by_role("link", name="Download the certificate as issued (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"certificate-{label.code}-as-issued.pdf"

    visitor = open_page(width=375)  # Dutch, on a phone
    visitor.goto(f"{live_server.url}/verify/{label.code}/")
    assert visitor.locator("h1").inner_text() == "Geldig"

    officer.get_by_role("link", name="Suspend the label").click()
    officer.get_by_label("Reason the public is shown").select_option("non_conformity")
    officer.get_by_label("Reason, for the record").fill("Klacht over onderaanneming buiten de sociale economie.")
    officer.get_by_role("button", name="Suspend the label").click()
    assert f"Label {label.code} is now suspended." in message(officer)

    visitor.reload()
    assert visitor.locator("h1").inner_text() == "Geschorst"
    assert "non-conformiteit vastgesteld" in visitor.locator(".reason").inner_text()
    assert csp_violations == []  # every page of the story works under its strict policy


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def audit_in_progress(alice, carol, olivia, enterprise, scheme) -> Application:  # type: ignore[no-untyped-def]
    from certification.models import ApplicationState
    from tests.workflow import Actors, build_application

    return build_application(
        ApplicationState.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("alice", "/dashboard/"),
        ("alice", "/products/new/"),
        ("alice", "/applications/new/"),
        ("alice", "/applications/{application}/"),
        ("carol", "/audits/{audit}/"),
        ("olivia", "/queue/"),
        ("olivia", "/applications/{application}/"),
        ("carol", "/applications/{application}/submit_report/"),
    ],
)
def test_axe_finds_no_serious_violation_on_the_work_pages(  # type: ignore[no-untyped-def]
    live_server, sign_in, audit_in_progress, who, path
) -> None:
    page = sign_in(who, bypass_csp=True)
    page.goto(live_server.url + path.format(application=audit_in_progress.pk, audit=audit_in_progress.audit.pk))
    assert serious_violations(page) == []


def test_axe_finds_no_serious_violation_on_the_sign_in_page(live_server, open_page, db) -> None:  # type: ignore[no-untyped-def]
    page = open_page(bypass_csp=True)
    page.goto(f"{live_server.url}/account/sign-in/")
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("who", "path"),
    [("alice", "/dashboard/"), ("alice", "/applications/{application}/"), ("carol", "/audits/{audit}/")],
)
def test_no_work_page_scrolls_sideways_on_a_phone(live_server, sign_in, audit_in_progress, who, path) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(who, language="nl-BE", width=375)
    page.goto(live_server.url + path.format(application=audit_in_progress.pk, audit=audit_in_progress.audit.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
