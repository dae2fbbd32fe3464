"""Without its database, every endpoint answers 503 with a sentence, never 500 (the real cut is
in tests/test_faults.py; here the answer itself)."""

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.utils import translation

from config.errors import server_error
from config.unavailable import DatabaseUnavailableMiddleware


def middleware() -> DatabaseUnavailableMiddleware:
    return DatabaseUnavailableMiddleware(lambda request: pytest.fail("not called"))


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection closed")])
def test_the_api_answers_503_in_json_with_a_sentence(error) -> None:  # type: ignore[no-untyped-def]
    answer = middleware().process_exception(RequestFactory().get("/api/v1/labels/"), error)
    assert answer is not None
    assert (answer.status_code, answer["Retry-After"], answer["Content-Type"]) == (503, "60", "application/json")
    assert "cannot reach its database" in json.loads(answer.content)["detail"]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("nl", "kan zijn databank op dit moment niet bereiken"), ("fr", "ne peut pas joindre sa base de données")],
)
def test_a_page_says_it_in_the_visitors_language(language, sentence) -> None:  # type: ignore[no-untyped-def]
    with translation.override(language):
        answer = middleware().process_exception(RequestFactory().get("/verify/SE-7K3M-9QX2-4H6/"), OperationalError())
    assert answer is not None
    assert answer.status_code == 503
    assert sentence in answer.content.decode()
    assert f'<html lang="{language}">' in answer.content.decode()


def test_other_errors_are_left_to_the_500_page() -> None:
    assert middleware().process_exception(RequestFactory().get("/"), ValueError("a bug")) is None


def test_a_database_failure_outside_any_view_is_503_too() -> None:
    request = RequestFactory().get("/api/v1/me/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        answer = server_error(request)  # as Django calls it, while handling the exception
    assert answer.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500
