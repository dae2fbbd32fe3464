"""The public registry (DESIGN §6, §13): search and filter the labels, page through them, and
take them all as open data, CSV or JSON Lines, described by a Frictionless data package."""

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from api.opendata import EXPORTS, data_package
from api.pagination import RegistryPagination
from api.renderers import CSVRenderer, JSONLinesRenderer
from api.serializers.public import PublicLabelSerializer
from api.throttling import PublicRateThrottle
from api.views.public import PublicView
from certification.lookup import labels_for_lookup, public_representations
from certification.models import Label
from certification.registry import RegistryFilter, read_for_search, refuse_unknown_parameters, registry_changed_at

# Beside the filters: paging, and `format` (DRF's: json, api, csv, jsonl).
PAGING_PARAMETERS = ("cursor", "page_size", "format")


class RegistryView(generics.ListAPIView):
    """The public registry: valid labels unless `status` says otherwise, in keyset pages;
    `?format=csv` and `?format=jsonl` stream every label the filters select."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    renderer_classes = [*generics.ListAPIView.renderer_classes, CSVRenderer, JSONLinesRenderer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = RegistryFilter
    pagination_class = RegistryPagination
    serializer_class = PublicLabelSerializer

    def get_queryset(self) -> QuerySet[Label]:
        return labels_for_lookup()  # type: ignore[no-any-return]

    def filter_queryset(self, queryset: QuerySet[Label]) -> QuerySet[Label]:
        """The filters' refusal says each field and what is wrong with it (the value it does
        not know), also where only `detail` is shown (the CSV and JSON Lines exports)."""
        try:
            return super().filter_queryset(queryset)
        except ValidationError as error:
            fields = error.detail if isinstance(error.detail, dict) else {}
            said = [f"{name}: {' '.join(str(message) for message in messages)}" for name, messages in fields.items()]
            raise ValidationError({"detail": " ".join(said), "errors": error.detail}) from error

    @extend_schema(operation_id="label_registry")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refuse_unknown_parameters(request.query_params, also=PAGING_PARAMETERS)
        export = EXPORTS.get(request.accepted_renderer.format)
        if export is not None:  # read as it streams, in a transaction of its own
            return streamed(request, self.filter_queryset(self.get_queryset()), *export)
        with read_for_search(request.query_params.get("q")):  # the search's vocabulary and the labels it finds
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(public_representations(page or []))


def streamed(
    request: Request, labels: QuerySet[Label], rows: Callable[[QuerySet[Label]], Iterator[bytes]], media: str, name: str
) -> HttpResponseBase:
    """The export, or 304 when the harvester has it already (ETag or Last-Modified): the same
    selection of a registry that has not changed since."""
    changed_at = registry_changed_at()
    query = sorted((key, value) for key, values in request.query_params.lists() for value in values)
    etag = f'"{hashlib.sha256(orjson.dumps([changed_at.isoformat(), query])).hexdigest()[:32]}"'
    last_modified = int(changed_at.timestamp())
    # DRF's request passes method and headers through to Django's.
    response: HttpResponseBase | None = get_conditional_response(
        request,  # type: ignore[arg-type]
        etag=etag,
        last_modified=last_modified,
    )
    if response is None:
        response = StreamingHttpResponse(rows(labels), content_type=media)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, no-cache"  # revalidate every time: a 304 costs three index look-ups
    return response


class DataPackageView(PublicView):
    """The registry as open data: a Frictionless data package describing the CSV export's
    columns and pointing at both exports."""

    @extend_schema(
        operation_id="label_registry_datapackage",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Frictionless data package descriptor.")},
    )
    def get(self, request: Request) -> HttpResponseBase:
        base = f"{settings.PUBLIC_BASE_URL}{reverse('api:registry')}"
        response = HttpResponse(
            orjson.dumps(data_package(base), option=orjson.OPT_INDENT_2), content_type="application/json"
        )
        response["Cache-Control"] = "public, max-age=3600"
        return response
