"""Recognising uploaded files by their content, never by their name."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import File
from django.http import FileResponse

from certification.models import ApplicationDocument, DocumentType

_SIGNATURES = (
    (b"%PDF-", DocumentType.PDF, "pdf"),
    (b"\x89PNG\r\n\x1a\n", DocumentType.PNG, "png"),
    (b"\xff\xd8\xff", DocumentType.JPEG, "jpg"),
)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: DocumentType
    extension: str
    size: int
    sha256: str


def sniff(file: File) -> Sniffed | None:
    """Type, size and SHA-256 of an accepted document, or None when it is not PDF/PNG/JPEG."""
    file.seek(0)
    head = file.read(16)
    match = next(((kind, ext) for magic, kind, ext in _SIGNATURES if head.startswith(magic)), None)
    if match is None:
        return None
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := file.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return Sniffed(content_type=match[0], extension=match[1], size=size, sha256=digest.hexdigest())


def is_plain_file_name(name: str) -> bool:
    """A name without any path part, parent reference or control character."""
    return bool(name) and not (
        "/" in name or "\\" in name or ".." in name or any(ord(char) < 32 for char in name) or len(name) > 255
    )


def download(document: ApplicationDocument) -> FileResponse:
    """The stored file, to save under the name it was uploaded with."""
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
