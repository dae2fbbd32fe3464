"""Error answers: JSON with a sentence in `detail` under /api/, the site's pages elsewhere."""

import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from config.unavailable import DATABASE_DOWN, database_unavailable


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if isinstance(sys.exception(), DATABASE_DOWN):  # e.g. saving the session after the view
        return database_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": _("Something went wrong on our side; it has been logged.")}, status=500)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]
