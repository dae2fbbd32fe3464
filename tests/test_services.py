"""Each use case by its rightful actor: the new state, the history row, the on-commit effects."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from audits.models import AssessmentResult, FindingSeverity, FindingStatus
from audits.services.assessments import add_finding, close_finding, record_assessment
from audits.services.audits import (
    request_corrective_actions,
    schedule_audit,
    start_audit,
    submit_corrective_actions,
    submit_report,
)
from audits.services.decisions import approve_application
from certification.exceptions import ActionForbidden, RequirementsNotMet, SchemeLocked, TransitionNotAllowed
from certification.models import Application, ApplicationState, CriterionKind, HistoryEvent, LabelStatus
from certification.selectors import applicable_criteria
from certification.services.applications import create_application, submit_application
from certification.services.documents import add_document
from certification.services.schemes import activate_scheme, copy_scheme
from tests.factories import PDF_BYTES, ProductFactory
from tests.workflow import Actors, build_application, steps_for

S = ApplicationState
VALUES = {"C3": Decimal(3), "C4": Decimal(4), "C5": Decimal(2), "S1": Decimal(3)}


def assess_everything(application, auditor, result=AssessmentResult.PASS) -> None:  # type: ignore[no-untyped-def]
    for criterion in applicable_criteria(application=application):
        share = criterion.kind == CriterionKind.SOCIAL_SHARE
        record_assessment(
            audit=application.audit,
            criterion_code=criterion.code,
            by=auditor,
            result=None if share else result,
            value=VALUES.get(criterion.code),
            steps=steps_for(Decimal("82.5")) if share else (),
        )


def test_the_whole_story_from_draft_to_label(  # type: ignore[no-untyped-def]
    alice, carol, olivia, enterprise, scheme, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    olivia.email, alice.email, carol.email = "olivia@cb.be", "alice@atelier.be", "carol@cb.be"
    for user in (olivia, alice, carol):
        user.save()
    product = ProductFactory(enterprise=enterprise, category__code="food", name="Confituur")
    application = create_application(
        enterprise=enterprise, by=alice, product=product, declared_social_share=Decimal("80")
    )
    assert application.reference == f"APP-{timezone.now():%Y}-{application.pk:05d}"
    add_document(application=application, file=ContentFile(PDF_BYTES, name="erkenning.pdf"), by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        application = submit_application(application=application, by=alice)
    assert application.scheme == scheme
    assert [m.to for m in mailoutbox] == [["olivia@cb.be"]]

    with django_capture_on_commit_callbacks(execute=True):
        application = schedule_audit(
            application=application, by=olivia, auditor=carol, scheduled_for=timezone.localdate()
        )
    assert sorted(m.to[0] for m in mailoutbox[1:]) == ["alice@atelier.be", "carol@cb.be"]

    application = start_audit(application=application, by=carol)
    assess_everything(application, carol)
    finding = add_finding(audit=application.audit, by=carol, severity=FindingSeverity.MAJOR, description="Geen HACCP.")
    submit_report(application=application, by=carol, summary="Eén major.")

    with pytest.raises(RequirementsNotMet, match="Major findings"):
        approve_application(application=application, by=olivia)
    request_corrective_actions(
        application=application, by=olivia, comment="", due_date=timezone.localdate() + datetime.timedelta(days=30)
    )
    submit_corrective_actions(application=application, by=alice, responses={finding.pk: "HACCP-plan opgesteld."})
    close_finding(finding=finding, by=carol, comment="Plan gezien.")
    submit_report(application=application, by=carol, summary="Opgelost.")

    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks() as on_commit:
        label = approve_application(application=application, by=olivia, rationale="Voldoet.")
    assert len(mailoutbox) == sent  # nothing is sent before the commit
    for callback in on_commit:
        callback()
    # The label issued, and the approval of the application.
    assert [(m.to, label.code in m.subject) for m in mailoutbox[sent:]] == [
        (["alice@atelier.be"], True),
        (["alice@atelier.be"], False),
    ]

    assert (label.level, label.social_share, label.status) == (3, Decimal("82.5"), LabelStatus.ACTIVE)
    assert label.valid_until == label.issued_on.replace(year=label.issued_on.year + 3)
    application.refresh_from_db()
    assert application.state == S.APPROVED
    assert list(application.history.values_list("action", flat=True)) == [
        "application.created",
        "application.document_added",
        "application.submitted",
        "application.audit_scheduled",
        "application.audit_started",
        *["audit.assessment_recorded"] * applicable_criteria(application=application).count(),
        "finding.added",
        "application.audit_reported",
        "application.corrective_actions_requested",
        "finding.answered",
        "application.corrective_actions_submitted",
        "finding.closed",
        "application.audit_reported",
        "application.approved",
        "label.issued",
    ]


def test_a_refused_transition_sends_no_mail(  # type: ignore[no-untyped-def]
    alice, carol, olivia, enterprise, scheme, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    application = build_application(S.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(TransitionNotAllowed):
        approve_application(application=application, by=olivia)
    assert callbacks == []
    assert mailoutbox == []


def test_a_new_label_supersedes_the_products_previous_one(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    actors = Actors(alice, carol, olivia)
    first = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    old = approve_application(application=first, by=olivia)
    renewal = build_application(S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=actors)
    renewal.product = first.product
    renewal.save()

    new = approve_application(application=renewal, by=olivia)

    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (LabelStatus.SUPERSEDED, new)
    assert HistoryEvent.objects.filter(action="label.superseded", target_id=old.pk).count() == 1


@pytest.mark.parametrize(
    ("share", "level"),
    [("24.99", None), ("25", 1), ("49.99", 1), ("50", 2), ("74.99", 2), ("75", 3), ("100", 3)],
)
def test_the_level_follows_the_thresholds(scheme, share, level) -> None:  # type: ignore[no-untyped-def]
    assert scheme.level_for(Decimal(share)) == level


@pytest.mark.parametrize(("share", "level"), [("25", 1), ("49.99", 1), ("50", 2), ("74.99", 2), ("75", 3)])
def test_approval_issues_the_level_of_the_measured_share(
    alice, carol, olivia, enterprise, scheme, share, level
) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    type(application.audit).objects.filter(pk=application.audit.pk).update(measured_social_share=Decimal(share))
    label = approve_application(application=application, by=olivia)
    assert (label.level, label.social_share) == (level, Decimal(share))


def test_the_scheme_is_frozen_at_submission(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(S.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia))
    application = submit_application(application=application, by=alice)
    criteria_before = list(applicable_criteria(application=application).values_list("pk", flat=True))

    successor = copy_scheme(scheme=scheme, version="2027.1", by=olivia)
    successor.criteria.filter(code="C6").delete()
    activate_scheme(scheme=successor, by=olivia)

    application.refresh_from_db()
    assert application.scheme == scheme
    assert list(applicable_criteria(application=application).values_list("pk", flat=True)) == criteria_before
    with pytest.raises(SchemeLocked):
        scheme.criteria.get(code="C3").save()
    with pytest.raises(SchemeLocked):
        scheme.criteria.get(code="C3").delete()


def test_recording_the_same_assessment_twice_changes_nothing(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_SCHEDULED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    start_audit(application=application, by=carol)
    for _ in range(2):
        record_assessment(audit=application.audit, criterion_code="C3", by=carol, result="pass", value=Decimal(3))
    assessment = application.audit.assessments.get()
    assert (assessment.result, assessment.value) == ("pass", Decimal(3))


@pytest.mark.parametrize(
    ("code", "result", "value", "says"),
    [
        ("C3", "pass", None, "needs a value"),
        ("C3", "pass", Decimal("2.5"), "whole score"),
        ("C3", "pass", Decimal(5), "from 0 to 4"),
        ("C2", "pass", Decimal(80), "cannot be typed"),
        ("C1", "pass", Decimal(1), "takes no value"),
        ("C1", "not_applicable", None, "mandatory"),
        ("C3", "maybe", Decimal(3), "pass, fail or not applicable"),
        ("F1", "pass", None, "not a criterion of this application"),
    ],
)
def test_record_assessment_refuses_invalid_input(
    alice, carol, olivia, enterprise, scheme, code, result, value, says
) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    with pytest.raises(RequirementsNotMet, match=says):
        record_assessment(audit=application.audit, criterion_code=code, by=carol, result=result, value=value)


def test_only_the_assigned_auditor_records_findings(alice, carol, dan, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    with pytest.raises(ActionForbidden):
        add_finding(audit=application.audit, by=dan, severity="minor", description="x")
    with pytest.raises(ActionForbidden):
        close_finding(finding=application.audit.findings.get(), by=olivia)


def test_findings_are_recorded_only_during_the_audit(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    with pytest.raises(TransitionNotAllowed, match="only while the audit is in progress"):
        add_finding(audit=application.audit, by=carol, severity="minor", description="Te laat.")


def test_requesting_corrective_actions_reopens_an_answer_not_accepted(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    application = build_application(
        S.AUDIT_REPORTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    application.audit.findings.update(status=FindingStatus.ANSWERED, response="Later.")
    due = timezone.localdate() + datetime.timedelta(days=10)
    request_corrective_actions(application=application, by=olivia, comment="Onvoldoende.", due_date=due)
    finding = application.audit.findings.get()
    assert (finding.status, finding.due_date) == (FindingStatus.OPEN, due)


def test_create_application_refuses_a_product_of_another_enterprise(alice, enterprise, other_enterprise) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match="must belong to the applying enterprise"):
        create_application(enterprise=enterprise, by=alice, product=ProductFactory(enterprise=other_enterprise))


def test_create_application_refuses_an_applicant_of_another_enterprise(bob, enterprise) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionForbidden):
        create_application(enterprise=enterprise, by=bob)
    assert not Application.objects.exists()


def test_each_mail_tells_the_state_of_its_own_change_in_its_recipients_language(  # type: ignore[no-untyped-def]
    alice, carol, olivia, enterprise, scheme, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    olivia.email, olivia.language = "olivia@cb.be", "en"
    olivia.save()
    carol.language = "fr"
    carol.save()
    application = build_application(S.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia))
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        submit_application(application=application, by=alice)
        schedule_audit(application=application, by=olivia, auditor=carol, scheduled_for=timezone.localdate())
    subjects = [m.subject for m in mailoutbox if m.to == ["olivia@cb.be"]]
    assert subjects == [f"{application.reference} is now submitted"]  # her language, not the request's
    assert [m.subject for m in mailoutbox if m.to == [carol.email]] == [
        f"{application.reference} est maintenant audit planifié"
    ]
