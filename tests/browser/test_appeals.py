"""Appeals in a real browser: an applicant appeals a rejection, and a suspension, from the
application page; the officer who decided cannot decide the appeal; an officer who took no
part decides it, with reasons; the applicant sees the outcome. Then axe-core on the appeal
pages in Dutch, French and English.

alice applies for Atelier Alice, carol audited, olivia rejected or suspended, oscar decides.
"""

from pathlib import Path

import pytest

from certification.models import Application, ApplicationState, Label, LabelStatus
from certification.services.applications import reject_application
from certification.services.labels import change_label_status
from complaints.models import Appeal, AppealState
from complaints.services.appeals import lodge_appeal
from tests.workflow import Actors, build_application

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "a-long-appeal-password"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sign_in(live_server, open_page, alice, olivia, oscar):  # type: ignore[no-untyped-def]
    for user in (alice, olivia, oscar):
        user.set_password(PASSWORD)
        user.save()

    def sign_in_(username: str, language: str = "en-GB", width: int = 1280, bypass_csp: bool = False):  # type: ignore[no-untyped-def]
        page = open_page(language=language, width=width, bypass_csp=bypass_csp)
        page.goto(f"{live_server.url}/account/sign-in/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/dashboard/")
        return page

    return sign_in_


@pytest.fixture
def rejected(alice, carol, olivia, enterprise, scheme) -> Application:  # type: ignore[no-untyped-def]
    application = build_application(
        ApplicationState.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    return reject_application(application=application, by=olivia, reason="Aandeel te laag gemeten.")


def message(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".messages, .alert").first.inner_text()


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]


def test_an_applicant_appeals_a_rejection_and_sees_it_granted_by_an_officer_who_took_no_part(  # type: ignore[no-untyped-def]
    live_server, sign_in, csp_violations, rejected
) -> None:
    applicant = sign_in("alice", width=375)  # on a phone
    applicant.goto(f"{live_server.url}/applications/{rejected.pk}/")
    applicant.get_by_role("link", name="Appeal the decision").click()
    applicant.get_by_label("Arguments").fill("Het gemeten aandeel telt de erkende onderaannemer niet mee.")
    applicant.get_by_label("screening of the application").check()
    applicant.get_by_role("button", name="Lodge the appeal").click()
    appeal = Appeal.objects.get()
    applicant.wait_for_url(f"**/appeals/{appeal.pk}/")
    assert "Your appeal is lodged" in message(applicant)
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 375

    # The officer who rejected sees why she may not decide, and no button to do it.
    decided = sign_in("olivia")
    decided.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    assert decided.get_by_role("link", name="Grant the appeal").count() == 0
    assert "You took the decision appealed" in decided.locator("main").inner_text()

    officer = sign_in("oscar")
    officer.get_by_role("link", name="Appeals").first.click()
    officer.get_by_role("link", name=str(appeal)).click()
    assert "erkende onderaannemer" in officer.locator("main").inner_text()
    officer.get_by_role("link", name="Grant the appeal").click()
    officer.get_by_label("Reasons").fill("De onderaanneming telt mee; opnieuw screenen.")
    officer.locator("main form button[type=submit]").click()
    assert "is now granted" in message(officer)

    applicant.reload()
    main = applicant.locator("main").inner_text()
    assert "granted" in main
    assert "De onderaanneming telt mee; opnieuw screenen." in main
    assert "Appeal granted" in main  # in the history
    applicant.goto(f"{live_server.url}/applications/{rejected.pk}/")
    assert Application.objects.get(pk=rejected.pk).state == ApplicationState.SUBMITTED
    assert "Appeal" in applicant.locator("#appeals-heading").inner_text()
    assert "granted" in applicant.locator("main").inner_text()
    assert csp_violations == []


def test_an_applicant_appeals_a_suspension_and_is_told_the_decision_stands(  # type: ignore[no-untyped-def]
    live_server, sign_in, issue_label, olivia
) -> None:
    label = issue_label()
    change_label_status(label=label, name="suspend", by=olivia, reason="Klacht gegrond.", category="misuse")
    applicant = sign_in("alice", language="nl-BE")
    applicant.goto(f"{live_server.url}/applications/{label.application_id}/")
    applicant.get_by_role("link", name="In beroep gaan tegen de beslissing").click()
    assert applicant.get_by_text("screening of the application").count() == 0  # nothing to reopen
    applicant.get_by_label("Argumenten").fill("De klacht ging over een ander product.")
    applicant.locator("main form button[type=submit]").click()
    appeal = Appeal.objects.get()
    applicant.wait_for_url(f"**/appeals/{appeal.pk}/")

    officer = sign_in("oscar", language="fr-BE")
    officer.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    officer.get_by_role("link", name="Maintenir la décision").click()
    officer.get_by_label("Motifs").fill("La plainte visait bien ce produit.")
    officer.locator("main form button[type=submit]").click()

    applicant.reload()
    assert Appeal.objects.get().state == AppealState.DECISION_UPHELD
    assert "La plainte visait bien ce produit." in applicant.locator("main").inner_text()
    assert Label.objects.get(pk=label.pk).status == LabelStatus.SUSPENDED


@pytest.mark.parametrize("language", ["nl-BE", "fr-BE", "en-GB"])
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("alice", "/applications/{application}/appeal/"),
        ("alice", "/appeals/{appeal}/"),
        ("alice", "/appeals/"),
        ("oscar", "/appeals/{appeal}/grant/"),
        ("olivia", "/appeals/{appeal}/"),
    ],
)
def test_axe_finds_no_serious_violation_on_the_appeal_pages(  # type: ignore[no-untyped-def]
    live_server, sign_in, rejected, alice, who, path, language
) -> None:
    """The form on the rejection before it is appealed; the other pages once it is."""
    appeal = None
    if "{appeal}" in path or path == "/appeals/":
        appeal = lodge_appeal(by=alice, application=rejected, arguments="Zie bijlage.", reopen_at="submitted")
    page = sign_in(who, language=language, bypass_csp=True)
    target = path.format(application=rejected.pk, appeal=appeal.pk if appeal else "")
    answer = page.goto(live_server.url + target)
    assert answer is not None
    assert answer.status == 200, target
    assert serious_violations(page) == []
