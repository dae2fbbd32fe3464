from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certification.exceptions import SchemeLocked

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    RETIRED = "retired", _("retired")


def default_expiry_reminder_days() -> list[int]:
    return [90, 30]


def default_surveillance_reminder_days() -> list[int]:
    return [30, 7]


def validate_reminder_days(value: object) -> None:
    """Reminder offsets: a list of distinct whole numbers of days, each from 1 to 730."""
    if not (
        isinstance(value, list)
        and all(isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 730 for days in value)
        and len(set(value)) == len(value)
    ):
        raise ValidationError(
            _("Give the reminders as a list of distinct numbers of days from 1 to 730, e.g. [90, 30].")
        )


def scheme_name(name: str, version: str) -> str:
    """How a scheme is named wherever it is shown: its name and version."""
    return f"{name} {version}"


class Scheme(models.Model):
    """A versioned set of criteria. Once activated it is frozen: edit a new version instead."""

    name = models.CharField(_("name"), max_length=100, default="SE-LABEL")
    version = models.CharField(_("version"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=36)
    surveillance_months = models.PositiveSmallIntegerField(_("surveillance interval (months)"), default=12)
    surveillance_grace_days = models.PositiveSmallIntegerField(
        _("surveillance grace period (days)"),
        default=30,
        help_text=_("A label whose surveillance is overdue by more than this reads suspended."),
    )
    max_suspension_months = models.PositiveSmallIntegerField(
        _("maximum suspension (months)"),
        default=6,
        help_text=_("A label suspended for longer, and not reinstated, reads revoked."),
    )
    level_1_min_share = models.DecimalField(
        _("level 1 from share (%)"), max_digits=5, decimal_places=2, default=Decimal(25), validators=PERCENT
    )
    level_2_min_share = models.DecimalField(
        _("level 2 from share (%)"), max_digits=5, decimal_places=2, default=Decimal(50), validators=PERCENT
    )
    level_3_min_share = models.DecimalField(
        _("level 3 from share (%)"), max_digits=5, decimal_places=2, default=Decimal(75), validators=PERCENT
    )
    reference_period_months = models.PositiveSmallIntegerField(
        _("reference period of the share (months)"),
        default=12,
        validators=[MinValueValidator(1)],
        help_text=_("The share is measured over this many months before the audit."),
    )
    max_share_gap = models.DecimalField(
        _("largest gap between declared and measured share (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
        help_text=_("A measured share further below the declared one needs a finding that explains it."),
    )
    min_quality_score = models.DecimalField(
        _("minimum weighted quality score (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=PERCENT,
        help_text=_("Approval requires at least this weighted score over the applicable criteria."),
    )
    # Complaints (ISO/IEC 17065 7.13): acknowledged within, then decided within, so many working days.
    complaint_acknowledgement_working_days = models.PositiveSmallIntegerField(
        _("complaints: acknowledged within (working days)"), default=5
    )
    complaint_decision_working_days = models.PositiveSmallIntegerField(
        _("complaints: decided within (working days after the acknowledgement)"), default=20
    )
    # Appeals (ISO/IEC 17065 7.13): lodged within so many days of the decision appealed.
    appeal_days = models.PositiveSmallIntegerField(_("appeals: days to appeal a decision"), default=30)
    # How many days before a label's last day, and before its surveillance is due, the
    # enterprise's applicants are reminded (certification.reminders): one mail per offset.
    expiry_reminder_days = models.JSONField(
        _("expiry reminders (days before)"),
        default=default_expiry_reminder_days,
        validators=[validate_reminder_days],
        help_text=_("Days before a label's last day that its enterprise is reminded, e.g. [90, 30]."),
    )
    surveillance_reminder_days = models.JSONField(
        _("surveillance reminders (days before)"),
        default=default_surveillance_reminder_days,
        validators=[validate_reminder_days],
        help_text=_("Days before a surveillance audit is due that the enterprise and the officers are reminded."),
    )
    renewal_window_months = models.PositiveSmallIntegerField(
        _("renewal window (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("How many months before a label's last day its enterprise can apply for its renewal."),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="scheme_unique_version"),
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="scheme_single_active"),
            models.CheckConstraint(
                condition=Q(level_1_min_share__gt=0)
                & Q(level_1_min_share__lte=models.F("level_2_min_share"))
                & Q(level_2_min_share__lte=models.F("level_3_min_share"))
                & Q(level_3_min_share__lte=100),
                name="scheme_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return scheme_name(self.name, self.version)

    @property
    def is_editable(self) -> bool:
        return self.status == SchemeStatus.DRAFT

    def level_min_share(self, level: int) -> Decimal:
        """The lowest share of a level."""
        return {1: self.level_1_min_share, 2: self.level_2_min_share, 3: self.level_3_min_share}[level]

    def level_for(self, share: Decimal) -> int | None:
        """The label level a measured social-economy share earns, or None below level 1."""
        for level, threshold in ((3, self.level_3_min_share), (2, self.level_2_min_share), (1, self.level_1_min_share)):
            if share >= threshold:
                return level
        return None


class CriterionKind(models.TextChoices):
    YES_NO = "yes_no", _("yes/no")
    SCORE_0_4 = "score_0_4", _("score 0-4")
    PERCENTAGE = "percentage", _("percentage")
    SOCIAL_SHARE = "social_share", _("social-economy share measured from hours per production step")


class Criterion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("scheme"))
    code = models.CharField(_("code"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    guidance_nl = models.TextField(_("guidance (Dutch)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    guidance_fr = models.TextField(_("guidance (French)"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    mandatory = models.BooleanField(_("mandatory (knock-out)"), default=False)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (score criteria)"),
        default=2,
        validators=[MaxValueValidator(4)],
        help_text=_("A score criterion passes from this score (of 4)."),
    )
    product_quality = models.BooleanField(
        _("controls the quality of the product or service"),
        default=False,
        help_text=_("Every category needs a mandatory one before a scheme version is activated."),
    )
    checked_at_surveillance = models.BooleanField(
        _("checked at surveillance"),
        default=False,
        help_text=_("Assessed again at every surveillance audit (the measured share always is)."),
    )
    categories = models.ManyToManyField(
        "certification.ProductCategory",
        blank=True,
        related_name="criteria",
        verbose_name=_("categories"),
        help_text=_("Leave empty for a criterion that applies to every category."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["scheme", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=Q(pass_mark__lte=4), name="criterion_pass_mark_of_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self._ensure_editable()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        self._ensure_editable()
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    def _in_language(self, field: str) -> str:
        """The field in the current language: French falls back to English, English to Dutch."""
        language = (get_language() or "nl")[:2]
        order = {"fr": ("fr", "en", "nl"), "en": ("en", "nl")}.get(language, ("nl",))
        return next((value for code in order if (value := getattr(self, f"{field}_{code}"))), "")

    @property
    def title(self) -> str:
        return self._in_language("title")

    @property
    def guidance(self) -> str:
        return self._in_language("guidance")

    def _ensure_editable(self) -> None:
        # Asked of the database, not of self.scheme, which may be a stale copy.
        if not Scheme.objects.filter(pk=self.scheme_id, status=SchemeStatus.DRAFT).exists():
            raise SchemeLocked(str(_("The criteria of an activated scheme cannot change; make a new version.")))
