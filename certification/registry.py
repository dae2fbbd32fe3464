"""The public registry's search and filters (DESIGN §6), for the API and the pages alike."""

import contextlib
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.codes import parse_label_code
from certification.exceptions import InvalidLabelCode
from certification.identifiers import canonical_enterprise_number, validate_enterprise_number
from certification.models import Label, LabelStatus, ProductCategory, ProductKind, PublicStatus


def with_public_status(labels: QuerySet[Label], status: str) -> QuerySet[Label]:
    """Labels whose public status, today, is `status` (derived the way Label.public_status is)."""
    today = timezone.localdate()
    if status == PublicStatus.VALID:
        return labels.filter(status=LabelStatus.ACTIVE, issued_on__lte=today, valid_until__gte=today)
    if status == PublicStatus.EXPIRED:
        return labels.filter(status=LabelStatus.ACTIVE, valid_until__lt=today)
    return labels.filter(status=status)


def _category_choices() -> list[tuple[str, str]]:
    return [(category.code, category.name) for category in ProductCategory.objects.order_by("code")]


class RegistryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("product, enterprise or label code"))
    category = django_filters.ChoiceFilter(
        field_name="product__category__code", label=_("category"), choices=lambda: _category_choices()
    )
    level = django_filters.TypedChoiceFilter(choices=[(n, n) for n in (1, 2, 3)], coerce=int, label=_("level"))
    kind = django_filters.ChoiceFilter(field_name="product__kind", choices=ProductKind.choices, label=_("kind"))
    enterprise_number = django_filters.CharFilter(
        method="by_enterprise_number", validators=[validate_enterprise_number], label=_("enterprise number")
    )
    status = django_filters.ChoiceFilter(choices=PublicStatus.choices, method="by_status", label=_("status"))

    class Meta:
        model = Label
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Label]:
        labels = super().qs
        # The registry lists valid labels unless asked for another status.
        return labels if self.form.cleaned_data.get("status") else with_public_status(labels, PublicStatus.VALID)

    def search(self, labels: QuerySet[Label], name: str, value: str) -> QuerySet[Label]:
        text = value.strip()
        if not text:
            return labels
        match = Q(product__name__icontains=text) | Q(product__enterprise__name__icontains=text)
        with contextlib.suppress(InvalidLabelCode):  # not a code: search the names only
            match |= Q(code=parse_label_code(text))
        return labels.filter(match)

    def by_enterprise_number(self, labels: QuerySet[Label], name: str, value: str) -> QuerySet[Label]:
        return labels.filter(product__enterprise__enterprise_number=canonical_enterprise_number(value))

    def by_status(self, labels: QuerySet[Label], name: str, value: Any) -> QuerySet[Label]:
        return with_public_status(labels, value)
