"""The pages load only what the app itself serves (DESIGN §7: no CDN), and say so to the
browser: a strict Content-Security-Policy on every page of this app. No inline script or
style is needed anywhere, so none is allowed."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The admin and the API docs are Django's and drf-spectacular's pages, with their own needs.
        if match is not None and match.app_name == "web":
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
