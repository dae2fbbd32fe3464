"""The certificate PDF: one A4 page, wholly in one language (Dutch, French or English). A pure
function of its data."""

import datetime
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import reportlab
import segno
from django.utils.formats import date_format
from django.utils.translation import get_language, override, pgettext
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from certification.certificate.languages import Language
from certification.certificate.words import percentage_in_words

GREEN = HexColor("#1b5e20")
LIGHT = HexColor("#e8f5e9")
GREY = HexColor("#555555")
WIDTH, HEIGHT = A4
MARGIN = 20 * mm
QR_MASK = 2


@dataclass(frozen=True)
class CertificateData:
    """What a certificate states, its words already in `language` (the product's kind, the
    category, the recognition)."""

    language: Language
    code: str
    issuer: str
    enterprise_name: str
    enterprise_number: str
    recognition: str
    product_name: str
    product_kind: str
    category: str
    level: int
    social_share: Decimal
    scheme: str
    scheme_url: str  # the published version the label was issued under
    level_min_share: Decimal  # that version's threshold of the label's level
    issued_on: datetime.date
    valid_until: datetime.date
    verify_url: str
    key_id: str


@cache
def register_fonts() -> None:
    # Bitstream Vera ships with reportlab and carries every Dutch and French accent; it is
    # embedded (subset) so the certificate reads the same everywhere.
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", os.path.join(folder, "VeraBd.ttf")))


@cache
def _qr_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code of `url` as horizontal runs of dark modules: (row, first column, length)."""
    # Any of the eight masks makes a valid code; choosing one skips segno's evaluation of all
    # eight in pure Python, most of the time a certificate would otherwise take.
    matrix = segno.make(url, error="m", micro=False, mask=QR_MASK).matrix
    runs = []
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if cells[column]:
                start = column
                while column < len(cells) and cells[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return len(matrix), tuple(runs)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    # Vector and sharp at any scale: one filled path of merged runs, written in whole module
    # units under a single transform (a quiet zone of 4 modules surrounds the code).
    count, runs = _qr_runs(url)
    module = size / (count + 8)
    canvas.saveState()
    canvas.setFillColor(Color(0, 0, 0))
    canvas.translate(x, y + size)
    canvas.scale(module, -module)
    canvas.addLiteral(" ".join(f"{start + 4} {row + 4} {length} 1 re" for row, start, length in runs) + " f")
    canvas.restoreState()


def _date(day: datetime.date) -> str:
    """The day in the active language: "30 november 2026", "30 novembre 2026", "30 November 2026"."""
    return date_format(day, "j F Y")


def _percent(share: Decimal) -> str:
    """A share in figures as the active language writes it: "82,5" in Dutch and French, "82.5" in English."""
    figures = f"{share.normalize():f}"
    return figures if get_language() == "en" else figures.replace(".", ",")


def _draw_level(canvas: Canvas, level: int, x: float, y: float) -> None:
    """Three blocks, as many filled as the level: the degree shown at a glance."""
    for index in range(3):
        filled = index < level
        canvas.setFillColor(GREEN if filled else white)
        canvas.setStrokeColor(GREEN)
        canvas.roundRect(x + index * 16 * mm, y, 13 * mm, (8 + 5 * index) * mm, 2 * mm, stroke=1, fill=1)


def _label_value(canvas: Canvas, y: float, label: str, value: str, detail: str = "") -> float:
    canvas.setFillColor(GREY)
    canvas.setFont("Vera", 8)
    canvas.drawString(MARGIN, y, label)
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Vera-Bold", 13)
    canvas.drawString(MARGIN, y - 5.5 * mm, value)
    if detail:
        canvas.setFont("Vera", 9)
        canvas.drawString(MARGIN, y - 10 * mm, detail)
        return y - 17 * mm
    return y - 13 * mm


def render_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate, every word of it in `data.language`."""
    register_fonts()
    with override(data.language):
        return _render(data)


def _render(data: CertificateData) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName="Vera", initialFontSize=10)
    canvas.setTitle(pgettext("certificate", "Certificate %(code)s") % {"code": data.code})
    canvas.setAuthor(data.issuer)
    canvas.setSubject(pgettext("certificate", "Social economy label %(code)s") % {"code": data.code})
    canvas.setKeywords(f"SE-label {data.code} level {data.level} kid {data.key_id} lang {data.language}")
    canvas.setCreator(data.issuer)
    _draw_header(canvas, data)
    y = HEIGHT - 52 * mm
    y = _label_value(
        canvas, y, pgettext("certificate", "Enterprise"), data.enterprise_name,
        pgettext("certificate", "Enterprise number %(number)s - %(recognition)s")
        % {"number": data.enterprise_number, "recognition": data.recognition},
    )  # fmt: skip
    y = _label_value(
        canvas, y, data.product_kind.capitalize(), data.product_name,
        pgettext("certificate", "Category: %(category)s") % {"category": data.category},
    )  # fmt: skip
    y = _draw_degree(canvas, data, y)
    threshold = {"level": data.level, "share": _percent(data.level_min_share), "url": data.scheme_url}
    y = _label_value(
        canvas, y, pgettext("certificate", "Scheme"), data.scheme,
        pgettext("certificate", "Level %(level)s from a share of %(share)s %%: %(url)s") % threshold,
    )  # fmt: skip
    _label_value(
        canvas, y, pgettext("certificate", "Valid"), f"{_date(data.issued_on)} - {_date(data.valid_until)}",
        pgettext("certificate", "Issued on %(issued_on)s, valid until %(valid_until)s")
        % {"issued_on": _date(data.issued_on), "valid_until": _date(data.valid_until)},
    )  # fmt: skip
    _draw_code_and_footer(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_header(canvas: Canvas, data: CertificateData) -> None:
    canvas.setFillColor(GREEN)
    canvas.rect(0, HEIGHT - 38 * mm, WIDTH, 38 * mm, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Vera-Bold", 22)
    canvas.drawString(MARGIN, HEIGHT - 19 * mm, pgettext("certificate", "Social economy label"))
    canvas.setFont("Vera", 11)
    canvas.drawString(MARGIN, HEIGHT - 26 * mm, pgettext("certificate", "Certificate"))
    canvas.drawString(
        MARGIN, HEIGHT - 32 * mm, pgettext("certificate", "Issued by: %(issuer)s") % {"issuer": data.issuer}
    )


def _draw_degree(canvas: Canvas, data: CertificateData, y: float) -> float:
    """The level graphic and the share in figures and words."""
    canvas.setFillColor(LIGHT)
    canvas.roundRect(MARGIN, y - 42 * mm, WIDTH - 2 * MARGIN, 44 * mm, 3 * mm, stroke=0, fill=1)
    _draw_level(canvas, data.level, MARGIN + 6 * mm, y - 36 * mm)
    text_x = MARGIN + 58 * mm
    canvas.setFillColor(GREEN)
    canvas.setFont("Vera-Bold", 18)
    canvas.drawString(text_x, y - 12 * mm, pgettext("certificate", "Level %(level)s of 3") % {"level": data.level})
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Vera-Bold", 12)
    share = pgettext("certificate", "Social-economy share: %(share)s %%") % {"share": _percent(data.social_share)}
    canvas.drawString(text_x, y - 22 * mm, share)
    canvas.setFont("Vera", 9)
    canvas.drawString(text_x, y - 28 * mm, f"({percentage_in_words(data.social_share, data.language)})")
    return y - 54 * mm


def _draw_code_and_footer(canvas: Canvas, data: CertificateData) -> None:
    """The code, large, the QR code that opens the verify page, and how to check the credential."""
    qr_size = 48 * mm
    canvas.setFillColor(GREY)
    canvas.setFont("Vera", 8)
    canvas.drawString(MARGIN, 68 * mm, pgettext("certificate", "Label code"))
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Vera-Bold", 30)
    canvas.drawString(MARGIN, 56 * mm, data.code)
    _draw_qr(canvas, data.verify_url, WIDTH - MARGIN - qr_size, 32 * mm, qr_size)

    canvas.setFont("Vera", 9)
    canvas.drawString(MARGIN, 44 * mm, pgettext("certificate", "Verify this label: scan the QR code or go to"))
    canvas.setFont("Vera-Bold", 9)
    canvas.drawString(MARGIN, 38.5 * mm, data.verify_url)

    canvas.setStrokeColor(GREEN)
    canvas.line(MARGIN, 24 * mm, WIDTH - MARGIN, 24 * mm)
    canvas.setFillColor(GREY)
    canvas.setFont("Vera", 7)
    canvas.drawString(
        MARGIN, 17 * mm,
        pgettext(
            "certificate",
            "This certificate carries a signed credential (JWS, EdDSA); the public keys are at /api/v1/keys/.",
        ),
    )  # fmt: skip
    canvas.drawString(MARGIN, 13 * mm, pgettext("certificate", "Key id: %(key_id)s") % {"key_id": data.key_id})
