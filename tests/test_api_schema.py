"""The published OpenAPI document: valid, served offline, and true to what the API answers.

Schemathesis generates requests from /api/schema/ and calls the app in-process, anonymously and
as each role; no answer may be a server error or contradict the schema. Each operation that takes
JSON also gets bodies nested 1,000 deep and bodies that are not objects: refused, with a sentence.
The complaint endpoints are among them (a complaint with a file is there to be listed).
Bounded to stay fast.
"""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from certification.models import ApplicationState
from certification.services.tokens import create_api_token
from config.wsgi import application as wsgi_application
from tests.factories import ComplaintFactory, ComplaintFileFactory, EvidenceFactory
from tests.workflow import Actors, build_application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 6
# Sent, raw, in place of the generated body of each operation that takes JSON: nested far too
# deep for any parser that recurses (deeper than 1,000: Hypothesis raises the recursion limit),
# and bodies that are not the object every operation expects.
MALFORMED_JSON_BODIES = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a": ' * 100_000 + b"1" + b"}" * 100_000,
    b"[null, null]",
    b"null",
]


def test_the_schema_validates_without_a_warning(db) -> None:  # type: ignore[no-untyped-def]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_are_served_without_a_cdn(client, path) -> None:  # type: ignore[no-untyped-def]
    page = client.get(path).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    for asset in re.findall(r'(/static/drf_spectacular_sidecar/[^"\']+)', page):
        assert client.get(asset).status_code == 200, asset
    assert "cdn." not in page
    assert "https://" not in page.replace("https://label.example.be", "")


@pytest.fixture
def _connections_kept_open():  # type: ignore[no-untyped-def]
    """Calls through WSGI end with close_old_connections, which would close the connection that
    holds the test's transaction; Django's own test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connections_kept_open")
@pytest.mark.parametrize("role", ["nobody", "alice", "bob", "carol", "olivia"])
def test_no_generated_request_breaks_the_api_or_its_schema(
    role, request, settings, alice, carol, olivia, enterprise, scheme
) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    audited = build_application(
        ApplicationState.AUDIT_IN_PROGRESS, enterprise=enterprise, scheme=scheme, actors=Actors(alice, carol, olivia)
    )
    # Evidence on an assessment, so that the evidence endpoints answer with a file to check.
    EvidenceFactory(assessment=audited.audit.assessments.first())
    # A complaint with a file, so that the officers' complaint list answers with a row to check.
    ComplaintFileFactory(complaint=ComplaintFactory(enterprise=enterprise))
    headers = {}
    if role != "nobody":
        headers["Authorization"] = f"Token {create_api_token(by=request.getfixturevalue(role), name='schema').key}"
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_application)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=2, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def call_with_malformed_json(case) -> None:  # type: ignore[no-untyped-def]
            case.media_type = "application/json"
            for body in MALFORMED_JSON_BODIES:
                case.body = body
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error], headers=headers)
                assert response.status_code >= 400, f"{body[:20]!r} accepted: {response.status_code}"
                assert isinstance(response.json()["detail"], str), response.text

        takes_json = any(body.media_type == "application/json" for body in operation.body)
        for test in [call, call_with_malformed_json] if takes_json else [call]:
            try:
                test()
            except Exception as failure:
                failures.append(f"{operation.label} ({test.__name__}): {str(failure)[:600]}")
    assert not failures, "\n\n".join(failures)
