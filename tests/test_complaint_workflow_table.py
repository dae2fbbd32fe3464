"""The complaint's state machine as a table: every stage x every step, every wrong actor.

The complaint is about alice's enterprise, in whose certification neither olivia nor oscar
took part; alice and bob apply, carol and dan audit.
"""

import pytest

from background.models import Mail
from certification.exceptions import ActionForbidden, TransitionNotAllowed
from certification.models import HistoryEvent, Label
from certification.transitions import step_of
from complaints.models import Complaint, ComplaintState
from tests.complaints import ALLOWED, STEP_CALLS, build_complaint

PAIRS = [(state, name) for state in ComplaintState for name in STEP_CALLS]


def snapshot(complaint: Complaint) -> dict[str, object]:
    """Everything a refused step must leave as it was."""
    fresh = Complaint.objects.get(pk=complaint.pk)
    return {
        "complaint": (fresh.state, fresh.handled_by_id, fresh.decide_by, fresh.decided_at, fresh.closed_at),
        "history": HistoryEvent.objects.count(),
        "labels": list(Label.objects.values_list("pk", "status")),
        "mail": Mail.objects.count(),
    }


@pytest.mark.parametrize(("state", "name"), PAIRS, ids=[f"{s.value}-{n}" for s, n in PAIRS])
def test_each_step_from_each_stage(state, name, enterprise, oscar) -> None:  # type: ignore[no-untyped-def]
    complaint = build_complaint(state, enterprise=enterprise)
    sources, target = ALLOWED[name]
    before = snapshot(complaint)

    if state in sources:
        STEP_CALLS[name](complaint, oscar)
        assert Complaint.objects.get(pk=complaint.pk).state == target
        event = HistoryEvent.objects.filter(action=step_of(Complaint, name).action).get()
        assert (event.from_state, event.to_state, event.target_id, event.actor) == (state, target, complaint.pk, oscar)
    else:
        with pytest.raises(TransitionNotAllowed) as refusal:
            STEP_CALLS[name](complaint, oscar)
        assert refusal.value.state == state
        assert snapshot(complaint) == before


RIGHTFUL = {"olivia", "oscar"}
PEOPLE = ["alice", "bob", "carol", "dan", "olivia", "oscar"]
WRONG_ACTORS = [(name, who) for name in STEP_CALLS for who in PEOPLE if who not in RIGHTFUL]


@pytest.mark.parametrize(("name", "who"), WRONG_ACTORS, ids=[f"{n}-by-{w}" for n, w in WRONG_ACTORS])
def test_each_step_refuses_the_wrong_actor(name, who, request, enterprise) -> None:  # type: ignore[no-untyped-def]
    state = min(ALLOWED[name][0], key=list(ComplaintState).index)
    complaint = build_complaint(state, enterprise=enterprise)
    for person in PEOPLE:
        request.getfixturevalue(person)
    before = snapshot(complaint)

    with pytest.raises(ActionForbidden) as refusal:
        STEP_CALLS[name](complaint, request.getfixturevalue(who))

    assert "certification officer" in refusal.value.message
    assert snapshot(complaint) == before
