"""While the database does not answer, every endpoint says so: 503 with Retry-After and a
sentence in the user's language, as JSON under /api/ and as a page elsewhere, never a 500.
Nothing to restart when it returns: Django opens a new connection for the next request."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 60

# Refused or lost connections (OperationalError), and a connection already closed (InterfaceError).
DATABASE_DOWN = (OperationalError, InterfaceError)

log = logging.getLogger(__name__)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The answer while the database does not answer (no query, no session, no user)."""
    message = _("This service cannot reach its database just now. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        page = render_to_string("503.html", {"message": message, "language": get_language()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answers a view that failed for want of its database (config.errors does the same for a
    failure outside any view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        log.warning("The database does not answer (%s): 503 for %s", exception, request.path)
        return database_unavailable(request)
