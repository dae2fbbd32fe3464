"""Surveillance of labels (DESIGN §9): officers see what is due and schedule; the auditor
records; an officer who did not audit decides (the steps through certification.transitions)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsAnyRole, IsOfficer, roles_allowed
from api.serializers.audits import AssessmentWriteSerializer
from api.serializers.surveillance import (
    DueLabelSerializer,
    ScheduleSurveillanceSerializer,
    SurveillanceAssessmentSerializer,
    SurveillanceDetailSerializer,
    SurveillanceSerializer,
)
from api.steps import bodies, take_step
from api.views.public import get_label_or_404
from audits.services.share import StepRecord
from audits.services.surveillance import record_surveillance_assessment, schedule_surveillance
from audits.surveillance import Surveillance
from audits.surveillance_selectors import (
    extra_surveillance_orders_of,
    labels_due_for_surveillance,
    surveillance_checklist,
    surveillances_visible_to,
)
from certification.models import Role, User
from certification.policies import acting_user, allowed_transitions
from certification.transitions import steps

IsAuditor = roles_allowed(Role.AUDITOR)


class DueView(APIView):
    """Labels whose surveillance is due soon or overdue, the most overdue first."""

    permission_classes: list[type[BasePermission]] = [IsOfficer]

    @extend_schema(responses=DueLabelSerializer(many=True))
    def get(self, request: Request) -> Response:
        labels = labels_due_for_surveillance()
        context = {"today": timezone.localdate()}
        return Response(DueLabelSerializer(labels, many=True, context=context).data)


class ScheduleView(APIView):
    permission_classes: list[type[BasePermission]] = [IsOfficer]

    @extend_schema(request=ScheduleSurveillanceSerializer, responses={201: SurveillanceSerializer})
    def post(self, request: Request, code: str) -> Response:
        body = ScheduleSurveillanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        auditor = User.objects.filter(username=body.validated_data["auditor"]).first()
        if auditor is None:
            raise serializers.ValidationError(
                {"auditor": [_("There is no user %(name)s.") % {"name": body.validated_data["auditor"]}]}
            )
        surveillance = schedule_surveillance(
            label=get_label_or_404(code),
            by=acting_user(request),
            auditor=auditor,
            scheduled_for=body.validated_data["scheduled_for"],
        )
        return Response(SurveillanceSerializer(surveillance).data, status=201)


class SurveillanceViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    """Officers see every surveillance audit, auditors their own, applicants their enterprises'."""

    permission_classes = [IsAnyRole]
    serializer_class = SurveillanceSerializer
    filterset_fields = ["state", "label__code"]
    ordering = ["scheduled_for", "pk"]

    def get_queryset(self) -> QuerySet[Surveillance]:
        if getattr(self, "swagger_fake_view", False):
            return Surveillance.objects.none()
        return surveillances_visible_to(user=acting_user(self.request))

    @extend_schema(responses=SurveillanceDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        surveillance = self.get_object()
        user = acting_user(request)
        context = {
            "checklist": surveillance_checklist(surveillance=surveillance),
            "ordered_by": extra_surveillance_orders_of(surveillance=surveillance, user=user),
        }
        data = SurveillanceDetailSerializer(surveillance, context=context).data
        return Response({**data, "transitions": allowed_transitions(surveillance, user=user)})


def _surveillance(request: Request, pk: int) -> Surveillance:
    return get_object_or_404(surveillances_visible_to(user=acting_user(request)), pk=pk)


class SurveillanceAssessmentView(APIView):
    permission_classes: list[type[BasePermission]] = [IsAuditor]

    @extend_schema(request=AssessmentWriteSerializer, responses=SurveillanceAssessmentSerializer)
    def put(self, request: Request, pk: int, criterion_code: str) -> Response:
        surveillance = _surveillance(request, pk)
        body = AssessmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment = record_surveillance_assessment(
            surveillance=surveillance,
            criterion_code=criterion_code,
            by=acting_user(request),
            result=data.get("result"),
            value=data.get("value"),
            comment=data["comment"],
            steps=[StepRecord(**step) for step in data.get("steps", [])],
        )
        return Response(SurveillanceAssessmentSerializer(assessment).data)


class SurveillanceTransitionView(APIView):
    permission_classes: list[type[BasePermission]] = [IsAnyRole]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=SurveillanceSerializer,
        description="Names and bodies: " + bodies(Surveillance) + ".",
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in steps(Surveillance):
            raise Http404(_("A surveillance audit has no step %(name)s.") % {"name": name})
        surveillance = take_step(request, _surveillance(request, pk), name)
        assert isinstance(surveillance, Surveillance)
        return Response(SurveillanceSerializer(surveillances_visible_to(user=acting_user(request)).get(
            pk=surveillance.pk
        )).data)  # fmt: skip
