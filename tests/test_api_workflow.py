"""The whole story, from a new product to an issued label, through the API only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PDF_BYTES

SCORES = {"C3": "3", "C4": "4", "C5": "2"}
# The share criterion takes hours per production step: 82.5 % of the hours, a recognised
# social-economy subcontractor's counted with the target group's.
STEPS = [
    {"name": "Koken", "target_group_hours": "700", "all_hours": "875"},
    {
        "name": "Etiketteren",
        "target_group_hours": "0",
        "all_hours": "0",
        "subcontracted_hours": "125",
        "subcontractor_name": "Werkplaats Bob",
        "subcontractor_enterprise_number": "0403.170.701",
        "subcontractor_recognised": True,
    },
]


def signed_in(username: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    answer = client.post("/api/v1/auth/token/", {"username": username, "password": "secret"}, format="json")
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def ok(answer, status: int = 200):  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.content
    return answer.json() if answer.content else None


def test_the_whole_workflow_through_the_api(alice, carol, olivia, oscar, scheme) -> None:  # type: ignore[no-untyped-def]
    applicant, officer, auditor, deciding_officer = (signed_in(u) for u in ("alice", "olivia", "carol", "oscar"))

    assert ok(applicant.get("/api/v1/me/"))["roles"] == ["applicant"]
    product = ok(
        applicant.post(
            "/api/v1/products/", {"name": "Confituur", "kind": "product", "category": "food"}, format="json"
        ),
        201,
    )
    application = ok(
        applicant.post(
            "/api/v1/applications/",
            {"product": product["id"], "declared_social_share": "80", "production_description": "Eigen atelier."},
            format="json",
        ),
        201,
    )
    url = f"/api/v1/applications/{application['id']}"
    ok(
        applicant.post(
            f"{url}/documents/", {"file": SimpleUploadedFile("erkenning.pdf", PDF_BYTES)}, format="multipart"
        ),
        201,
    )
    assert [t["name"] for t in ok(applicant.get(f"{url}/transitions/"))] == ["submit", "withdraw"]
    assert ok(applicant.post(f"{url}/transitions/submit/", {}, format="json"))["state"] == "submitted"

    assert ok(officer.get("/api/v1/queue/"))["submitted"] == 1
    assert [a["username"] for a in ok(officer.get(f"/api/v1/auditors/?application={application['id']}"))] == ["carol"]
    ok(
        officer.post(
            f"{url}/transitions/schedule_audit/",
            {"auditor": "carol", "scheduled_for": timezone.localdate().isoformat()},
            format="json",
        )
    )

    audit = ok(auditor.get("/api/v1/audits/"))["results"][0]
    ok(auditor.post(f"{url}/transitions/start_audit/", {}, format="json"))
    checklist = ok(auditor.get(f"/api/v1/audits/{audit['id']}/"))["checklist"]
    assert {item["code"] for item in checklist} >= {"C1", "C2", "F1"}
    for item in checklist:
        body = {"result": "pass", "value": SCORES.get(item["code"]), "comment": "Gezien."}
        if item["kind"] == "social_share":
            body = {"steps": STEPS, "comment": "Loonlijsten gezien."}
        ok(auditor.put(f"/api/v1/audits/{audit['id']}/assessments/{item['code']}/", body, format="json"))
    share = ok(auditor.get(f"/api/v1/audits/{audit['id']}/"))["share"]
    assert (share["share"], share["level"], share["declared"]) == ("82.50", 3, "80.00")
    finding = ok(
        auditor.post(
            f"/api/v1/audits/{audit['id']}/findings/",
            {"criterion": "F1", "severity": "major", "description": "Attest verlopen."},
            format="json",
        ),
        201,
    )
    ok(
        auditor.post(
            f"{url}/transitions/submit_report/",
            {"summary": "Eén major."},
            format="json",
        )
    )

    refused = officer.post(f"{url}/transitions/approve/", {}, format="json")
    assert refused.status_code == 400
    assert any("Major findings" in sentence for sentence in refused.json()["unmet"])
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    ok(
        officer.post(
            f"{url}/transitions/request_corrective_actions/",
            {"comment": "Vernieuw het attest.", "due_date": due},
            format="json",
        )
    )
    ok(
        applicant.post(
            f"/api/v1/findings/{finding['id']}/answer/", {"response": "Nieuw attest opgeladen."}, format="json"
        )
    )
    ok(applicant.post(f"{url}/transitions/submit_corrective_actions/", {"responses": {}}, format="json"))
    ok(auditor.post(f"/api/v1/findings/{finding['id']}/close/", {"comment": "In orde."}, format="json"))
    ok(
        auditor.post(
            f"{url}/transitions/submit_report/",
            {"summary": "Opgelost."},
            format="json",
        )
    )

    approved = ok(deciding_officer.post(f"{url}/transitions/approve/", {"rationale": "Voldoet."}, format="json"))
    assert approved["state"] == "approved"
    label = ok(APIClient(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/labels/{approved['label']}/"))
    assert (label["status"], label["level"], label["social_share_percent"]) == ("valid", 3, 82.5)
    history = ok(applicant.get(f"{url}/history/?page_size=100"))["results"]
    assert history[-1]["action"] == "label.issued"
    assert [e["action"] for e in history].count("application.audit_reported") == 2


def test_a_token_is_revoked_with_delete(alice) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("alice")
    assert client.get("/api/v1/me/").status_code == 200
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 3
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(3):
        wrong = client.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json")
        assert wrong.status_code == 400
        assert wrong.json()["detail"] == "The username or password is not right."
    locked = client.post("/api/v1/auth/token/", {"username": "alice", "password": "secret"}, format="json")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.json()["detail"]
    assert int(locked["Retry-After"]) == settings.LOGIN_LOCKOUT_SECONDS


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (None, "De gebruikersnaam of het wachtwoord klopt niet."),
        ("fr-BE,fr;q=0.9", "Le nom d'utilisateur ou le mot de passe n'est pas correct."),
    ],
)
def test_the_api_speaks_dutch_unless_asked_otherwise(alice, language, detail) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(**({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
    wrong = client.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json")
    assert wrong.json()["detail"] == detail


def test_no_credentials_is_401_with_a_challenge(db) -> None:  # type: ignore[no-untyped-def]
    answer = APIClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/applications/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/applications/", "applications"),
        ("/api/v1/audits/", "applications"),
        ("/api/v1/products/", "applications"),
        ("/api/v1/labels/", "labels"),
        ("/api/v1/labels/?format=csv", "labels"),
        ("/api/v1/applications/{first}/history/", "applications"),
    ],
)
def test_lists_take_the_same_queries_for_1_and_50_rows(
    url, make, olivia, alice, carol, enterprise, scheme, issue_label
) -> None:  # type: ignore[no-untyped-def]
    from certification.models import ApplicationState
    from tests.workflow import Actors, build_application

    def grow(count: int) -> int:
        first = None
        for _ in range(count):
            if make == "labels":
                first = first or issue_label().application_id
                issue_label()
            else:
                app = build_application(
                    ApplicationState.AUDIT_REPORTED,
                    enterprise=enterprise,
                    scheme=scheme,
                    actors=Actors(alice, carol, olivia),
                )
                first = first or app.pk
        return first  # type: ignore[return-value]

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(olivia)

    def queries(target: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(target + ("&" if "?" in target else "?") + "page_size=100")
            assert answer.status_code == 200
            if answer.streaming:
                b"".join(answer.streaming_content)
        return len(captured)

    first = grow(1)
    queries(url.format(first=first))  # the first request also loads the user's roles
    one = queries(url.format(first=first))
    grow(49)
    assert queries(url.format(first=first)) == one


def test_an_application_for_another_enterprises_product_is_refused(alice, other_enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import ProductFactory

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(alice)
    foreign = ProductFactory(enterprise=other_enterprise)
    answer = client.post("/api/v1/applications/", {"product": foreign.pk}, format="json")
    assert answer.status_code == 400
    assert answer.json()["unmet"] == ["The product or service must belong to the applying enterprise."]


def test_acting_for_an_enterprise_you_do_not_belong_to_is_forbidden(alice, other_enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(alice)
    body = {"enterprise": other_enterprise.pk, "name": "Zeep", "category": "assembly"}
    assert client.post("/api/v1/products/", body, format="json").status_code == 403
    assert client.post("/api/v1/applications/", {"enterprise": other_enterprise.pk}, format="json").status_code == 403
