"""What anyone may ask without an account: look a label up, search the registry, fetch a
certificate or credential, verify one, get the public keys (DESIGN §6)."""

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.renderers import JSONOnly
from api.serializers.public import KeySetSerializer, PublicLabelSerializer
from api.throttling import PublicRateThrottle
from certification.codes import is_canonical_label_code, parse_label_code
from certification.lookup import Answer, labels_for_lookup, lookup_answer
from certification.models import Label
from certification.signing import key_set


class PublicView(APIView):
    """No account, no session lookup: limited per client address."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    def perform_authentication(self, request: Request) -> None:
        """Nobody to authenticate: request.user stays lazy (anonymous if ever asked)."""


def answer_with_etag(request: HttpRequest, answer: Answer, *, cache_control: str) -> HttpResponse:
    if answer.etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(answer.body, content_type="application/json")
    response["ETag"] = answer.etag
    response["Cache-Control"] = cache_control
    return response


def never_issued() -> Http404:
    return Http404(_("No label with this code: it was never issued. Beware of a false claim."))


def get_label_or_404(code: str) -> Label:
    label = Label.objects.defer("credential").filter(code=parse_label_code(code)).first()
    if label is None:
        raise never_issued()
    return label


LOOKUP_CACHE_CONTROL = "public, no-cache"  # revalidate every time (a 304 is cheap): a suspension shows at once


class LabelLookupView(PublicView):
    """What a QR code's app or a procurer's system asks most: the label with this code.

    The common answer (a well-formed code of an issued label, within the rate limit) is given
    without going through DRF's request machinery, a sixth of the cost of a lookup; everything
    else (a malformed or unknown code, a client over its limit, another method) goes through
    DRF as any view does, so that errors are the API's everywhere."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        through_drf = super().as_view(**initkwargs)

        def view(request: HttpRequest, code: str) -> HttpResponseBase:
            if request.method == "GET" and is_canonical_label_code(code):
                if not PublicRateThrottle().allow_request(request, None):  # type: ignore[arg-type]
                    return through_drf(request, code=code)  # over the limit: DRF's 429
                request.rate_counted = True  # type: ignore[attr-defined]
                answer = lookup_answer(code)
                if answer is not None:
                    response = answer_with_etag(request, answer, cache_control=LOOKUP_CACHE_CONTROL)
                    response["Allow"] = "GET, HEAD, OPTIONS"
                    return response
            return through_drf(request, code=code)

        view.cls, view.initkwargs, view.login_required = cls, initkwargs, False  # type: ignore[attr-defined]
        return csrf_exempt(view)

    @extend_schema(operation_id="label_lookup", responses=PublicLabelSerializer)
    def get(self, request: Request, code: str) -> HttpResponseBase:
        answer = lookup_answer(parse_label_code(code))
        if answer is None:
            raise never_issued()
        return answer_with_etag(request, answer, cache_control=LOOKUP_CACHE_CONTROL)


class CertificateView(PublicView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")})
    def get(self, request: Request, code: str) -> HttpResponseBase:
        label = get_label_or_404(code)
        if not label.certificate:
            raise Http404(_("This label has no certificate yet."))
        response = FileResponse(label.certificate.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{label.code}.pdf"'
        response["ETag"] = f'"{label.certificate_sha256}"'
        patch_cache_control(response, public=True, max_age=300)
        return response


class CredentialView(PublicView):
    @extend_schema(responses={(200, "application/jwt"): OpenApiResponse(OpenApiTypes.STR, description="Compact JWS.")})
    def get(self, request: Request, code: str) -> HttpResponseBase:
        label = labels_for_lookup().defer(None).filter(code=parse_label_code(code)).first()
        if label is None or not label.credential:
            raise never_issued()
        response = HttpResponse(label.credential, content_type="application/jwt")
        patch_cache_control(response, public=True, max_age=300)
        return response


class KeySetView(PublicView):
    @extend_schema(responses=KeySetSerializer)
    def get(self, request: Request) -> HttpResponseBase:
        response = Response(key_set())
        response["Cache-Control"] = "public, max-age=300"
        return response
