"""The admin: officers work in it; states change only through buttons that run the services."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from certification.models import ApplicationState, HistoryEvent, LabelStatus, SchemeStatus
from tests.workflow import Actors, build_application

S = ApplicationState


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:  # type: ignore[no-untyped-def]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the admin speaks Dutch unless asked otherwise


@pytest.fixture
def actors(alice, carol, olivia) -> Actors:  # type: ignore[no-untyped-def]
    return Actors(applicant=alice, auditor=carol, officer=olivia)


@pytest.fixture
def officer_client(client, olivia):  # type: ignore[no-untyped-def]
    client.force_login(olivia)
    return client


def action_url(application, name: str) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:certification_application_action", args=[application.pk, name])


def test_an_officer_signs_in_to_the_admin_by_role_alone(client, olivia) -> None:  # type: ignore[no-untyped-def]
    assert not olivia.is_staff
    response = client.post(reverse("admin:login"), {"username": "olivia", "password": "secret"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_applicant_cannot_sign_in_to_the_admin(client, alice) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("admin:login"), {"username": "alice", "password": "secret"})
    assert response.status_code == 200
    assert "certification officer" in response.content.decode()


def test_an_applicant_cannot_enter_the_admin(client, alice) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url


def test_every_admin_list_and_page_opens_for_an_officer(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)  # rows to open
    assert officer_client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        if info == ("auth", "group") or not model_admin.has_view_permission(type("R", (), {"user": actors.officer})()):
            continue
        assert officer_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        first = model.objects.order_by("pk").first()
        if first is not None:
            assert (
                officer_client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk])).status_code == 200
            ), info


def test_the_application_page_offers_the_officers_actions(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=actors)
    page = officer_client.get(reverse("admin:certification_application_change", args=[application.pk])).content.decode()
    for name in ("return_to_applicant", "schedule_audit", "reject"):
        assert action_url(application, name) in page
    assert action_url(application, "approve") not in page
    assert action_url(application, "submit") not in page


def test_scheduling_an_audit_in_the_admin_runs_the_service(officer_client, actors, enterprise, scheme, dan) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=actors)
    enterprise.members.add(dan)  # a conflict of interest: dan is not offered
    form_page = officer_client.get(action_url(application, "schedule_audit")).content.decode()
    assert ">carol<" in form_page
    assert ">dan<" not in form_page

    day = timezone.localdate() + datetime.timedelta(days=5)
    response = officer_client.post(
        action_url(application, "schedule_audit"),
        {"auditor": actors.auditor.username, "scheduled_for": day.isoformat()},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.audit.auditor, application.audit.scheduled_for) == (
        S.AUDIT_SCHEDULED,
        actors.auditor,
        day,
    )
    assert HistoryEvent.objects.filter(action="application.audit_scheduled", actor=actors.officer).count() == 1


def test_missing_inputs_are_named_and_change_nothing(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=actors)
    response = officer_client.post(action_url(application, "schedule_audit"), {})
    assert response.status_code == 200
    assert "Choose an auditor." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_an_action_not_allowed_now_is_refused(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.DRAFT, enterprise=enterprise, scheme=scheme, actors=actors)
    response = officer_client.post(action_url(application, "approve"), {"rationale": "ok"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_approving_in_the_admin_issues_the_label(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    officer_client.post(action_url(application, "approve"), {"rationale": "Voldoet."})
    application.refresh_from_db()
    assert application.state == S.APPROVED
    assert application.label.level == 3


def test_suspending_a_label_in_the_admin_needs_a_reason(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    from audits.services.decisions import approve_application

    application = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    label = approve_application(application=application, by=actors.officer)
    url = reverse("admin:certification_label_action", args=[label.pk, "suspend"])

    assert "reason" in officer_client.post(url, {"reason": "", "category": "other"}).content.decode().lower()
    officer_client.post(url, {"reason": "Audit niet ingepland.", "category": "surveillance_overdue"})

    label.refresh_from_db()
    assert (label.status, label.status_reason, label.status_reason_category) == (
        LabelStatus.SUSPENDED,
        "Audit niet ingepland.",
        "surveillance_overdue",
    )


def test_a_new_scheme_version_is_made_and_activated_in_the_admin(officer_client, scheme) -> None:  # type: ignore[no-untyped-def]
    officer_client.post(reverse("admin:certification_scheme_action", args=[scheme.pk, "copy"]), {"version": "2027.1"})
    draft = type(scheme).objects.get(version="2027.1")
    assert draft.criteria.count() == scheme.criteria.count()
    officer_client.post(reverse("admin:certification_scheme_action", args=[draft.pk, "activate"]), {})
    draft.refresh_from_db()
    scheme.refresh_from_db()
    assert (draft.status, scheme.status) == (SchemeStatus.ACTIVE, SchemeStatus.RETIRED)


def test_history_cannot_be_added_changed_or_deleted_in_the_admin(officer_client, admin_client, scheme) -> None:  # type: ignore[no-untyped-def]
    event = HistoryEvent.objects.first()
    model_admin = admin.site._registry[HistoryEvent]
    for client in (officer_client, admin_client):
        assert client.get(reverse("admin:certification_historyevent_add")).status_code == 403
        assert client.get(reverse("admin:certification_historyevent_delete", args=[event.pk])).status_code == 403
        page = client.get(reverse("admin:certification_historyevent_change", args=[event.pk])).content.decode()
        assert 'name="comment"' not in page
    assert not model_admin.has_delete_permission(type("R", (), {})())


def test_an_officer_downloads_a_document(officer_client, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=actors)
    document = application.documents.get()
    response = officer_client.get(reverse("admin:certification_applicationdocument_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="erkenning.pdf"' in response["Content-Disposition"]
