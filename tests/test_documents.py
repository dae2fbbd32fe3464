"""Uploads: recognised by content, limited in size, never stored under the person's file name."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import ApplicationDocument, ApplicationState, HistoryEvent
from certification.services.documents import add_document
from tests.factories import PDF_BYTES
from tests.workflow import Actors, build_application

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


@pytest.fixture
def draft(alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    return build_application(
        ApplicationState.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        (PDF_BYTES, "Attest erkenning.pdf", "application/pdf", "pdf"),
        (PNG, "foto.png", "image/png", "png"),
        (JPEG, "werkvloer.jpeg", "image/jpeg", "jpg"),
    ],
)
def test_an_accepted_document_keeps_its_facts(draft, alice, content, name, content_type, extension) -> None:  # type: ignore[no-untyped-def]
    document = add_document(application=draft, file=ContentFile(content, name=name), by=alice)

    assert (document.original_name, document.content_type, document.size) == (name, content_type, len(content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert name not in document.file.name
    assert document.file.name.startswith(f"documents/{draft.pk}/")
    assert document.file.name.endswith(f".{extension}")
    assert document.file.read() == content
    event = HistoryEvent.objects.get(action="application.document_added", target_id=document.pk)
    assert event.data["sha256"] == document.sha256


def test_a_renamed_executable_is_refused(draft, alice) -> None:  # type: ignore[no-untyped-def]
    before = ApplicationDocument.objects.count()
    with pytest.raises(RequirementsNotMet, match="Only PDF, PNG and JPEG"):
        add_document(application=draft, file=ContentFile(ELF, name="attest.pdf"), by=alice)
    assert ApplicationDocument.objects.count() == before


def test_an_oversize_file_is_refused(draft, alice, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_SIZE = 1024
    stored = list((tmp_path / "media").rglob("*"))
    with pytest.raises(RequirementsNotMet, match=r"larger than 1[.,]0"):
        add_document(application=draft, file=ContentFile(PDF_BYTES + b"0" * 1024, name="groot.pdf"), by=alice)
    assert list((tmp_path / "media").rglob("*")) == stored


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\boot.pdf", "/tmp/x.pdf", "a\x00b.pdf", ""])
def test_a_path_like_file_name_is_refused(draft, alice, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequirementsNotMet, match="plain name"):
        add_document(application=draft, file=ContentFile(PDF_BYTES, name=name), by=alice)


def test_documents_are_added_by_applicants_of_the_enterprise_only(draft, bob, olivia) -> None:  # type: ignore[no-untyped-def]
    for stranger in (bob, olivia):
        with pytest.raises(ActionForbidden):
            add_document(application=draft, file=ContentFile(PDF_BYTES, name="x.pdf"), by=stranger)


def test_documents_cannot_be_added_once_submitted(alice, carol, olivia, enterprise, scheme) -> None:  # type: ignore[no-untyped-def]
    submitted = build_application(
        ApplicationState.SUBMITTED, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    with pytest.raises(RequirementsNotMet, match="only while the application is a draft"):
        add_document(application=submitted, file=ContentFile(PDF_BYTES, name="x.pdf"), by=alice)


def test_no_file_is_left_when_the_row_cannot_be_written(draft, alice, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database down")

    stored = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    monkeypatch.setattr(ApplicationDocument, "save", broken_save)
    with pytest.raises(RuntimeError):
        add_document(application=draft, file=ContentFile(PDF_BYTES, name="x.pdf"), by=alice)
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == stored
