"""Surveillance of issued labels (ISO/IEC 17065 7.9): what is due, scheduling with the
impartiality rules, the checklist of what the scheme checks, and the officer's decision."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audits.services.share import StepRecord
from audits.services.surveillance import (
    continue_certification,
    record_surveillance_assessment,
    report_surveillance,
    schedule_surveillance,
    start_surveillance,
)
from audits.surveillance import Surveillance, SurveillanceState
from audits.surveillance_selectors import labels_due_for_surveillance, surveillance_criteria
from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import CertificateRecord, ConflictOfInterest, HistoryEvent, Label, Role
from certification.models.public_status import midnight
from certification.services.labels import add_months
from tests.factories import UserFactory
from tests.surveillance_world import build_surveillance


@pytest.fixture(autouse=True)
def _recognised_for_years(enterprise) -> None:  # type: ignore[no-untyped-def]
    type(enterprise).objects.filter(pk=enterprise.pk).update(
        recognition_valid_until=timezone.localdate() + relativedelta(years=10)
    )


@pytest.fixture
def label(issue_label) -> Label:  # type: ignore[no-untyped-def]
    return issue_label(name="Houten speelgoedtrein")


def test_the_criteria_the_scheme_marks_are_checked_and_always_the_share(label, carol) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.SCHEDULED, label=label, auditor=carol)
    assert not label.scheme.criteria.get(code="C2").checked_at_surveillance
    assert [c.code for c in surveillance_criteria(surveillance=surveillance)] == ["C1", "C2", "C6"]


def test_officers_see_labels_due_and_overdue_the_most_overdue_first(issue_label) -> None:  # type: ignore[no-untyped-def]
    later, overdue, soon = issue_label(name="Later"), issue_label(name="Te laat"), issue_label(name="Binnenkort")
    today = timezone.localdate()
    Label.objects.filter(pk=overdue.pk).update(surveillance_due_on=today - datetime.timedelta(days=3))
    Label.objects.filter(pk=soon.pk).update(surveillance_due_on=today + datetime.timedelta(days=20))
    assert [label.code for label in labels_due_for_surveillance()] == [overdue.code, soon.code]
    assert later.code not in {label.code for label in labels_due_for_surveillance()}


def test_the_due_list_through_the_api_says_which_are_overdue(label, olivia) -> None:  # type: ignore[no-untyped-def]
    Label.objects.filter(pk=label.pk).update(surveillance_due_on=timezone.localdate() - datetime.timedelta(days=1))
    client = APIClient()
    client.force_authenticate(olivia)
    [row] = client.get(reverse("api:surveillance-due")).json()
    assert (row["code"], row["overdue"], row["open_surveillance"]) == (label.code, True, None)


def test_an_officer_schedules_with_a_qualified_auditor(label, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    surveillance = schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    assert surveillance.state == SurveillanceState.SCHEDULED
    event = HistoryEvent.objects.get(action="surveillance.scheduled")
    assert (event.actor, event.application_id, event.data["auditor"]) == (olivia, label.application_id, "carol")


def test_scheduling_refuses_an_auditor_with_a_conflict_and_a_second_audit(label, olivia, carol, dan) -> None:  # type: ignore[no-untyped-def]
    ConflictOfInterest.objects.create(person=dan, enterprise=label.product.enterprise, reason="Vroegere werkgever.")
    with pytest.raises(RequirementsNotMet) as refused:
        schedule_surveillance(label=label, by=olivia, auditor=dan, scheduled_for=timezone.localdate())
    assert "conflict of interest" in refused.value.unmet[0]
    schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    with pytest.raises(RequirementsNotMet):
        schedule_surveillance(label=label, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    assert Surveillance.objects.count() == 1


def test_scheduling_is_for_officers_without_a_conflict(label, alice, carol) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionForbidden):
        schedule_surveillance(label=label, by=carol, auditor=carol, scheduled_for=timezone.localdate())
    member = UserFactory(username="mia", roles=[Role.OFFICER])
    label.product.enterprise.members.add(member)
    with pytest.raises(ActionForbidden):
        schedule_surveillance(label=label, by=member, auditor=carol, scheduled_for=timezone.localdate())


def test_the_auditor_records_only_the_criteria_checked_at_surveillance(label, carol) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=label, auditor=carol)
    record_surveillance_assessment(surveillance=surveillance, criterion_code="C1", by=carol, result="pass")
    with pytest.raises(RequirementsNotMet) as refused:
        record_surveillance_assessment(surveillance=surveillance, criterion_code="C3", by=carol, result="pass")
    assert refused.value.unmet == ["C3 is not a criterion checked at this surveillance."]


def test_an_officer_who_audited_does_not_decide(label) -> None:  # type: ignore[no-untyped-def]
    vera = UserFactory(username="vera", roles=[Role.OFFICER, Role.AUDITOR])
    surveillance = build_surveillance(SurveillanceState.REPORTED, label=label, auditor=vera)
    with pytest.raises(ActionForbidden) as refused:
        continue_certification(surveillance=surveillance, by=vera)
    assert "four eyes" in refused.value.message


def test_continuing_sets_the_next_due_date_from_this_surveillance(label, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.SCHEDULED, label=label, auditor=carol)
    visit = midnight(label.surveillance_due_on + datetime.timedelta(days=40)) + datetime.timedelta(hours=9)
    with time_machine.travel(visit, tick=False):
        assert label.public_status().value == "suspended"  # overdue past its grace
        start_surveillance(surveillance=surveillance, by=carol)
        for code in ("C1", "C6"):
            record_surveillance_assessment(surveillance=surveillance, criterion_code=code, by=carol, result="pass")
        record_surveillance_assessment(
            surveillance=surveillance,
            criterion_code="C2",
            by=carol,
            steps=[StepRecord("Zagen", Decimal(80), Decimal(100))],
        )
        report_surveillance(surveillance=surveillance, by=carol, summary="In orde.")
        continue_certification(surveillance=surveillance, by=olivia)
        label = Label.objects.get(pk=label.pk)
        assert label.public_status().value == "valid"
    assert label.surveillance_due_on == add_months(visit.date(), label.scheme.surveillance_months)


def test_a_changed_share_gives_the_label_a_new_version_with_the_reason(label, carol, olivia, client) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.REPORTED, label=label, auditor=carol, share="55")
    continue_certification(surveillance=surveillance, by=olivia, rationale="Minder doelgroepwerknemers.")
    label = Label.objects.get(pk=label.pk)
    assert (label.level, label.social_share) == (2, Decimal("55.00"))
    event = HistoryEvent.objects.get(action="label.level_changed")
    assert event.data["before"] == {"level": 3, "social_share": "80.00"}
    assert "55" in event.comment
    assert CertificateRecord.objects.filter(label=label, superseded_at__isnull=False).count() == 1
    html = client.get(f"/verify/{label.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "55" in html


def test_suspending_after_surveillance_suspends_the_label(label, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    from audits.services.surveillance import suspend_after_surveillance

    surveillance = build_surveillance(SurveillanceState.REPORTED, label=label, auditor=carol)
    suspend_after_surveillance(surveillance=surveillance, by=olivia, reason="Aandeel niet aangetoond.")
    label = Label.objects.get(pk=label.pk)
    assert (label.status, label.status_reason_category) == ("suspended", "non_conformity")
    assert HistoryEvent.objects.filter(action="label.suspended", target_id=label.pk).exists()


def test_the_surveillance_api_takes_the_steps(label, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(olivia)
    scheduled = api.post(
        reverse("api:surveillance-schedule", args=[label.code]),
        {"auditor": "carol", "scheduled_for": timezone.localdate().isoformat()},
        format="json",
    )
    assert scheduled.status_code == 201, scheduled.content
    pk = scheduled.json()["id"]
    api.force_authenticate(carol)
    assert api.post(f"/api/v1/surveillances/{pk}/transitions/start/", {}, format="json").status_code == 200
    for code, body in (
        ("C1", {"result": "pass"}),
        ("C2", {"steps": [{"name": "Zagen", "target_group_hours": "80", "all_hours": "100"}]}),
        ("C6", {"result": "pass"}),
    ):
        answer = api.put(f"/api/v1/surveillances/{pk}/assessments/{code}/", body, format="json")
        assert answer.status_code == 200, answer.content
    reported = api.post(f"/api/v1/surveillances/{pk}/transitions/report/", {"summary": "In orde."}, format="json")
    assert (reported.json()["state"], reported.json()["measured_social_share"]) == ("reported", "80.00")
    api.force_authenticate(olivia)
    detail = api.get(f"/api/v1/surveillances/{pk}/").json()
    assert "continue_certification" in detail["transitions"]
    assert [row["code"] for row in detail["checklist"]] == ["C1", "C2", "C6"]
    assert detail["checklist"][1]["assessment"]["steps"][0]["target_group_hours"] == "80.00"
    done = api.post(f"/api/v1/surveillances/{pk}/transitions/continue_certification/", {}, format="json")
    assert done.json()["state"] == "continued"
