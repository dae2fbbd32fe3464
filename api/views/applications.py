"""Applications and their workflow (DESIGN §4, §6): thin views over the services."""

import datetime
from typing import Any

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.parsers import JSONParser
from api.permissions import IsAnyRole, IsApplicant
from api.serializers.applications import (
    ApplicationSerializer,
    ApplicationWriteSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    HistoryEventSerializer,
    TransitionOptionSerializer,
)
from api.steps import bodies, describe, take_step
from api.views.catalogue import acting_enterprise
from certification.models import Application, ApplicationState, HistoryEvent
from certification.policies import acting_user, allowed_transitions
from certification.selectors import applications_visible_to
from certification.services.applications import create_application, update_application
from certification.services.documents import add_document
from certification.transitions import performer, steps, target_of
from certification.uploads import download


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ApplicationState.choices)
    category = django_filters.CharFilter(field_name="product__category__code")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    auditor = django_filters.CharFilter(field_name="audit__auditor__username")
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lt")
    older_than_days = django_filters.NumberFilter(
        method="by_age",
        label="Submitted more than N days ago",
        min_value=0,
        max_value=36500,
        validators=[MinValueValidator(0), MaxValueValidator(36500)],
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def by_age(self, applications: QuerySet[Application], name: str, value: int) -> QuerySet[Application]:
        return applications.filter(submitted_at__lt=timezone.now() - datetime.timedelta(days=int(value)))


class ApplicationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    """Applications: applicants see their enterprises', auditors those they audit, officers all."""

    permission_classes = [IsAnyRole]
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "submitted_at", "reference", "state"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI description, asked by nobody
            return Application.objects.none()
        return applications_visible_to(user=acting_user(self.request)).select_related("audit__auditor", "label")

    def get_permissions(self) -> list[Any]:
        if self.action in {"create", "update", "partial_update", "documents"} and self.request.method != "GET":
            return [IsApplicant()]
        return super().get_permissions()

    @extend_schema(request=ApplicationWriteSerializer, responses={201: ApplicationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ApplicationWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        application = create_application(
            enterprise=acting_enterprise(acting_user(request), data.get("enterprise")),
            by=acting_user(request),
            product=data.get("product"),
            declared_social_share=data.get("declared_social_share"),
            production_description=data.get("production_description", ""),
        )
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data, status=201)

    @extend_schema(request=ApplicationWriteSerializer, responses=ApplicationSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        body = ApplicationWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        update_application(
            application=application,
            by=acting_user(request),
            product=data.get("product", application.product),
            declared_social_share=data.get("declared_social_share", application.declared_social_share),
            production_description=data.get("production_description", application.production_description),
        )
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True), request=None, filters=False)
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def documents(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        if request.method == "GET":
            return Response(DocumentSerializer(application.documents.all(), many=True).data)
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = add_document(application=application, file=body.validated_data["file"], by=acting_user(request))
        return Response(DocumentSerializer(document).data, status=201)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)", filter_backends=[])
    def document_download(self, request: Request, pk: str, document_id: str) -> FileResponse:
        application = self.get_object()
        document = get_object_or_404(application.documents, pk=document_id)
        return download(document)

    @extend_schema(responses=TransitionOptionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def transitions(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        options = [
            {
                "name": name,
                "target": target_of(Application, name),
                "fields": describe(performer(Application, name).form),
            }
            for name in allowed_transitions(application, user=acting_user(request))
        ]
        return Response(options)

    @extend_schema(responses=HistoryEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        events = (
            HistoryEvent.objects.filter(application=application).select_related("actor").order_by("created_at", "pk")
        )
        page = self.paginate_queryset(events)
        return self.get_paginated_response(HistoryEventSerializer(page, many=True).data)


class TransitionView(viewsets.ViewSet):
    """POST /applications/{id}/transitions/{name}/ with the body DESIGN §6 gives for it."""

    permission_classes = [IsAnyRole]
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=ApplicationSerializer,
        description="Names and bodies: " + bodies(Application),
    )
    def create(self, request: Request, pk: str, name: str) -> Response:
        if name not in steps(Application):
            raise Http404(_("There is no transition %(name)s.") % {"name": name})
        visible = applications_visible_to(user=acting_user(request)).select_related("audit__auditor", "label")
        take_step(request, get_object_or_404(visible, pk=pk), name)
        return Response(ApplicationSerializer(visible.get(pk=pk)).data)
