"""The certificate PDF: what it says, that its QR code reads back, that it is sound PDF."""

import hashlib
import io

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from django.core.management import call_command

from certification.models import CertificateRecord, HistoryEvent
from certification.services.certificates import verify_url
from certification.verification import verify_certificate_pdf


def pdf_of(label) -> bytes:  # type: ignore[no-untyped-def]
    label.refresh_from_db()
    with label.certificate.open("rb") as handle:
        return handle.read()


def page_text(pdf: bytes) -> str:
    return pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label(name="Confituur van Gentse aardbeien, crème brûlée-smaak")


def test_the_certificate_states_the_code_enterprise_product_level_and_share(label) -> None:  # type: ignore[no-untyped-def]
    text = page_text(pdf_of(label))
    for expected in (
        label.code,
        "Atelier Alice",
        "0403.170.701",
        "Confituur van Gentse aardbeien, crème brûlée-smaak",
        "Niveau 3 van 3",
        "80 %",
        "tachtig procent",
        str(label.scheme),
        f"Niveau 3 vanaf een aandeel van 75 %: https://label.example.be/schemes/{label.scheme.version}/",
    ):
        assert expected in text, expected


def test_the_qr_code_reads_back_as_the_verify_url(label) -> None:  # type: ignore[no-untyped-def]
    image = pypdfium2.PdfDocument(pdf_of(label))[0].render(scale=1.5).to_pil()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [verify_url(label.code)]
    assert verify_url(label.code) == f"https://label.example.be/verify/{label.code}/"


def test_the_certificate_is_sound_small_pdf_with_embedded_fonts_and_metadata(label) -> None:  # type: ignore[no-untyped-def]
    pdf = pdf_of(label)
    assert len(pdf) < 100 * 1024
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.check_pdf_syntax() == []  # what `qpdf --check` checks
        assert len(document.pages) == 1
        assert label.code in str(document.docinfo["/Title"])
        assert label.code in str(document.docinfo["/Subject"])
        assert str(document.docinfo["/Author"])
        fonts = document.pages[0].Resources.Font
        assert fonts
        for name in fonts:
            descriptor = fonts[name].get("/FontDescriptor")
            assert descriptor is not None, f"{name} is not embedded"
            assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_the_label_keeps_the_hash_of_its_certificate(label) -> None:  # type: ignore[no-untyped-def]
    pdf = pdf_of(label)
    assert label.certificate_sha256 == hashlib.sha256(pdf).hexdigest()
    assert CertificateRecord.objects.get(label=label).sha256 == label.certificate_sha256


def test_regenerating_gives_a_new_hash_and_keeps_the_old_one_known(label) -> None:  # type: ignore[no-untyped-def]
    old_pdf = pdf_of(label)
    out = io.StringIO()
    call_command("regenerate_certificates", label.code.lower(), stdout=out)

    new_pdf = pdf_of(label)
    assert new_pdf != old_pdf
    assert label.certificate_sha256 == hashlib.sha256(new_pdf).hexdigest()
    assert verify_certificate_pdf(new_pdf).extra == {"certificate": "current"}
    old = verify_certificate_pdf(old_pdf)
    assert (old.outcome, old.extra) == ("authentic", {"certificate": "superseded"})
    assert HistoryEvent.objects.filter(action="label.certificate_regenerated", target_id=label.pk).count() == 1
    assert "1/1" in out.getvalue()


def test_regenerating_all_certificates_reports_progress(issue_label) -> None:  # type: ignore[no-untyped-def]
    labels = [issue_label() for _ in range(3)]
    out = io.StringIO()
    call_command("regenerate_certificates", stdout=out)
    assert "3/3" in out.getvalue()
    assert CertificateRecord.objects.filter(superseded_at__isnull=False).count() == len(labels)


def test_regenerating_an_unknown_code_says_so(label) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="SE-7K3M-9QX2-4H6"):
        call_command("regenerate_certificates", "SE-7K3M-9QX2-4H6", stdout=io.StringIO())
