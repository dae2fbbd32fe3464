"""Audits, their checklist, assessments and findings (DESIGN §6)."""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsAnyRole, IsApplicant, IsAuditorOrOfficer, roles_allowed
from api.serializers.audits import (
    AssessmentSerializer,
    AssessmentWriteSerializer,
    AuditDetailSerializer,
    AuditSerializer,
    FindingAnswerSerializer,
    FindingCloseSerializer,
    FindingCreateSerializer,
    FindingSerializer,
)
from audits.models import Audit, Finding
from audits.selectors import audits_visible_to, checklist, findings_visible_to
from audits.services.assessments import add_finding, close_finding, record_assessment
from audits.services.audits import answer_finding
from audits.services.share import StepRecord
from certification.models import Role
from certification.policies import acting_user
from certification.selectors import applications_visible_to

IsAuditor = roles_allowed(Role.AUDITOR)


class AuditViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    """An auditor sees his or her own audits; officers see all."""

    permission_classes = [IsAuditorOrOfficer]
    serializer_class = AuditSerializer
    filterset_fields = ["application", "application__state", "scheduled_for"]
    ordering_fields = ["scheduled_for", "reported_at"]
    ordering = ["scheduled_for", "pk"]

    def get_queryset(self) -> QuerySet[Audit]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI description, asked by nobody
            return Audit.objects.none()
        return audits_visible_to(user=acting_user(self.request))

    @extend_schema(responses=AuditDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        audit = self.get_object()
        findings = Finding.objects.select_related("criterion").prefetch_related("evidence__uploaded_by")
        prefetch_related_objects([audit], Prefetch("findings", queryset=findings))
        detail = AuditDetailSerializer(audit, context={"checklist": checklist(audit=audit)})
        return Response(detail.data)


def _audit(request: Request, audit_id: int) -> Audit:
    return get_object_or_404(audits_visible_to(user=acting_user(request)), pk=audit_id)


class AssessmentView(APIView):
    """PUT the assessment of one criterion: the same body twice changes nothing."""

    permission_classes: list[type[BasePermission]] = [IsAuditor]

    @extend_schema(request=AssessmentWriteSerializer, responses=AssessmentSerializer)
    def put(self, request: Request, audit_id: int, criterion_code: str) -> Response:
        audit = _audit(request, audit_id)
        body = AssessmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment = record_assessment(
            audit=audit,
            criterion_code=criterion_code,
            by=acting_user(request),
            result=data.get("result"),
            value=data.get("value"),
            comment=data["comment"],
            steps=[StepRecord(**step) for step in data.get("steps", [])],
        )
        return Response(AssessmentSerializer(assessment).data)


class FindingCreateView(APIView):
    permission_classes: list[type[BasePermission]] = [IsAuditor]

    @extend_schema(request=FindingCreateSerializer, responses={201: FindingSerializer})
    def post(self, request: Request, audit_id: int) -> Response:
        audit = _audit(request, audit_id)
        body = FindingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        finding = add_finding(
            audit=audit,
            by=acting_user(request),
            severity=data["severity"],
            description=data["description"],
            criterion_code=data.get("criterion") or None,
        )
        return Response(FindingSerializer(finding).data, status=201)


def _finding(request: Request, finding_id: int) -> Finding:
    return get_object_or_404(findings_visible_to(user=acting_user(request)), pk=finding_id)


class FindingCloseView(APIView):
    permission_classes: list[type[BasePermission]] = [IsAuditor]

    @extend_schema(request=FindingCloseSerializer, responses=FindingSerializer)
    def post(self, request: Request, finding_id: int) -> Response:
        body = FindingCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = close_finding(finding=_finding(request, finding_id), by=acting_user(request), **body.validated_data)
        return Response(FindingSerializer(finding).data)


class FindingAnswerView(APIView):
    permission_classes: list[type[BasePermission]] = [IsApplicant]

    @extend_schema(request=FindingAnswerSerializer, responses=FindingSerializer)
    def post(self, request: Request, finding_id: int) -> Response:
        body = FindingAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = answer_finding(finding=_finding(request, finding_id), by=acting_user(request), **body.validated_data)
        return Response(FindingSerializer(finding).data)


class FindingListView(APIView):
    """The findings of an application you may see."""

    permission_classes: list[type[BasePermission]] = [IsAnyRole]

    @extend_schema(responses=FindingSerializer(many=True))
    def get(self, request: Request, application_id: int) -> Response:
        application = get_object_or_404(applications_visible_to(user=acting_user(request)), pk=application_id)
        findings = Finding.objects.filter(audit__application=application).select_related("criterion")
        return Response(FindingSerializer(findings.order_by("created_at", "pk"), many=True).data)
