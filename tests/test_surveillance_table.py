"""The surveillance state machine as a table: every state x every step, every wrong actor."""

import pytest

from audits.surveillance import Surveillance, SurveillanceAssessment, SurveillanceState
from certification.exceptions import ActionForbidden, TransitionNotAllowed
from certification.models import HistoryEvent, Label
from certification.transitions import step_of
from tests.surveillance_world import ALLOWED, STEP_CALLS, build_surveillance
from tests.workflow import Actors

PAIRS = [(state, name) for state in SurveillanceState for name in STEP_CALLS]


def snapshot(surveillance: Surveillance) -> dict[str, object]:
    """Everything a refused step must leave as it was."""
    fresh = Surveillance.objects.get(pk=surveillance.pk)
    return {
        "surveillance": (fresh.state, fresh.summary, fresh.measured_social_share, fresh.response, fresh.decided_at),
        "history": HistoryEvent.objects.count(),
        "labels": list(Label.objects.values_list("pk", "status", "level", "social_share", "surveillance_due_on")),
        "assessments": list(SurveillanceAssessment.objects.values_list("pk", "result", "value")),
    }


@pytest.fixture
def actors(alice, carol, olivia) -> Actors:  # type: ignore[no-untyped-def]
    return Actors(applicant=alice, auditor=carol, officer=olivia)


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


@pytest.mark.parametrize(("state", "name"), PAIRS, ids=[f"{s.value}-{n}" for s, n in PAIRS])
def test_each_step_from_each_state(state, name, actors, label) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(state, label=label, auditor=actors.auditor)
    sources, target = ALLOWED[name]
    before = snapshot(surveillance)

    if state in sources:
        STEP_CALLS[name](surveillance, actors)
        assert Surveillance.objects.get(pk=surveillance.pk).state == target
        event = HistoryEvent.objects.filter(action=step_of(Surveillance, name).action).get()
        assert (event.from_state, event.to_state, event.application_id) == (state, target, label.application_id)
    else:
        with pytest.raises(TransitionNotAllowed) as refusal:
            STEP_CALLS[name](surveillance, actors)
        assert refusal.value.state == state
        assert snapshot(surveillance) == before


RIGHTFUL = {
    "start": {"carol"},
    "report": {"carol"},
    "continue_certification": {"olivia", "oscar"},
    "request_corrective_actions": {"olivia", "oscar"},
    "submit_corrective_actions": {"alice"},
    "suspend_label": {"olivia", "oscar"},
    "revoke_label": {"olivia", "oscar"},
}
PEOPLE = ["alice", "bob", "carol", "dan", "olivia", "oscar"]
WRONG_ACTORS = [(name, who) for name in STEP_CALLS for who in PEOPLE if who not in RIGHTFUL[name]]


@pytest.mark.parametrize(("name", "who"), WRONG_ACTORS, ids=[f"{n}-by-{w}" for n, w in WRONG_ACTORS])
def test_each_step_refuses_the_wrong_actor(name, who, request, actors, label) -> None:  # type: ignore[no-untyped-def]
    state = min(ALLOWED[name][0], key=list(SurveillanceState).index)
    surveillance = build_surveillance(state, label=label, auditor=actors.auditor)
    for person in PEOPLE:
        request.getfixturevalue(person)
    user = request.getfixturevalue(who)
    before = snapshot(surveillance)

    with pytest.raises(ActionForbidden):
        STEP_CALLS[name](surveillance, Actors(applicant=user, auditor=user, officer=user))

    assert snapshot(surveillance) == before
