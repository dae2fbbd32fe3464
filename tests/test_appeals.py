"""Appeals (ISO/IEC 17065 7.13): an enterprise appeals a rejection, a suspension or a revocation
within the scheme's days; an officer who took no part in the decision decides, with reasons.

olivia rejects, suspends and revokes; oscar, who took no part, decides the appeals; alice
appeals for Atelier Alice; bob applies for another enterprise.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from certification.exceptions import ActionForbidden, RequirementsNotMet, TransitionNotAllowed
from certification.models import Application, ApplicationState, HistoryEvent, Label, LabelStatus, StatusReason
from certification.services.applications import reject_application
from certification.services.labels import change_label_status
from complaints.models import Appeal, AppealFile, AppealState
from complaints.services.appeals import grant_appeal, lodge_appeal, uphold_decision
from tests.factories import PDF_BYTES
from tests.workflow import Actors, build_application

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DECIDED = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=BRUSSELS)
S = ApplicationState


@pytest.fixture
def rejected(alice, carol, olivia, enterprise, scheme) -> Application:  # type: ignore[no-untyped-def]
    """Rejected by olivia after carol's audit report, on 4 December 2026."""
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    with time_machine.travel(DECIDED, tick=False):
        return reject_application(application=application, by=olivia, reason="Aandeel te laag gemeten.")


@pytest.fixture
def suspended(issue_label, olivia) -> Label:  # type: ignore[no-untyped-def]
    label = issue_label()
    return change_label_status(label=label, name="suspend", by=olivia, reason="Klacht gegrond.", category="misuse")


def appeal_of(application: Application, by, **fields) -> Appeal:  # type: ignore[no-untyped-def]
    values = {"arguments": "Het gemeten aandeel telt de onderaanneming niet mee.", "reopen_at": "audit_reported"}
    values.update(fields)
    return lodge_appeal(by=by, application=application, **values)  # type: ignore[arg-type]


def test_an_applicant_appeals_a_rejection_within_the_schemes_days(rejected, alice) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=30), tick=False):
        appeal = appeal_of(rejected, alice)
    assert (appeal.state, appeal.kind, appeal.decision.action) == (
        AppealState.LODGED,
        "rejection",
        "application.rejected",
    )
    event = HistoryEvent.objects.get(action="appeal.lodged")
    assert (event.actor, event.application_id, event.target_id) == (alice, rejected.pk, appeal.pk)


def test_an_appeal_whose_history_fails_leaves_no_file_behind(rejected, alice, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database down")

    monkeypatch.setattr("complaints.services.appeals.record_event", fails)
    files = [ContentFile(PDF_BYTES, name="bijlage.pdf"), ContentFile(PDF_BYTES, name="loonlijst.pdf")]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False), pytest.raises(RuntimeError):
        appeal_of(rejected, alice, files=files)
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file() and "appeals" in p.parts] == []
    assert not AppealFile.objects.exists()


def test_an_appeal_after_the_schemes_days_is_refused_with_a_sentence(rejected, alice) -> None:  # type: ignore[no-untyped-def]
    with (
        time_machine.travel(DECIDED + datetime.timedelta(days=31), tick=False),
        pytest.raises(RequirementsNotMet) as refusal,
    ):
        appeal_of(rejected, alice)
    assert refusal.value.unmet == ["The time to appeal this decision ended on Jan. 3, 2027 (30 days after it)."]
    assert not Appeal.objects.exists()


def test_another_enterprise_may_not_appeal(rejected, bob) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionForbidden, match="Only an applicant of the enterprise may appeal"):
        appeal_of(rejected, bob)


def test_a_decision_is_appealed_once_and_only_a_decision_that_stands(rejected, alice, issue_label) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal_of(rejected, alice)
        with pytest.raises(RequirementsNotMet, match="appealed already"):
            appeal_of(rejected, alice)
    valid = issue_label()
    with pytest.raises(RequirementsNotMet, match="no decision to appeal"):
        appeal_of(valid.application, alice, reopen_at="")


def test_the_officer_who_decided_may_not_decide_the_appeal(rejected, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice)
    with pytest.raises(ActionForbidden) as refusal:
        grant_appeal(appeal=appeal, by=olivia, reasons="Ik herzie mijn eigen beslissing.")
    assert (
        refusal.value.message == "You took the decision appealed: another certification officer decides on the appeal."
    )
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.LODGED


def test_a_granted_appeal_reopens_the_application_at_the_step_it_names(rejected, alice, oscar) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice)
    grant_appeal(appeal=appeal, by=oscar, reasons="De onderaanneming is erkend: opnieuw beslissen.")

    assert Application.objects.get(pk=rejected.pk).state == S.AUDIT_REPORTED
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert (appeal.state, appeal.reasons) == (AppealState.GRANTED, "De onderaanneming is erkend: opnieuw beslissen.")
    reopened = HistoryEvent.objects.get(action="application.reopened")
    assert (reopened.from_state, reopened.to_state, reopened.actor) == ("rejected", "audit_reported", oscar)


def test_when_the_decision_stands_nothing_else_changes(rejected, alice, oscar) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice)
    uphold_decision(appeal=appeal, by=oscar, reasons="De meting is correct.")
    assert Application.objects.get(pk=rejected.pk).state == S.REJECTED
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.DECISION_UPHELD
    with pytest.raises(TransitionNotAllowed):
        grant_appeal(appeal=appeal, by=oscar, reasons="Toch niet.")


def test_a_granted_appeal_reinstates_a_suspended_label(suspended, alice, oscar) -> None:  # type: ignore[no-untyped-def]
    appeal = appeal_of(suspended.application, alice, reopen_at="")
    assert appeal.kind == "suspension"
    grant_appeal(appeal=appeal, by=oscar, reasons="Het misbruik was van een verdeler, niet van de onderneming.")
    label = Label.objects.get(pk=suspended.pk)
    assert (label.status, label.status_reason_category) == (LabelStatus.ACTIVE, StatusReason.APPEAL_GRANTED)


def test_a_granted_appeal_reinstates_a_revoked_label(issue_label, alice, olivia, oscar) -> None:  # type: ignore[no-untyped-def]
    label = change_label_status(label=issue_label(), name="revoke", by=olivia, reason="Misbruik.", category="misuse")
    appeal = appeal_of(label.application, alice, reopen_at="")
    grant_appeal(appeal=appeal, by=oscar, reasons="Het misbruik is niet bewezen.")
    assert Label.objects.get(pk=label.pk).status == LabelStatus.ACTIVE
    assert HistoryEvent.objects.filter(action="label.reinstated", target_id=label.pk).count() == 1


def test_the_applicant_follows_the_appeal_through_the_api(rejected, alice, bob, carol, oscar) -> None:  # type: ignore[no-untyped-def]
    def client(user) -> APIClient:  # type: ignore[no-untyped-def]
        api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        api.force_authenticate(user)
        return api

    body = {"application": rejected.pk, "arguments": "Zie bijlage.", "reopen_at": "submitted"}
    with time_machine.travel(DECIDED + datetime.timedelta(days=2), tick=False):
        assert client(bob).post("/api/v1/appeals/", body, format="json").status_code == 404
        assert client(carol).post("/api/v1/appeals/", body, format="json").status_code == 403
        created = client(alice).post("/api/v1/appeals/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client(bob).get(f"/api/v1/appeals/{pk}/").status_code == 404
    refused = client(alice).post(f"/api/v1/appeals/{pk}/transitions/grant/", {"reasons": "Ja."}, format="json")
    assert refused.status_code == 403
    granted = client(oscar).post(
        f"/api/v1/appeals/{pk}/transitions/grant/", {"reasons": "Opnieuw screenen."}, format="json"
    )
    assert granted.status_code == 200
    seen = client(alice).get(f"/api/v1/appeals/{pk}/").json()
    assert (seen["state"], seen["reasons"]) == ("granted", "Opnieuw screenen.")
    assert [event["action"] for event in seen["history"]] == ["appeal.lodged", "appeal.granted"]
    assert Application.objects.get(pk=rejected.pk).state == S.SUBMITTED


def test_the_applicant_appeals_on_the_application_page(rejected, alice, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    with time_machine.travel(DECIDED + datetime.timedelta(days=3), tick=False):
        page = client.get(f"/applications/{rejected.pk}/").content.decode()
        assert f"/applications/{rejected.pk}/appeal/" in page
        answer = client.post(
            f"/applications/{rejected.pk}/appeal/", {"arguments": "Onze argumenten.", "reopen_at": "submitted"}
        )
    appeal = Appeal.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/appeals/{appeal.pk}/"
    assert "Onze argumenten." in client.get(f"/appeals/{appeal.pk}/").content.decode()


# The appeal's state machine as a table: every state x every step, every wrong actor.

DECISIONS = {"uphold_decision": uphold_decision, "grant": grant_appeal}
TARGETS = {"uphold_decision": AppealState.DECISION_UPHELD, "grant": AppealState.GRANTED}


@pytest.mark.parametrize("state", list(AppealState))
@pytest.mark.parametrize("name", list(DECISIONS))
def test_each_decision_from_each_state(state, name, rejected, alice, oscar) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice, reopen_at="submitted")
    if state != AppealState.LODGED:
        other = "grant" if state == AppealState.GRANTED else "uphold_decision"
        DECISIONS[other](appeal=appeal, by=oscar, reasons="Eerder beslist.")
    events = HistoryEvent.objects.count()

    if state == AppealState.LODGED:
        DECISIONS[name](appeal=appeal, by=oscar, reasons="Gemotiveerd.")
        assert Appeal.objects.get(pk=appeal.pk).state == TARGETS[name]
    else:
        with pytest.raises(TransitionNotAllowed):
            DECISIONS[name](appeal=appeal, by=oscar, reasons="Gemotiveerd.")
        assert Appeal.objects.get(pk=appeal.pk).state == state
        assert HistoryEvent.objects.count() == events


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dan", "olivia"])
@pytest.mark.parametrize("name", list(DECISIONS))
def test_each_decision_refuses_the_wrong_actor(name, who, request, rejected, alice) -> None:  # type: ignore[no-untyped-def]
    """olivia rejected the application: she took part in the decision appealed."""
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice, reopen_at="submitted")
    events = HistoryEvent.objects.count()

    with pytest.raises(ActionForbidden) as refusal:
        DECISIONS[name](appeal=appeal, by=request.getfixturevalue(who), reasons="Gemotiveerd.")

    assert "certification officer" in refusal.value.message
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.LODGED
    assert Application.objects.get(pk=rejected.pk).state == S.REJECTED
    assert HistoryEvent.objects.count() == events


def test_an_officer_decides_on_the_appeal_page_and_the_one_who_decided_is_told_why_not(
    rejected, alice, olivia, oscar, client
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice, reopen_at="submitted")
    client.force_login(olivia)
    page = client.get(f"/appeals/{appeal.pk}/grant/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 403
    assert "You took the decision appealed" in page.content.decode()
    client.force_login(oscar)
    assert "Grant the appeal" in client.get(f"/appeals/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    answer = client.post(f"/appeals/{appeal.pk}/grant/", {"reasons": "Opnieuw screenen."})
    assert answer.status_code == 302
    assert Application.objects.get(pk=rejected.pk).state == S.SUBMITTED


def test_the_applicants_are_mailed_the_decision_on_the_appeal_once(rejected, alice, oscar, committed) -> None:  # type: ignore[no-untyped-def]
    from background.models import Mail

    with time_machine.travel(DECIDED + datetime.timedelta(days=1), tick=False):
        appeal = appeal_of(rejected, alice, reopen_at="submitted")
    with committed():
        uphold_decision(appeal=appeal, by=oscar, reasons="De meting is correct.")
    (mail,) = Mail.objects.filter(to=alice.email, key__startswith="appeal:")
    assert mail.language == alice.language
    assert "De meting is correct." in mail.body
