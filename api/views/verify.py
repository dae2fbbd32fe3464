from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.parsers import JSONParser
from api.serializers.public import VerdictSerializer, VerifyRequestSerializer
from api.views.public import PublicView
from certification.verification import (
    CANNOT_TELL,
    Verdict,
    too_large,
    verify_certificate_upload,
    verify_credential_text,
)


class VerifyView(PublicView):
    """POST a certificate PDF (multipart `file`) or a credential (`{"credential": "..."}`)."""

    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": VerifyRequestSerializer, "application/json": VerifyRequestSerializer},
        responses={200: VerdictSerializer, 400: VerdictSerializer, 413: VerdictSerializer},
    )
    def post(self, request: Request) -> Response:
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.VERIFY_UPLOAD_MAX_SIZE:
            return self._answer(too_large())  # refused unread: a certificate is far smaller
        upload = request.FILES.get("file")
        credential = request.data.get("credential") if isinstance(request.data, dict) else None
        if upload is not None:
            return self._answer(verify_certificate_upload(upload))
        if isinstance(credential, str):
            return self._answer(verify_credential_text(credential))
        return self._answer(
            Verdict(
                CANNOT_TELL,
                "nothing_sent",
                _('Send a certificate PDF as the multipart field "file", or a credential as {"credential": "..."}.'),
            )
        )

    def _answer(self, verdict: Verdict) -> Response:
        if verdict.reason == "too_large":
            code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        elif verdict.outcome == CANNOT_TELL:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_200_OK
        data: dict[str, Any] = verdict.as_dict()
        return Response(data, status=code)
