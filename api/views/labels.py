"""Label lifecycle for certification officers (DESIGN §5, §6)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.public import PublicLabelSerializer
from api.views.public import get_label_or_404
from certification.lookup import public_representation
from certification.models import StatusReason
from certification.services.labels import LABEL_ACTIONS, change_label_status


class LabelTransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="", help_text="The officer's reason, for the record.")
    category = serializers.ChoiceField(
        choices=StatusReason.choices, default=StatusReason.OTHER, help_text="The reason the public is shown."
    )


class LabelTransitionView(APIView):
    @extend_schema(request=LabelTransitionSerializer, responses=PublicLabelSerializer)
    def post(self, request: Request, code: str, name: str) -> Response:
        if name not in LABEL_ACTIONS:
            raise Http404(
                _("Labels can be suspended, reinstated or revoked; %(name)s is none of these.") % {"name": name}
            )
        label = get_label_or_404(code)
        body = LabelTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        label = change_label_status(label=label, name=name, by=request.user, **body.validated_data)
        return Response(public_representation(label))
