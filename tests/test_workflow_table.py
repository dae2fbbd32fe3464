"""DESIGN §4 as a table: every (state, transition) pair, every role, every requirement."""

import datetime

import pytest
import time_machine

from audits.models import Audit, Finding
from certification.exceptions import ActionForbidden, RequirementsNotMet, TransitionNotAllowed
from certification.models import Application, ApplicationState, HistoryEvent, Label
from certification.transitions import step_of
from tests.workflow import ALLOWED, TRANSITION_CALLS, Actors, build_application

PAIRS = [(state, name) for state in ApplicationState for name in TRANSITION_CALLS]


def snapshot(application: Application) -> dict[str, object]:
    """Everything a refused transition must leave as it was."""
    return {
        "state": Application.objects.get(pk=application.pk).state,
        "history": HistoryEvent.objects.count(),
        "labels": Label.objects.count(),
        "audits": list(Audit.objects.values_list("pk", "auditor_id", "summary", "measured_social_share", "started_at")),
        "findings": list(Finding.objects.values_list("pk", "status", "response", "due_date")),
    }


@pytest.fixture
def actors(alice, carol, olivia) -> Actors:  # type: ignore[no-untyped-def]
    return Actors(applicant=alice, auditor=carol, officer=olivia)


@pytest.mark.parametrize(("state", "name"), PAIRS, ids=[f"{s.value}-{n}" for s, n in PAIRS])
def test_each_transition_from_each_state(state, name, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(state, enterprise=enterprise, scheme=scheme, actors=actors)
    sources, target = ALLOWED[name]
    before = snapshot(application)

    if state in sources:
        TRANSITION_CALLS[name](application, actors)
        assert Application.objects.get(pk=application.pk).state == target
        event = HistoryEvent.objects.filter(action=step_of(Application, name).action).get()
        assert (event.from_state, event.to_state, event.application_id) == (state, target, application.pk)
    else:
        with pytest.raises(TransitionNotAllowed) as refusal:
            TRANSITION_CALLS[name](application, actors)
        assert refusal.value.state == state
        assert snapshot(application) == before


RIGHTFUL = {
    "submit": {"alice"},
    "return_to_applicant": {"olivia", "oscar"},
    "schedule_audit": {"olivia", "oscar"},
    "start_audit": {"carol"},
    "submit_report": {"carol"},
    "request_corrective_actions": {"olivia", "oscar"},
    "submit_corrective_actions": {"alice"},
    "approve": {"olivia", "oscar"},
    "reject": {"olivia", "oscar"},
    "withdraw": {"alice"},
}
PEOPLE = ["alice", "bob", "carol", "dan", "olivia", "oscar"]
WRONG_ACTORS = [(name, who) for name in TRANSITION_CALLS for who in PEOPLE if who not in RIGHTFUL[name]]


@pytest.mark.parametrize(("name", "who"), WRONG_ACTORS, ids=[f"{n}-by-{w}" for n, w in WRONG_ACTORS])
def test_each_transition_refuses_the_wrong_actor(name, who, request, actors, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    state = min(ALLOWED[name][0], key=list(ApplicationState).index)
    application = build_application(state, enterprise=enterprise, scheme=scheme, actors=actors)
    for person in PEOPLE:
        request.getfixturevalue(person)
    user = request.getfixturevalue(who)
    before = snapshot(application)

    with pytest.raises(ActionForbidden):
        TRANSITION_CALLS[name](application, Actors(applicant=user, auditor=user, officer=user))

    assert snapshot(application) == before


# Renewal (DESIGN §9): from which public status of its label a renewal may start (in its window),
# and who may start it. A refusal changes nothing.
RENEWAL_FROM = {
    "valid": True,
    "suspended": False,
    "revoked": False,
    "superseded": False,
    "expired": False,
}
RENEWS = {"alice"}


def label_reading(status: str, label: Label, officer) -> Label:  # type: ignore[no-untyped-def]
    """The label made to read `status` in its renewal window, two months before its last day."""
    from certification.models import LabelStatus, StatusReason
    from certification.services.labels import change_label_status

    if status in {"suspended", "revoked"}:
        name = "suspend" if status == "suspended" else "revoke"
        change_label_status(label=label, name=name, by=officer, reason="Misbruik.", category=StatusReason.MISUSE)
    if status == "superseded":  # as a later approval leaves it (built directly, as the factories do)
        Label.objects.filter(pk=label.pk).update(status=LabelStatus.SUPERSEDED)
    if status == "expired":
        Label.objects.filter(pk=label.pk).update(
            valid_until=label.valid_until - datetime.timedelta(days=61), issued_on=label.issued_on
        )
    return Label.objects.get(pk=label.pk)


@pytest.mark.parametrize(("status", "allowed"), list(RENEWAL_FROM.items()))
def test_renewal_from_each_label_status(status, allowed, issue_label, alice, olivia, scheme) -> None:  # type: ignore[no-untyped-def]
    from certification.models import Scheme
    from certification.services.renewals import start_renewal

    Scheme.objects.filter(pk=scheme.pk).update(validity_months=12)  # within recognition and surveillance
    label = issue_label()
    with time_machine.travel(label.valid_until - datetime.timedelta(days=60), tick=False):
        label = label_reading(status, label, olivia)
        before = HistoryEvent.objects.count()
        if allowed:
            renewal = start_renewal(label=label, by=alice)
            assert (renewal.state, renewal.renews_id) == (ApplicationState.DRAFT, label.pk)
        else:
            with pytest.raises(RequirementsNotMet):
                start_renewal(label=label, by=alice)
            assert HistoryEvent.objects.count() == before
            assert not Application.objects.filter(renews=label).exists()


@pytest.mark.parametrize("who", [who for who in PEOPLE if who not in RENEWS])
def test_renewal_refuses_the_wrong_actor(who, request, issue_label, scheme) -> None:  # type: ignore[no-untyped-def]
    from certification.models import Scheme
    from certification.services.renewals import start_renewal

    Scheme.objects.filter(pk=scheme.pk).update(validity_months=12)  # within recognition and surveillance
    label = issue_label()
    for person in PEOPLE:
        request.getfixturevalue(person)
    with time_machine.travel(label.valid_until - datetime.timedelta(days=60), tick=False):
        before = HistoryEvent.objects.count()
        with pytest.raises(ActionForbidden):
            start_renewal(label=label, by=request.getfixturevalue(who))
    assert HistoryEvent.objects.count() == before
