"""One place where refusals become HTTP answers; every JSON error carries a sentence in `detail`."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from certification.exceptions import (
    ActionForbidden,
    DomainError,
    InvalidLabelCode,
    RequirementsNotMet,
    TransitionNotAllowed,
)
from certification.uploads import UploadTooLarge


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionNotAllowed):
        return Response(
            {"detail": exc.message, "state": exc.state, "allowed": exc.allowed}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, RequirementsNotMet):
        return Response({"detail": exc.message, "unmet": exc.unmet}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ActionForbidden):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UploadTooLarge):  # refused while the body was received
        return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, InvalidLabelCode):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError) and not _has_detail(response.data):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {
            "detail": _("Some input is not valid: %(fields)s.") % {"fields": ", ".join(sorted(fields))},
            "errors": fields,
        }
    return response


def _has_detail(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("detail"), str)
