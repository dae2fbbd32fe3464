"""Every endpoint x every role has one expected status (DESIGN §6), checked in full.

alice applies for Atelier Alice, whose application is being audited by carol; bob applies for
another enterprise; dan audits other things; olivia is an officer; nobody is anonymous.
"""

import json

import pytest
from rest_framework.test import APIClient

from audits.models import FindingSeverity, FindingStatus
from audits.surveillance import SurveillanceState
from certification.models import ApplicationState, Change
from certification.services.history import record_event
from certification.services.tokens import create_api_token
from complaints.services.appeals import lodge_appeal
from tests.factories import PDF_BYTES, ComplaintFactory, EvidenceFactory, FindingFactory
from tests.surveillance_world import build_surveillance
from tests.workflow import Actors, build_application

ROLES = ["nobody", "alice", "bob", "carol", "dan", "olivia"]
#                                                            nobody alice bob carol dan olivia
TABLE = [
    ("GET", "/api/v1/me/", None,                              (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/categories/", None,                      (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/schemes/", None,                         (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/schemes/2026.1/", None,                  (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/products/", None,                        (401, 200, 200, 403, 403, 200)),
    ("GET", "/api/v1/products/{product}/", None,              (401, 200, 404, 403, 403, 200)),
    ("PATCH", "/api/v1/products/{product}/", {"name": "X"},   (401, 400, 404, 403, 403, 403)),
    ("POST", "/api/v1/products/", {"name": "Zeep", "category": "assembly"}, (401, 201, 201, 403, 403, 403)),
    ("GET", "/api/v1/applications/", None,                    (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/applications/", {},                     (401, 201, 201, 403, 403, 403)),
    ("GET", "/api/v1/applications/{app}/", None,              (401, 200, 404, 200, 404, 200)),
    ("PATCH", "/api/v1/applications/{app}/", {"production_description": "x"}, (401, 400, 404, 403, 403, 403)),
    ("GET", "/api/v1/applications/{app}/transitions/", None,  (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/v1/applications/{app}/history/", None,      (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/v1/applications/{app}/documents/", None,    (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/v1/applications/{app}/documents/{document}/", None, (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/v1/applications/{app}/documents/", "upload", (401, 400, 404, 403, 403, 403)),
    ("GET", "/api/v1/applications/{app}/findings/", None,     (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/v1/applications/{app}/transitions/submit_report/",
        {"summary": "In orde."}, (401, 403, 404, 200, 404, 403)),
    ("POST", "/api/v1/applications/{app}/transitions/approve/", {}, (401, 403, 404, 403, 404, 409)),
    ("POST", "/api/v1/applications/{app}/transitions/levitate/", {}, (401, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/audits/", None,                          (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/v1/audits/{audit}/", None,                  (401, 403, 403, 200, 404, 200)),
    ("PUT", "/api/v1/audits/{audit}/assessments/C3/", {"result": "pass", "value": "3"}, (401, 403, 403, 200, 404, 403)),
    ("PUT", "/api/v1/audits/{audit}/assessments/C2/",
        {"steps": [{"name": "Zagen", "target_group_hours": "8", "all_hours": "10"}]}, (401, 403, 403, 200, 404, 403)),
    ("POST", "/api/v1/audits/{audit}/findings/", {"severity": "minor", "description": "Geen register."},
        (401, 403, 403, 201, 404, 403)),
    ("POST", "/api/v1/findings/{finding}/close/", {},         (401, 403, 403, 200, 404, 403)),
    ("POST", "/api/v1/findings/{finding}/answer/", {"response": "Gedaan."}, (401, 409, 404, 403, 403, 403)),
    ("GET", "/api/v1/audits/{audit}/assessments/C1/evidence/", None, (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/v1/audits/{audit}/assessments/C1/evidence/", "upload", (401, 403, 404, 201, 404, 403)),
    ("GET", "/api/v1/findings/{finding}/evidence/", None,     (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/v1/findings/{finding}/evidence/", "upload", (401, 409, 404, 201, 404, 403)),
    ("GET", "/api/v1/evidence/{evidence}/", None,             (401, 200, 404, 200, 404, 200)),
    ("DELETE", "/api/v1/evidence/{evidence}/", None,          (401, 403, 404, 204, 404, 403)),
    ("GET", "/api/v1/queue/", None,                           (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/v1/auditors/", None,                        (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/labels/{label}/transitions/suspend/", {"reason": "x"}, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/complaints/", {"enterprise_number": "0203.201.340", "category": "other", "description": "x"},
        (201, 201, 201, 201, 201, 201)),
    ("GET", "/api/v1/complaints/{complaint}/", None,          (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/officer/complaints/", None,              (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/v1/officer/complaints/{complaint}/", None,  (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/complaints/{complaint}/transitions/acknowledge/", {}, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/complaints/{complaint}/transitions/close/", {}, (401, 403, 403, 403, 403, 409)),
    ("GET", "/api/v1/appeals/", None,                         (401, 200, 200, 403, 403, 200)),
    ("GET", "/api/v1/appeals/{appeal}/", None,                (401, 200, 404, 403, 403, 200)),
    ("POST", "/api/v1/appeals/", {"application": 0, "arguments": "x"}, (401, 404, 404, 403, 403, 403)),
    ("POST", "/api/v1/appeals/{appeal}/transitions/grant/", {"reasons": "x"}, (401, 403, 404, 404, 404, 200)),
    ("GET", "/api/v1/labels/{label}/certificate/as-issued.pdf", None, (401, 200, 404, 403, 403, 200)),
    ("GET", "/api/v1/labels/{label}/renewal/", None,           (401, 200, 404, 403, 403, 200)),
    ("POST", "/api/v1/labels/{label}/renewal/", None,          (401, 400, 404, 403, 403, 403)),
    ("GET", "/api/v1/surveillance/due/", None,                (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/labels/{label2}/surveillances/", {"auditor": "carol", "scheduled_for": "2099-01-01"},
        (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/v1/surveillances/", None,                   (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/surveillances/{surveillance}/", None,    (401, 200, 404, 200, 404, 200)),
    ("PUT", "/api/v1/surveillances/{surveillance}/assessments/C1/", {"result": "pass"},
        (401, 403, 403, 200, 404, 403)),
    ("GET", "/api/v1/surveillances/{surveillance}/assessments/C1/evidence/", None, (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/v1/surveillances/{surveillance}/assessments/C1/evidence/", "upload",
        (401, 403, 404, 201, 404, 403)),
    ("POST", "/api/v1/surveillances/{surveillance}/transitions/continue_certification/", {},
        (401, 403, 404, 403, 404, 409)),
    ("POST", "/api/v1/surveillances/{surveillance}/transitions/levitate/", {}, (401, 404, 404, 404, 404, 404)),
    ("POST", "/api/v1/labels/{label}/changes/", {"kind": "production_moved", "description": "Naar Gent.",
        "effective_on": "2027-01-01"}, (401, 201, 403, 403, 403, 403)),
    ("GET", "/api/v1/changes/", None,                         (401, 200, 200, 403, 403, 200)),
    ("GET", "/api/v1/changes/{change}/", None,                (401, 200, 404, 403, 403, 200)),
    ("POST", "/api/v1/changes/{change}/transitions/no_effect/", {"decision": "Geen gevolg."},
        (401, 403, 404, 403, 403, 200)),
    ("DELETE", "/api/v1/auth/token/", None,                   (401, 204, 204, 204, 204, 204)),
    ("GET", "/api/v1/me/tokens/", None,                       (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/me/tokens/", {"name": "CI"},            (401, 201, 201, 201, 201, 201)),
    ("POST", "/api/v1/me/tokens/", {"name": ""},              (401, 400, 400, 400, 400, 400)),
    ("DELETE", "/api/v1/me/tokens/{token}/", None,            (401, 204, 404, 404, 404, 404)),
    ("POST", "/api/v1/subscriptions/", {"email": "koper@aankoop.example", "enterprise_number": "0403170701"},
        (202, 202, 202, 202, 202, 202)),
    ("POST", "/api/v1/subscriptions/confirm/", {"token": "never-sent"}, (400, 400, 400, 400, 400, 400)),
    ("POST", "/api/v1/subscriptions/unsubscribe/", {"token": "never-sent"}, (200, 200, 200, 200, 200, 200)),
]  # fmt: skip
CASES = [
    (method, path, body, role, expected)
    for method, path, body, statuses in TABLE
    for role, expected in zip(ROLES, statuses, strict=True)
]


def appealed_rejection(enterprise, scheme, actors: Actors):  # type: ignore[no-untyped-def]
    """alice's appeal of a rejection in which olivia took no part."""
    application = build_application(ApplicationState.REJECTED, enterprise=enterprise, scheme=scheme, actors=actors)
    record_event(action="application.rejected", by=None, target=application, application=application)
    return lodge_appeal(by=actors.applicant, application=application, arguments="Zie bijlage.", reopen_at="submitted")


@pytest.fixture
def world(alice, bob, carol, dan, olivia, enterprise, other_enterprise, scheme, issue_label):  # type: ignore[no-untyped-def]
    application = build_application(
        ApplicationState.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    finding = FindingFactory(audit=application.audit, severity=FindingSeverity.MINOR, status=FindingStatus.OPEN)
    label = issue_label()
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=label, auditor=carol)
    change = Change.objects.create(
        label=label, kind="production_moved", description="x", effective_on=label.issued_on, notified_by=alice
    )
    return {
        "users": {"alice": alice, "bob": bob, "carol": carol, "dan": dan, "olivia": olivia},
        "label2": issue_label().code,
        "surveillance": surveillance.pk,
        "change": change.pk,
        "app": application.pk,
        "product": application.product_id,
        "audit": application.audit.pk,
        "document": application.documents.get().pk,
        "finding": finding.pk,
        "evidence": EvidenceFactory(assessment=application.audit.assessments.get(criterion__code="C1")).pk,
        "label": label.code,
        "token": create_api_token(by=alice, name="alice's").token.pk,
        # About bob's enterprise, in whose certification olivia had no part.
        "complaint": ComplaintFactory(enterprise=other_enterprise).tracking_number,
        "appeal": appealed_rejection(enterprise, scheme, Actors(alice, carol, olivia)).pk,
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    CASES,
    ids=[f"{m} {p} as {r}" for m, p, _, r, _ in CASES],
)
def test_each_endpoint_answers_each_role_as_the_table_says(world, method, path, body, role, expected) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if role != "nobody":
        client.force_authenticate(world["users"][role])
    url = path.format(**world)
    if body == "upload":
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF_BYTES)}, format="multipart")
    else:
        payload = None if body is None else json.dumps(body)
        response = client.generic(method, url, data=payload, content_type="application/json")
    assert response.status_code == expected, response.content[:300]
    if response.status_code >= 400:
        assert isinstance(response.json()["detail"], str)
