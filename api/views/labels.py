"""Label lifecycle for certification officers (DESIGN §5, §6)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.public import PublicLabelSerializer
from api.steps import bodies, take_step
from api.views.public import get_label_or_404
from certification.lookup import public_representation
from certification.models import Label
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
