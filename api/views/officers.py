"""What certification officers need to work the queue (DESIGN §7)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsOfficer
from api.serializers.accounts import AuditorSerializer
from api.serializers.errors import ErrorSerializer
from certification.models import Application, ApplicationState, Role, User
from certification.policies import eligible_auditors
from certification.selectors import applications_per_state


class QueueView(APIView):
    """How many applications wait in each state; list them with /applications/?state=..."""

    permission_classes = [IsOfficer]

    @extend_schema(
        responses=inline_serializer("Queue", {state.value: serializers.IntegerField() for state in ApplicationState})
    )
    def get(self, request: Request) -> Response:
        return Response(applications_per_state())


class AuditorsView(APIView):
    """The auditors an officer may assign: with `application`, only those without a conflict of interest."""

    permission_classes = [IsOfficer]

    @extend_schema(
        parameters=[OpenApiParameter("application", int, description="Application id.")],
        responses={200: AuditorSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        application_id = request.query_params.get("application")
        if not application_id:
            auditors = User.objects.filter(groups__name=Role.AUDITOR, is_active=True).order_by("username").distinct()
            return Response(AuditorSerializer(auditors, many=True).data)
        if not application_id.isdigit():
            raise serializers.ValidationError({"application": [_("An application id is a whole number.")]})
        application = get_object_or_404(Application, pk=application_id)
        return Response(AuditorSerializer(eligible_auditors(application=application), many=True).data)
