"""The public registry (DESIGN §6): search and filter the labels, page through them, export them."""

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase, StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from api.renderers import CSVRenderer
from api.serializers.public import PublicLabelSerializer
from api.throttling import PublicRateThrottle
from certification.lookup import labels_for_lookup, public_representation
from certification.models import Label
from certification.registry import RegistryFilter

CSV_COLUMNS = [
    "code", "status", "level", "social_share_percent", "product_name", "product_kind", "category",
    "enterprise_name", "enterprise_number", "recognition_type", "scheme", "issued_on", "valid_until", "verify_url",
]  # fmt: skip


class RegistryView(generics.ListAPIView):
    """The public registry: valid labels unless `status` says otherwise; `?format=csv` exports all."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    renderer_classes = [*generics.ListAPIView.renderer_classes, CSVRenderer]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = RegistryFilter
    serializer_class = PublicLabelSerializer
    ordering_fields = ["issued_on", "valid_until", "level", "social_share", "code", "product__name"]
    ordering = ["-issued_on", "code"]

    def get_queryset(self) -> QuerySet[Label]:
        return labels_for_lookup()

    @extend_schema(operation_id="label_registry")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        labels = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            return self.csv_export(labels)
        page = self.paginate_queryset(labels)
        return self.get_paginated_response([public_representation(label) for label in page or []])

    def csv_export(self, labels: QuerySet[Label]) -> StreamingHttpResponse:
        response = StreamingHttpResponse(_csv_rows(labels), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="se-label-registry.csv"'
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(labels: QuerySet[Label]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for label in labels.iterator(chunk_size=2000):
        data = public_representation(label)
        yield writer.writerow(
            [
                data["code"],
                data["status"],
                data["level"],
                data["social_share_percent"],
                data["product"]["name"],
                data["product"]["kind"],
                data["product"]["category"],
                data["enterprise"]["name"],
                data["enterprise"]["enterprise_number"],
                data["enterprise"]["recognition_type"],
                data["scheme"],
                data["issued_on"],
                data["valid_until"],
                data["verify_url"],
            ]
        )
