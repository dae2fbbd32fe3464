"""Every error of the API speaks the language of the request, Django's and DRF's own included:
asked in Dutch, French or English, its sentences hold no word of the other two languages."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from api.throttling import PublicRateThrottle
from certification.models import ApplicationState
from tests.workflow import Actors, build_application

# Words that belong to one of the three languages only (not "is", "in", "de", "en", "of", ...).
WORDS = {
    "en": {
        "the", "was", "were", "not", "no", "this", "that", "your", "you", "request", "requests", "expected",
        "available", "seconds", "matches", "query", "parse", "error", "allowed", "method", "does", "allow", "there",
        "nothing", "address", "cannot", "an", "are", "provided", "credentials", "invalid", "try", "again", "too",
        "many", "body", "valid", "line", "column", "with", "never", "issued", "missing", "wrong", "some", "input",
        "field", "may", "be", "blank", "could", "header", "unsupported", "role"
    },
    "nl": {
        "het", "een", "niet", "geen", "van", "dit", "deze", "er", "zijn", "werd", "seconden", "opnieuw", "probeer",
        "adres", "niets", "uw", "u", "aanvraag", "verzoek", "verzoeken", "mag", "kan", "voor", "op", "te", "veel",
        "regel", "kolom", "rol", "toegestaan", "ongeldige", "geldige", "geldig", "inhoud", "staat", "ontbreekt",
        "klopt", "sommige", "invoer", "veld", "leeg", "nooit", "uitgereikt", "opgegeven", "overgang"
    },
    "fr": {
        "le", "la", "les", "une", "un", "est", "pas", "ce", "cette", "du", "des", "il", "rien", "vous", "votre",
        "secondes", "demande", "requête", "requêtes", "à", "adresse", "dans", "pour", "non", "trop", "réessayez",
        "ligne", "colonne", "corps", "rôle", "autorisée", "valide", "valides", "jeton", "manque", "certaines",
        "données", "champ", "vide", "jamais", "délivré", "aucun", "fournies", "méthode"
    },
}  # fmt: skip
LANGUAGES = {"nl": "nl-BE,nl;q=0.9", "fr": "fr-BE,fr;q=0.9", "en": "en-GB,en;q=0.9"}

# (what is asked, who asks, method, path, body, status)
CASES = [
    ("no credentials", None, "GET", "/api/v1/me/", None, 401),
    ("a wrong token", "token", "GET", "/api/v1/me/", None, 401),
    ("a role that may not", "alice", "GET", "/api/v1/queue/", None, 403),
    ("a transition of another role", "alice", "POST", "/api/v1/applications/{app}/transitions/approve/", {}, 403),
    ("a form without its CSRF token", "session", "POST", "/api/v1/applications/", {}, 403),
    ("another enterprise's application", "bob", "GET", "/api/v1/applications/{app}/", None, 404),
    ("another enterprise's history", "bob", "GET", "/api/v1/applications/{app}/history/", None, 404),
    ("an audit that does not exist", "olivia", "GET", "/api/v1/audits/999999/", None, 404),
    ("a product that does not exist", "olivia", "GET", "/api/v1/products/999999/", None, 404),
    ("a label never issued", None, "GET", "/api/v1/labels/SE-7K3M-9QX2-4H6/", None, 404),
    ("an address of nothing", None, "GET", "/api/v1/nothing/", None, 404),
    ("a method the endpoint lacks", "alice", "DELETE", "/api/v1/me/", None, 405),
    ("a method the lookup lacks", None, "DELETE", "/api/v1/labels/{label}/", None, 405),
    ("a body that is not JSON", "alice", "POST", "/api/v1/applications/", "{not json", 400),
    ("a verification that is not JSON", None, "POST", "/api/v1/verify/", "{not json", 400),
    ("a broken multipart form", None, "POST", "/api/v1/verify/", "multipart", 400),
    ("a blank name", "alice", "PATCH", "/api/v1/products/{product}/", {"name": ""}, 400),
    ("a wrong check character", None, "GET", "/api/v1/labels/SE-7K3M-9QX2-4HP/", None, 400),
    ("a bad registry filter", None, "GET", "/api/v1/labels/?level=7", None, 400),
    ("too many lookups", None, "GET", "/api/v1/labels/{label}/", "throttled", 429),
    ("too many registry searches", None, "GET", "/api/v1/labels/", "throttled", 429),
    ("a transition not from this state", "olivia", "POST", "/api/v1/applications/{app}/transitions/approve/", {}, 409),
]  # fmt: skip


@pytest.fixture
def world(alice, bob, carol, olivia, enterprise, scheme, issue_label):  # type: ignore[no-untyped-def]
    application = build_application(
        ApplicationState.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    return {
        "users": {"alice": alice, "bob": bob, "olivia": olivia},
        "app": application.pk,
        "product": application.product_id,
        "label": issue_label().code,
    }


def client_for(who: str | None, language: str, world) -> APIClient:  # type: ignore[no-untyped-def]
    if who == "session":
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language, enforce_csrf_checks=True)
        client.force_login(world["users"]["alice"])
        return client
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if who == "token":
        client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    elif who is not None:
        client.force_authenticate(world["users"][who])
    return client


def sentences(answer: dict[str, object]) -> list[str]:
    """Every sentence of an error answer: its detail and the messages of each field."""
    found = [str(answer["detail"])]
    for messages in dict(answer.get("errors") or {}).values():  # type: ignore[call-overload]
        found += [str(message) for message in messages]
    return found


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize(("asked", "who", "method", "path", "body", "status"), CASES, ids=[case[0] for case in CASES])
def test_each_error_speaks_the_language_asked_and_no_other(  # type: ignore[no-untyped-def]
    world, monkeypatch, language, asked, who, method, path, body, status
) -> None:
    client = client_for(who, LANGUAGES[language], world)
    url = path.format(**world)
    if body == "throttled":
        monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "1/minute"})
        assert client.get(url).status_code == 200
        answer = client.get(url)
        assert int(answer["Retry-After"]) > 0
    elif body == "multipart":
        answer = client.generic(method, url, b"--x\r\nbroken", content_type="multipart/form-data")  # no boundary
    else:
        payload = body if isinstance(body, str) or body is None else json.dumps(body)
        answer = client.generic(method, url, data=payload, content_type="application/json")
    assert answer.status_code == status, answer.content[:300]
    said = sentences(answer.json())
    others = set().union(*(WORDS[other] for other in LANGUAGES if other != language))
    for sentence in said:
        assert words(sentence) & WORDS[language], sentence  # it is in the language asked...
        assert not words(sentence) & others, sentence  # ...and in no other


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("nl", "De status vandaag: geldig."),
        ("fr", "Son statut aujourd'hui : valide."),
        ("en", "Its status today: valid."),
    ],
)
def test_the_status_inside_a_verdict_is_a_word_of_the_language_asked(world, language, says) -> None:  # type: ignore[no-untyped-def]
    from certification.models import Label

    label = Label.objects.get(code=world["label"])
    with label.certificate.open("rb") as handle:
        pdf = handle.read()
    answer = APIClient(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language]).post(
        "/api/v1/verify/", {"file": SimpleUploadedFile("certificaat.pdf", pdf, "application/pdf")}, format="multipart"
    )
    assert answer.json()["detail"].endswith(says)


def test_a_throttled_client_is_told_when_to_come_back_in_its_own_words(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "1/minute"})
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.get("/api/v1/labels/")
    refused = client.get("/api/v1/labels/")
    wait = int(refused["Retry-After"])
    unit = "seconde" if wait == 1 else "seconden"
    assert refused.json() == {"detail": f"Te veel verzoeken: probeer het over {wait} {unit} opnieuw."}
