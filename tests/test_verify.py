"""POST /api/v1/verify/: authentic, not authentic, or cannot tell; never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from certification.services.labels import change_label_status


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label()


def certificate_bytes(label) -> bytes:  # type: ignore[no-untyped-def]
    label.refresh_from_db()
    with label.certificate.open("rb") as handle:
        return handle.read()


def send_pdf(api: APIClient, content: bytes, name: str = "certificaat.pdf"):  # type: ignore[no-untyped-def]
    return api.post(
        reverse("api:verify"), {"file": SimpleUploadedFile(name, content, "application/pdf")}, format="multipart"
    )


def test_the_issued_pdf_is_authentic_and_tells_the_current_status(api, label, olivia) -> None:  # type: ignore[no-untyped-def]
    answer = send_pdf(api, certificate_bytes(label))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["outcome"], body["certificate"], body["label"]["code"], body["label"]["status"]) == (
        "authentic",
        "current",
        label.code,
        "valid",
    )
    change_label_status(label=label, name="suspend", by=olivia, reason="Onderzoek.", category="non_conformity")
    body = send_pdf(api, certificate_bytes(label)).json()
    assert (body["outcome"], body["label"]["status"], body["label"]["status_reason"]) == (
        "authentic",
        "suspended",
        "non_conformity",
    )


@pytest.mark.parametrize("position", [0.1, 0.5, -20])
def test_a_pdf_changed_by_one_byte_is_not_authentic(api, label, position) -> None:  # type: ignore[no-untyped-def]
    content = bytearray(certificate_bytes(label))
    index = int(len(content) * position) if position > 0 else len(content) + int(position)
    content[index] ^= 0x01
    body = send_pdf(api, bytes(content)).json()
    assert body["outcome"] == "not_authentic"
    assert body["reason"] in {"modified_pdf", "unknown_pdf"}


def test_a_pdf_naming_our_label_but_changed_is_called_modified(api, label) -> None:  # type: ignore[no-untyped-def]
    content = certificate_bytes(label).replace(b"%%EOF", b"%%EOF\n% added later\n")
    body = send_pdf(api, content).json()
    assert (body["outcome"], body["reason"]) == ("not_authentic", "modified_pdf")
    assert label.code in body["detail"]


def test_a_pdf_we_never_issued_is_unknown(api, db) -> None:  # type: ignore[no-untyped-def]
    body = send_pdf(api, b"%PDF-1.4\n%%EOF\n").json()
    assert (body["outcome"], body["reason"]) == ("not_authentic", "unknown_pdf")


@pytest.mark.parametrize(
    ("content", "reason"), [(b"", "empty"), (b"GIF89a....", "not_pdf"), (b"\x7fELF\x02", "not_pdf")]
)
def test_what_is_not_a_pdf_cannot_be_told(api, db, content, reason) -> None:  # type: ignore[no-untyped-def]
    answer = send_pdf(api, content)
    assert answer.status_code == 400
    assert (answer.json()["outcome"], answer.json()["reason"]) == ("cannot_tell", reason)
    assert answer.json()["detail"]


def test_a_20_mb_upload_is_refused_unread(api, db) -> None:  # type: ignore[no-untyped-def]
    answer = send_pdf(api, b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))
    assert answer.status_code == 413
    assert (answer.json()["outcome"], answer.json()["reason"]) == ("cannot_tell", "too_large")


def test_a_valid_credential_is_authentic(api, label) -> None:  # type: ignore[no-untyped-def]
    label.refresh_from_db()
    body = api.post(reverse("api:verify"), {"credential": label.credential}, format="json").json()
    assert (body["outcome"], body["label"]["code"], body["claims"]["sub"]) == ("authentic", label.code, label.code)


@pytest.mark.parametrize("token", ["", "hello", "a.b", "not.a.jws"])
def test_what_is_not_a_credential_cannot_be_told(api, db, token) -> None:  # type: ignore[no-untyped-def]
    answer = api.post(reverse("api:verify"), {"credential": token}, format="json")
    assert answer.status_code == 400
    assert answer.json()["outcome"] == "cannot_tell"


def test_sending_nothing_says_what_to_send(api, db) -> None:  # type: ignore[no-untyped-def]
    answer = api.post(reverse("api:verify"), {}, format="json")
    assert answer.status_code == 400
    assert "multipart" in answer.json()["detail"]
