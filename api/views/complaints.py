"""Complaints (DESIGN §10): filed and followed by anyone, handled by certification officers."""

from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import JSONParser
from api.permissions import IsOfficer
from api.serializers.complaints import (
    ComplaintFilingSerializer,
    OfficerComplaintSerializer,
    PublicComplaintSerializer,
)
from api.steps import bodies, take_step
from api.throttling import ComplaintRateThrottle, PublicRateThrottle
from api.views.public import PublicView
from audits.surveillance_selectors import surveillance_answering
from certification.policies import acting_user, allowed_transitions
from certification.transitions import steps
from certification.uploads import download
from complaints.models import Complaint
from complaints.selectors import complaint_history, complaints_visible_to, find_complaint, public_complaint
from complaints.services.filing import ComplaintInput, file_complaint
from complaints.tracking import parse_tracking_number


def get_complaint_or_404(number: str) -> Complaint:
    complaint = find_complaint(parse_tracking_number(number))
    if complaint is None:
        raise Http404(_("No complaint with this tracking number."))
    return complaint


class ComplaintFilingView(PublicView):
    """File a complaint about a label or an enterprise, without an account."""

    throttle_classes = [PublicRateThrottle, ComplaintRateThrottle]
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="complaint_file",
        request={"application/json": ComplaintFilingSerializer, "multipart/form-data": ComplaintFilingSerializer},
        responses={201: PublicComplaintSerializer},
    )
    def post(self, request: Request) -> Response:
        body = ComplaintFilingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        complaint = file_complaint(
            data=ComplaintInput(
                label=data.get("label", ""),
                enterprise_number=data.get("enterprise_number", ""),
                category=data.get("category", ""),
                description=data.get("description", ""),
                email=data.get("email", ""),
                language=(get_language() or "")[:2],
                files=data.get("files", []),
                website=data.get("website", ""),
            )
        )
        return Response(public_complaint(complaint), status=201)


class ComplaintStatusView(PublicView):
    """The stage of a complaint and its dates, by its tracking number."""

    @extend_schema(operation_id="complaint_status", responses=PublicComplaintSerializer)
    def get(self, request: Request, number: str) -> Response:
        return Response(public_complaint(get_complaint_or_404(number)))


def officer_view_of(complaint: Complaint, request: Request) -> dict[str, Any]:
    return {
        **public_complaint(complaint),
        "description": complaint.description,
        "email": complaint.email,
        "language": complaint.language,
        "handled_by": complaint.handled_by.get_username() if complaint.handled_by else None,
        "files": complaint.files.all(),
        "history": complaint_history(complaint).select_related("actor"),
        "extra_surveillance": _ordered_surveillance(complaint),
        "transitions": allowed_transitions(complaint, user=acting_user(request)),
    }


def _ordered_surveillance(complaint: Complaint) -> dict[str, Any] | None:
    order = complaint.extra_surveillance
    if order is None:
        return None
    answering = surveillance_answering(order_id=order.pk)
    return {
        "ordered_at": order.created_at,
        "due_on": order.data["due"],
        "surveillance": answering.pk if answering else None,
    }


class OfficerComplaintListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Every complaint, newest first, for certification officers; `state` filters."""

    permission_classes = [IsOfficer]
    serializer_class = OfficerComplaintSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return complaints_visible_to(user=acting_user(self.request)).prefetch_related("files")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = OfficerComplaintSerializer([officer_view_of(c, request) for c in page or []], many=True).data
        return self.get_paginated_response(data)


class OfficerComplaintView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(responses=OfficerComplaintSerializer)
    def get(self, request: Request, number: str) -> Response:
        complaint = get_object_or_404(
            complaints_visible_to(user=acting_user(request)), pk=get_complaint_or_404(number).pk
        )
        return Response(OfficerComplaintSerializer(officer_view_of(complaint, request)).data)


class ComplaintFileView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")}
    )
    def get(self, request: Request, number: str, file_id: int) -> FileResponse:
        complaint = get_object_or_404(
            complaints_visible_to(user=acting_user(request)), pk=get_complaint_or_404(number).pk
        )
        return download(get_object_or_404(complaint.files, pk=file_id))


class ComplaintTransitionView(APIView):
    """A step of the complaint's handling, by a certification officer with no part in what it is about."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=OfficerComplaintSerializer,
        description="Names and bodies: " + bodies(Complaint),
    )
    def post(self, request: Request, number: str, name: str) -> Response:
        if name not in steps(Complaint):
            raise Http404(_("There is no step %(name)s for a complaint.") % {"name": name})
        complaint = get_complaint_or_404(number)
        take_step(request, complaint, name)
        return Response(
            OfficerComplaintSerializer(officer_view_of(Complaint.objects.get(pk=complaint.pk), request)).data
        )
