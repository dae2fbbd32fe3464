"""Appeals (DESIGN §10): lodged by an applicant of the enterprise, decided by an officer who took
no part in the decision appealed."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import JSONParser
from api.permissions import IsApplicant, IsApplicantOrOfficer
from api.serializers.appeals import AppealLodgingSerializer, AppealSerializer
from api.steps import bodies, take_step
from certification.policies import acting_user
from certification.selectors import applications_visible_to
from certification.transitions import steps
from complaints.appeal_selectors import appeals_visible_to
from complaints.models import Appeal
from complaints.services.appeals import lodge_appeal


class AppealViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    """Appeals: applicants see their enterprises', officers all."""

    permission_classes = [IsApplicantOrOfficer]
    serializer_class = AppealSerializer
    parser_classes = [JSONParser, MultiPartParser]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Appeal]:
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        return appeals_visible_to(user=acting_user(self.request)).prefetch_related("files")

    def get_permissions(self) -> list[Any]:
        if self.action == "create":
            return [IsApplicant()]
        return super().get_permissions()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": acting_user(self.request)}

    @extend_schema(
        request={"application/json": AppealLodgingSerializer, "multipart/form-data": AppealLodgingSerializer},
        responses={201: AppealSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = AppealLodgingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = acting_user(request)
        application = get_object_or_404(applications_visible_to(user=user), pk=data["application"])
        appeal = lodge_appeal(
            by=user,
            application=application,
            arguments=data.get("arguments", ""),
            reopen_at=data.get("reopen_at", ""),
            files=data.get("files", []),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=appeal.pk)).data, status=201)


class AppealTransitionView(APIView):
    """A decision on an appeal, by a certification officer who took no part in the decision appealed."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT, responses=AppealSerializer, description="Names and bodies: " + bodies(Appeal)
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in steps(Appeal):
            raise Http404(_("There is no step %(name)s for an appeal.") % {"name": name})
        user = acting_user(request)
        visible = appeals_visible_to(user=user)
        take_step(request, get_object_or_404(visible, pk=pk), name)
        return Response(AppealSerializer(visible.get(pk=pk), context={"user": user}).data)
