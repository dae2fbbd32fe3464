"""Certificates that never mislead: the public URL of a label that is not valid answers its
certificate stamped on every page; the enterprise keeps the certificate as issued, which still
verifies as ours, with the label's status today."""

import datetime
import io

import pypdfium2
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas
from rest_framework.test import APIClient

from certification.certificate.stamp import Stamp, stamp_pdf
from certification.models import Label, Scheme, StatusReason
from certification.services.labels import change_label_status

CHANGED_AT = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)


def page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    texts = [page.get_textpage().get_text_range() for page in document]
    document.close()
    return texts


def as_issued(label: Label) -> bytes:
    label.refresh_from_db()
    with label.certificate.open("rb") as handle:
        return handle.read()


def public_certificate(code: str, **headers: str):  # type: ignore[no-untyped-def]
    return APIClient().get(reverse("api:certificate", args=[code]), **headers)


@pytest.fixture
def label(issue_label, scheme) -> Label:  # type: ignore[no-untyped-def]
    """A label valid for a year (within the enterprise's recognition and its first surveillance)."""
    Scheme.objects.filter(pk=scheme.pk).update(validity_months=12)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False):
        return issue_label()


def change(label: Label, name: str, by, category: str) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(CHANGED_AT, tick=False):
        change_label_status(label=label, name=name, by=by, reason="Vastgesteld bij controle.", category=category)


def test_a_valid_labels_public_certificate_is_the_one_as_issued(label) -> None:  # type: ignore[no-untyped-def]
    answer = public_certificate(label.code)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == as_issued(label)
    assert answer["ETag"] == f'"{label.certificate_sha256}"'
    assert answer["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize(
    ("name", "category", "headline", "reason"),
    [
        (
            "revoke",
            StatusReason.MISUSE,
            "INGETROKKEN / REVOKED / RETIRÉ - 2026-12-01",
            "misbruik van het label / misuse of the label / usage abusif du label",
        ),
        (
            "suspend",
            StatusReason.NON_CONFORMITY,
            "GESCHORST / SUSPENDED / SUSPENDU - 2026-12-01",
            "non-conformiteit vastgesteld / non-conformity found / non-conformité constatée",
        ),
    ],
)
def test_the_public_certificate_of_a_label_no_longer_valid_is_stamped(  # type: ignore[no-untyped-def]
    label, olivia, name, category, headline, reason
) -> None:
    change(label, name, olivia, category)
    answer = public_certificate(label.code)
    assert (answer.status_code, answer["Content-Type"]) == (200, "application/pdf")
    (text,) = page_texts(answer.content)
    assert headline in text
    assert reason in text
    assert label.code in text  # the certificate as issued is still under the stamp
    assert answer.content != as_issued(label)


def test_an_expired_labels_certificate_is_stamped_from_the_day_after_its_last(label) -> None:  # type: ignore[no-untyped-def]
    last_day = datetime.datetime.combine(label.valid_until, datetime.time(12), timezone.get_current_timezone())
    with time_machine.travel(last_day, tick=False):
        assert b"".join(public_certificate(label.code).streaming_content) == as_issued(label)
    with time_machine.travel(last_day + datetime.timedelta(days=1), tick=False):
        (text,) = page_texts(public_certificate(label.code).content)
    assert f"VERVALLEN / EXPIRED / EXPIRÉ - {label.valid_until + datetime.timedelta(days=1)}" in text


def test_the_stamped_certificate_revalidates_and_changes_with_the_status(label, olivia) -> None:  # type: ignore[no-untyped-def]
    valid_tag = public_certificate(label.code)["ETag"]
    assert public_certificate(label.code, HTTP_IF_NONE_MATCH=valid_tag).status_code == 304
    change(label, "suspend", olivia, StatusReason.NON_CONFORMITY)
    suspended = public_certificate(label.code, HTTP_IF_NONE_MATCH=valid_tag)
    assert suspended.status_code == 200  # the copy a cache holds is stale at once
    assert public_certificate(label.code, HTTP_IF_NONE_MATCH=suspended["ETag"]).status_code == 304
    change(label, "revoke", olivia, StatusReason.MISUSE)
    assert public_certificate(label.code, HTTP_IF_NONE_MATCH=suspended["ETag"]).status_code == 200


def test_every_page_is_stamped() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number, size in enumerate([A4, landscape(A4), A4], start=1):
        canvas.setPageSize(size)
        canvas.drawString(72, 72, f"Page {number}")
        canvas.showPage()
    canvas.save()
    stamp = Stamp(status="INGETROKKEN / REVOKED / RETIRÉ", since=datetime.date(2026, 12, 1), reason="misuse")
    stamped = stamp_pdf(buffer.getvalue(), stamp)
    texts = page_texts(stamped)
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert "INGETROKKEN / REVOKED / RETIRÉ - 2026-12-01" in text
        assert f"Page {number}" in text
    assert stamp_pdf(buffer.getvalue(), stamp) == stamped  # the same inputs, the same bytes (ETag)


def test_the_enterprise_keeps_the_certificate_as_issued_which_still_verifies(label, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    change(label, "revoke", olivia, StatusReason.MISUSE)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(alice)
    answer = client.get(reverse("api:certificate-as-issued", args=[label.code]))
    assert answer.status_code == 200
    issued = b"".join(answer.streaming_content)
    assert issued == as_issued(label)
    assert answer["Content-Disposition"] == f'attachment; filename="certificate-{label.code}-as-issued.pdf"'
    verdict = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("api:verify"), {"file": SimpleUploadedFile("c.pdf", issued, "application/pdf")}, format="multipart"
    )
    body = verdict.json()
    assert (body["outcome"], body["label"]["status"], body["label"]["status_reason"]) == (
        "authentic",
        "revoked",
        "misuse",
    )
    assert "Its status today: revoked." in body["detail"]


@pytest.mark.parametrize(("who", "expected"), [("bob", 404), ("carol", 403), ("dan", 403), ("olivia", 200)])
def test_the_certificate_as_issued_is_the_enterprises_and_the_officers(label, request, who, expected) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(request.getfixturevalue(who))
    answer = client.get(reverse("api:certificate-as-issued", args=[label.code]))
    assert answer.status_code == expected
    if expected != 200:
        assert isinstance(answer.json()["detail"], str)


def test_the_application_page_offers_the_enterprise_its_certificate_as_issued(client, label, alice, olivia) -> None:  # type: ignore[no-untyped-def]
    change(label, "suspend", olivia, StatusReason.NON_CONFORMITY)
    client.force_login(alice)
    page = client.get(reverse("web:application", args=[label.application_id]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert reverse("api:certificate-as-issued", args=[label.code]) in html
    assert "The public link to the certificate now gives it stamped “suspended” on every page." in html
