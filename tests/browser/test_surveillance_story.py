"""The surveillance story in a real browser: an officer schedules the surveillance audit of an
overdue label, the auditor records it on a tablet (the share from hours per production step,
shown with its level as typed), another officer continues the certification, and a visitor sees
the label's new level on its verify page."""

import datetime

import pytest
from django.utils import timezone

from certification.models import Label
from tests.browser.test_workflow_story import PASSWORD, message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overdue_label(issue_label, alice, carol, olivia, oscar) -> Label:  # type: ignore[no-untyped-def]
    for user in (alice, carol, olivia, oscar):
        user.set_password(PASSWORD)
        user.save()
    label = issue_label(name="Houten speelgoed")
    Label.objects.filter(pk=label.pk).update(surveillance_due_on=timezone.localdate() - datetime.timedelta(days=40))
    return label  # type: ignore[no-any-return]


@pytest.fixture
def sign_in(live_server, open_page):  # type: ignore[no-untyped-def]
    def sign_in_(username: str, width: int = 1280):  # type: ignore[no-untyped-def]
        page = open_page(language="en-GB", width=width)
        page.goto(f"{live_server.url}/account/sign-in/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/dashboard/")
        return page

    return sign_in_


def test_the_surveillance_story_in_the_browser(live_server, sign_in, open_page, csp_violations, overdue_label) -> None:  # type: ignore[no-untyped-def]
    code = overdue_label.code
    visitor = open_page(width=375)  # Dutch, on a phone
    visitor.goto(f"{live_server.url}/verify/{code}/")
    assert visitor.locator("h1").inner_text() == "Geschorst"  # overdue past its grace period

    officer = sign_in("olivia")
    officer.get_by_role("link", name="Surveillance").first.click()
    officer.get_by_role("link", name="Schedule").click()
    officer.get_by_label("Auditor").select_option(label="carol")
    officer.get_by_label("Date of the audit").fill(timezone.localdate().isoformat())
    officer.get_by_role("button", name="Schedule the surveillance audit").click()
    assert f"The surveillance audit of {code} is scheduled." in message(officer)

    auditor = sign_in("carol", width=820)  # a tablet
    auditor.locator("main a[href*='/surveillance/']").click()  # under "Your surveillance audits"
    auditor.get_by_role("link", name="Start the surveillance audit").click()
    auditor.get_by_role("button", name="Start the surveillance audit").click()
    for form in auditor.locator("form.criterion").all():
        criterion = form.get_attribute("id").removeprefix("criterion-")
        if criterion == "C2":  # the share: hours per production step, the share and level shown as typed
            assert form.locator(".share-value").inner_text() == "—"
            form.locator("[name='C2-step-0-name']").fill("Afwerking")
            form.locator("[name='C2-step-0-target_group_hours']").fill("1100")
            form.locator("[name='C2-step-0-all_hours']").fill("2000")
            assert form.locator(".share-value").inner_text() == "55.00 %"
            assert form.locator(".share-level").inner_text() == "2"
            assert "target-group hours" in form.locator(".formula").inner_text()
            form.get_by_label("Comment").fill("Minder doelgroepwerknemers in de afwerking.")  # the drop explained
        else:
            form.get_by_label("Pass").check()
        form.get_by_role("button", name=f"Save {criterion}").click()
        assert f"{criterion}: pass is recorded." in message(auditor)
    assert auditor.locator("#criterion-C2 .share-value").inner_text() == "55.00 %"  # as saved
    auditor.get_by_role("link", name="Submit the surveillance report").click()
    auditor.get_by_label("Summary").fill("Minder doelgroepwerknemers in de afwerking.")
    assert auditor.get_by_label("Measured social-economy share (%)").count() == 0
    auditor.get_by_role("button", name="Submit the surveillance report").click()
    assert "is now reported" in message(auditor)

    decider = sign_in("oscar")
    decider.goto(auditor.url)
    decider.get_by_role("link", name="Continue the certification").click()
    decider.get_by_role("button", name="Continue the certification").click()
    assert "is now certification continued" in message(decider)

    visitor.reload()
    assert visitor.locator("h1").inner_text() == "Geldig"
    assert "Niveau 2" in visitor.locator("main .level").inner_text()
    assert "55" in visitor.locator("main").inner_text()
    assert csp_violations == []
