"""A certificate stamped for what its label is now: every page of the PDF as issued, with the
status, the day it holds from and the reason across it in large type, in Dutch, English and
French. A pure function of its inputs, as the certificate itself."""

import datetime
import io
import math
from contextlib import ExitStack
from dataclasses import dataclass

import pikepdf
from reportlab.lib.colors import Color, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from certification.certificate.render import register_fonts

RED = Color(0.72, 0.07, 0.07)


@dataclass(frozen=True)
class Stamp:
    status: str  # the status in the three languages: "INGETROKKEN / REVOKED / RETIRÉ"
    since: datetime.date
    reason: str = ""  # the reason category in the three languages, when there is one

    @property
    def headline(self) -> str:
        return f"{self.status} - {self.since.isoformat()}"


def _fitted(text: str, font: str, largest: float, width: float) -> float:
    """The largest font size up to `largest` at which `text` fits in `width`."""
    return min(largest, width / max(1.0, stringWidth(text, font, 1)))


def _stamp_page(stamp: Stamp, width: float, height: float) -> bytes:
    """One transparent page of `width` x `height` carrying the stamp."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1, invariant=True)
    # A band across the top, readable at a glance and in any viewer.
    band = 30 * mm if stamp.reason else 22 * mm
    canvas.setFillColor(RED)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    size = _fitted(stamp.headline, "Vera-Bold", 24, width - 20 * mm)
    canvas.setFont("Vera-Bold", size)
    canvas.drawCentredString(width / 2, height - 13 * mm, stamp.headline)
    if stamp.reason:
        canvas.setFont("Vera", _fitted(stamp.reason, "Vera", 12, width - 20 * mm))
        canvas.drawCentredString(width / 2, height - 23 * mm, stamp.reason)
    # And across the page, so that no cut-out of the certificate escapes it.
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    canvas.setFillColor(RED)
    canvas.setFillAlpha(0.3)
    diagonal = math.hypot(width, height) - 90 * mm
    canvas.setFont("Vera-Bold", _fitted(stamp.status, "Vera-Bold", 72, diagonal))
    canvas.drawCentredString(0, 8 * mm, stamp.status)
    canvas.setFont("Vera-Bold", _fitted(stamp.since.isoformat(), "Vera-Bold", 48, diagonal))
    canvas.drawCentredString(0, -30 * mm, stamp.since.isoformat())
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# The stamp's name among a page's resources: fixed, so that the same inputs give the same bytes.
STAMP_NAME = pikepdf.Name("/SELabelStamp")


def stamp_pdf(pdf: bytes, stamp: Stamp) -> bytes:
    """`pdf` with `stamp` laid over every page; the same bytes for the same inputs."""
    with ExitStack() as open_files:
        document = open_files.enter_context(pikepdf.open(io.BytesIO(pdf)))
        # Stream data copied from another PDF is read when saving: each overlay stays open till then.
        overlays: dict[tuple[float, float], pikepdf.Object] = {}
        for page in document.pages:
            left, bottom, right, top = (float(value) for value in page.mediabox)
            size = (right - left, top - bottom)
            if size not in overlays:
                overlay = open_files.enter_context(pikepdf.open(io.BytesIO(_stamp_page(stamp, *size))))
                overlays[size] = document.copy_foreign(overlay.pages[0].as_form_xobject())
            name = page.add_resource(overlays[size], pikepdf.Name.XObject, STAMP_NAME)
            # The page's own drawing in a saved graphics state, then the stamp over it, at its corner.
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(f"\nQ q 1 0 0 1 {left:g} {bottom:g} cm {name} Do Q\n".encode())
        document.docinfo["/Title"] = pikepdf.String(stamp.headline)
        output = io.BytesIO()
        document.save(output, deterministic_id=True)
    return output.getvalue()
