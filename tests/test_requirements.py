"""Each requirement of DESIGN §4 on its own: missing it refuses with a sentence naming it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audits.models import Assessment, AssessmentResult, FindingSeverity, FindingStatus, ProductionStep
from audits.services.audits import (
    request_corrective_actions,
    schedule_audit,
    submit_corrective_actions,
    submit_report,
)
from audits.services.decisions import approve_application
from certification.exceptions import RequirementsNotMet
from certification.models import ApplicationState, HistoryEvent, Label, SchemeStatus
from certification.services.applications import (
    reject_application,
    return_application,
    submit_application,
    withdraw_application,
)
from tests.factories import FindingFactory, UserFactory
from tests.workflow import Actors, build_application

S = ApplicationState
TODAY = timezone.localdate


@pytest.fixture
def actors(alice, carol, olivia) -> Actors:  # type: ignore[no-untyped-def]
    return Actors(applicant=alice, auditor=carol, officer=olivia)


@pytest.fixture
def build(actors, enterprise, scheme):  # type: ignore[no-untyped-def]
    return lambda state, **kwargs: build_application(
        state, enterprise=enterprise, scheme=scheme, actors=actors, **kwargs
    )


def refused(call, *, says: str) -> None:  # type: ignore[no-untyped-def]
    """The call is refused, says so in a sentence containing `says`, and writes no history."""
    history = HistoryEvent.objects.count()
    with pytest.raises(RequirementsNotMet) as refusal:
        call()
    assert any(says in sentence for sentence in refusal.value.unmet), refusal.value.unmet
    assert HistoryEvent.objects.count() == history


# submit ------------------------------------------------------------------------------------


def test_submit_requires_a_product(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.DRAFT)
    application.product = None
    application.save()
    refused(lambda: submit_application(application=application, by=alice), says="product or service")


def test_submit_requires_the_declared_share(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.DRAFT)
    application.declared_social_share = None
    application.save()
    refused(lambda: submit_application(application=application, by=alice), says="Declare the social-economy share")


def test_submit_requires_a_document(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.DRAFT)
    application.documents.all().delete()
    refused(lambda: submit_application(application=application, by=alice), says="at least one document")


def test_submit_requires_a_valid_recognition(build, alice, enterprise) -> None:  # type: ignore[no-untyped-def]
    enterprise.recognition_valid_until = TODAY() - datetime.timedelta(days=1)
    enterprise.save()
    refused(lambda: submit_application(application=build(S.DRAFT), by=alice), says="recognition must be valid")


def test_submit_requires_a_recognition_number(build, alice, enterprise) -> None:  # type: ignore[no-untyped-def]
    enterprise.recognition_number = ""
    enterprise.save()
    refused(lambda: submit_application(application=build(S.DRAFT), by=alice), says="recognition must be valid")


def test_submit_requires_an_active_scheme(build, alice, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build(S.DRAFT)
    type(scheme).objects.filter(pk=scheme.pk).update(status=SchemeStatus.RETIRED)
    refused(lambda: submit_application(application=application, by=alice), says="No scheme is open")


def test_submit_names_every_unmet_requirement_at_once(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.DRAFT)
    application.product, application.declared_social_share = None, None
    application.save()
    application.documents.all().delete()
    with pytest.raises(RequirementsNotMet) as refusal:
        submit_application(application=application, by=alice)
    assert len(refusal.value.unmet) == 3


# officer's comments and reasons --------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "call", "says"),
    [
        (S.SUBMITTED, lambda app, who: return_application(application=app, by=who.officer, comment="  "), "comment"),
        (
            S.SUBMITTED,
            lambda app, who: reject_application(application=app, by=who.officer, reason=""),
            "reason for the rejection",
        ),
        (
            S.AUDIT_REPORTED,
            lambda app, who: reject_application(application=app, by=who.officer, reason=""),
            "reason for the rejection",
        ),
        (S.DRAFT, lambda app, who: withdraw_application(application=app, by=who.applicant, reason=""), "reason"),
    ],
)
def test_a_transition_that_needs_words_requires_them(build, actors, state, call, says) -> None:  # type: ignore[no-untyped-def]
    application = build(state)
    refused(lambda: call(application, actors), says=says)


# schedule_audit ------------------------------------------------------------------------------


def _schedule(application, officer, auditor, day=None):  # type: ignore[no-untyped-def]
    day = day if day is not None else TODAY() + datetime.timedelta(days=3)
    return lambda: schedule_audit(application=application, by=officer, auditor=auditor, scheduled_for=day)


def test_schedule_audit_requires_an_auditor(build, olivia) -> None:  # type: ignore[no-untyped-def]
    refused(_schedule(build(S.SUBMITTED), olivia, None), says="Choose an auditor")


def test_schedule_audit_refuses_someone_who_is_not_an_auditor(build, olivia, oscar) -> None:  # type: ignore[no-untyped-def]
    refused(_schedule(build(S.SUBMITTED), olivia, oscar), says="is not an auditor")


def test_schedule_audit_refuses_an_auditor_with_a_conflict_of_interest(build, olivia, dan, enterprise) -> None:  # type: ignore[no-untyped-def]
    enterprise.members.add(dan)
    refused(_schedule(build(S.SUBMITTED), olivia, dan), says="conflict of interest")


def test_schedule_audit_requires_a_date(build, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.SUBMITTED)
    refused(
        lambda: schedule_audit(application=application, by=olivia, auditor=carol, scheduled_for=None),
        says="date of the audit",
    )


def test_schedule_audit_refuses_a_date_in_the_past(build, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    refused(_schedule(build(S.SUBMITTED), olivia, carol, TODAY() - datetime.timedelta(days=1)), says="in the past")


# submit_report -------------------------------------------------------------------------------


def _report(application, carol, summary="In orde."):  # type: ignore[no-untyped-def]
    return lambda: submit_report(application=application, by=carol, summary=summary)


def test_submit_report_requires_every_applicable_criterion_assessed(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    Assessment.objects.filter(audit=application.audit, criterion__code="C4").delete()
    refused(_report(application, carol), says="not yet assessed: C4")


def test_submit_report_requires_category_criteria_for_food(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS, category="food")
    Assessment.objects.filter(audit=application.audit, criterion__code="F1").delete()
    refused(_report(application, carol), says="not yet assessed: F1")


def test_submit_report_requires_a_summary(build, carol) -> None:  # type: ignore[no-untyped-def]
    refused(_report(build(S.AUDIT_IN_PROGRESS), carol, summary=" "), says="summary")


def test_submit_report_requires_the_hours_of_the_share_criterion(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    ProductionStep.objects.filter(assessment__audit=application.audit).delete()
    refused(
        _report(application, carol),
        says="C2 lacks the hours per production step from which the share is computed: record them.",
    )


# corrective actions --------------------------------------------------------------------------


def _request(application, olivia, due=None):  # type: ignore[no-untyped-def]
    due = due if due is not None else TODAY() + datetime.timedelta(days=14)
    return lambda: request_corrective_actions(application=application, by=olivia, comment="", due_date=due)


def test_request_corrective_actions_requires_an_open_finding(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    application.audit.findings.update(status=FindingStatus.CLOSED)
    refused(_request(application, olivia), says="no open finding")


def test_request_corrective_actions_requires_a_due_date(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    refused(
        lambda: request_corrective_actions(application=application, by=olivia, comment="", due_date=None),
        says="due date",
    )


def test_request_corrective_actions_refuses_a_due_date_today(build, olivia) -> None:  # type: ignore[no-untyped-def]
    refused(_request(build(S.AUDIT_REPORTED), olivia, TODAY()), says="in the future")


def test_submit_corrective_actions_requires_a_response_to_every_open_finding(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.CORRECTIVE_ACTION)
    second = FindingFactory(audit=application.audit, severity=FindingSeverity.MAJOR)
    first = application.audit.findings.exclude(pk=second.pk).get()
    refused(
        lambda: submit_corrective_actions(application=application, by=alice, responses={first.pk: "Gedaan."}),
        says=f"Answer finding #{second.pk}",
    )


def test_submit_corrective_actions_refuses_a_finding_of_another_application(build, alice) -> None:  # type: ignore[no-untyped-def]
    application, other = build(S.CORRECTIVE_ACTION), build(S.CORRECTIVE_ACTION)
    responses = {f.pk: "Gedaan." for f in application.audit.findings.all()}
    stranger = other.audit.findings.get()
    responses[stranger.pk] = "Ook gedaan."
    refused(
        lambda: submit_corrective_actions(application=application, by=alice, responses=responses),
        says=f"#{stranger.pk} is not an open finding",
    )


# approve -------------------------------------------------------------------------------------


def _approve(application, olivia):  # type: ignore[no-untyped-def]
    return lambda: approve_application(application=application, by=olivia)


def test_approve_requires_every_mandatory_criterion_to_pass(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    Assessment.objects.filter(audit=application.audit, criterion__code="C1").update(result=AssessmentResult.FAIL)
    refused(_approve(application, olivia), says="not passed: C1")
    assert not Label.objects.exists()


def test_approve_ignores_a_failed_optional_criterion(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    Assessment.objects.filter(audit=application.audit, criterion__code="C6").update(result=AssessmentResult.FAIL)
    assert approve_application(application=application, by=olivia).level == 3


def test_approve_requires_major_findings_closed(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    major = FindingFactory(audit=application.audit, severity=FindingSeverity.MAJOR, status=FindingStatus.ANSWERED)
    refused(_approve(application, olivia), says=f"Major findings must be closed first: #{major.pk}")


def test_approve_requires_the_lowest_level_share(build, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    type(application.audit).objects.filter(pk=application.audit.pk).update(measured_social_share=Decimal("24.99"))
    refused(_approve(application, olivia), says="below the lowest level")


def test_approve_requires_the_recognition_still_valid(build, olivia, enterprise) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    enterprise.recognition_valid_until = TODAY() - datetime.timedelta(days=1)
    enterprise.save()
    refused(_approve(application, olivia), says="recognition is no longer valid")


# four eyes and conflict of interest ----------------------------------------------------------


@pytest.fixture
def officer_auditor(db):  # type: ignore[no-untyped-def]
    from certification.models import Role

    return UserFactory(username="vera", roles=[Role.AUDITOR, Role.OFFICER])


def test_approve_refuses_the_officer_who_audited(officer_auditor, alice, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    from certification.exceptions import ActionForbidden

    actors = Actors(applicant=alice, auditor=officer_auditor, officer=olivia)
    application = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    with pytest.raises(ActionForbidden, match="four eyes"):
        approve_application(application=application, by=officer_auditor)
    with pytest.raises(ActionForbidden, match="four eyes"):
        reject_application(application=application, by=officer_auditor, reason="Nee.")
    assert approve_application(application=application, by=olivia).level == 3


def test_an_officer_who_audited_may_decide_on_applications_he_did_not_audit(  # type: ignore[no-untyped-def]
    officer_auditor, alice, carol, enterprise, scheme
) -> None:
    actors = Actors(applicant=alice, auditor=carol, officer=officer_auditor)
    application = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    assert approve_application(application=application, by=officer_auditor).level == 3
