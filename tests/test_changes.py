"""Changes affecting certification (ISO/IEC 17065 7.10): the enterprise notifies a change to a
labelled product, an officer decides: no effect, an extra surveillance audit, or suspension."""

import datetime
import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.exceptions import ActionForbidden, RequirementsNotMet, TransitionNotAllowed
from certification.models import Change, ChangeState, HistoryEvent, Label, User
from certification.policies import change_notification_refusal
from certification.services.changes import (
    decide_no_effect,
    notify_change,
    require_extra_surveillance,
    suspend_for_change,
)
from certification.services.labels import change_label_status
from certification.transitions import step_of


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


def notified(label: Label, by: User) -> Change:
    return notify_change(
        label=label, by=by, kind="production_moved", description="Naar Gent.", effective_on=timezone.localdate()
    )


def test_the_applicant_notifies_a_change_through_the_api(label, alice) -> None:  # type: ignore[no-untyped-def]
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(alice)
    answer = api.post(
        reverse("api:change-notify", args=[label.code]),
        {"kind": "subcontractor_changed", "description": "Nieuwe onderaannemer.", "effective_on": "2027-01-01"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["state"] == "notified"
    event = HistoryEvent.objects.get(action="change.notified")
    assert (event.actor, event.application_id) == (alice, label.application_id)


def test_the_applicant_notifies_a_change_on_the_page(label, alice, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    url = reverse("web:change-notify", args=[label.code])
    answer = client.post(
        url, {"kind": "composition_changed", "description": "Ander hout.", "effective_on": "2027-01-01"}
    )
    assert answer.status_code == 302
    assert Change.objects.get().kind == "composition_changed"


def test_a_change_without_a_description_is_refused_with_a_sentence(label, alice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet) as refused:
        notify_change(label=label, by=alice, kind="production_moved", description=" ", effective_on=None)
    assert refused.value.unmet == ["Describe the change.", "Give the date the change takes effect."]


def test_only_the_enterprise_notifies_its_changes(label, bob, olivia) -> None:  # type: ignore[no-untyped-def]
    for person in (bob, olivia):
        with pytest.raises(ActionForbidden):
            notified(label, person)


def test_an_extra_surveillance_makes_the_label_due_today(label, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    change = notified(label, alice)
    require_extra_surveillance(change=change, by=olivia, decision="Nieuwe productieplaats bezoeken.")
    assert Label.objects.get(pk=label.pk).surveillance_due_on == timezone.localdate()


def test_a_suspension_for_a_change_tells_the_public_why(label, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    change = notified(label, alice)
    suspend_for_change(change=change, by=olivia, decision="Samenstelling onbekend.")
    body = APIClient().get(reverse("api:label", args=[label.code])).json()
    assert (body["status"], body["status_reason"]) == ("suspended", "change_under_review")


DECISIONS: dict[str, Callable[..., Any]] = {
    "no_effect": decide_no_effect,
    "extra_surveillance": require_extra_surveillance,
    "suspend_label": suspend_for_change,
}
OUTCOMES = {
    "no_effect": ChangeState.NO_EFFECT,
    "extra_surveillance": ChangeState.EXTRA_SURVEILLANCE,
    "suspend_label": ChangeState.SUSPENDED,
}
PAIRS = [(state, name) for state in ChangeState for name in DECISIONS]


@pytest.mark.parametrize(("state", "name"), PAIRS, ids=[f"{s.value}-{n}" for s, n in PAIRS])
def test_each_decision_from_each_state(state, name, label, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    change = Change.objects.create(
        label=label, kind="production_moved", description="x", effective_on=datetime.date(2027, 1, 1),
        notified_by=alice, state=state,
    )  # fmt: skip
    history = HistoryEvent.objects.count()
    if state == ChangeState.NOTIFIED:
        DECISIONS[name](change=change, by=olivia, decision="Beslist.")
        assert Change.objects.get(pk=change.pk).state == OUTCOMES[name]
        event = HistoryEvent.objects.get(action=step_of(Change, name).action)
        assert (event.from_state, event.application_id) == ("notified", label.application_id)
    else:
        with pytest.raises(TransitionNotAllowed):
            DECISIONS[name](change=change, by=olivia, decision="Beslist.")
        assert (Change.objects.get(pk=change.pk).state, HistoryEvent.objects.count()) == (state, history)


WRONG = [(name, who) for name in DECISIONS for who in ("alice", "bob", "carol", "dan")]


@pytest.mark.parametrize(("name", "who"), WRONG, ids=[f"{n}-by-{w}" for n, w in WRONG])
def test_each_decision_refuses_everyone_but_an_officer(name, who, request, label, alice) -> None:  # type: ignore[no-untyped-def]
    change = notified(label, alice)
    user = request.getfixturevalue(who)
    with pytest.raises(ActionForbidden):
        DECISIONS[name](change=change, by=user, decision="Beslist.")
    assert Change.objects.get(pk=change.pk).state == ChangeState.NOTIFIED


def notify_through_api(user: User, label: Label) -> tuple[int, list[str]]:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    body = {"kind": "production_moved", "description": "Naar Gent.", "effective_on": "2027-01-01"}
    answer = api.post(reverse("api:change-notify", args=[label.code]), body, format="json")
    if answer.status_code == 201:
        return 201, []
    return answer.status_code, answer.json().get("unmet") or [answer.json()["detail"]]


def notify_through_page(client: Client, user: User, label: Label, method: str) -> tuple[int, str]:
    client.force_login(user)
    url = reverse("web:change-notify", args=[label.code])
    body = {"kind": "production_moved", "description": "Naar Gent.", "effective_on": "2027-01-01"}
    answer = client.post(url, body) if method == "post" else client.get(url)
    return answer.status_code, html.unescape(answer.content.decode())


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("case", ["other_enterprise", "revoked"])
def test_the_page_and_the_api_refuse_a_change_notification_alike(case, method, label, alice, bob, olivia) -> None:  # type: ignore[no-untyped-def]
    user = bob if case == "other_enterprise" else alice
    if case == "revoked":
        change_label_status(label=label, name="revoke", by=olivia, reason="Misbruik.", category="misuse")
    status, sentences = notify_through_api(user, label)
    page_status, page = notify_through_page(Client(HTTP_ACCEPT_LANGUAGE="en"), user, label, method)
    assert (status, page_status) == ((403, 403) if case == "other_enterprise" else (400, 400))
    assert sentences == [
        "Only an applicant of the enterprise may notify a change to its label."
        if case == "other_enterprise"
        else "Only a current label (active or suspended) can be affected by a change."
    ]
    assert sentences[0] in page
    assert not Change.objects.exists()


@pytest.mark.parametrize(
    ("who", "status", "offered", "refusal"),
    [
        ("alice", "active", True, ""),
        ("alice", "suspended", True, ""),
        ("alice", "revoked", False, "Only a current label (active or suspended) can be affected by a change."),
        ("olivia", "active", False, ""),
    ],
)
def test_the_application_page_offers_a_change_notification_as_the_policy_says(  # type: ignore[no-untyped-def]
    who, status, offered, refusal, request, label, olivia
) -> None:
    if status != "active":
        step = {"suspended": "suspend", "revoked": "revoke"}[status]
        change_label_status(label=label, name=step, by=olivia, reason="Onderzoek.", category="misuse")
    user = request.getfixturevalue(who)
    assert (change_notification_refusal(user, Label.objects.get(pk=label.pk)) is None) == offered
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    page = html.unescape(client.get(reverse("web:application", args=[label.application_id])).content.decode())
    assert (reverse("web:change-notify", args=[label.code]) in page) == offered
    if refusal:
        assert refusal in page
