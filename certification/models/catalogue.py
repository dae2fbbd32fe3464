from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certification.identifiers import canonical_gtin, validate_gtin


class ProductCategory(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "nl")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_nl)


class ProductKind(models.TextChoices):
    PRODUCT = "product", _("product")
    SERVICE = "service", _("service")


class Product(models.Model):
    enterprise = models.ForeignKey(
        "certification.Enterprise", on_delete=models.PROTECT, related_name="products", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ProductKind.choices, default=ProductKind.PRODUCT)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    gtin = models.CharField(_("GTIN (barcode number)"), max_length=14, blank=True, validators=[validate_gtin])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product or service")
        verbose_name_plural = _("products and services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.gtin:
            self.gtin = canonical_gtin(self.gtin)
