"""Bad input is answered 400 with a sentence, never a 500: JSON nested too deep is refused before it
is parsed, and a body that is not an object where an object is expected is refused by the
serializer, on every endpoint that takes JSON."""

import json
import time

import pytest
from rest_framework.test import APIClient

from api.parsers import nesting_depth
from certification.models import ApplicationState
from tests.workflow import Actors, build_application

# Every endpoint that reads a JSON body: method, path (filled in from the `objects` fixture), who asks.
JSON_ENDPOINTS = [
    ("post", "/api/v1/auth/token/", None),
    ("post", "/api/v1/verify/", None),
    ("post", "/api/v1/products/", "alice"),
    ("put", "/api/v1/products/{product}/", "alice"),
    ("patch", "/api/v1/products/{product}/", "alice"),
    ("post", "/api/v1/applications/", "alice"),
    ("put", "/api/v1/applications/{application}/", "alice"),
    ("patch", "/api/v1/applications/{application}/", "alice"),
    ("post", "/api/v1/applications/{application}/transitions/submit/", "alice"),
    ("post", "/api/v1/applications/{audited}/transitions/submit_report/", "carol"),
    ("put", "/api/v1/audits/{audit}/assessments/C1/", "carol"),
    ("post", "/api/v1/audits/{audit}/findings/", "carol"),
    ("post", "/api/v1/findings/{finding}/close/", "carol"),
    ("post", "/api/v1/findings/{finding}/answer/", "alice"),
    ("post", "/api/v1/labels/{label}/transitions/suspend/", "olivia"),
]
NOT_OBJECTS = ["[null, null]", "[]", "null", '"tekst"', "42", "true"]


@pytest.fixture
def objects(alice, carol, olivia, enterprise, scheme, issue_label) -> dict[str, object]:  # type: ignore[no-untyped-def]
    actors = Actors(alice, carol, olivia)
    draft = build_application(ApplicationState.DRAFT, enterprise=enterprise, scheme=scheme, actors=actors)
    audited = build_application(ApplicationState.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=actors)
    return {
        "product": draft.product_id,
        "application": draft.pk,
        "audited": audited.pk,
        "audit": audited.audit.pk,
        "finding": audited.audit.findings.get().pk,
        "label": issue_label().code,
    }


def send(request, objects, method: str, path: str, actor: str | None, body: str | bytes):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if actor is not None:
        client.force_authenticate(user=request.getfixturevalue(actor))
    return getattr(client, method)(path.format(**objects), body, content_type="application/json")


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(("method", "path", "actor"), JSON_ENDPOINTS)
@pytest.mark.parametrize("levels", [33, 1000, 100_000])
def test_a_body_nested_too_deep_is_refused_unparsed(request, objects, method, path, actor, levels) -> None:  # type: ignore[no-untyped-def]
    answer = send(request, objects, method, path, actor, deep(levels))

    assert answer.status_code == 400, answer.content
    assert answer.json()["detail"] == (
        "The JSON body nests arrays and objects more than 32 levels deep; no request needs that."
    )


@pytest.mark.parametrize(("method", "path", "actor"), JSON_ENDPOINTS)
@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_body_that_is_not_an_object_is_refused(request, objects, method, path, actor, body) -> None:  # type: ignore[no-untyped-def]
    answer = send(request, objects, method, path, actor, body)

    assert answer.status_code == 400, answer.content
    detail = answer.json()["detail"]
    assert isinstance(detail, str)
    assert detail.endswith("."), detail


def test_a_product_is_not_changed_by_an_array(request, objects) -> None:  # type: ignore[no-untyped-def]
    from certification.models import Product

    before = Product.objects.values().get(pk=objects["product"])
    answer = send(request, objects, "put", "/api/v1/products/{product}/", "alice", "[null, null]")

    assert answer.status_code == 400
    assert answer.json()["errors"]["non_field_errors"] == ["Invalid data. Expected a dictionary, but got list."]
    assert Product.objects.values().get(pk=objects["product"]) == before


def test_a_product_update_keeps_what_is_not_sent(request, objects) -> None:  # type: ignore[no-untyped-def]
    answer = send(request, objects, "patch", "/api/v1/products/{product}/", "alice", '{"name": "Confituur"}')

    assert answer.status_code == 200, answer.content
    assert answer.json()["name"] == "Confituur"
    assert answer.json()["category"] == "assembly"


def test_nesting_up_to_the_limit_is_parsed(request, objects) -> None:  # type: ignore[no-untyped-def]
    body = '{"username": "alice", "password": ' + deep(31) + "}"
    answer = send(request, objects, "post", "/api/v1/auth/token/", None, body)

    assert answer.status_code == 400
    assert answer.json()["errors"] == {"password": ["Not a valid string."]}


def test_the_limit_is_a_setting(request, objects, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_JSON_MAX_DEPTH = 2
    answer = send(request, objects, "post", "/api/v1/auth/token/", None, '{"username": ["alice"]}')
    assert answer.status_code == 400
    assert "more than 2 levels" not in answer.json()["detail"]

    answer = send(request, objects, "post", "/api/v1/auth/token/", None, '{"username": [["alice"]]}')
    assert answer.json()["detail"].startswith("The JSON body nests arrays and objects more than 2 levels deep")


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"42", 0),
        (b'"[[[{{{"', 0),
        (b"[]", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (rb'["\"[[[", "\\", [["]"]]]', 3),
        (rb'["\\\"[[", "]"]', 1),
        (b'[{"x": "}}}]]]"}, [[[]]]]', 4),
        ('["[[[ caf\u00e9 \u2603 ]]]", [[]]]'.encode(), 3),
    ],
)
def test_the_depth_counts_brackets_outside_strings(text, depth) -> None:  # type: ignore[no-untyped-def]
    assert nesting_depth(text) == depth == depth_as_parsed(json.loads(text))


def depth_as_parsed(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_as_parsed, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_as_parsed, value), default=0)
    return 0


def test_counting_a_large_body_takes_less_than_parsing_it() -> None:
    body = ("[" + ", ".join(['{"a": [1, 2, "[[[ x \\" ]]]"]}'] * 100_000) + "]").encode()  # 3 MB
    started = time.perf_counter()
    assert nesting_depth(body) == 3
    counted = time.perf_counter() - started
    started = time.perf_counter()
    json.loads(body)
    assert counted < time.perf_counter() - started


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "De JSON-inhoud nest arrays en objecten meer dan 32 niveaus diep"),
        ("fr", "Le corps JSON imbrique des tableaux et des objets sur plus de 32 niveaux"),
    ],
)
def test_the_refusal_speaks_the_callers_language(language, sentence) -> None:  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    answer = client.post("/api/v1/verify/", deep(1000), content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(sentence)
