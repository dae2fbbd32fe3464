"""Surveillance audits in any state, and each step called as its rightful actor."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from audits.models import AssessmentResult, ProductionStep
from audits.services.surveillance import (
    continue_certification,
    report_surveillance,
    request_surveillance_corrections,
    revoke_after_surveillance,
    start_surveillance,
    submit_surveillance_corrections,
    suspend_after_surveillance,
)
from audits.surveillance import Surveillance, SurveillanceAssessment, SurveillanceState
from audits.surveillance_selectors import surveillance_criteria
from certification.models import Label, User
from tests.workflow import Actors

V = SurveillanceState
STARTED = {V.IN_PROGRESS, V.REPORTED, V.CORRECTIVE_ACTION, V.CONTINUED, V.SUSPENDED, V.REVOKED}
REPORTED = STARTED - {V.IN_PROGRESS}


def build_surveillance(state: SurveillanceState, *, label: Label, auditor: User, share: str = "80") -> Surveillance:
    """A surveillance audit of `label` in `state` whose data meets the requirements of every step."""
    today = timezone.localdate()
    surveillance = Surveillance.objects.create(
        label=label,
        auditor=auditor,
        scheduled_for=today,
        state=state,
        started_at=timezone.now() if state in STARTED else None,
        reported_at=timezone.now() if state in REPORTED else None,
        summary="Productie ongewijzigd." if state in REPORTED else "",
        measured_social_share=Decimal(share) if state in REPORTED else None,
        corrective_actions="Register bijwerken." if state == V.CORRECTIVE_ACTION else "",
        corrective_actions_due=today + datetime.timedelta(days=30) if state == V.CORRECTIVE_ACTION else None,
    )
    if state in STARTED:
        for criterion in surveillance_criteria(surveillance=surveillance):
            assessment = SurveillanceAssessment.objects.create(
                surveillance=surveillance,
                criterion=criterion,
                result=AssessmentResult.PASS,
                value=Decimal(share) if criterion.kind in ("percentage", "social_share") else None,
                assessed_by=auditor,
            )
            if criterion.kind == "social_share":  # `share` % of 100 hours by target-group employees
                ProductionStep.objects.create(
                    surveillance_assessment=assessment,
                    position=1,
                    name="Assemblage",
                    target_group_hours=Decimal(share),
                    all_hours=Decimal(100),
                    subcontractor_recognised=False,
                )
    return surveillance


LATER = datetime.timedelta(days=30)


def _start(s: Surveillance, a: Actors) -> Any:
    return start_surveillance(surveillance=s, by=a.auditor)


def _report(s: Surveillance, a: Actors) -> Any:
    return report_surveillance(surveillance=s, by=a.auditor, summary="In orde.")


def _continue(s: Surveillance, a: Actors) -> Any:
    return continue_certification(surveillance=s, by=a.officer, rationale="Voldoet.")


def _request(s: Surveillance, a: Actors) -> Any:
    due = timezone.localdate() + LATER
    return request_surveillance_corrections(surveillance=s, by=a.officer, comment="Register bijwerken.", due_date=due)


def _answer(s: Surveillance, a: Actors) -> Any:
    return submit_surveillance_corrections(surveillance=s, by=a.applicant, response="Register bijgewerkt.")


def _suspend(s: Surveillance, a: Actors) -> Any:
    return suspend_after_surveillance(surveillance=s, by=a.officer, reason="Aandeel niet aangetoond.")


def _revoke(s: Surveillance, a: Actors) -> Any:
    return revoke_after_surveillance(surveillance=s, by=a.officer, reason="Product gewijzigd.")


STEP_CALLS: dict[str, Callable[[Surveillance, Actors], Any]] = {
    "start": _start,
    "report": _report,
    "continue_certification": _continue,
    "request_corrective_actions": _request,
    "submit_corrective_actions": _answer,
    "suspend_label": _suspend,
    "revoke_label": _revoke,
}
DECIDING = {V.REPORTED, V.CORRECTIVE_ACTION}
ALLOWED: dict[str, tuple[set[SurveillanceState], SurveillanceState]] = {
    "start": ({V.SCHEDULED}, V.IN_PROGRESS),
    "report": ({V.IN_PROGRESS}, V.REPORTED),
    "continue_certification": (DECIDING, V.CONTINUED),
    "request_corrective_actions": ({V.REPORTED}, V.CORRECTIVE_ACTION),
    "submit_corrective_actions": ({V.CORRECTIVE_ACTION}, V.REPORTED),
    "suspend_label": (DECIDING, V.SUSPENDED),
    "revoke_label": (DECIDING, V.REVOKED),
}
