"""Evidence (issue 12 item 4): files the auditor attaches to an assessment or a finding, and the
enterprise to a finding it answers; checked as documents are, scoped as documents are (another
enterprise: 404), never public, kept as a record once the audit is reported.

alice applies for Atelier Alice, audited by carol; bob applies for another enterprise; dan audits
other things; olivia is an officer.
"""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audits.evidence_selectors import evidence_visible_to
from audits.models import Evidence, FindingStatus
from audits.services.evidence import attach_evidence, remove_evidence
from audits.surveillance import SurveillanceState
from certification.exceptions import ActionForbidden, RequirementsNotMet, TransitionNotAllowed
from certification.models import ApplicationState, HistoryEvent
from certification.services.documents import checked_upload
from tests.factories import PDF_BYTES, PNG_BYTES, EvidenceFactory, FindingFactory
from tests.surveillance_world import build_surveillance
from tests.workflow import Actors, build_application

S = ApplicationState
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


@pytest.fixture
def build(alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    return lambda state: build_application(
        state, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )


def photo(name: str = "werkvloer.jpg", content: bytes = JPEG) -> ContentFile:
    return ContentFile(content, name=name)


def stored_files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "media").rglob("*") if p.is_file())


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def c1_of(application):  # type: ignore[no-untyped-def]
    return application.audit.assessments.get(criterion__code="C1")


# The service: what is stored, and the checks of a document


def test_the_auditor_attaches_a_photo_to_an_assessment(build, carol) -> None:  # type: ignore[no-untyped-def]
    assessment = c1_of(build(S.AUDIT_IN_PROGRESS))

    evidence = attach_evidence(target=assessment, file=photo(), by=carol)

    assert (evidence.assessment, evidence.uploaded_by) == (assessment, carol)
    assert (evidence.original_name, evidence.content_type, evidence.size) == ("werkvloer.jpg", "image/jpeg", len(JPEG))
    assert evidence.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert evidence.file.name.startswith("evidence/")
    assert evidence.file.name.endswith(".jpg")
    assert "werkvloer" not in evidence.file.name
    event = HistoryEvent.objects.get(action="evidence.added", target_id=evidence.pk)
    assert (event.actor, event.application) == (carol, assessment.audit.application)
    assert event.data == {"for": "C1", "name": "werkvloer.jpg", "sha256": evidence.sha256, "size": len(JPEG)}


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (ELF, "loonlijst.pdf"),  # an executable, whatever its name says
        (PDF_BYTES + b"0" * 2048, "groot.pdf"),  # over the limit below
        (JPEG, "../../etc/passwd.jpg"),  # not a plain name
    ],
)
def test_a_file_a_document_would_be_refused_for_is_refused_the_same(  # type: ignore[no-untyped-def]
    build, carol, settings, tmp_path, content, name
) -> None:
    settings.MAX_UPLOAD_SIZE = 1024
    assessment = c1_of(build(S.AUDIT_IN_PROGRESS))
    before = stored_files(tmp_path)
    with pytest.raises(RequirementsNotMet) as as_document:
        checked_upload(ContentFile(content, name=name))

    with pytest.raises(RequirementsNotMet) as as_evidence:
        attach_evidence(target=assessment, file=ContentFile(content, name=name), by=carol)

    assert as_evidence.value.unmet == as_document.value.unmet
    assert not Evidence.objects.exists()
    assert stored_files(tmp_path) == before


@pytest.mark.parametrize("broken", ["row", "history"])
def test_nothing_is_half_written_when_the_row_or_its_history_fails(  # type: ignore[no-untyped-def]
    build, carol, tmp_path, monkeypatch, broken
) -> None:
    assessment = c1_of(build(S.AUDIT_IN_PROGRESS))
    before = stored_files(tmp_path)

    def fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database down")

    if broken == "row":
        monkeypatch.setattr(Evidence, "save", fails)
    else:
        monkeypatch.setattr("audits.services.evidence.record_event", fails)
    with pytest.raises(RuntimeError):
        attach_evidence(target=assessment, file=photo(), by=carol)

    assert stored_files(tmp_path) == before
    assert not Evidence.objects.exists()


# Who attaches, when


def test_only_the_assigned_auditor_attaches_to_the_audit(build, alice, bob, dan, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    finding = FindingFactory(audit=application.audit)
    for stranger in (bob, dan, olivia):
        for target in (c1_of(application), finding):
            with pytest.raises(ActionForbidden):
                attach_evidence(target=target, file=photo(), by=stranger)
    with pytest.raises(ActionForbidden, match=r"Only the assigned auditor may attach evidence\."):
        attach_evidence(target=c1_of(application), file=photo(), by=alice)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("state", [S.AUDIT_REPORTED, S.CORRECTIVE_ACTION, S.APPROVED])
def test_the_auditor_attaches_nothing_once_the_audit_is_reported(build, carol, state) -> None:  # type: ignore[no-untyped-def]
    application = build(state)
    for target in (c1_of(application), application.audit.findings.get()):
        with pytest.raises(TransitionNotAllowed, match="only while the audit is in progress"):
            attach_evidence(target=target, file=photo(), by=carol)
    assert not Evidence.objects.exists()


def test_the_auditor_attaches_to_a_finding(build, carol) -> None:  # type: ignore[no-untyped-def]
    finding = FindingFactory(audit=build(S.AUDIT_IN_PROGRESS).audit)
    evidence = attach_evidence(target=finding, file=photo("register.png", PNG_BYTES), by=carol)
    assert list(finding.evidence.all()) == [evidence]
    assert HistoryEvent.objects.get(action="evidence.added").data["for"] == f"finding #{finding.pk}"


def test_the_enterprise_sends_files_with_its_answer_to_an_open_finding(build, alice, bob, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.CORRECTIVE_ACTION)
    finding = application.audit.findings.get()
    evidence = attach_evidence(target=finding, file=ContentFile(PDF_BYTES, name="register.pdf"), by=alice)
    assert evidence.finding == finding
    with pytest.raises(ActionForbidden):
        attach_evidence(target=finding, file=photo(), by=bob)
    with pytest.raises(TransitionNotAllowed):  # the auditor waits for the answers
        attach_evidence(target=finding, file=photo(), by=carol)
    with pytest.raises(ActionForbidden):  # an assessment is the auditor's
        attach_evidence(target=c1_of(application), file=photo(), by=alice)


def test_the_enterprise_sends_files_only_while_it_answers(build, alice) -> None:  # type: ignore[no-untyped-def]
    in_progress = build(S.AUDIT_IN_PROGRESS)
    with pytest.raises(TransitionNotAllowed, match="while corrective actions are requested"):
        attach_evidence(target=in_progress.audit.findings.get(), file=photo(), by=alice)
    answering = build(S.CORRECTIVE_ACTION)
    closed = FindingFactory(audit=answering.audit, status=FindingStatus.CLOSED)
    with pytest.raises(RequirementsNotMet, match=r"This finding is closed\."):
        attach_evidence(target=closed, file=photo(), by=alice)


# Removal, and the record after the report


def test_whoever_attached_it_removes_it_while_the_audit_is_open(build, carol, tmp_path, committed) -> None:  # type: ignore[no-untyped-def]
    evidence = attach_evidence(target=c1_of(build(S.AUDIT_IN_PROGRESS)), file=photo(), by=carol)
    path = Path(evidence.file.path)
    with committed():
        remove_evidence(evidence=evidence, by=carol)
    assert not Evidence.objects.exists()
    assert not path.exists()
    event = HistoryEvent.objects.get(action="evidence.removed")
    assert (event.actor, event.data["name"], event.data["sha256"]) == (carol, "werkvloer.jpg", evidence.sha256)


def test_nobody_else_removes_it(build, alice, olivia, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.CORRECTIVE_ACTION)
    evidence = attach_evidence(target=application.audit.findings.get(), file=photo(), by=alice)
    for other in (carol, olivia):
        with pytest.raises(ActionForbidden, match=r"Only the person who attached this file may remove it\."):
            remove_evidence(evidence=evidence, by=other)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_after_the_report_the_evidence_is_a_record_and_stays(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    evidence = attach_evidence(target=c1_of(application), file=photo(), by=carol)
    type(application).objects.filter(pk=application.pk).update(state=S.AUDIT_REPORTED)
    with pytest.raises(TransitionNotAllowed):
        remove_evidence(evidence=evidence, by=carol)
    assert Path(evidence.file.path).exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# Surveillance audits: the same checklist


def test_the_surveillance_auditor_attaches_while_it_is_in_progress(issue_label, carol, dan, alice) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=issue_label(), auditor=carol)
    assessment = surveillance.assessments.first()
    evidence = attach_evidence(target=assessment, file=photo(), by=carol)
    assert evidence.surveillance_assessment == assessment
    assert HistoryEvent.objects.get(action="evidence.added").application == surveillance.label.application
    for stranger in (dan, alice):
        with pytest.raises(ActionForbidden):
            attach_evidence(target=assessment, file=photo(), by=stranger)
    reported = build_surveillance(SurveillanceState.REPORTED, label=issue_label(), auditor=carol)
    with pytest.raises(TransitionNotAllowed):
        attach_evidence(target=reported.assessments.first(), file=photo(), by=carol)


# Who sees it


def test_evidence_is_seen_by_the_auditor_officers_and_the_enterprise_only(  # type: ignore[no-untyped-def]
    build, issue_label, alice, bob, carol, dan, olivia
) -> None:
    on_audit = attach_evidence(target=c1_of(build(S.AUDIT_IN_PROGRESS)), file=photo(), by=carol)
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=issue_label(), auditor=carol)
    on_surveillance = attach_evidence(target=surveillance.assessments.first(), file=photo(), by=carol)
    both = {on_audit, on_surveillance}
    for user, sees in [(alice, both), (carol, both), (olivia, both), (bob, set()), (dan, set())]:
        assert set(evidence_visible_to(user=user)) == sees, user


# The pages


def test_the_tablet_page_has_a_file_input_per_assessment_and_finding(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    finding = application.audit.findings.get()
    html = signed_in(carol).get(f"/audits/{application.audit.pk}/").content.decode()
    assessed = application.audit.assessments.count()
    assert html.count('type="file"') == assessed + 1
    assert 'name="evidence-C1-file"' in html
    assert f'name="evidence-{finding.pk}-file"' in html
    assert 'accept="application/pdf,image/png,image/jpeg"' in html


def test_the_auditor_attaches_on_the_page_and_everyone_entitled_downloads_it(  # type: ignore[no-untyped-def]
    build, alice, bob, carol, dan, olivia
) -> None:
    application = build(S.AUDIT_IN_PROGRESS)
    audit_page = f"/audits/{application.audit.pk}/"
    auditor = signed_in(carol)
    response = auditor.post(
        f"{audit_page}criteria/C1/evidence/", {"evidence-C1-file": SimpleUploadedFile("attest.png", PNG_BYTES)}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"{audit_page}#evidence-C1")
    evidence = Evidence.objects.get()
    html = auditor.get(audit_page).content.decode()
    assert "attest.png is attached." in html
    assert f'href="/evidence/{evidence.pk}/"' in html
    assert "Remove attest.png" in html
    assert (
        f'href="/evidence/{evidence.pk}/"' in signed_in(alice).get(f"/applications/{application.pk}/").content.decode()
    )
    for user in (alice, carol, olivia):
        download = signed_in(user).get(f"/evidence/{evidence.pk}/")
        assert download.status_code == 200
        assert download["Content-Type"] == "image/png"
        assert b"".join(download.streaming_content) == PNG_BYTES
    for stranger in (bob, dan):
        assert signed_in(stranger).get(f"/evidence/{evidence.pk}/").status_code == 404
        assert signed_in(stranger).post(f"/evidence/{evidence.pk}/remove/").status_code == 404
    anonymous = Client().get(f"/evidence/{evidence.pk}/")
    assert anonymous.status_code == 302
    assert "/account/sign-in/" in anonymous.url


def test_a_refused_file_is_said_under_its_assessment_and_nothing_is_kept(build, carol, tmp_path) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    before = stored_files(tmp_path)
    response = signed_in(carol).post(
        f"/audits/{application.audit.pk}/criteria/C1/evidence/",
        {"evidence-C1-file": SimpleUploadedFile("foto.jpg", ELF)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    refusal = html.index("Only PDF, PNG and JPEG files are accepted")
    assert html.rindex('id="evidence-C1"', 0, refusal) > html.rindex('id="criterion-C1"', 0, refusal)
    assert not Evidence.objects.exists()
    assert stored_files(tmp_path) == before


def test_after_the_report_the_page_lists_the_evidence_without_a_file_input(build, carol, olivia) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_REPORTED)
    evidence = EvidenceFactory(assessment=c1_of(application), original_name="loonlijst.png")
    for user in (carol, olivia):
        html = signed_in(user).get(f"/audits/{application.audit.pk}/").content.decode()
        assert 'type="file"' not in html
        assert f'<a href="/evidence/{evidence.pk}/">loonlijst.png</a>' in html
    refused = signed_in(carol).post(f"/evidence/{evidence.pk}/remove/")
    assert refused.status_code == 409
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_auditor_removes_a_file_on_the_page(build, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    evidence = attach_evidence(target=c1_of(application), file=photo(), by=carol)
    response = signed_in(carol).post(f"/evidence/{evidence.pk}/remove/")
    assert response.status_code == 302
    assert response.url.endswith(f"/audits/{application.audit.pk}/#evidence-C1")
    assert not Evidence.objects.exists()


def test_the_enterprise_attaches_to_a_finding_on_the_application_page(build, alice, bob) -> None:  # type: ignore[no-untyped-def]
    application = build(S.CORRECTIVE_ACTION)
    finding = application.audit.findings.get()
    page = f"/applications/{application.pk}/"
    assert f'name="evidence-{finding.pk}-file"' in signed_in(alice).get(page).content.decode()
    url = f"{page}findings/{finding.pk}/evidence/"

    def sent():  # type: ignore[no-untyped-def]
        return {f"evidence-{finding.pk}-file": SimpleUploadedFile("register.pdf", PDF_BYTES)}

    assert signed_in(bob).post(url, sent()).status_code == 404
    response = signed_in(alice).post(url, sent())
    assert response.status_code == 302, re.findall(r'(?s)role="alert">(.*?)</', response.content.decode())
    assert response.url.endswith(f"{page}#finding-{finding.pk}")
    assert Evidence.objects.get().finding == finding


def test_the_surveillance_checklist_takes_evidence(issue_label, carol) -> None:  # type: ignore[no-untyped-def]
    surveillance = build_surveillance(SurveillanceState.IN_PROGRESS, label=issue_label(), auditor=carol)
    code = surveillance.assessments.first().criterion.code
    page = f"/surveillance/{surveillance.pk}/"
    assert f'name="evidence-{code}-file"' in signed_in(carol).get(page).content.decode()
    response = signed_in(carol).post(
        f"{page}criteria/{code}/evidence/", {f"evidence-{code}-file": SimpleUploadedFile("foto.jpg", JPEG)}
    )
    assert response.status_code == 302
    assert Evidence.objects.get().surveillance_assessment.surveillance == surveillance


# The API


def api_as(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_api_attaches_lists_downloads_and_removes(build, alice, bob, carol) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    url = f"/api/v1/audits/{application.audit.pk}/assessments/C1/evidence/"
    sent = api_as(carol).post(url, {"file": SimpleUploadedFile("foto.jpg", JPEG)}, format="multipart")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert (body["original_name"], body["content_type"], body["uploaded_by"]) == ("foto.jpg", "image/jpeg", "carol")
    assert body["download_url"] == f"/api/v1/evidence/{body['id']}/"
    assert [item["id"] for item in api_as(alice).get(url).json()] == [body["id"]]
    checklist = api_as(carol).get(f"/api/v1/audits/{application.audit.pk}/").json()["checklist"]
    c1 = next(item for item in checklist if item["code"] == "C1")
    assert [item["id"] for item in c1["assessment"]["evidence"]] == [body["id"]]
    assert b"".join(api_as(alice).get(body["download_url"]).streaming_content) == JPEG
    assert api_as(bob).get(url).status_code == 404
    assert api_as(bob).get(body["download_url"]).status_code == 404
    assert api_as(bob).delete(body["download_url"]).status_code == 404
    assert APIClient().get(body["download_url"]).status_code == 401
    assert api_as(carol).delete(body["download_url"]).status_code == 204
    assert not Evidence.objects.exists()


def test_the_api_refuses_with_the_sentence_of_the_pages(build, carol, settings) -> None:  # type: ignore[no-untyped-def]
    application = build(S.AUDIT_IN_PROGRESS)
    url = f"/api/v1/audits/{application.audit.pk}/assessments/C1/evidence/"
    wrong = api_as(carol).post(url, {"file": SimpleUploadedFile("foto.jpg", ELF)}, format="multipart")
    assert wrong.status_code == 400
    assert wrong.json()["unmet"] == ["Only PDF, PNG and JPEG files are accepted; this file is none of these."]
    type(application).objects.filter(pk=application.pk).update(state=S.AUDIT_REPORTED)
    late = api_as(carol).post(url, {"file": SimpleUploadedFile("foto.jpg", JPEG)}, format="multipart")
    assert late.status_code == 409
    assert "only while the audit is in progress" in late.json()["detail"]
    assert not Evidence.objects.exists()


def test_the_api_takes_the_enterprises_files_for_a_finding(build, alice) -> None:  # type: ignore[no-untyped-def]
    application = build(S.CORRECTIVE_ACTION)
    finding = application.audit.findings.get()
    url = f"/api/v1/findings/{finding.pk}/evidence/"
    sent = api_as(alice).post(url, {"file": SimpleUploadedFile("register.pdf", PDF_BYTES)}, format="multipart")
    assert sent.status_code == 201, sent.content
    findings = api_as(alice).get(f"/api/v1/applications/{application.pk}/findings/").json()
    assert [item["original_name"] for item in findings[0]["evidence"]] == ["register.pdf"]


# Never public


def test_evidence_appears_nowhere_the_public_looks(issue_label, client) -> None:  # type: ignore[no-untyped-def]
    label = issue_label()
    evidence = EvidenceFactory(
        assessment=label.application.audit.assessments.first(), original_name="loonlijst-geheim.png"
    )
    public = [
        f"/verify/{label.code}/",
        "/registry/",
        f"/verify/{label.code}/feed.atom",
        "/registry/changes.atom",
        f"/enterprises/{label.product.enterprise.enterprise_number}/feed.atom",
        f"/schemes/{label.scheme.version}/",
        f"/api/v1/labels/{label.code}/",
        "/api/v1/labels/",
        "/api/v1/labels/?format=csv",
        "/api/v1/labels/?format=jsonl",
    ]
    for url in public:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"loonlijst-geheim" not in content, url
        assert not re.search(rb"/evidence/\d+", content), url
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 302  # to the sign-in page
    assert client.get(f"/api/v1/evidence/{evidence.pk}/").status_code == 401


def test_the_audit_answer_reads_evidence_in_a_fixed_number_of_queries(build, carol) -> None:  # type: ignore[no-untyped-def]
    """More findings and more files change nothing in the number of queries of the audit's answer."""
    application = build(S.AUDIT_IN_PROGRESS)
    audit, url = application.audit, f"/api/v1/audits/{application.audit.pk}/"
    client = api_as(carol)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    EvidenceFactory(assessment=c1_of(application), uploaded_by=carol)
    EvidenceFactory(assessment=None, finding=FindingFactory(audit=audit), uploaded_by=carol)
    queries()  # the first request of a client also reads what it keeps afterwards
    few = queries()
    for _ in range(3):
        finding = FindingFactory(audit=audit)
        EvidenceFactory.create_batch(2, assessment=None, finding=finding, uploaded_by=carol)
    EvidenceFactory(assessment=c1_of(application), uploaded_by=carol)
    assert queries() == few
