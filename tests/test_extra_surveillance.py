"""An extra surveillance audit ordered by an upheld complaint or by a decision on a change (issue 14
item 1, issue 13 item 2): one way for both. The label's surveillance falls due at once; the order
is linked to what ordered it and to the surveillance audit scheduled next; a label that is not
valid cannot get one; the impartiality rules of the complaint hold.

olivia approved alice's label (she took part: she may not handle a complaint about it); oscar
took no part; mia is an officer and a member of Atelier Alice; carol audits.
"""

import datetime
import html

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audits.services.surveillance import schedule_surveillance
from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import Change, ChangeState, HistoryEvent, Label, Role, User
from certification.services.changes import notify_change, require_extra_surveillance
from certification.services.extra_surveillance import ORDERED
from certification.services.labels import change_label_status
from complaints.models import Complaint, ComplaintState
from complaints.selectors import complaint_history
from complaints.services.handling import uphold_complaint
from tests.complaints import build_complaint
from tests.factories import UserFactory

REASON = "Vastgesteld bij een onaangekondigd bezoek."


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


@pytest.fixture
def complaint(label, enterprise) -> Complaint:  # type: ignore[no-untyped-def]
    return build_complaint(ComplaintState.UNDER_INVESTIGATION, enterprise=enterprise, label=label)


@pytest.fixture
def mia(enterprise) -> User:  # type: ignore[no-untyped-def]
    officer = UserFactory(username="mia", roles=[Role.OFFICER])
    enterprise.members.add(officer)
    return officer


def sentence_for_a_label_that_is(label: Label, status: str) -> str:
    return f"Label {label.code} is {status}: only a valid label can get an extra surveillance audit."


def test_upholding_orders_an_extra_surveillance_due_at_once_linked_to_the_complaint(complaint, label, oscar) -> None:  # type: ignore[no-untyped-def]
    Label.objects.filter(pk=label.pk).update(surveillance_due_on=timezone.localdate() + datetime.timedelta(days=200))
    uphold_complaint(complaint=complaint, by=oscar, reason=REASON, extra_surveillance=True)

    complaint = Complaint.objects.get(pk=complaint.pk)
    label = Label.objects.get(pk=label.pk)
    assert complaint.state == ComplaintState.UPHELD
    assert label.surveillance_due_on == timezone.localdate()
    assert label.public_status() == "valid"  # due, not yet overdue: the label stays valid
    order = complaint.extra_surveillance
    assert order is not None
    assert (order.action, order.target_id, order.actor, order.application_id) == (
        ORDERED,
        label.pk,
        oscar,
        label.application_id,
    )
    assert order.data == {"due": timezone.localdate().isoformat(), "complaint": complaint.tracking_number}
    assert REASON not in order.comment  # the officer's reasons stay with the complaint
    assert [event.action for event in complaint_history(complaint)][-2:] == ["complaint.upheld", ORDERED]
    assert complaint.suspension is None


def test_the_surveillance_scheduled_next_answers_the_order(complaint, label, oscar, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    uphold_complaint(complaint=complaint, by=oscar, reason=REASON, extra_surveillance=True)
    surveillance = schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    order = Complaint.objects.get(pk=complaint.pk).extra_surveillance
    assert list(surveillance.orders.all()) == [order]


def test_the_link_shows_on_the_complaint_and_the_surveillance_pages_and_in_the_api(  # type: ignore[no-untyped-def]
    complaint, label, alice, oscar, olivia, carol
) -> None:
    officer = Client(HTTP_ACCEPT_LANGUAGE="en")
    officer.force_login(oscar)
    uphold = reverse("web:complaint-action", args=[complaint.tracking_number, "uphold"])
    assert officer.post(uphold, {"reason": REASON, "extra_surveillance": "on"}).status_code == 302
    page = html.unescape(
        officer.get(reverse("web:officer-complaint", args=[complaint.tracking_number])).content.decode()
    )
    assert "an extra surveillance audit of the label" in page
    assert "due at once, not yet scheduled" in page
    assert "Extra surveillance audit ordered" in page  # in the complaint's history

    surveillance = schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    page = html.unescape(
        officer.get(reverse("web:officer-complaint", args=[complaint.tracking_number])).content.decode()
    )
    assert reverse("web:surveillance", args=[surveillance.pk]) in page
    page = html.unescape(officer.get(reverse("web:surveillance", args=[surveillance.pk])).content.decode())
    assert f"complaint {complaint.tracking_number}, upheld" in page
    assert reverse("web:officer-complaint", args=[complaint.tracking_number]) in page

    applicant = Client(HTTP_ACCEPT_LANGUAGE="en")
    applicant.force_login(alice)
    page = html.unescape(applicant.get(reverse("web:surveillance", args=[surveillance.pk])).content.decode())
    assert "an upheld complaint" in page
    assert complaint.tracking_number not in page

    api = APIClient()
    api.force_authenticate(oscar)
    body = api.get(reverse("api:officer-complaint", args=[complaint.tracking_number])).json()
    assert body["extra_surveillance"]["surveillance"] == surveillance.pk
    assert body["extra_surveillance"]["due_on"] == timezone.localdate().isoformat()
    assert ORDERED in [event["action"] for event in body["history"]]
    ordered_by = api.get(reverse("api:surveillance-detail", args=[surveillance.pk])).json()["ordered_by"]
    assert [(o["by"], o["complaint"]) for o in ordered_by] == [("complaint", complaint.tracking_number)]
    api.force_authenticate(alice)
    ordered_by = api.get(reverse("api:surveillance-detail", args=[surveillance.pk])).json()["ordered_by"]
    assert [(o["by"], o["complaint"]) for o in ordered_by] == [("complaint", None)]


def test_the_api_orders_the_extra_surveillance_as_the_page_does(complaint, label, oscar) -> None:  # type: ignore[no-untyped-def]
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(oscar)
    url = reverse("api:complaint-transition", args=[complaint.tracking_number, "uphold"])
    answer = api.post(url, {"reason": REASON, "extra_surveillance": True}, format="json")
    assert answer.status_code == 200, answer.content
    assert Complaint.objects.get(pk=complaint.pk).extra_surveillance is not None
    assert Label.objects.get(pk=label.pk).surveillance_due_on == timezone.localdate()


def assert_nothing_changed(complaint: Complaint, label: Label, history: int) -> None:
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.UNDER_INVESTIGATION
    assert Complaint.objects.get(pk=complaint.pk).extra_surveillance is None
    assert Label.objects.get(pk=label.pk).surveillance_due_on == label.surveillance_due_on
    assert HistoryEvent.objects.count() == history


def test_a_suspended_label_cannot_get_an_extra_surveillance(complaint, label, oscar, olivia) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Onderzoek.", category="misuse")
    label = Label.objects.get(pk=label.pk)
    history = HistoryEvent.objects.count()
    with pytest.raises(RequirementsNotMet) as refused:
        uphold_complaint(complaint=complaint, by=oscar, reason=REASON, extra_surveillance=True)
    assert refused.value.unmet == [sentence_for_a_label_that_is(label, "suspended")]
    assert_nothing_changed(complaint, label, history)


def test_a_label_that_time_made_not_valid_cannot_get_an_extra_surveillance(complaint, label, oscar) -> None:  # type: ignore[no-untyped-def]
    history = HistoryEvent.objects.count()
    later = timezone.now() + datetime.timedelta(days=3 * 366 + 1)  # past its validity
    with time_machine.travel(later, tick=False), pytest.raises(RequirementsNotMet) as refused:
        uphold_complaint(complaint=complaint, by=oscar, reason=REASON, extra_surveillance=True)
    status = Label.objects.get(pk=label.pk).public_status(later)
    assert status != "valid"
    assert refused.value.unmet == [sentence_for_a_label_that_is(label, str(status.label))]
    assert_nothing_changed(complaint, label, history)


def test_the_page_and_the_api_refuse_a_non_valid_label_with_the_same_sentence(complaint, label, oscar, olivia) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Onderzoek.", category="misuse")
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(oscar)
    url = reverse("api:complaint-transition", args=[complaint.tracking_number, "uphold"])
    answer = api.post(url, {"reason": REASON, "extra_surveillance": True}, format="json")
    assert answer.status_code == 400
    assert answer.json()["unmet"] == [sentence_for_a_label_that_is(label, "suspended")]
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(oscar)
    response = page.post(
        reverse("web:complaint-action", args=[complaint.tracking_number, "uphold"]),
        {"reason": REASON, "extra_surveillance": "on"},
    )
    assert response.status_code == 400
    assert sentence_for_a_label_that_is(label, "suspended") in html.unescape(response.content.decode())
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.UNDER_INVESTIGATION


def test_one_outcome_for_the_label_and_only_for_a_label(complaint, label, enterprise, oscar) -> None:  # type: ignore[no-untyped-def]
    history = HistoryEvent.objects.count()
    with pytest.raises(RequirementsNotMet, match="Choose one outcome for the label"):
        uphold_complaint(complaint=complaint, by=oscar, reason=REASON, extra_surveillance=True, suspend_label=True)
    assert_nothing_changed(complaint, label, history)
    about_the_enterprise = build_complaint(ComplaintState.UNDER_INVESTIGATION, enterprise=enterprise)
    with pytest.raises(RequirementsNotMet, match="no label to order a surveillance audit of"):
        uphold_complaint(complaint=about_the_enterprise, by=oscar, reason=REASON, extra_surveillance=True)


@pytest.mark.parametrize("who", ["olivia", "mia", "alice", "carol"])
def test_the_wrong_people_cannot_order_it(who, request, complaint, label, mia) -> None:  # type: ignore[no-untyped-def]
    history = HistoryEvent.objects.count()
    with pytest.raises(ActionForbidden):
        uphold_complaint(complaint=complaint, by=request.getfixturevalue(who), reason=REASON, extra_surveillance=True)
    assert_nothing_changed(complaint, label, history)


def test_a_change_orders_its_extra_surveillance_the_same_way(label, alice, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    change = notify_change(
        label=label, by=alice, kind="production_moved", description="Naar Gent.", effective_on=timezone.localdate()
    )
    require_extra_surveillance(change=change, by=olivia, decision="Nieuwe productieplaats bezoeken.")
    order = HistoryEvent.objects.get(action=ORDERED)
    assert (order.target_id, order.data["change"]) == (label.pk, change.pk)
    surveillance = schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    assert list(surveillance.orders.all()) == [order]


def test_a_change_to_a_suspended_label_cannot_get_an_extra_surveillance(label, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    change = notify_change(
        label=label, by=alice, kind="production_moved", description="Naar Gent.", effective_on=timezone.localdate()
    )
    change_label_status(label=label, name="suspend", by=olivia, reason="Onderzoek.", category="misuse")
    with pytest.raises(RequirementsNotMet) as refused:
        require_extra_surveillance(change=change, by=olivia, decision="Bezoeken.")
    assert refused.value.unmet == [sentence_for_a_label_that_is(label, "suspended")]
    assert Change.objects.get(pk=change.pk).state == ChangeState.NOTIFIED
    assert not HistoryEvent.objects.filter(action=ORDERED).exists()
