"""The work pages, role by role: what each person sees, what is refused and how it is said.

alice applies for Atelier Alice, bob for Werkplaats Bob; carol and dan audit; olivia and
oscar are certification officers."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from certification.models import Application, ApplicationState, HistoryEvent, Label, Product, ProductCategory
from certification.transitions import steps
from tests.factories import PDF_BYTES, UserFactory
from tests.workflow import Actors, build_application

S = ApplicationState
PDF = PDF_BYTES


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def build(alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    return lambda state: build_application(
        state, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )


def alerts(response) -> list[str]:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return [
        re.sub(r"\s+", " ", m).strip() for m in re.findall(r'(?s)<div class="alert" role="alert">(.*?)</div>', html)
    ]


# Signing in and out, passwords


def test_it_signs_in_and_lands_on_the_dashboard(client, alice) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/account/sign-in/", {"username": "alice", "password": "secret"}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Atelier Alice" in response.content.decode()


def test_it_says_when_the_password_is_wrong_and_locks_after_repeated_failures(client, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 2
    for _attempt in range(2):
        response = client.post(
            "/account/sign-in/", {"username": "alice", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert "The username or password is not right." in response.content.decode()
    response = client.post("/account/sign-in/", {"username": "alice", "password": "secret"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many failed sign-ins for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_counts_towards_the_same_lockout(client, olivia, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 1
    client.post("/admin/login/", {"username": "olivia", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "olivia", "password": "secret"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many failed sign-ins" in response.content.decode()


def test_signing_out_says_so(alice) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(alice)
    response = client.post("/account/sign-out/", follow=True)
    assert "You are signed out." in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_the_work_pages_send_a_visitor_to_sign_in(client, db) -> None:  # type: ignore[no-untyped-def]
    for path in ["/dashboard/", "/queue/", "/applications/new/", "/applications/1/", "/audits/1/", "/products/new/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == f"/account/sign-in/?next={path}"


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, alice) -> None:  # type: ignore[no-untyped-def]
    alice.email = "alice@atelier.example"
    alice.save()
    response = client.post("/account/password/reset/", {"email": "alice@atelier.example"}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/password/reset/sent/"
    (sent,) = mail.outbox
    link = re.search(r"http://testserver(/account/password/reset/\S+/)", sent.body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    new = {"new_password1": "een-nieuw-wachtwoord-2026", "new_password2": "een-nieuw-wachtwoord-2026"}
    response = client.post(form.redirect_chain[-1][0], new, follow=True)
    assert response.redirect_chain[-1][0] == "/account/sign-in/"
    alice.refresh_from_db()
    assert alice.check_password("een-nieuw-wachtwoord-2026")


def test_a_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/account/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/password/reset/sent/"
    assert mail.outbox == []


def test_the_password_change_asks_the_old_one(alice) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(alice)
    new = {"new_password1": "een-nieuw-wachtwoord-2026", "new_password2": "een-nieuw-wachtwoord-2026"}
    response = client.post("/account/password/", {"old_password": "wrong", **new})
    assert response.status_code == 200
    response = client.post("/account/password/", {"old_password": "secret", **new}, follow=True)
    assert "Your password is changed." in response.content.decode()


# Dashboard and products


def test_the_dashboard_shows_each_role_its_work(build, alice, bob, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_SCHEDULED)
    assert application.reference in signed_in(alice).get("/dashboard/").content.decode()
    assert application.reference not in signed_in(bob).get("/dashboard/").content.decode()
    assert f"/audits/{application.audit.pk}/" in signed_in(carol).get("/dashboard/").content.decode()
    html = signed_in(olivia).get("/dashboard/").content.decode()
    assert re.search(r'<span class="count">1</span> audit scheduled', html)


def test_a_product_refused_by_the_service_says_why_on_the_form(alice, scheme) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(alice)
    category = ProductCategory.objects.get(code="assembly")
    data = {"enterprise": alice.enterprises.get().pk, "name": "Fietsrek", "kind": "product", "category": category.pk}
    response = client.post("/products/new/", {**data, "gtin": "5412345678904"})
    assert response.status_code == 400
    assert alerts(response) == [
        "<ul><li>5412345678904 is not a valid GTIN (barcode number): check the digits.</li></ul>"
    ]
    assert not Product.objects.exists()


def test_a_product_of_another_enterprise_is_not_found(alice, bob, build) -> None:  # type: ignore[no-untyped-def]
    product = build(S.DRAFT).product
    assert signed_in(bob).get(f"/products/{product.pk}/").status_code == 404
    assert signed_in(alice).get(f"/products/{product.pk}/").status_code == 200


def test_an_auditor_cannot_register_products(carol) -> None:  # type: ignore[no-untyped-def]
    assert signed_in(carol).get("/products/new/").status_code == 403


# Applications


def test_a_new_application_with_a_refused_document_is_not_saved_at_all(alice, build) -> None:  # type: ignore[no-untyped-def]
    product = build(S.DRAFT).product
    before = Application.objects.count()
    response = signed_in(alice).post(
        "/applications/new/",
        {"product": product.pk, "file": SimpleUploadedFile("script.pdf", b"#!/bin/sh\n", "application/pdf")},
    )
    assert response.status_code == 400
    assert "Only PDF, PNG and JPEG files are accepted; this file is none of these." in alerts(response)[0]
    assert Application.objects.count() == before


def test_an_application_of_another_enterprise_is_not_found(build, bob, dan) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    document = application.documents.get()
    for user in (bob, dan):
        client = signed_in(user)
        assert client.get(f"/applications/{application.pk}/").status_code == 404
        assert client.get(f"/applications/{application.pk}/documents/{document.pk}/").status_code == 404
        assert client.post(f"/applications/{application.pk}/withdraw/", {"reason": "x"}).status_code == 404
    assert client.get(f"/audits/{application.audit.pk}/").status_code == 404


def test_the_application_page_shows_the_actions_of_this_person_now(build, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.SUBMITTED)
    officer_html = signed_in(olivia).get(f"/applications/{application.pk}/").content.decode()
    for name in ("return_to_applicant", "schedule_audit", "reject"):
        assert f"/applications/{application.pk}/{name}/" in officer_html
    applicant_html = signed_in(alice).get(f"/applications/{application.pk}/").content.decode()
    assert f"/applications/{application.pk}/withdraw/" in applicant_html
    assert f"/applications/{application.pk}/schedule_audit/" not in applicant_html


def test_an_action_not_available_now_changes_nothing_and_says_so(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.SUBMITTED)
    response = signed_in(alice).post(f"/applications/{application.pk}/submit/")
    assert response.status_code == 409
    assert "This application is submitted: “Submit” is not possible now." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_unmet_requirements_are_listed_on_the_action_form(alice, enterprise) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(alice)
    client.post("/applications/new/", {})
    application = Application.objects.get(enterprise=enterprise)
    response = client.post(f"/applications/{application.pk}/submit/")
    assert response.status_code == 400
    text = " ".join(alerts(response))
    assert "Choose the product or service the label is for." in text
    assert "Add at least one document." in text
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_scheduling_offers_only_auditors_without_a_conflict_of_interest(build, olivia, carol, dan, enterprise) -> None:  # type: ignore[no-untyped-def]
    insider = UserFactory(username="insider", roles=["auditor"])
    enterprise.members.add(insider)
    application = build(S.SUBMITTED)
    form = signed_in(olivia).get(f"/applications/{application.pk}/schedule_audit/").context["form"]
    assert [value for value, _ in form.fields["auditor"].widget.choices] == ["", "carol", "dan"]


def test_a_document_is_added_to_a_draft_and_downloaded_by_who_may_see_it(build, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.DRAFT)
    response = signed_in(alice).post(
        f"/applications/{application.pk}/documents/",
        {"file": SimpleUploadedFile("jaarverslag.pdf", PDF, "application/pdf")},
        follow=True,
    )
    assert "jaarverslag.pdf is added." in response.content.decode()
    document = application.documents.get(original_name="jaarverslag.pdf")
    download = signed_in(olivia).get(f"/applications/{application.pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="jaarverslag.pdf"' in download["Content-Disposition"]


def test_a_refused_document_is_said_on_the_application_page(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.SUBMITTED)
    response = signed_in(alice).post(
        f"/applications/{application.pk}/documents/",
        {"file": SimpleUploadedFile("laat.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 400
    assert "Documents can be added only while the application is a draft or answers findings." in alerts(response)[0]


def test_the_timeline_tells_every_event_in_words(build, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.SUBMITTED)
    signed_in(olivia).post(f"/applications/{application.pk}/return_to_applicant/", {"comment": "Voeg het attest toe."})
    html = signed_in(alice).get(f"/applications/{application.pk}/").content.decode()
    assert "Returned to the applicant" in html
    assert "Voeg het attest toe." in html


def test_every_history_code_the_services_write_has_words() -> None:
    sources = [*Path("certification").rglob("*.py"), *Path("audits").rglob("*.py")]
    written = {code for path in sources for code in re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text())}
    written |= {step.action for model in (Application, Label) for step in steps(model).values()}
    assert len(written) > 20
    assert [code for code in sorted(written) if HistoryEvent(action=code).title == code] == []


# Audits


def test_a_refused_assessment_is_said_in_its_place(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    response = signed_in(carol).post(
        f"/audits/{application.audit.pk}/criteria/C2/",
        {"C2-step-0-name": "Zagen", "C2-step-0-target_group_hours": "120", "C2-step-0-all_hours": "100"},
    )
    assert response.status_code == 400
    assert "Zagen: the target-group hours cannot exceed all hours worked." in " ".join(alerts(response))


def test_an_assessment_is_recorded_with_its_history(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    response = signed_in(carol).post(
        f"/audits/{application.audit.pk}/criteria/C1/", {"C1-result": "fail", "C1-comment": "Geen attest."}
    )
    assert response.status_code == 302
    assert response.url.endswith("#criterion-C1")
    assessment = application.audit.assessments.get(criterion__code="C1")
    assert (assessment.result, assessment.comment) == ("fail", "Geen attest.")
    assert HistoryEvent.objects.filter(action="audit.assessment_recorded", comment="Geen attest.").exists()


def test_only_the_assigned_auditor_assesses(build, carol, dan, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    assert signed_in(dan).post(f"/audits/{application.audit.pk}/criteria/C1/", {"C1-result": "pass"}).status_code == 404
    response = signed_in(olivia).post(f"/audits/{application.audit.pk}/criteria/C1/", {"C1-result": "fail"})
    assert response.status_code == 400
    assert application.audit.assessments.get(criterion__code="C1").result == "pass"


# Officers and labels


def test_the_queue_is_for_officers_and_counts_every_state(build, olivia, alice) -> None:  # type: ignore[no-untyped-def]
    build(S.SUBMITTED)
    build(S.AUDIT_REPORTED)
    assert signed_in(alice).get("/queue/").status_code == 403
    response = signed_in(olivia).get("/queue/?state=audit_reported")
    assert [(state.value, n) for state, n in response.context["counts"] if n] == [
        ("submitted", 1),
        ("audit_reported", 1),
    ]
    assert len(response.context["page"].object_list) == 1


def test_an_officer_revokes_a_label_and_the_reason_is_required(issue_label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    client = signed_in(olivia)
    response = client.post(f"/labels/{label.code}/revoke/", {"category": "misuse", "reason": "  "})
    assert response.status_code == 400
    with committed():
        response = client.post(
            f"/labels/{label.code}/revoke/", {"category": "misuse", "reason": "Label op andere producten."}, follow=True
        )
    assert f"Label {label.code} is now revoked." in response.content.decode()
    assert Label.objects.get(pk=label.pk).status == "revoked"


def test_the_approval_is_refused_to_the_officer_who_audited(alice, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    olivia.groups.add(*UserFactory(username="auditing-officer", roles=["auditor"]).groups.all())
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, olivia, olivia)
    )
    response = signed_in(olivia).post(f"/applications/{application.pk}/approve/", {"rationale": ""})
    assert response.status_code == 403
    assert "another certification officer decides on it (four eyes)" in response.content.decode()
    assert not Label.objects.exists()


def test_the_application_due_date_is_asked_in_the_future(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = signed_in(olivia).post(
        f"/applications/{application.pk}/request_corrective_actions/", {"comment": "Bijsturen.", "due_date": yesterday}
    )
    assert response.status_code == 400
    assert "The due date must be in the future." in " ".join(alerts(response))


@pytest.mark.parametrize(
    ("next_", "lands"), [("/audits/{audit}/", "/audits/{audit}/"), ("https://elders.example/", "/applications/{app}/")]
)
def test_an_action_goes_back_only_to_a_page_of_this_site(build, carol, next_, lands) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_SCHEDULED)
    where = {"audit": application.audit.pk, "app": application.pk}
    response = signed_in(carol).post(f"/applications/{application.pk}/start_audit/", {"next": next_.format(**where)})
    assert response.url == lands.format(**where)


def test_a_product_is_offered_for_change_only_while_no_application_went_past_draft(build, alice) -> None:  # type: ignore[no-untyped-def]
    draft, submitted = build(S.DRAFT).product, build(S.SUBMITTED).product
    html = signed_in(alice).get("/dashboard/").content.decode()
    assert f"/products/{draft.pk}/" in html
    assert f"/products/{submitted.pk}/" not in html


def test_a_recorded_value_is_shown_as_typed(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    html = signed_in(carol).get(f"/audits/{application.audit.pk}/").content.decode()
    assert 'name="C3-value" value="3"' in html
    assert 'name="C2-step-0-all_hours" value="100"' in html


def test_a_criterion_that_does_not_apply_is_not_found(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    assert (
        signed_in(carol).post(f"/audits/{application.audit.pk}/criteria/ZZ9/", {"ZZ9-result": "pass"}).status_code
        == 404
    )


def test_an_applicant_without_an_enterprise_is_told_whom_to_ask(db) -> None:  # type: ignore[no-untyped-def]
    loner = UserFactory(username="loner", roles=["applicant"])
    response = signed_in(loner).post("/applications/new/", {})
    assert response.status_code == 400
    assert "Your account is not linked to an enterprise yet" in " ".join(alerts(response))
    assert not Application.objects.exists()


def test_the_queue_pages_keep_their_state(build, olivia, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from web.views import officers

    monkeypatch.setattr(officers, "PAGE_SIZE", 1)
    build(S.SUBMITTED)
    build(S.SUBMITTED)
    html = signed_in(olivia).get("/queue/?state=submitted").content.decode()
    assert 'href="?state=submitted&amp;page=2"' in html
    assert "Page 1 of 2" in html
