"""What anyone may ask without an account: look a label up, search the registry, fetch a
certificate or credential, verify one, get the public keys (DESIGN §6)."""

from typing import Any

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.renderers import JSONOnly
from api.serializers.public import KeySetSerializer, PublicLabelSerializer
from api.throttling import PublicRateThrottle
from certification.certificate.languages import CERTIFICATE_LANGUAGES, DEFAULT_LANGUAGE, certificate_language
from certification.codes import parse_label_code
from certification.lookup import labels_for_lookup, look_up, public_representation
from certification.models import Label
from certification.public_certificate import public_certificate_etag, stamp_for, stamped_certificate
from certification.services.certificates import CertificateFile, certificate_in
from certification.signing import key_set


class PublicView(APIView):
    """No account, no session lookup: limited per client address."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    def perform_authentication(self, request: Request) -> None:
        """Nobody to authenticate: request.user stays lazy (anonymous if ever asked)."""


def never_issued() -> Http404:
    return Http404(_("No label with this code: it was never issued. Beware of a false claim."))


def get_label_or_404(code: str) -> Label:
    label = Label.objects.defer("credential").filter(code=parse_label_code(code)).first()
    if label is None:
        raise never_issued()
    return label


LOOKUP_CACHE_CONTROL = "public, no-cache"  # revalidate every time (a 304 is cheap): a suspension shows at once


class LabelLookupView(PublicView):
    """What a QR code's app or a procurer's system asks most: the label with this code."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly

    @extend_schema(operation_id="label_lookup", responses=PublicLabelSerializer)
    def get(self, request: Request, code: str) -> HttpResponseBase:
        found = look_up(parse_label_code(code))
        if found is None:
            raise never_issued()
        response = HttpResponse(found.body, content_type="application/json")
        response["Cache-Control"] = LOOKUP_CACHE_CONTROL
        response["ETag"] = found.etag
        return get_conditional_response(request, etag=found.etag, response=response) or response


LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=list(CERTIFICATE_LANGUAGES),
    description="The language of the certificate, every word of it: nl (the default), fr or en. Another: 400.",
)


def asked_certificate(request: Request, label: Label) -> CertificateFile:
    """The label's certificate in the language the request asks (`?lang=`), Dutch by default."""
    language = certificate_language(request.query_params.get("lang"))
    if not label.certificate:
        raise Http404(_("This label has no certificate yet."))
    return certificate_in(label=label, language=language)


class CertificateView(PublicView):
    @extend_schema(
        parameters=[LANGUAGE_PARAMETER],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")},
        description=(
            "The label's certificate, in Dutch, French or English (`lang`). While the label is valid, the PDF "
            "as issued; once it is not, that PDF with every page stamped with the status, the day it holds from "
            "and the reason, in the three languages, the certificate's own first. The enterprise downloads the "
            "certificate as issued from `/api/v1/labels/{code}/certificate/as-issued.pdf`."
        ),
    )
    def get(self, request: Request, code: str) -> HttpResponseBase:
        label = get_label_or_404(code)
        certificate = asked_certificate(request, label)
        stamp = stamp_for(public_representation(label), certificate.language)
        etag = public_certificate_etag(certificate, stamp)
        response: HttpResponseBase | None = get_conditional_response(request, etag=etag)
        name = f"certificate-{label.code}" + (
            "" if certificate.language == DEFAULT_LANGUAGE else f"-{certificate.language}"
        )
        if response is None and stamp is None:
            response = FileResponse(certificate.file.open("rb"), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        elif response is None:
            assert stamp is not None
            response = HttpResponse(stamped_certificate(certificate, stamp), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}-{label.public_status()}.pdf"'
        response["ETag"] = etag
        response["Content-Language"] = certificate.language
        # Revalidated every time (a 304 is cheap): a suspension stamps the certificate at once.
        response["Cache-Control"] = LOOKUP_CACHE_CONTROL
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
