"""The certificate in the language asked (nl, fr, en), Dutch by default: every word of it in that
language, each language its own PDF known by its hash (it verifies by upload), its own ETag."""

import datetime
import hashlib

import pypdfium2
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import CertificateRecord, CertificateTranslation, Label, Scheme, StatusReason
from certification.services.certificates import certificate_in
from certification.services.labels import change_label_status

# What each language's certificate says, and words of the other two it must not say.
SAYS = {
    "nl": ["Label sociale economie", "Certificaat", "Niveau 3 van 3", "Aandeel sociale economie: 80 %",
           "tachtig procent", "Geldig", "Labelcode", "Controleer dit label", "Sleutel-id"],
    "fr": ["Label d'économie sociale", "Certificat", "Niveau 3 sur 3", "Part d'économie sociale : 80 %",
           "quatre-vingts pour cent", "Valide", "Code du label", "Vérifiez ce label", "Identifiant de clé"],
    "en": ["Social economy label", "Certificate", "Level 3 of 3", "Social-economy share: 80 %",
           "eighty per cent", "Valid", "Label code", "Verify this label", "Key id"],
}  # fmt: skip
NEVER = {
    "nl": ["Level 3", "Social-economy", "Niveau 3 sur", "Entreprise", "Valide", "per cent", "pour cent"],
    "fr": ["Level 3", "Social-economy", "Niveau 3 van", "Onderneming", "Geldig", "per cent", "procent"],
    "en": ["Niveau", "Aandeel", "Part d'", "Onderneming", "Entreprise", "procent", "pour cent"],
}
CHANGED_AT = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)


def text_of(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text


def public_certificate(code: str, query: str = "", **headers: str):  # type: ignore[no-untyped-def]
    return APIClient().get(reverse("api:certificate", args=[code]) + query, **headers)


def content(answer) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def upload(pdf: bytes) -> dict:  # type: ignore[type-arg]
    answer = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("api:verify"), {"file": SimpleUploadedFile("c.pdf", pdf, "application/pdf")}, format="multipart"
    )
    return answer.json()


@pytest.fixture
def label(issue_label, scheme) -> Label:  # type: ignore[no-untyped-def]
    Scheme.objects.filter(pk=scheme.pk).update(validity_months=12)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False):
        return issue_label()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_certificate_is_wholly_in_the_language_asked(label, language) -> None:  # type: ignore[no-untyped-def]
    answer = public_certificate(label.code, f"?lang={language}")
    assert (answer.status_code, answer["Content-Language"]) == (200, language)
    text = text_of(content(answer))
    category = getattr(label.product.category, f"name_{language}")
    for expected in [*SAYS[language], label.code, "Atelier Alice", category]:
        assert expected in text, expected
    for foreign in NEVER[language]:
        assert foreign not in text, foreign
    dates = {"nl": "30 november 2026", "fr": "30 novembre 2026", "en": "30 November 2026"}
    assert dates[language] in text


def test_dutch_is_the_default(label) -> None:  # type: ignore[no-untyped-def]
    plain, dutch = public_certificate(label.code), public_certificate(label.code, "?lang=nl")
    pdf = content(plain)
    assert pdf == content(dutch)
    assert plain["ETag"] == dutch["ETag"] == f'"{label.certificate_sha256}"'
    assert "Niveau 3 van 3" in text_of(pdf)


@pytest.mark.parametrize("asked", ["de", "NL-BE", "xx", "'; DROP"])
def test_a_language_the_certificate_is_not_issued_in_is_refused_with_a_sentence(label, asked) -> None:  # type: ignore[no-untyped-def]
    answer = public_certificate(label.code, f"?lang={asked}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("The certificate exists in Dutch (nl), French (fr) and English (en)")


def test_a_language_is_read_forgivingly(label) -> None:  # type: ignore[no-untyped-def]
    assert content(public_certificate(label.code, "?lang=FR")) == content(public_certificate(label.code, "?lang=fr"))


def test_the_refusal_is_in_the_language_of_the_request(label) -> None:  # type: ignore[no-untyped-def]
    answer = public_certificate(label.code, "?lang=de", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.json()["detail"].startswith("Le certificat existe en néerlandais (nl)")


def test_each_language_is_its_own_pdf_issued_with_the_label_and_known_by_its_hash(label) -> None:  # type: ignore[no-untyped-def]
    record = CertificateRecord.objects.get(label=label)
    translations = {t.language: t for t in CertificateTranslation.objects.filter(record=record)}
    assert sorted(translations) == ["en", "fr"]
    for language in ("nl", "fr", "en"):
        pdf = content(public_certificate(label.code, f"?lang={language}"))
        expected = record.sha256 if language == "nl" else translations[language].sha256
        assert hashlib.sha256(pdf).hexdigest() == expected
        assert public_certificate(label.code, f"?lang={language}")["ETag"] == f'"{expected}"'
        assert content(public_certificate(label.code, f"?lang={language}")) == pdf  # the same bytes each time


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_certificate_in_each_language_verifies_by_upload(label, language) -> None:  # type: ignore[no-untyped-def]
    pdf = content(public_certificate(label.code, f"?lang={language}"))
    body = upload(pdf)
    assert (body["outcome"], body["reason"], body["certificate"]) == ("authentic", "issued", "current")
    assert body["label"]["code"] == label.code
    changed = pdf.replace(b"/Producer", b"/Produced", 1)
    assert upload(changed)["outcome"] == "not_authentic"


def test_a_regenerated_certificate_keeps_its_old_translations_verifying_as_replaced(label) -> None:  # type: ignore[no-untyped-def]
    from certification.services.certificates import regenerate_certificate

    old_french = content(public_certificate(label.code, "?lang=fr"))
    regenerate_certificate(label=label, by=None)
    new_french = content(public_certificate(label.code, "?lang=fr"))
    assert new_french != old_french
    assert upload(new_french)["certificate"] == "current"
    old = upload(old_french)
    assert (old["outcome"], old["reason"], old["certificate"]) == ("authentic", "issued_replaced", "superseded")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_enterprise_downloads_the_certificate_as_issued_in_each_language(label, alice, olivia, language) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(CHANGED_AT, tick=False):
        change_label_status(label=label, name="revoke", by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(alice)
    answer = client.get(reverse("api:certificate-as-issued", args=[label.code]) + f"?lang={language}")
    assert (answer.status_code, answer["Content-Language"]) == (200, language)
    pdf = content(answer)
    assert SAYS[language][2] in text_of(pdf)
    assert "INGETROKKEN" not in text_of(pdf)  # as issued: never stamped
    body = upload(pdf)
    assert (body["outcome"], body["label"]["status"]) == ("authentic", "revoked")
    assert client.get(reverse("api:certificate-as-issued", args=[label.code]) + "?lang=es").status_code == 400


def test_the_etag_varies_with_the_language_and_each_revalidates(label) -> None:  # type: ignore[no-untyped-def]
    tags = {language: public_certificate(label.code, f"?lang={language}")["ETag"] for language in ("nl", "fr", "en")}
    assert len(set(tags.values())) == 3
    for language, tag in tags.items():
        assert public_certificate(label.code, f"?lang={language}", HTTP_IF_NONE_MATCH=tag).status_code == 304
        other = tags["en" if language != "en" else "nl"]
        assert public_certificate(label.code, f"?lang={language}", HTTP_IF_NONE_MATCH=other).status_code == 200


@pytest.mark.parametrize(
    ("language", "headline", "words"),
    [
        ("nl", "INGETROKKEN / REVOKED / RETIRÉ - 2026-12-01", "Niveau 3 van 3"),
        ("fr", "RETIRÉ / INGETROKKEN / REVOKED - 2026-12-01", "Niveau 3 sur 3"),
        ("en", "REVOKED / INGETROKKEN / RETIRÉ - 2026-12-01", "Level 3 of 3"),
    ],
)
def test_the_stamp_is_trilingual_the_certificates_language_first(label, olivia, language, headline, words) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(CHANGED_AT, tick=False):
        change_label_status(label=label, name="revoke", by=olivia, reason="Misbruik.", category=StatusReason.MISUSE)
    answer = public_certificate(label.code, f"?lang={language}")
    text = text_of(answer.content)
    assert headline in text
    assert words in text
    assert answer["ETag"] not in {
        public_certificate(label.code, f"?lang={other}")["ETag"] for other in ("nl", "fr", "en") if other != language
    }


def test_a_certificate_issued_in_dutch_only_is_translated_once_on_first_demand(label) -> None:  # type: ignore[no-untyped-def]
    """A label issued before certificates came in three languages has its Dutch PDF only."""
    CertificateTranslation.objects.filter(record__label=label).delete()
    first = content(public_certificate(label.code, "?lang=en"))
    assert "Level 3 of 3" in text_of(first)
    assert content(public_certificate(label.code, "?lang=en")) == first
    assert CertificateTranslation.objects.filter(record__label=label, language="en").count() == 1
    assert upload(first)["outcome"] == "authentic"
    assert certificate_in(label=label, language="nl").sha256 == label.certificate_sha256


def test_the_verify_page_links_the_certificate_in_the_three_languages(client, label) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("web:verify", args=[label.code]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    url = reverse("api:certificate", args=[label.code])
    for language, name in (("nl", "Nederlands"), ("fr", "Français"), ("en", "English")):
        assert f'<a href="{url}?lang={language}" hreflang="{language}" lang="{language}">{name}</a>' in html


def test_the_application_page_links_the_certificate_as_issued_in_the_three_languages(client, label, alice) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    html = client.get(reverse("web:application", args=[label.application_id]), HTTP_ACCEPT_LANGUAGE="nl").content
    url = reverse("api:certificate-as-issued", args=[label.code])
    assert "Het certificaat in:" in html.decode()
    for language in ("nl", "fr", "en"):
        assert f'href="{url}?lang={language}" hreflang="{language}"' in html.decode()
