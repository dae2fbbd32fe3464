import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.identifiers import canonical_enterprise_number, format_enterprise_number
from certification.provinces import PROVINCE_CHOICES, PROVINCE_LENGTH, UNKNOWN, province_of


class RecognitionType(models.TextChoices):
    MAATWERKBEDRIJF = "maatwerkbedrijf", _("maatwerkbedrijf")
    MAATWERKAFDELING = "maatwerkafdeling", _("maatwerkafdeling")
    LOKALE_DIENSTENECONOMIE = "lokale_diensteneconomie", _("lokale diensteneconomie")
    SOCIALE_WERKPLAATS = "sociale_werkplaats", _("sociale werkplaats")
    BESCHUTTE_WERKPLAATS = "beschutte_werkplaats", _("beschutte werkplaats")
    OTHER = "other", _("other")


class EnterpriseNumberField(models.CharField):
    """A Belgian enterprise number, validated and always stored as its ten digits."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def to_python(self, value: object) -> str | None:
        text = super().to_python(value)
        return canonical_enterprise_number(text) if text else text

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        if isinstance(value, str) and value:
            try:
                return canonical_enterprise_number(value)
            except ValidationError:  # reported by full_clean; a lookup with bad input finds nothing
                return value
        return value


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    enterprise_number = EnterpriseNumberField(_("enterprise number"), unique=True)
    recognition_type = models.CharField(_("recognition type"), max_length=32, choices=RecognitionType.choices)
    recognition_number = models.CharField(_("recognition number"), max_length=64, blank=True)
    # Indexed: the periodic task that tells of lapsed recognitions looks up those ending in a window.
    recognition_valid_until = models.DateField(_("recognition valid until"), null=True, blank=True, db_index=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Follows from the postal code (certification.provinces), written on every save: the
    # registry filters on it and the statistics count by it.
    province = models.CharField(
        _("province"),
        max_length=PROVINCE_LENGTH,
        choices=PROVINCE_CHOICES,
        default=UNKNOWN,
        editable=False,
        db_index=True,
    )
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="enterprises", blank=True, verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Any change saved: the labels of an enterprise changed since the last look are looked at
    # again for status changes their dates now make (certification.derived).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise_number_display})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.province = province_of(self.postal_code)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "province", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number)

    def recognition_valid_on(self, day: datetime.date) -> bool:
        return bool(self.recognition_number) and (
            self.recognition_valid_until is not None and self.recognition_valid_until >= day
        )


class ConflictOfInterest(models.Model):
    """A declared tie between a person and an enterprise (a former employer, a relative, a
    consultancy): until it ends, he or she schedules, audits and decides nothing for that
    enterprise, exactly as a member would not (ISO/IEC 17065 4.2)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="declared_conflicts",
        verbose_name=_("person"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="declared_conflicts", verbose_name=_("enterprise")
    )
    reason = models.TextField(_("reason"))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: without end."))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.person} - {self.enterprise.name}"


class AuditorQualification(models.Model):
    """An auditor's competence for a product category (ISO/IEC 17065 6.1.2): he or she is
    scheduled only for products of the categories qualified for, until the end date."""

    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qualifications", verbose_name=_("auditor")
    )
    category = models.ForeignKey(
        "certification.ProductCategory",
        on_delete=models.PROTECT,
        related_name="qualifications",
        verbose_name=_("product category"),
    )
    valid_until = models.DateField(_("valid until"))
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Training, experience, the assessment of it."))

    class Meta:
        verbose_name = _("auditor qualification")
        verbose_name_plural = _("auditor qualifications")
        ordering = ["auditor", "category"]
        constraints = [models.UniqueConstraint(fields=["auditor", "category"], name="one_qualification_per_category")]

    def __str__(self) -> str:
        return f"{self.auditor} - {self.category}"
