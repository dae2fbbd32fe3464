"""Label lifecycle for certification officers (DESIGN §5, §6); the certificate as issued for the
enterprise that holds the label."""

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsApplicant, IsApplicantOrOfficer
from api.serializers.applications import ApplicationSerializer, RenewalSerializer
from api.serializers.public import PublicLabelSerializer
from api.steps import bodies, take_step
from api.views.public import LANGUAGE_PARAMETER, asked_certificate, get_label_or_404
from certification.certificate.languages import DEFAULT_LANGUAGE
from certification.codes import parse_label_code
from certification.lookup import public_representation
from certification.models import Label
from certification.policies import acting_user
from certification.selectors import labels_held_by
from certification.services.renewals import renewal_opens_on, renewal_refusal, renewal_under_way, start_renewal
from certification.transitions import steps


class LabelTransitionView(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=PublicLabelSerializer,
        description="Names and bodies: " + bodies(Label) + ". `category` is the reason the public is shown.",
    )
    def post(self, request: Request, code: str, name: str) -> Response:
        if name not in steps(Label):
            raise Http404(
                _("Labels can be suspended, reinstated or revoked; %(name)s is none of these.") % {"name": name}
            )
        label = take_step(request, get_label_or_404(code), name)
        assert isinstance(label, Label)
        return Response(public_representation(label))


def held_label_or_404(request: Request, code: str) -> Label:
    """A label of the asking applicant's enterprise (any label, for an officer); else a 404."""
    label = labels_held_by(user=acting_user(request)).filter(code=parse_label_code(code)).first()
    if label is None:
        raise Http404(_("You hold no label with this code."))
    return label


class CertificateAsIssuedView(APIView):
    """The certificate exactly as issued, whatever the label's status now: the enterprise's copy,
    which keeps verifying as ours by upload (the answer tells the label's status today)."""

    permission_classes = [IsApplicantOrOfficer]

    @extend_schema(
        parameters=[LANGUAGE_PARAMETER],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF as issued.")},
    )
    def get(self, request: Request, code: str) -> FileResponse:
        label = held_label_or_404(request, code)
        certificate = asked_certificate(request, label)
        response = FileResponse(certificate.file.open("rb"), content_type="application/pdf")
        suffix = "" if certificate.language == DEFAULT_LANGUAGE else f"-{certificate.language}"
        response["Content-Disposition"] = f'attachment; filename="certificate-{label.code}-as-issued{suffix}.pdf"'
        response["Content-Language"] = certificate.language
        response["Cache-Control"] = "private, no-cache"
        return response


class RenewalView(APIView):
    """The renewal of a label of the applicant's enterprise (DESIGN §9): whether it can start
    now, and starting it: a draft application linked to the label, prefilled from it, that goes
    through the same workflow; approving it supersedes the label."""

    def get_permissions(self) -> list[Any]:
        return [IsApplicant() if self.request.method == "POST" else IsApplicantOrOfficer()]

    @extend_schema(responses=RenewalSerializer)
    def get(self, request: Request, code: str) -> Response:
        label = held_label_or_404(request, code)
        refusal, under_way = renewal_refusal(label), renewal_under_way(label)
        return Response(
            {
                "opens_on": renewal_opens_on(label),
                "renewable": refusal is None,
                "detail": refusal,
                "application": under_way.pk if under_way else None,
            }
        )

    @extend_schema(request=None, responses={201: ApplicationSerializer})
    def post(self, request: Request, code: str) -> Response:
        application = start_renewal(label=held_label_or_404(request, code), by=acting_user(request))
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)
