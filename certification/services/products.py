"""An enterprise's products and services: registered by its applicants, frozen once assessed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.identifiers import canonical_gtin
from certification.models import Enterprise, Product, ProductCategory, ProductKind, User
from certification.policies import is_applicant_of
from certification.selectors import assessed_applications
from certification.services.history import record_event


def _check_applicant(by: User, enterprise: Enterprise) -> None:
    if not is_applicant_of(by, enterprise.pk):
        raise ActionForbidden(_("Only an applicant of the enterprise may manage its products and services."))


def _clean(*, name: str, kind: str, gtin: str) -> tuple[str, str]:
    unmet = []
    if not name.strip():
        unmet.append(_("Give the product or service a name."))
    if kind not in ProductKind.values:
        unmet.append(_("Say whether it is a product or a service."))
    try:
        gtin = canonical_gtin(gtin) if gtin.strip() else ""
    except ValidationError as error:
        unmet.extend(error.messages)
    if unmet:
        raise RequirementsNotMet(unmet)
    return name.strip(), gtin


@transaction.atomic
def create_product(
    *,
    enterprise: Enterprise,
    by: User,
    name: str,
    kind: str,
    category: ProductCategory,
    description: str = "",
    gtin: str = "",
) -> Product:
    _check_applicant(by, enterprise)
    name, gtin = _clean(name=name, kind=kind, gtin=gtin)
    product = Product.objects.create(
        enterprise=enterprise, name=name, kind=kind, category=category, description=description, gtin=gtin
    )
    record_event(action="product.created", by=by, target=product, data={"name": name})
    return product


@transaction.atomic
def update_product(
    *, product: Product, by: User, name: str, kind: str, category: ProductCategory, description: str, gtin: str
) -> Product:
    """Change a product while nothing about it is past draft: assessments refer to what it was."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    _check_applicant(by, product.enterprise)
    if assessed_applications(product).exists():
        raise RequirementsNotMet(
            [_("This product or service has an application past draft; it can no longer be changed.")]
        )
    name, gtin = _clean(name=name, kind=kind, gtin=gtin)
    product.name, product.kind, product.category, product.description, product.gtin = (
        name, kind, category, description, gtin,
    )  # fmt: skip
    product.save()
    record_event(action="product.updated", by=by, target=product, data={"name": name})
    return product
