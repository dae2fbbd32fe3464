"""The certificate PDF: one A4 page, Dutch with English below. A pure function of its data."""

import datetime
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import reportlab
import segno
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from certification.certificate.words import percentage_in_words

GREEN = HexColor("#1b5e20")
LIGHT = HexColor("#e8f5e9")
GREY = HexColor("#555555")
WIDTH, HEIGHT = A4
MARGIN = 20 * mm
QR_MASK = 2


@dataclass(frozen=True)
class CertificateData:
    code: str
    issuer: str
    enterprise_name: str
    enterprise_number: str
    recognition: str
    product_name: str
    product_kind_nl: str
    product_kind_en: str
    category_nl: str
    category_en: str
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


def _dutch_date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _english_date(day: datetime.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _draw_level(canvas: Canvas, level: int, x: float, y: float) -> None:
    """Three blocks, as many filled as the level: the degree shown at a glance."""
    for index in range(3):
        filled = index < level
        canvas.setFillColor(GREEN if filled else white)
        canvas.setStrokeColor(GREEN)
        canvas.roundRect(x + index * 16 * mm, y, 13 * mm, (8 + 5 * index) * mm, 2 * mm, stroke=1, fill=1)


def _label_value(canvas: Canvas, y: float, label_nl: str, label_en: str, value: str, detail: str = "") -> float:
    canvas.setFillColor(GREY)
    canvas.setFont("Vera", 8)
    canvas.drawString(MARGIN, y, f"{label_nl} / {label_en}")
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Vera-Bold", 13)
    canvas.drawString(MARGIN, y - 5.5 * mm, value)
    if detail:
        canvas.setFont("Vera", 9)
        canvas.drawString(MARGIN, y - 10 * mm, detail)
        return y - 17 * mm
    return y - 13 * mm


def render_certificate_pdf(data: CertificateData) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName="Vera", initialFontSize=10)
    canvas.setTitle(f"Certificaat {data.code}")
    canvas.setAuthor(data.issuer)
    canvas.setSubject(f"Label sociale economie {data.code}")
    canvas.setKeywords(f"SE-label {data.code} level {data.level} kid {data.key_id}")
    canvas.setCreator(data.issuer)

    # Header band
    canvas.setFillColor(GREEN)
    canvas.rect(0, HEIGHT - 38 * mm, WIDTH, 38 * mm, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Vera-Bold", 22)
    canvas.drawString(MARGIN, HEIGHT - 19 * mm, "Label sociale economie")
    canvas.setFont("Vera", 11)
    canvas.drawString(MARGIN, HEIGHT - 26 * mm, "Social economy label - Certificaat / Certificate")
    canvas.drawString(MARGIN, HEIGHT - 32 * mm, f"Uitgereikt door / Issued by: {data.issuer}")

    y = HEIGHT - 52 * mm
    y = _label_value(
        canvas, y, "Onderneming", "Enterprise", data.enterprise_name,
        f"Ondernemingsnummer / Enterprise number {data.enterprise_number} - {data.recognition}",
    )  # fmt: skip
    y = _label_value(
        canvas, y, data.product_kind_nl.capitalize(), data.product_kind_en.capitalize(), data.product_name,
        f"Categorie / Category: {data.category_nl} / {data.category_en}",
    )  # fmt: skip

    # The degree: level graphic and share in figures and words
    canvas.setFillColor(LIGHT)
    canvas.roundRect(MARGIN, y - 42 * mm, WIDTH - 2 * MARGIN, 44 * mm, 3 * mm, stroke=0, fill=1)
    _draw_level(canvas, data.level, MARGIN + 6 * mm, y - 36 * mm)
    text_x = MARGIN + 58 * mm
    canvas.setFillColor(GREEN)
    canvas.setFont("Vera-Bold", 18)
    canvas.drawString(text_x, y - 10 * mm, f"Niveau {data.level} van 3 / Level {data.level} of 3")
    share = f"{data.social_share.normalize():f}".replace(".", ",")
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Vera-Bold", 12)
    canvas.drawString(text_x, y - 19 * mm, f"Aandeel sociale economie: {share} %")
    canvas.setFont("Vera", 9)
    canvas.drawString(text_x, y - 24 * mm, f"({percentage_in_words(data.social_share, 'nl')})")
    canvas.setFont("Vera-Bold", 10)
    canvas.drawString(text_x, y - 31 * mm, f"Social-economy share: {data.social_share.normalize():f} %")
    canvas.setFont("Vera", 9)
    canvas.drawString(text_x, y - 36 * mm, f"({percentage_in_words(data.social_share, 'en')})")
    y -= 54 * mm

    threshold = f"{data.level_min_share.normalize():f}"
    y = _label_value(
        canvas, y, "Schema", "Scheme", data.scheme,
        f"Niveau / Level {data.level} vanaf / from {threshold} %: {data.scheme_url}",
    )  # fmt: skip
    y = _label_value(
        canvas, y, "Geldig", "Valid",
        f"{_dutch_date(data.issued_on)} - {_dutch_date(data.valid_until)}",
        f"Issued on {_english_date(data.issued_on)}, valid until {_english_date(data.valid_until)}",
    )  # fmt: skip

    # The code, large, and the QR code that opens the verify page
    qr_size = 48 * mm
    canvas.setFillColor(GREY)
    canvas.setFont("Vera", 8)
    canvas.drawString(MARGIN, 68 * mm, "Labelcode / Label code")
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Vera-Bold", 30)
    canvas.drawString(MARGIN, 56 * mm, data.code)
    _draw_qr(canvas, data.verify_url, WIDTH - MARGIN - qr_size, 32 * mm, qr_size)

    canvas.setFont("Vera", 9)
    canvas.drawString(MARGIN, 44 * mm, "Controleer dit label: scan de QR-code of ga naar")
    canvas.drawString(MARGIN, 39.5 * mm, "Verify this label: scan the QR code or go to")
    canvas.setFont("Vera-Bold", 9)
    canvas.drawString(MARGIN, 34 * mm, data.verify_url)

    canvas.setStrokeColor(GREEN)
    canvas.line(MARGIN, 24 * mm, WIDTH - MARGIN, 24 * mm)
    canvas.setFillColor(GREY)
    canvas.setFont("Vera", 7)
    canvas.drawString(
        MARGIN, 19 * mm,
        "Dit certificaat draagt een ondertekende verklaring (JWS, EdDSA); de publieke sleutels staan op /api/v1/keys/.",
    )  # fmt: skip
    canvas.drawString(
        MARGIN, 15.5 * mm,
        "This certificate carries a signed credential (JWS, EdDSA); the public keys are at /api/v1/keys/.",
    )  # fmt: skip
    canvas.drawString(MARGIN, 12 * mm, f"Sleutel / Key id: {data.key_id}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
