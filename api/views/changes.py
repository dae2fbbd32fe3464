"""Changes affecting certification (DESIGN §9): the enterprise notifies, an officer decides."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsApplicant, IsApplicantOrOfficer
from api.serializers.changes import ChangeSerializer, NotifyChangeSerializer
from api.steps import bodies, take_step
from api.views.public import get_label_or_404
from certification.models import Change
from certification.policies import acting_user
from certification.selectors import changes_visible_to
from certification.services.changes import notify_change
from certification.transitions import steps


class NotifyChangeView(APIView):
    permission_classes: list[type[BasePermission]] = [IsApplicant]

    @extend_schema(request=NotifyChangeSerializer, responses={201: ChangeSerializer})
    def post(self, request: Request, code: str) -> Response:
        body = NotifyChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = notify_change(label=get_label_or_404(code), by=acting_user(request), **body.validated_data)
        return Response(ChangeSerializer(change).data, status=201)


class ChangeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    permission_classes = [IsApplicantOrOfficer]
    serializer_class = ChangeSerializer
    filterset_fields = ["state", "label__code"]

    def get_queryset(self) -> QuerySet[Change]:
        if getattr(self, "swagger_fake_view", False):
            return Change.objects.none()
        return changes_visible_to(user=acting_user(self.request))


class ChangeTransitionView(APIView):
    permission_classes: list[type[BasePermission]] = [IsApplicantOrOfficer]

    @extend_schema(
        request=OpenApiTypes.OBJECT, responses=ChangeSerializer, description="Names and bodies: " + bodies(Change)
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in steps(Change):
            raise Http404(_("A change has no step %(name)s.") % {"name": name})
        change = get_object_or_404(changes_visible_to(user=acting_user(request)), pk=pk)
        take_step(request, change, name)
        return Response(ChangeSerializer(Change.objects.get(pk=change.pk)).data)
