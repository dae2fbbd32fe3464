"""The pages and the API give the same answer with the same sentence: every step of every
state machine (the application, the label, the surveillance audit, the change notified, the
complaint and the appeal), taken by every person, through both, on objects built alike.

alice applies for Atelier Alice; bob for another enterprise; carol audits alice's
application, dan audits other things; olivia and oscar are officers; vera is an officer who
audited alice's application; mia is an officer and a member of Atelier Alice.
"""

import datetime
import html
import json
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from audits.models import FindingStatus
from audits.surveillance import Surveillance, SurveillanceState
from certification.models import Application, ApplicationState, Change, Label, Role
from certification.services.applications import reject_application
from certification.transitions import state_field, steps
from complaints.models import Appeal, AppealState, Complaint, ComplaintState
from complaints.services.appeals import grant_appeal, lodge_appeal, uphold_decision
from tests.complaints import build_complaint
from tests.factories import UserFactory
from tests.surveillance_world import build_surveillance
from tests.workflow import ALLOWED, Actors, build_application

S = ApplicationState
PEOPLE = ["alice", "bob", "carol", "dan", "olivia", "oscar", "vera", "mia"]


def body_for(name: str, application: Application) -> dict[str, Any]:
    """A valid body for each step, the same through the page and the API."""
    later = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    open_findings = (
        application.audit.findings.filter(status=FindingStatus.OPEN) if hasattr(application, "audit") else []
    )
    bodies: dict[str, dict[str, Any]] = {
        "return_to_applicant": {"comment": "Voeg het attest toe."},
        "schedule_audit": {"auditor": "dan", "scheduled_for": later},
        "submit_report": {"summary": "In orde."},
        "request_corrective_actions": {"comment": "Graag bijsturen.", "due_date": later},
        "submit_corrective_actions": {"responses": {str(f.pk): "Opgelost." for f in open_findings}},
        "approve": {"rationale": "Voldoet."},
        "reject": {"reason": "Voldoet niet."},
        "withdraw": {"reason": "Product stopgezet."},
        "suspend": {"reason": "Klacht in onderzoek.", "category": "non_conformity"},
        "reinstate": {"reason": "Opgelost.", "category": "corrected"},
        "revoke": {"reason": "Misbruik.", "category": "misuse"},
    }
    return bodies.get(name, {})


def as_form(body: dict[str, Any]) -> dict[str, str]:
    return {key: json.dumps(value) if isinstance(value, dict) else value for key, value in body.items()}


def through_api(user: Any, url: str, body: dict[str, Any]) -> tuple[str, int, list[str]]:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    response = client.post(url, body, format="json")
    if response.status_code == 200:
        return "done", 200, []
    answer = response.json()
    return "refused", response.status_code, answer.get("unmet") or [answer["detail"]]


def through_page(user: Any, url: str, body: dict[str, Any]) -> tuple[str, int, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.post(url, as_form(body))
    if response.status_code == 302:
        return "done", 200, ""
    return "refused", response.status_code, html.unescape(response.content.decode())


def assert_same_sentences(api: tuple[str, int, list[str]], page: tuple[str, int, str]) -> None:
    if api[0] == "done" or api[1] == 404:  # what is not yours does not exist: said by the not-found page and answer
        return
    assert api[2]
    for sentence in api[2]:
        assert sentence in page[2], sentence


@pytest.fixture
def people(alice, bob, carol, dan, olivia, oscar, enterprise) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    mia = UserFactory(username="mia", roles=[Role.OFFICER])
    enterprise.members.add(mia)
    vera = UserFactory(username="vera", roles=[Role.OFFICER, Role.AUDITOR])
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dan": dan,
        "olivia": olivia,
        "oscar": oscar,
        "vera": vera,
        "mia": mia,
    }


def _state_for(name: str, allowed: bool) -> ApplicationState:
    sources = ALLOWED[name][0]
    ordered = list(ApplicationState)
    return min(sources, key=ordered.index) if allowed else min(set(S) - sources, key=ordered.index)


APPLICATION_CASES = [(name, allowed, who) for name in steps(Application) for allowed in (True, False) for who in PEOPLE]


@pytest.mark.parametrize(
    ("name", "allowed", "who"),
    APPLICATION_CASES,
    ids=[f"{n}-{'now' if a else 'not-now'}-by-{w}" for n, a, w in APPLICATION_CASES],
)
def test_an_application_step_is_answered_alike_on_the_api_and_the_pages(  # type: ignore[no-untyped-def]
    name, allowed, who, people, enterprise, scheme
) -> None:
    # vera audits the application (four eyes), carol otherwise.
    auditor = people["vera"] if who == "vera" else people["carol"]
    actors = Actors(applicant=people["alice"], auditor=auditor, officer=people["olivia"])
    state = _state_for(name, allowed)
    twins = [build_application(state, enterprise=enterprise, scheme=scheme, actors=actors) for _ in range(2)]
    user = people[who]

    api = through_api(user, f"/api/v1/applications/{twins[0].pk}/transitions/{name}/", body_for(name, twins[0]))
    page = through_page(user, f"/applications/{twins[1].pk}/{name}/", body_for(name, twins[1]))

    assert (api[0], api[1]) == (page[0], page[1]), (api, page[1])
    assert_same_sentences(api, page)
    states = [Application.objects.get(pk=twin.pk).state for twin in twins]
    assert states[0] == states[1]


LABEL_CASES = [(name, who) for name in steps(Label) for who in PEOPLE]


@pytest.mark.parametrize(("name", "who"), LABEL_CASES, ids=[f"{n}-by-{w}" for n, w in LABEL_CASES])
def test_a_label_step_is_answered_alike_on_the_api_and_the_pages(name, who, people, issue_label) -> None:  # type: ignore[no-untyped-def]
    twins = [issue_label(), issue_label()]
    user = people[who]

    api = through_api(user, f"/api/v1/labels/{twins[0].code}/transitions/{name}/", body_for(name, twins[0].application))
    page = through_page(user, f"/labels/{twins[1].code}/{name}/", body_for(name, twins[1].application))

    assert (api[0], api[1]) == (page[0], page[1]), (api, page[1])
    assert_same_sentences(api, page)
    assert Label.objects.get(pk=twins[0].pk).status == Label.objects.get(pk=twins[1].pk).status


def test_every_step_is_reachable_from_the_api_the_pages_and_the_admin(people, issue_label) -> None:  # type: ignore[no-untyped-def]
    """Each declared step has a service, a form, an endpoint, a page and an admin button."""
    from django.urls import reverse

    from certification.transitions import performer

    label = issue_label()
    for model, target in ((Application, label.application), (Label, label)):
        for name in steps(model):
            assert performer(model, name).form is not None
            key = "pk" if model is Application else "code"
            value = target.pk if model is Application else label.code
            assert reverse(f"api:{model._meta.model_name}-transition", kwargs={key: value, "name": name})
            assert reverse(f"web:{model._meta.model_name}-action", args=[value, name])
            assert reverse(f"admin:certification_{model._meta.model_name}_action", args=[target.pk, name])


# The machines that came after the label: surveillance, the change notified, the complaint and the
# appeal. Each step, allowed now or not, by each person, through the API and the page, on twins.


def sources_of(model: type[models.Model], name: str) -> set[str]:
    return {str(t.source) for t in state_field(model).get_all_transitions(model) if t.name == name}


def state_for(model: type[models.Model], name: str, allowed: bool) -> str:
    """The first state (in declaration order) from which step `name` is allowed, or is not."""
    sources = sources_of(model, name)
    states = [str(value) for value, _label in state_field(model).choices]
    return next(state for state in states if (state in sources) == allowed)


def cases(model: type[models.Model]) -> list[tuple[str, bool, str]]:
    return [(name, allowed, who) for name in steps(model) for allowed in (True, False) for who in PEOPLE]


def case_ids(model: type[models.Model]) -> list[str]:
    return [f"{n}-{'now' if a else 'not-now'}-by-{w}" for n, a, w in cases(model)]


def assert_answered_alike(user: Any, api_url: str, page_url: str, body: dict[str, Any]) -> None:
    api = through_api(user, api_url, body)
    page = through_page(user, page_url, body)
    assert (api[0], api[1]) == (page[0], page[1]), (api, page[1])
    assert_same_sentences(api, page)


def state_of(model: type[models.Model], twins: list[Any]) -> list[str]:
    return [str(model.objects.get(pk=twin.pk).state) for twin in twins]


SURVEILLANCE_BODIES: dict[str, dict[str, Any]] = {
    "report": {"summary": "In orde."},  # the share is computed from the hours of C2, never sent
    "continue_certification": {"rationale": "Voldoet."},
    "request_corrective_actions": {"comment": "Register bijwerken.", "due_date": "2099-01-01"},
    "submit_corrective_actions": {"response": "Register bijgewerkt."},
    "suspend_label": {"reason": "Aandeel niet aangetoond."},
    "revoke_label": {"reason": "Product gewijzigd."},
}


@pytest.mark.parametrize(("name", "allowed", "who"), cases(Surveillance), ids=case_ids(Surveillance))
def test_a_surveillance_step_is_answered_alike_on_the_api_and_the_pages(  # type: ignore[no-untyped-def]
    name, allowed, who, people, issue_label
) -> None:
    # vera audits the surveillance (four eyes), carol otherwise.
    auditor = people["vera"] if who == "vera" else people["carol"]
    state = SurveillanceState(state_for(Surveillance, name, allowed))
    twins = [build_surveillance(state, label=issue_label(), auditor=auditor) for _ in range(2)]
    body = SURVEILLANCE_BODIES.get(name, {})
    assert_answered_alike(
        people[who],
        f"/api/v1/surveillances/{twins[0].pk}/transitions/{name}/",
        f"/surveillance/{twins[1].pk}/{name}/",
        body,
    )
    states = state_of(Surveillance, twins)
    assert states[0] == states[1]
    labels = [Label.objects.get(pk=twin.label_id).status for twin in twins]
    assert labels[0] == labels[1]


def notified_change(label: Label, state: str, by: Any) -> Change:
    return Change.objects.create(
        label=label, kind="production_moved", description="Naar Gent.", effective_on=timezone.localdate(),
        notified_by=by, state=state,
    )  # fmt: skip


@pytest.mark.parametrize(("name", "allowed", "who"), cases(Change), ids=case_ids(Change))
def test_a_change_decision_is_answered_alike_on_the_api_and_the_pages(  # type: ignore[no-untyped-def]
    name, allowed, who, people, issue_label
) -> None:
    state = state_for(Change, name, allowed)
    twins = [notified_change(issue_label(), state, people["alice"]) for _ in range(2)]
    assert_answered_alike(
        people[who],
        f"/api/v1/changes/{twins[0].pk}/transitions/{name}/",
        f"/changes/{twins[1].pk}/{name}/",
        {"decision": "Beslist na een bezoek."},
    )
    states = state_of(Change, twins)
    assert states[0] == states[1]
    labels = [Label.objects.get(pk=twin.label_id).status for twin in twins]
    assert labels[0] == labels[1]


COMPLAINT_BODIES: dict[str, dict[str, Any]] = {
    "acknowledge": {"note": "Ontvankelijk."},
    "investigate": {"note": "Bezoek gepland."},
    "uphold": {"reason": "Vastgesteld bij een onaangekondigd bezoek."},
    "dismiss": {"reason": "Het product is correct gelabeld."},
    "close": {"note": "Afgehandeld."},
}


@pytest.mark.parametrize(("name", "allowed", "who"), cases(Complaint), ids=case_ids(Complaint))
def test_a_complaint_step_is_answered_alike_on_the_api_and_the_pages(  # type: ignore[no-untyped-def]
    name, allowed, who, people, enterprise
) -> None:
    state = ComplaintState(state_for(Complaint, name, allowed))
    twins = [build_complaint(state, enterprise=enterprise) for _ in range(2)]
    assert_answered_alike(
        people[who],
        f"/api/v1/complaints/{twins[0].tracking_number}/transitions/{name}/",
        f"/officer/complaints/{twins[1].tracking_number}/{name}/",
        COMPLAINT_BODIES[name],
    )
    states = state_of(Complaint, twins)
    assert states[0] == states[1]


def lodged_appeal(state: str, *, people: dict[str, Any], enterprise: Any, scheme: Any) -> Appeal:
    """An appeal of alice's application, rejected by olivia, decided by oscar unless still lodged."""
    actors = Actors(applicant=people["alice"], auditor=people["carol"], officer=people["olivia"])
    application = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    reject_application(application=application, by=people["olivia"], reason="Aandeel te laag gemeten.")
    appeal = lodge_appeal(by=people["alice"], application=application, arguments="Zie bijlage.", reopen_at="submitted")
    if state == AppealState.DECISION_UPHELD:
        uphold_decision(appeal=appeal, by=people["oscar"], reasons="Eerder beslist.")
    elif state == AppealState.GRANTED:
        grant_appeal(appeal=appeal, by=people["oscar"], reasons="Eerder beslist.")
    return appeal


@pytest.mark.parametrize(("name", "allowed", "who"), cases(Appeal), ids=case_ids(Appeal))
def test_an_appeal_decision_is_answered_alike_on_the_api_and_the_pages(  # type: ignore[no-untyped-def]
    name, allowed, who, people, enterprise, scheme
) -> None:
    state = state_for(Appeal, name, allowed)
    twins = [lodged_appeal(state, people=people, enterprise=enterprise, scheme=scheme) for _ in range(2)]
    assert_answered_alike(
        people[who],
        f"/api/v1/appeals/{twins[0].pk}/transitions/{name}/",
        f"/appeals/{twins[1].pk}/{name}/",
        {"reasons": "Gemotiveerd."},
    )
    states = state_of(Appeal, twins)
    assert states[0] == states[1]
    applications = [Application.objects.get(pk=twin.application_id).state for twin in twins]
    assert applications[0] == applications[1]
