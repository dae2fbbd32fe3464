"""Applications in any state of DESIGN §4, and each transition called as its rightful actor."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from audits.models import AssessmentResult, FindingStatus, ProductionStep
from audits.services.audits import (
    request_corrective_actions,
    schedule_audit,
    start_audit,
    submit_corrective_actions,
    submit_report,
)
from audits.services.decisions import approve_application
from audits.services.share import StepRecord
from certification.models import Application, ApplicationState, CriterionKind, Enterprise, Scheme, User
from certification.selectors import applicable_criteria
from certification.services.applications import (
    reject_application,
    return_application,
    submit_application,
    withdraw_application,
)
from tests.factories import ApplicationFactory, AssessmentFactory, AuditFactory, DocumentFactory, FindingFactory

S = ApplicationState
AUDITED = {S.AUDIT_IN_PROGRESS, S.AUDIT_REPORTED, S.CORRECTIVE_ACTION, S.APPROVED, S.REJECTED, S.WITHDRAWN}
WITH_AUDIT = AUDITED | {S.AUDIT_SCHEDULED}
SUBMITTED = WITH_AUDIT | {S.SUBMITTED}


@dataclass
class Actors:
    applicant: User
    auditor: User
    officer: User


def build_application(
    state: ApplicationState, *, enterprise: Enterprise, scheme: Scheme, actors: Actors, category: str = "assembly"
) -> Application:
    """An application in `state` whose data meets the requirements of every transition.

    Built with factories, not services, so that each state can be had directly.
    """
    application = ApplicationFactory(
        enterprise=enterprise,
        product__category__code=category,
        state=state,
        created_by=actors.applicant,
        scheme=scheme if state in SUBMITTED else None,
        submitted_at=timezone.now() if state in SUBMITTED else None,
    )
    DocumentFactory(application=application, uploaded_by=actors.applicant)
    if state in WITH_AUDIT:
        audit = AuditFactory(
            application=application,
            auditor=actors.auditor,
            summary="Goed georganiseerd atelier." if state in AUDITED else "",
            measured_social_share=Decimal("80") if state in AUDITED else None,
        )
        if state in AUDITED:
            for criterion in applicable_criteria(application=application):
                assessment = AssessmentFactory(
                    audit=audit,
                    criterion=criterion,
                    result=AssessmentResult.PASS,
                    value=Decimal("80")
                    if criterion.kind == CriterionKind.SOCIAL_SHARE
                    else (Decimal(3) if criterion.kind == "score_0_4" else None),
                )
                if criterion.kind == CriterionKind.SOCIAL_SHARE:  # 80 of 100 hours: the 80 % above
                    ProductionStep.objects.create(
                        assessment=assessment,
                        position=1,
                        name="Assemblage",
                        target_group_hours=Decimal(80),
                        all_hours=Decimal(100),
                        subcontractor_recognised=False,
                    )
            FindingFactory(
                audit=audit,
                status=FindingStatus.OPEN if state != S.AUDIT_IN_PROGRESS else FindingStatus.ANSWERED,
                response="Register aangelegd." if state == S.AUDIT_IN_PROGRESS else "",
            )
    return application


def _open_finding_responses(application: Application) -> dict[int, str]:
    return (
        {
            finding.pk: "Opgelost: register bijgewerkt."
            for finding in application.audit.findings.filter(status=FindingStatus.OPEN)
        }
        if hasattr(application, "audit")
        else {}
    )


TransitionCall = Callable[[Application, Actors], Any]

# Each transition of DESIGN §4 called as its rightful actor, with a valid body.
TRANSITION_CALLS: dict[str, TransitionCall] = {
    "submit": lambda app, who: submit_application(application=app, by=who.applicant),
    "return_to_applicant": lambda app, who: return_application(
        application=app, by=who.officer, comment="Voeg het attest toe."
    ),
    "schedule_audit": lambda app, who: schedule_audit(
        application=app,
        by=who.officer,
        auditor=who.auditor,
        scheduled_for=timezone.localdate() + datetime.timedelta(days=7),
    ),
    "start_audit": lambda app, who: start_audit(application=app, by=who.auditor),
    "submit_report": lambda app, who: submit_report(application=app, by=who.auditor, summary="In orde."),
    "request_corrective_actions": lambda app, who: request_corrective_actions(
        application=app,
        by=who.officer,
        comment="Graag bijsturen.",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    ),
    "submit_corrective_actions": lambda app, who: submit_corrective_actions(
        application=app, by=who.applicant, responses=_open_finding_responses(app)
    ),
    "approve": lambda app, who: approve_application(application=app, by=who.officer, rationale="Voldoet."),
    "reject": lambda app, who: reject_application(application=app, by=who.officer, reason="Voldoet niet."),
    "withdraw": lambda app, who: withdraw_application(application=app, by=who.applicant, reason="Product stopgezet."),
}

# DESIGN §4: from which states each transition may be taken, and where it leads.
ALLOWED: dict[str, tuple[set[ApplicationState], ApplicationState]] = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "return_to_applicant": ({S.SUBMITTED}, S.DRAFT),
    "schedule_audit": ({S.SUBMITTED}, S.AUDIT_SCHEDULED),
    "start_audit": ({S.AUDIT_SCHEDULED}, S.AUDIT_IN_PROGRESS),
    "submit_report": ({S.AUDIT_IN_PROGRESS}, S.AUDIT_REPORTED),
    "request_corrective_actions": ({S.AUDIT_REPORTED}, S.CORRECTIVE_ACTION),
    "submit_corrective_actions": ({S.CORRECTIVE_ACTION}, S.AUDIT_IN_PROGRESS),
    "approve": ({S.AUDIT_REPORTED}, S.APPROVED),
    "reject": ({S.SUBMITTED, S.AUDIT_REPORTED}, S.REJECTED),
    "withdraw": (set(S) - {S.APPROVED, S.REJECTED, S.WITHDRAWN}, S.WITHDRAWN),
}


def steps_for(share: Decimal) -> list[StepRecord]:
    """One production step whose hours (of 1000) give `share` %."""
    return [StepRecord(name="Productie", target_group_hours=share * 10, all_hours=Decimal(1000))]
