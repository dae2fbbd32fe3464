"""The public pages (DESIGN §7), through Django's test client; the browser tests are in tests/browser/."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification.models import Label
from certification.services.labels import change_label_status


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label(name="Houten fietsrek")


def page(client, url: str, language: str = "nl", status: int = 200) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_the_home_page_has_a_code_box_and_explains_the_levels(client, scheme) -> None:  # type: ignore[no-untyped-def]
    html = page(client, "/")
    assert 'name="code"' in html
    assert "Is dit label echt, en nog geldig?" in html
    assert "minstens 75 % van het werk door doelgroepwerknemers" in html


def test_a_typed_code_goes_to_its_page_in_canonical_form(client, label) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/verify/", {"code": label.code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response.url == f"/verify/{label.code}/"


def test_a_mistyped_code_says_check_it(client, label) -> None:  # type: ignore[no-untyped-def]
    wrong = label.code[:-1] + ("0" if label.code[-1] != "0" else "1")
    html = page(client, f"/verify/{wrong}/", status=400)
    assert "Dit is geen geldige labelcode" in html
    assert "Controleer de code op een tikfout" in html


def test_an_unknown_code_warns_of_a_false_claim(client, db) -> None:  # type: ignore[no-untyped-def]
    html = page(client, "/verify/SE-7K3M-9QX2-4H6/", status=404)
    assert "Geen label met deze code" in html
    assert "Let op voor een vals label" in html


@pytest.mark.parametrize(("language", "word"), [("nl", "Geldig"), ("en", "Valid"), ("fr", "Valide")])
def test_the_verify_page_speaks_the_visitors_language(client, label, language, word) -> None:  # type: ignore[no-untyped-def]
    html = page(client, f"/verify/{label.code}/", language)
    assert f'<html lang="{language}' in html
    assert f'class="verdict-status">{word}</h1>' in html
    assert "Houten fietsrek" in html
    assert "0403.170.701" in html


def test_a_suspended_label_shows_why_and_since_when(client, label, olivia, committed) -> None:  # type: ignore[no-untyped-def]
    with committed():
        change_label_status(label=label, name="suspend", by=olivia, reason="intern", category="surveillance_overdue")
    html = page(client, f"/verify/{label.code}/")
    assert 'class="verdict-status">Geschorst</h1>' in html
    assert "Reden: opvolgingsaudit niet op tijd" in html
    assert "intern" not in html


def test_an_expired_label_reads_expired(client, label) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    Label.objects.filter(pk=label.pk).update(
        issued_on=today - datetime.timedelta(days=1100), valid_until=today - datetime.timedelta(days=1)
    )
    assert 'class="verdict-status">Vervallen</h1>' in page(client, f"/verify/{label.code}/")


def test_the_registry_searches_filters_and_links_the_csv(client, issue_label) -> None:  # type: ignore[no-untyped-def]
    jam, chair = issue_label(name="Aardbeienconfituur", category="food"), issue_label(name="Eiken stoel")
    html = page(client, "/registry/?q=confituur")
    assert jam.code in html
    assert chair.code not in html
    assert "format=csv" in html
    assert "q=confituur" in html
    html = page(client, "/registry/?category=food")
    assert jam.code in html
    assert chair.code not in html


def test_the_registry_page_costs_the_same_queries_for_one_label_or_many(
    client, issue_label, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issue_label(name="Aardbeienconfituur", category="food")
    with CaptureQueriesContext(connection) as one:
        page(client, "/registry/")
    for n in range(4):
        issue_label(name=f"Eiken stoel {n}")
    with django_assert_max_num_queries(len(one)):
        html = page(client, "/registry/")
    assert html.count("Eiken stoel") == 4  # with no filter: every valid label


def test_the_registry_says_what_is_wrong_with_a_bad_filter(client, db) -> None:  # type: ignore[no-untyped-def]
    html = page(client, "/registry/?enterprise_number=1234", status=400)  # asked in Dutch
    assert "geen geldig Belgisch ondernemingsnummer" in html
    assert "not a valid Belgian enterprise number" not in html


def test_a_certificate_can_be_checked_on_the_page(client, label) -> None:  # type: ignore[no-untyped-def]
    label.refresh_from_db()
    with label.certificate.open("rb") as handle:
        pdf = handle.read()
    html = client.post(
        reverse("web:check-certificate"), {"file": SimpleUploadedFile("c.pdf", pdf)}, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Door ons uitgereikt" in html
    assert label.code in html
    html = client.post(
        reverse("web:check-certificate"), {"file": SimpleUploadedFile("c.pdf", pdf + b"x")}, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Geen certificaat van ons" in html


def test_no_page_loads_anything_from_elsewhere(client, label) -> None:  # type: ignore[no-untyped-def]
    for url in ("/", f"/verify/{label.code}/", "/registry/", "/verify/certificate/"):
        html = page(client, url)
        assert "https://" not in html.replace("https://label.example.be", "")
        assert "http://" not in html


def test_an_unknown_page_is_a_friendly_404_in_the_visitors_language(client, db) -> None:  # type: ignore[no-untyped-def]
    html = page(client, "/no-such-page/", "nl", status=404)
    assert "Pagina niet gevonden" in html
    assert 'name="language"' in html


def test_an_unknown_api_address_is_a_json_404(client, db) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "There is nothing at this address."}


def test_a_file_far_larger_than_a_certificate_is_refused_on_the_page(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VERIFY_UPLOAD_MAX_SIZE = 1024
    html = client.post(
        reverse("web:check-certificate"),
        {"file": SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * 2048)},
        HTTP_ACCEPT_LANGUAGE="nl",
    ).content.decode()
    assert "Dat kunnen we niet zeggen" in html
    assert "een certificaat is veel kleiner" in html


def directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: sources}; the order of directives carries no meaning."""
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_the_pages_forbid_what_the_app_does_not_serve(client, db) -> None:  # type: ignore[no-untyped-def]
    for page in ("/", reverse("web:registry")):
        assert directives(client.get(page)["Content-Security-Policy"]) == {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": "'self' data:",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
            "base-uri": "'none'",
            "object-src": "'none'",
        }


def test_the_admin_the_api_and_its_docs_keep_their_own_needs(client, db) -> None:  # type: ignore[no-untyped-def]
    for address in ("/admin/login/", "/api/docs/", "/api/v1/labels/", "/healthz/"):
        assert "Content-Security-Policy" not in client.get(address), address


@pytest.mark.parametrize(
    ("language", "title", "sentence"),
    [
        ("nl", "Ongeldig verzoek", "De vraag kon niet begrepen worden."),
        ("fr", "Requête incorrecte", "La requête n'a pas pu être comprise."),
        ("en", "Bad request", "The request could not be understood."),
    ],
)
def test_a_request_the_site_cannot_understand_is_answered_in_the_language_asked(  # type: ignore[no-untyped-def]
    client, db, language, title, sentence
) -> None:
    answer = client.get("/registry/", HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST="elsewhere.example")  # not ours
    assert answer.status_code == 400
    html = answer.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert sentence in html
