"""Issue 11, finding 6: uploads, sent as an attacker sends them.

A 100 MB body goes to every upload form and endpoint through the WSGI handler, with CSRF
checked as in production; the body is made while it is read, so the test sees how much of it
the server read and how much memory the request took.
"""

import io
import json
import os
import struct
import subprocess
import sys
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse
from rest_framework.test import APIClient

from certification.exceptions import RequirementsNotMet
from certification.models import ApplicationDocument, ApplicationState
from certification.services.documents import add_document
from certification.uploads import PDF_MAX_INFLATED
from tests.factories import PDF_BYTES
from tests.workflow import Actors, build_application

MB = 1024 * 1024
BOUNDARY = "----attacker0boundary"


class MultipartBody(io.RawIOBase):
    """A multipart/form-data body with one file of `size` bytes, made as it is read."""

    def __init__(self, size: int, fields: dict[str, str], field: str = "file", name: str = "groot.pdf") -> None:
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
        self.head, self.tail = head.encode(), f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self.length - self.position)
        chunk = bytearray(wanted)
        for offset in range(wanted):  # only the few bytes of head and tail are not zeros
            index = self.position + offset
            if index < len(self.head):
                chunk[offset] = self.head[index]
            elif index >= self.length - len(self.tail):
                chunk[offset] = self.tail[index - self.length + len(self.tail)]
            else:
                chunk[offset:] = bytes(wanted - offset)
                tail_start = self.length - len(self.tail) - self.position
                if tail_start < wanted:
                    chunk[tail_start:] = self.tail[: wanted - tail_start]
                break
        buffer[:wanted] = chunk
        self.position += wanted
        return wanted


def send(path: str, body: MultipartBody, **headers: str) -> tuple[Any, int]:
    """POST `body` through Django's WSGI handler, CSRF enforced; the answer and the peak memory."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "wsgi.input": io.BufferedReader(body, buffer_size=64 * 1024),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **headers,
    }
    tracemalloc.start()
    try:
        response = ClientHandler(enforce_csrf_checks=True)(environ)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, peak


@pytest.fixture
def draft(alice, carol, olivia, enterprise, scheme):  # type: ignore[no-untyped-def]
    return build_application(
        ApplicationState.DRAFT, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )


def session_of(client: Client) -> dict[str, str]:
    """The cookies and form token of a signed-in browser that opened a form."""
    client.get(reverse("web:dashboard"))
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    return {"HTTP_COOKIE": cookie, "HTTP_X_CSRFTOKEN": token}


def token_of(username: str) -> dict[str, str]:
    answer = APIClient().post("/api/v1/auth/token/", {"username": username, "password": "secret"}, format="json")
    return {"HTTP_AUTHORIZATION": f"Token {answer.json()['token']}"}


def upload_targets(draft: Any, alice: Any) -> Iterator[tuple[str, str, dict[str, str], dict[str, str]]]:
    """(what, path, form fields, headers) of every form and endpoint that takes a file."""
    browser = Client()
    browser.force_login(alice)
    signed_in = session_of(browser)
    anonymous = Client()
    anonymous.get(reverse("web:check-certificate"))
    anonymous_session = {"HTTP_COOKIE": f"csrftoken={anonymous.cookies['csrftoken'].value}"}
    yield (
        "verify page",
        reverse("web:check-certificate"),
        {"csrfmiddlewaretoken": anonymous.cookies["csrftoken"].value},
        anonymous_session,
    )
    yield "verify API", reverse("api:verify"), {}, {}
    yield "document page", reverse("web:document-upload", args=[draft.pk]), {}, signed_in
    yield "new application page", reverse("web:application-new"), {"title": "Groot"}, signed_in
    yield "document API", f"/api/v1/applications/{draft.pk}/documents/", {}, token_of("alice")


def test_a_100_mb_upload_is_refused_unread_by_every_upload_form_and_endpoint(draft, alice) -> None:  # type: ignore[no-untyped-def]
    documents = ApplicationDocument.objects.count()
    for what, path, fields, headers in upload_targets(draft, alice):
        body = MultipartBody(100 * MB, fields)
        response, peak = send(path, body, **headers)
        assert response.status_code == 413, what
        sentence = json.loads(response.content)["detail"] if path.startswith("/api/") else response.content.decode()
        assert "larger than" in sentence, what
        assert body.position == 0, f"{what} read {body.position} bytes"  # refused before reading
        assert peak < 8 * MB, f"{what} took {peak} bytes of memory"
    assert ApplicationDocument.objects.count() == documents


def test_a_file_over_the_limit_inside_a_small_enough_body_stops_at_the_limit(draft, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_SIZE = 1 * MB  # the body may be 3 MB (form fields), the file only 1 MB
    body = MultipartBody(int(2.5 * MB), {})
    documents = ApplicationDocument.objects.count()
    response, _peak = send(reverse("web:document-upload", args=[draft.pk]), body, **session_of_alice(alice))
    assert response.status_code == 413
    assert body.position < 1 * MB + 256 * 1024
    assert ApplicationDocument.objects.count() == documents


def test_the_certificate_check_page_receives_no_more_than_a_certificate_can_be_long(db, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.VERIFY_UPLOAD_MAX_SIZE == 2 * MB
    browser = Client()
    browser.get(reverse("web:check-certificate"))
    token = browser.cookies["csrftoken"].value
    body = MultipartBody(3 * MB, {"csrfmiddlewaretoken": token})  # within the body limit, over the file limit
    response, _peak = send(reverse("web:check-certificate"), body, HTTP_COOKIE=f"csrftoken={token}")
    assert response.status_code == 413
    assert body.position < 2 * MB + 256 * 1024
    assert "a certificate is far smaller" in response.content.decode()


def session_of_alice(alice: Any) -> dict[str, str]:
    browser = Client()
    browser.force_login(alice)
    return session_of(browser)


def test_a_document_is_stored_and_downloaded_under_its_detected_type_never_the_uploaders(draft, alice, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    client.post(
        reverse("web:document-upload", args=[draft.pk]),
        {"file": ContentFile(PDF_BYTES, name="evil.html")},
    )
    document = ApplicationDocument.objects.get(application=draft, original_name="evil.html")
    assert document.file.name.endswith(".pdf")
    assert "evil" not in document.file.name
    download = client.get(reverse("web:document-download", args=[draft.pk, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def pdf_with(change: Any) -> bytes:
    """A real one-page PDF, changed by `change(pdf)` as an attacker's tool would."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


def open_action_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('pwned')"))
    )


def launch_on_page_open(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def named_javascript(pdf: pikepdf.Pdf) -> None:
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.print()")))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["x", action])))


def embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/octet-stream")


def link_launching_a_program(pdf: pikepdf.Pdf) -> None:
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 10, 10]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (open_action_javascript, "OpenAction"),
        (launch_on_page_open, "OpenAction"),
        (named_javascript, "JavaScript"),
        (embedded_file, "EmbeddedFile"),
        (link_launching_a_program, "Launch"),
    ],
)
def test_a_pdf_with_active_content_is_refused_with_a_sentence(draft, alice, change, kind) -> None:  # type: ignore[no-untyped-def]
    documents = ApplicationDocument.objects.count()
    with pytest.raises(RequirementsNotMet, match=f"active content \\({kind}\\)"):
        add_document(application=draft, file=ContentFile(pdf_with(change), name="offerte.pdf"), by=alice)
    assert ApplicationDocument.objects.count() == documents


def test_an_ordinary_pdf_is_accepted(draft, alice) -> None:  # type: ignore[no-untyped-def]
    document = add_document(application=draft, file=ContentFile(pdf_with(lambda pdf: None), name="a.pdf"), by=alice)
    assert document.content_type == "application/pdf"


def bomb(pdf: pikepdf.Pdf) -> None:
    """A stream of 512 MB of zeros, compressed to half a megabyte."""
    compressor = zlib.compressobj(9)
    chunk = bytes(MB)
    packed = b"".join(compressor.compress(chunk) for _ in range(512)) + compressor.flush()
    stream = pikepdf.Stream(pdf, packed)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.Root.Bomb = pdf.make_indirect(stream)


def test_a_decompression_bomb_is_refused_without_being_inflated(draft, alice) -> None:  # type: ignore[no-untyped-def]
    content = pdf_with(bomb)
    assert len(content) < 1 * MB
    tracemalloc.start()
    try:
        with pytest.raises(RequirementsNotMet, match="unpacks to more than"):
            add_document(application=draft, file=ContentFile(content, name="bom.pdf"), by=alice)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * MB
    assert PDF_MAX_INFLATED < 512 * MB


def object_stream_bomb() -> bytes:
    """A PDF whose object 4 lives in an object stream that unpacks to 512 MB of spaces: a
    parser that reads object 4 unpacks it all in memory."""
    compressor = zlib.compressobj(9)
    packed = (
        compressor.compress(b"4 0 ")
        + b"".join(compressor.compress(b" " * MB) for _ in range(512))
        + compressor.compress(b"<</A 1>>")
        + compressor.flush()
    )
    objects = (
        b"%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R/X 4 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
        + b"5 0 obj<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>stream\n" % (4 + 512 * MB, len(packed))
        + packed
        + b"\nendstream endobj\n"
    )
    offsets = {number: objects.index(b"%d 0 obj" % number) for number in (1, 2, 3, 5)}
    xref_at = len(objects)
    rows = struct.pack(">BIH", 0, 0, 65535)
    rows += b"".join(struct.pack(">BIH", 1, offsets[number], 0) for number in (1, 2, 3))
    rows += struct.pack(">BIH", 2, 5, 0) + struct.pack(">BIH", 1, offsets[5], 0) + struct.pack(">BIH", 1, xref_at, 0)
    return (
        objects
        + b"6 0 obj<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % len(rows)
        + rows
        + b"\nendstream endobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )


def test_an_object_stream_bomb_is_refused_without_being_unpacked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Measured in a process of its own: qpdf's memory is not Python's, so the peak resident
    size tells whether anything unpacked the 512 MB. The peak is the process's own (VmHWM):
    getrusage's ru_maxrss carries the parent's peak across the exec, and a test worker that has
    run the rest of the suite is already larger than the bound."""
    path = tmp_path / "bom.pdf"
    path.write_bytes(object_stream_bomb())
    check = (
        "import django; django.setup()\n"
        "from django.utils import translation; translation.activate('en')\n"
        "from django.core.files.base import File\n"
        "from certification.uploads import pdf_refusal\n"
        f"print(pdf_refusal(File(open({str(path)!r}, 'rb'))))\n"
        "print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')) // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        cwd=Path(__file__).resolve().parent.parent,
    )
    refusal, peak_mb = result.stdout.strip().splitlines()
    assert "unpacks to more than" in refusal
    assert int(peak_mb) < 256, f"the check took {peak_mb} MB"
