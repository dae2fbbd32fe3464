"""Uploaded files: received no further than the limit, recognised by their content (never by
their name), and PDFs read with a real parser that refuses active content and bombs."""

import hashlib
import io
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol, TypeVar

import pikepdf
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.base import File
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from certification.models import DocumentType

_SIGNATURES = (
    (b"%PDF-", DocumentType.PDF, "pdf"),
    (b"\x89PNG\r\n\x1a\n", DocumentType.PNG, "png"),
    (b"\xff\xd8\xff", DocumentType.JPEG, "jpg"),
)
_EXTENSIONS = {kind: extension for _magic, kind, extension in _SIGNATURES}
_CHUNK = 64 * 1024
# What checking a PDF may inflate, over all its streams: a real document of the upload limit
# stays far below; a "zip bomb" stream (a few hundred KB that inflate to gigabytes) is refused
# at this point, never inflated in full.
PDF_MAX_INFLATED = 128 * 1024 * 1024
# Object streams hold only the PDF's small objects (dictionaries, numbers); qpdf unpacks each
# in memory to read them.
PDF_MAX_OBJECT_STREAM = 16 * 1024 * 1024


class UploadTooLarge(RequestDataTooBig):
    """A request body refused while it was received; its message is the sentence to show.

    A RequestDataTooBig, so that where no page or endpoint says it better, Django answers 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            _("The upload is larger than %(limit)s: send a smaller file.") % {"limit": filesizeformat(limit)}
        )


def request_size_limit(file_limit: int | None = None) -> int:
    """The largest multipart body received: one file at the limit (MAX_UPLOAD_SIZE unless the
    view says less), and room for the form's other fields."""
    return (settings.MAX_UPLOAD_SIZE if file_limit is None else file_limit) + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


View = TypeVar("View", bound=Callable[..., Any])


def limit_uploads(
    size: Callable[[], int], *, refused: Callable[[HttpRequest], HttpResponse] | None = None
) -> Callable[[View], View]:
    """Marks a page view whose uploads are smaller than MAX_UPLOAD_SIZE (a certificate to
    check): web.uploads.UploadLimitMiddleware receives them no further than `size()` bytes,
    and answers a larger one with `refused(request)` when given."""

    def mark(view: View) -> View:
        view.upload_limit = size  # type: ignore[attr-defined]
        view.upload_refused = refused  # type: ignore[attr-defined]
        return view

    return mark


class LimitedUploadHandler(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS, so on every form and endpoint alike: a body that says
    it is larger than the limit is refused before a byte is read, and a file is refused as soon
    as it passes the limit, before the next handlers keep it in memory or on disk."""

    def __init__(self, request: Any = None, *, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = settings.MAX_UPLOAD_SIZE if limit is None else limit

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (the name Django passes it by)
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if content_length > request_size_limit(self.limit):
            raise UploadTooLarge(self.limit)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


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


class StoredUpload(Protocol):
    """A file stored after these checks (certification.models.StoredFile): an application's
    document, a complaint's or an appeal's file, audit evidence."""

    file: Any
    original_name: str
    content_type: str
    size: int
    sha256: str


def write_upload(row: StoredUpload, file: File, sniffed: Sniffed) -> None:
    """Fill in the row's facts from the checks and write the file, under a generated name with the
    extension of what it is (never the person's name); the row itself is saved by the caller."""
    row.original_name = file.name or ""
    row.size, row.content_type, row.sha256 = sniffed.size, sniffed.content_type, sniffed.sha256
    row.file.save(f"{uuid.uuid4().hex}.{sniffed.extension}", file, save=False)


@contextmanager
def files_removed_on_failure(rows: Sequence[StoredUpload]) -> Iterator[None]:
    """Nothing half-written: when the block fails, the files written for `rows` are deleted
    (the rows themselves are rolled back with the transaction)."""
    try:
        yield
    except BaseException:
        for row in rows:
            if row.file:
                row.file.delete(save=False)
        raise


def download_name(document: StoredUpload) -> str:
    """The name it was uploaded with, but with the extension of what it is: `evil.html` that
    is a PDF downloads as `evil.pdf`, and opens as one."""
    stem = PurePath(document.original_name).stem or "document"
    return f"{stem}.{_EXTENSIONS[DocumentType(document.content_type)]}"


def download(document: StoredUpload) -> FileResponse:
    """The stored file, as an attachment of its detected type."""
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(document),
        content_type=document.content_type,
    )


# Keys and action types by which a PDF runs something or carries another file.
_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/OpenAction": "OpenAction",
    "/AA": "OpenAction",
    "/EmbeddedFile": "EmbeddedFile",
    "/EmbeddedFiles": "EmbeddedFile",
    "/EF": "EmbeddedFile",
    "/RichMedia": "Launch",
}
_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/ImportData": "Launch",
    "/SubmitForm": "Launch",
    "/GoToE": "EmbeddedFile",
}


def _active_content(obj: Any) -> str | None:
    """The kind of active content `obj` (a dictionary or stream) holds, or None."""
    keys = set(obj.keys())
    found = next((_ACTIVE_KEYS[key] for key in sorted(keys) if key in _ACTIVE_KEYS), None)
    if found is None and "/S" in keys:
        found = _ACTIVE_ACTIONS.get(str(obj.get("/S")))
    if found is None and str(obj.get("/Subtype", "")) in {"/FileAttachment", "/Movie", "/Sound", "/Screen"}:
        found = "EmbeddedFile"
    if found is None and str(obj.get("/Type", "")) == "/EmbeddedFile":
        found = "EmbeddedFile"
    return found


def _with_direct_parts(obj: Any) -> Iterator[Any]:
    """`obj` and the dictionaries written inside it (an annotation's action, a page's /AA);
    what it refers to indirectly is an object of its own, visited in its turn."""
    pending = [obj]
    while pending:
        item = pending.pop()
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            yield item
            children = list(item.values())
        else:
            children = list(item)
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
        )


def _flate_filtered(stream: pikepdf.Stream) -> bool:
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, pikepdf.Array) and len(filters) else filters
    return str(first) in {"/FlateDecode", "/Fl"}


def _inflated_size(raw: bytes, budget: int) -> int:
    """How many bytes `raw` inflates to, counted in chunks; stops once past `budget`."""
    inflater = zlib.decompressobj()
    size = 0
    data = raw
    while data and size <= budget:
        size += len(inflater.decompress(data, _CHUNK))
        data = inflater.unconsumed_tail
    return size


def _inflation_refusal(content: bytes) -> str | None:
    """Why the compressed streams of this PDF are refused, or None. Read with cross-reference
    streams ignored, so that qpdf sees object streams as the plain streams they are and unpacks
    none of them: each is inflated here, in chunks, no further than its bound."""
    budget = PDF_MAX_INFLATED
    with pikepdf.open(io.BytesIO(content), ignore_xref_streams=True) as pdf:
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Stream) and _flate_filtered(obj)):
                continue
            # qpdf unpacks an object stream in memory to read the objects in it.
            is_object_stream = str(obj.get("/Type", "")) == "/ObjStm"
            if is_object_stream and _inflated_size(obj.read_raw_bytes(), PDF_MAX_OBJECT_STREAM) > PDF_MAX_OBJECT_STREAM:
                return _too_much(PDF_MAX_OBJECT_STREAM)
            budget -= _inflated_size(obj.read_raw_bytes(), budget)
            if budget < 0:
                return _too_much(PDF_MAX_INFLATED)
    return None


def _too_much(limit: int) -> str:
    return _(
        "The PDF holds compressed content that unpacks to more than %(limit)s: "
        "we do not accept it. Send a smaller document."
    ) % {"limit": filesizeformat(limit)}


def _active_content_refusal(content: bytes) -> str | None:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            kind = next(filter(None, map(_active_content, _with_direct_parts(obj))), None)
            if kind is not None:
                return _(
                    "The PDF contains active content (%(kind)s), which we do not accept: "
                    "print it to a new PDF or export it without scripts, actions or attachments."
                ) % {"kind": kind}
    return None


def pdf_refusal(file: File) -> str | None:
    """Why this PDF is refused (a sentence), or None: read with qpdf, its compressed streams
    first measured within bounds, then every object searched for active content."""
    file.seek(0)
    content = file.read(settings.MAX_UPLOAD_SIZE + 1)
    file.seek(0)
    try:
        return _inflation_refusal(content) or _active_content_refusal(content)
    except pikepdf.PasswordError:
        return _("The PDF is protected by a password: send it without the protection.")
    except pikepdf.PdfError:
        return _("The PDF cannot be read: it is damaged or not a PDF. Send the document as saved by its program.")
