from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import IsApplicant, IsApplicantOrOfficer
from api.serializers.catalogue import CategorySerializer, ProductSerializer, ProductWriteSerializer
from api.throttling import PublicRateThrottle
from certification.models import Enterprise, Product, ProductCategory, User
from certification.policies import acting_user
from certification.selectors import products_visible_to
from certification.services.products import create_product, update_product


class CategoryListView(generics.ListAPIView):
    """Product categories (public): the criteria that apply depend on them."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    serializer_class = CategorySerializer
    queryset = ProductCategory.objects.order_by("code")
    pagination_class = None
    filter_backends: list[Any] = []


def acting_enterprise(user: User, chosen: Enterprise | None) -> Enterprise:
    """The enterprise named in the request, else the applicant's only one (the services decide
    whether the user may act for it)."""
    if chosen is not None:
        return chosen
    mine = list(user.enterprises.all())
    if len(mine) != 1:
        raise serializers.ValidationError({"enterprise": [_("Say which of your enterprises this is for.")]})
    return mine[0]


class ProductViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    """Products and services: an applicant's enterprises' own; officers see all."""

    permission_classes = [IsApplicantOrOfficer]
    serializer_class = ProductSerializer
    filterset_fields = ["kind", "category__code", "enterprise"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_permissions(self) -> list[Any]:
        # Officers read; only applicants register and change products.
        return [IsApplicant()] if self.request.method not in SAFE_METHODS else super().get_permissions()

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI description, asked by nobody
            return Product.objects.none()
        return products_visible_to(user=acting_user(self.request))

    @extend_schema(request=ProductWriteSerializer, responses={201: ProductSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ProductWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        enterprise = acting_enterprise(acting_user(request), data.pop("enterprise", None))
        product = create_product(enterprise=enterprise, by=acting_user(request), **data)
        return Response(ProductSerializer(product).data, status=201)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        product = self.get_object()
        # What is not sent stays as it is; the serializer, given the body as it came, answers any
        # body that is not an object 400 ("Expected a dictionary").
        body = ProductWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields: dict[str, Any] = {
            "name": product.name,
            "kind": product.kind,
            "category": product.category,
            "description": product.description,
            "gtin": product.gtin,
            **body.validated_data,
        }
        fields.pop("enterprise", None)
        product = update_product(product=product, by=acting_user(request), **fields)
        return Response(ProductSerializer(product).data)
