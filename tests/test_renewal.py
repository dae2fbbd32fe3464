"""Renewal (ISO/IEC 17065 recertification): from the scheme's months before a label's last day
its enterprise renews it through the same workflow; approval supersedes the label in the same
transaction and the new label names its predecessor. A suspended or revoked label is never
superseded: its status and public reason stay. The clock is moved, never waited for."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audits.models import AssessmentResult
from audits.services.assessments import record_assessment
from audits.services.audits import schedule_audit, start_audit, submit_report
from audits.services.decisions import approve_application
from background.models import Mail
from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.lookup import lookup_label
from certification.models import (
    Application,
    ApplicationState,
    CriterionKind,
    HistoryEvent,
    Label,
    LabelStatus,
    Scheme,
    StatusReason,
)
from certification.selectors import applicable_criteria
from certification.services.applications import create_application, submit_application, withdraw_application
from certification.services.documents import add_document
from certification.services.labels import change_label_status
from certification.services.renewals import renewal_opens_on, start_renewal
from tests.factories import PDF_BYTES
from tests.workflow import steps_for

ISSUED_AT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)
BRUSSELS = ZoneInfo("Europe/Brussels")  # the window opens at midnight in Brussels


def at(day: datetime.date, time: datetime.time = datetime.time(10)) -> datetime.datetime:
    return datetime.datetime.combine(day, time, BRUSSELS)


@pytest.fixture
def label(issue_label, scheme, committed) -> Label:  # type: ignore[no-untyped-def]
    """A label valid for a year (within the enterprise's recognition and its first surveillance)."""
    Scheme.objects.filter(pk=scheme.pk).update(validity_months=12)
    with time_machine.travel(ISSUED_AT, tick=False), committed():
        return issue_label()


@pytest.fixture
def in_window(label):  # type: ignore[no-untyped-def]
    """The clock two months before the label's last day."""
    with time_machine.travel(at(label.valid_until - datetime.timedelta(days=60)), tick=False):
        yield


def through_the_workflow(application: Application, *, applicant, auditor, officer) -> Application:  # type: ignore[no-untyped-def]
    """Document, submission, audit and report: the same steps as any application."""
    add_document(application=application, file=ContentFile(PDF_BYTES, name="attest.pdf"), by=applicant)
    application = submit_application(application=application, by=applicant)
    application = schedule_audit(
        application=application, by=officer, auditor=auditor, scheduled_for=timezone.localdate()
    )
    application = start_audit(application=application, by=auditor)
    application = Application.objects.get(pk=application.pk)
    for criterion in applicable_criteria(application=application):
        if criterion.kind == CriterionKind.SOCIAL_SHARE:
            record_assessment(
                audit=application.audit, criterion_code=criterion.code, by=auditor, steps=steps_for(Decimal(80))
            )
            continue
        record_assessment(
            audit=application.audit,
            criterion_code=criterion.code,
            by=auditor,
            result=AssessmentResult.PASS,
            value=Decimal(3) if criterion.kind == "score_0_4" else None,
        )
    submit_report(application=application, by=auditor, summary="In orde.")
    return Application.objects.get(pk=application.pk)


def test_the_renewal_window_opens_the_schemes_months_before_the_last_day(label, alice, scheme) -> None:  # type: ignore[no-untyped-def]
    assert scheme.renewal_window_months == 6
    assert (label.valid_until, renewal_opens_on(label)) == (datetime.date(2027, 12, 1), datetime.date(2027, 6, 1))
    just_before = at(datetime.date(2027, 5, 31), datetime.time(23, 59, 59))
    with time_machine.travel(just_before, tick=False), pytest.raises(RequirementsNotMet) as refusal:
        start_renewal(label=label, by=alice)
    assert refusal.value.unmet == [f"Label {label.code} can be renewed from June 1, 2027."]
    with time_machine.travel(at(datetime.date(2027, 6, 1), datetime.time(0)), tick=False):
        renewal = start_renewal(label=label, by=alice)
    assert renewal.renews == label


def test_the_renewal_is_a_draft_prefilled_from_the_label(label, alice, in_window) -> None:  # type: ignore[no-untyped-def]
    renewal = start_renewal(label=label, by=alice)
    assert (renewal.state, renewal.product, renewal.declared_social_share, renewal.renews) == (
        ApplicationState.DRAFT,
        label.product,
        label.social_share,
        label,
    )
    assert renewal.production_description == label.application.production_description
    started = HistoryEvent.objects.get(action="label.renewal_started")
    assert (started.target_id, started.data) == (label.pk, {"application": renewal.reference})
    assert HistoryEvent.objects.get(action="application.created", application=renewal).data == {"renews": label.code}


def test_approving_the_renewal_supersedes_the_label_and_names_it(
    label, alice, carol, olivia, in_window, committed
) -> None:  # type: ignore[no-untyped-def]
    renewal = through_the_workflow(start_renewal(label=label, by=alice), applicant=alice, auditor=carol, officer=olivia)
    with committed():
        successor = approve_application(application=renewal, by=olivia, rationale="Hernieuwd.")
    label.refresh_from_db()
    assert (label.status, label.superseded_by, label.status_reason_category) == (
        LabelStatus.SUPERSEDED,
        successor,
        StatusReason.RENEWED,
    )
    assert successor.predecessor == label
    assert lookup_label(successor.code)["replaces"] == label.code  # type: ignore[index]
    assert lookup_label(label.code)["superseded_by"] == successor.code  # type: ignore[index]
    superseded = HistoryEvent.objects.get(action="label.superseded")
    assert (superseded.target_id, superseded.data) == (label.pk, {"successor": successor.code})
    told = Mail.objects.filter(key__startswith=f"label:{label.pk}:{superseded.sequence}:")
    assert [(m.to, m.subject) for m in told] == [(alice.email, f"Label {label.code} is nu vervangen")]


def test_a_suspended_label_cannot_be_renewed(label, alice, olivia, in_window) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Geen audit.", category=StatusReason.MISUSE)
    with pytest.raises(RequirementsNotMet) as refusal:
        start_renewal(label=label, by=alice)
    assert refusal.value.unmet == [f"Label {label.code} is suspended: it cannot be renewed while it is."]
    assert not Application.objects.filter(renews=label).exists()


@pytest.mark.parametrize(("name", "status"), [("suspend", LabelStatus.SUSPENDED), ("revoke", LabelStatus.REVOKED)])
def test_a_label_suspended_or_revoked_during_its_renewal_is_not_superseded(  # type: ignore[no-untyped-def]
    label, alice, carol, olivia, in_window, name, status
) -> None:
    renewal = through_the_workflow(start_renewal(label=label, by=alice), applicant=alice, auditor=carol, officer=olivia)
    change_label_status(label=label, name=name, by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    with pytest.raises(RequirementsNotMet) as refusal:
        approve_application(application=renewal, by=olivia)
    words = "suspended" if name == "suspend" else "revoked"
    assert f"Label {label.code} of this product is {words}: a new label cannot replace it while it is." in (
        refusal.value.unmet
    )
    label.refresh_from_db()
    assert (label.status, label.status_reason_category, label.superseded_by) == (status, StatusReason.MISUSE, None)
    assert Application.objects.get(pk=renewal.pk).state == ApplicationState.AUDIT_REPORTED
    assert Label.objects.count() == 1
    assert lookup_label(label.code)["status_reason"] == "misuse"  # type: ignore[index]


def test_a_new_application_cannot_replace_a_suspended_label_either(label, alice, carol, olivia, enterprise) -> None:  # type: ignore[no-untyped-def]
    change_label_status(label=label, name="suspend", by=olivia, reason="Geen audit.", category=StatusReason.MISUSE)
    fresh = create_application(
        enterprise=enterprise, by=alice, product=label.product, declared_social_share=Decimal(80)
    )
    fresh = through_the_workflow(fresh, applicant=alice, auditor=carol, officer=olivia)
    with pytest.raises(RequirementsNotMet):
        approve_application(application=fresh, by=olivia)
    assert Label.objects.get(pk=label.pk).status == LabelStatus.SUSPENDED


def test_one_renewal_at_a_time(label, alice, in_window) -> None:  # type: ignore[no-untyped-def]
    first = start_renewal(label=label, by=alice)
    with pytest.raises(RequirementsNotMet) as refusal:
        start_renewal(label=label, by=alice)
    assert refusal.value.unmet == [f"Label {label.code} is being renewed already: application {first.reference}."]
    withdraw_application(application=first, by=alice, reason="Vergissing.")
    assert start_renewal(label=label, by=alice).renews == label


def test_an_expired_label_is_not_renewed_but_applied_for_anew(label, alice) -> None:  # type: ignore[no-untyped-def]
    after = at(label.valid_until + datetime.timedelta(days=1))
    with time_machine.travel(after, tick=False), pytest.raises(RequirementsNotMet) as refusal:
        start_renewal(label=label, by=alice)
    assert refusal.value.unmet == [f"Label {label.code} is expired: apply for a new label instead."]


@pytest.mark.parametrize("who", ["bob", "carol", "olivia"])
def test_only_an_applicant_of_the_enterprise_renews(label, request, in_window, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionForbidden):
        start_renewal(label=label, by=request.getfixturevalue(who))


def test_the_api_tells_when_the_renewal_opens_and_starts_it(label, alice, in_window) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(alice)
    url = reverse("api:label-renewal", args=[label.code])
    assert client.get(url).json() == {"opens_on": "2027-06-01", "renewable": True, "detail": None, "application": None}
    started = client.post(url)
    assert started.status_code == 201
    assert (started.json()["renews"], started.json()["state"]) == (label.code, "draft")
    again = client.post(url)
    assert again.status_code == 400
    assert "is being renewed already" in again.json()["detail"]
    assert client.get(url).json()["application"] == started.json()["id"]


def test_the_renewal_window_opening_shows_on_the_label_page(label, alice, client) -> None:  # type: ignore[no-untyped-def]
    page = reverse("web:application", args=[label.application_id])
    with time_machine.travel(at(datetime.date(2027, 5, 31)), tick=False):
        client.force_login(alice)
        before = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Label {label.code} can be renewed from June 1, 2027." in before
    assert "Renew this label" not in before
    with time_machine.travel(at(datetime.date(2027, 6, 1)), tick=False):
        client.force_login(alice)
        assert "Renew this label" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        answer = client.post(reverse("web:label-renew", args=[label.code]), HTTP_ACCEPT_LANGUAGE="en")
    renewal = Application.objects.get(renews=label)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("web:application", args=[renewal.pk])


def test_a_refused_renewal_on_the_page_says_why(label, alice, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    answer = client.post(reverse("web:label-renew", args=[label.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert "can be renewed from" in answer.content.decode()
