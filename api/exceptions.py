"""One place where refusals become HTTP answers; every JSON error carries a sentence in `detail`,
in the language of the request."""

import re
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from certification.exceptions import DomainError, InvalidLabelCode, RequirementsNotMet, TransitionNotAllowed
from certification.uploads import UploadTooLarge
from complaints.tracking import InvalidTrackingNumber


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": exc.message, "state": exc.state, "allowed": exc.allowed}, status=exc.http_status)
    if isinstance(exc, RequirementsNotMet):
        return Response({"detail": exc.message, "unmet": exc.unmet}, status=exc.http_status)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.http_status)
    if isinstance(exc, UploadTooLarge):  # refused while the body was received
        return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, InvalidLabelCode | InvalidTrackingNumber):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(in_the_request_language(exc), context)
    if response is not None and isinstance(exc, ValidationError) and not _has_detail(response.data):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {
            "detail": _("Some input is not valid: %(fields)s.") % {"fields": ", ".join(sorted(fields))},
            "errors": fields,
        }
    return response


def _has_detail(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("detail"), str)


# What Django and DRF say in English whatever the language of the request (their messages are
# built with `%` before any translation): recognised by their fixed English words.
_NO_OBJECT = re.compile(r"No \w+ matches the given query\.")  # Django's get_object_or_404
_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")


def in_the_request_language(exc: Exception) -> Exception:
    """`exc`, or the same refusal saying its sentence in the language of the request."""
    if isinstance(exc, Http404) and _NO_OBJECT.fullmatch(str(exc)):
        # Whether it does not exist or is another enterprise's: never say which (DESIGN §6).
        return NotFound(_("There is nothing at this address."))
    if isinstance(exc, ParseError) and str(exc.detail).startswith("JSON parse error"):
        position = _JSON_POSITION.search(str(exc.detail))
        if position is None:
            return ParseError(_("The request body is not valid JSON."))
        return ParseError(
            _("The request body is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": position.group(1), "column": position.group(2)}
        )
    if isinstance(exc, ParseError) and str(exc.detail).startswith("Multipart form parse error"):
        return ParseError(_("The request body is not a valid multipart form."))
    if isinstance(exc, PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return PermissionDenied(_("The security token of the form (CSRF) is missing or wrong: reload the page."))
    if isinstance(exc, Throttled) and exc.wait is not None:
        wait = int(exc.wait)
        throttled = Throttled(
            detail=ngettext(
                "Too many requests: try again in %(wait)s second.",
                "Too many requests: try again in %(wait)s seconds.",
                wait,
            )
            % {"wait": wait}
        )
        throttled.wait = wait  # the Retry-After header
        return throttled
    return exc
