"""Evidence of audits (issue 12): listed and attached per assessment, surveillance assessment or
finding; downloaded and removed by its own address. Scoped as documents are: what is not yours
is not there (404)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsAnyRole
from api.serializers.evidence import EvidenceSerializer, EvidenceUploadSerializer
from audits.evidence_selectors import evidence_visible_to
from audits.models import Assessment, Finding, SurveillanceAssessment
from audits.selectors import findings_visible_to
from audits.services.evidence import EvidenceTarget, attach_evidence, remove_evidence
from audits.surveillance_selectors import surveillances_visible_to
from certification.policies import acting_user
from certification.selectors import applications_visible_to
from certification.uploads import download


class EvidenceListView(APIView):
    """GET the files attached to it; POST one more (multipart `file`)."""

    permission_classes: list[type[BasePermission]] = [IsAnyRole]
    parser_classes = [MultiPartParser]

    def target(self, request: Request, **kwargs: str) -> EvidenceTarget:
        raise NotImplementedError

    @extend_schema(responses=EvidenceSerializer(many=True))
    def get(self, request: Request, **kwargs: str) -> Response:
        target = self.target(request, **kwargs)
        return Response(EvidenceSerializer(target.evidence.select_related("uploaded_by"), many=True).data)

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer})
    def post(self, request: Request, **kwargs: str) -> Response:
        target = self.target(request, **kwargs)
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evidence = attach_evidence(target=target, file=body.validated_data["file"], by=acting_user(request))
        return Response(EvidenceSerializer(evidence).data, status=201)


class AssessmentEvidenceView(EvidenceListView):
    """The evidence of one criterion's assessment in an audit (recorded first, then evidenced)."""

    def target(self, request: Request, **kwargs: str) -> EvidenceTarget:
        applications = applications_visible_to(user=acting_user(request)).values("pk")
        assessments = Assessment.objects.filter(audit__application__in=applications).select_related("criterion")
        return get_object_or_404(assessments, audit_id=kwargs["audit_id"], criterion__code=kwargs["criterion_code"])


class SurveillanceAssessmentEvidenceView(EvidenceListView):
    """The evidence of one criterion's assessment in a surveillance audit."""

    def target(self, request: Request, **kwargs: str) -> EvidenceTarget:
        surveillances = surveillances_visible_to(user=acting_user(request)).values("pk")
        assessments = SurveillanceAssessment.objects.filter(surveillance__in=surveillances)
        return get_object_or_404(
            assessments.select_related("criterion"),
            surveillance_id=kwargs["pk"],
            criterion__code=kwargs["criterion_code"],
        )


class FindingEvidenceView(EvidenceListView):
    """The evidence of a finding: the auditor's, and the enterprise's with its answer."""

    def target(self, request: Request, **kwargs: str) -> Finding:
        return get_object_or_404(findings_visible_to(user=acting_user(request)), pk=kwargs["finding_id"])


class EvidenceView(APIView):
    """GET the file itself; DELETE it (whoever attached it, while the audit is open)."""

    permission_classes: list[type[BasePermission]] = [IsAnyRole]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")}
    )
    def get(self, request: Request, evidence_id: int) -> FileResponse:
        return download(get_object_or_404(evidence_visible_to(user=acting_user(request)), pk=evidence_id))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, evidence_id: int) -> Response:
        evidence = get_object_or_404(evidence_visible_to(user=acting_user(request)), pk=evidence_id)
        remove_evidence(evidence=evidence, by=acting_user(request))
        return Response(status=204)
