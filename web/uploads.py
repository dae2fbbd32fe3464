"""An upload over the limit, on any page: refused while it is received, answered with a sentence."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from certification.uploads import LimitedUploadHandler, UploadTooLarge


class UploadLimitMiddleware:
    """Reads a page's multipart body before CSRF does (CSRF reads it for its token), under the
    upload handlers: one over the limit stops there (certification.uploads.LimitedUploadHandler)
    and is answered 413 with the limit in words. Views exempt from CSRF (the API) read their
    body themselves and say the same in their own shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        if getattr(view_func, "csrf_exempt", False):
            return None
        size = getattr(view_func, "upload_limit", None)
        if size is not None:  # a smaller limit than MAX_UPLOAD_SIZE (certification.uploads.limit_uploads)
            request.upload_handlers = [
                LimitedUploadHandler(request, limit=size()) if isinstance(handler, LimitedUploadHandler) else handler
                for handler in request.upload_handlers
            ]
        try:
            request.POST  # noqa: B018 (parsed here, under the limit, rather than by CSRF)
        except UploadTooLarge as refusal:
            refused = getattr(view_func, "upload_refused", None)
            if refused is not None:
                return refused(request)  # type: ignore[no-any-return]
            return render(request, "web/upload_too_large.html", {"message": str(refusal)}, status=413)
        return None
