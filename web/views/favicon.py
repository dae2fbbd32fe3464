"""The label's mark as the site's icon: browsers ask for /favicon.ico on a first visit.

web/static/web/favicon.ico is the mark of the page header (templates/web/base.html: three
rising bars, one per level) in white on the header's green, at 16, 32 and 48 pixels.
"""

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = Path(__file__).resolve().parent.parent / "static" / "web" / "favicon.ico"


@cache
def favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(favicon_bytes(), content_type="image/x-icon")
