"""The published scheme versions (ISO/IEC 17065 4.6): anyone may read them."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.schemes import SchemeSerializer, SchemeSummarySerializer
from api.views.public import PublicView
from certification.publication import applies_until, published_schemes, scheme_publication


class SchemeListView(PublicView):
    @extend_schema(responses=SchemeSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        summaries = [
            {
                "name": scheme.name,
                "version": scheme.version,
                "status": scheme.status,
                "applies_from": scheme.activated_at,
                "applies_until": applies_until(scheme),
                "url": request.build_absolute_uri(reverse("web:scheme", args=[scheme.version])),
            }
            for scheme in published_schemes()
        ]
        return Response(SchemeSummarySerializer(summaries, many=True).data)


class SchemeDetailView(PublicView):
    @extend_schema(responses=SchemeSerializer)
    def get(self, request: Request, version: str) -> Response:
        scheme = get_object_or_404(published_schemes(), version=version)
        return Response(SchemeSerializer(scheme_publication(scheme)).data)
