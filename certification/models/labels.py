import datetime
from typing import Any

import orjson
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from certification.models.accounts import Role
from certification.models.public_status import (
    LabelStatus,
    Periods,
    PublicState,
    PublicStatus,
    StatusFacts,
    StatusReason,
    public_state,
)
from certification.models.schemes import PERCENT, scheme_name
from certification.policies import officer_may
from certification.search import search_text
from certification.transitions import Step, Words


def certificate_path(label: "Label", filename: str) -> str:
    return f"certificates/{label.code}/{filename}"


# The changes officers make to a label (DESIGN §5), always with a reason.
LABEL_OFFICER = _("a certification officer")
SUSPEND = Step(
    action="label.suspended",
    title=_("Label suspended"),
    button=_("Suspend the label"),
    actor=LABEL_OFFICER,
    role=Role.OFFICER,
)
REINSTATE = Step(
    action="label.reinstated",
    title=_("Label reinstated"),
    button=_("Reinstate the label"),
    actor=LABEL_OFFICER,
    role=Role.OFFICER,
)
REVOKE = Step(
    action="label.revoked",
    title=_("Label revoked"),
    button=_("Revoke the label"),
    actor=LABEL_OFFICER,
    role=Role.OFFICER,
    dangerous=True,
)


def product_facts(product: Any) -> dict[str, Any]:
    """What the public lookup shows of a product or service."""
    return {"name": product.name, "kind": product.kind, "category": product.category.code}


def enterprise_facts(enterprise: Any) -> dict[str, Any]:
    """What the public lookup shows of an enterprise."""
    return {
        "name": enterprise.name,
        "enterprise_number": enterprise.enterprise_number,
        "recognition_type": enterprise.recognition_type,
    }


class Label(ConcurrentTransitionMixin, models.Model):
    code = models.CharField(_("label code"), max_length=16, unique=True, editable=False)
    application = models.OneToOneField(
        "certification.Application", on_delete=models.PROTECT, related_name="label", verbose_name=_("application")
    )
    product = models.ForeignKey(
        "certification.Product", on_delete=models.PROTECT, related_name="labels", verbose_name=_("product or service")
    )
    scheme = models.ForeignKey(
        "certification.Scheme", on_delete=models.PROTECT, related_name="labels", verbose_name=_("scheme")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    social_share = models.DecimalField(
        _("social-economy share (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    # Issue date plus the scheme's interval, then from the last surveillance (ISO/IEC 17065 7.9).
    surveillance_due_on = models.DateField(_("next surveillance due on"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=12, choices=LabelStatus.choices, default=LabelStatus.ACTIVE, protected=True
    )
    status_reason = models.TextField(_("reason for the status (internal)"), blank=True)
    status_reason_category = models.CharField(
        _("reason for the status (public)"), max_length=24, choices=StatusReason.choices, blank=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("superseded by")
    )
    # The label this one replaced when it was issued (a renewal's, or an earlier label of the product).
    predecessor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("replaces")
    )
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, max_length=200, blank=True)
    certificate_sha256 = models.CharField(_("certificate SHA-256"), max_length=64, blank=True)
    credential = models.TextField(_("signed credential (JWS)"), blank=True)
    # What the public lookup shows of the label that changes only when the label is issued or
    # superseded or its product, enterprise or scheme changes, rendered as JSON: a lookup reads
    # this one row and adds what changes with time and status. Written on every save, and by
    # certification.signals when what it copies changes; never empty (a constraint).
    public_record = models.TextField(
        _("public record"),
        editable=False,
        help_text=_("What the public lookup shows of the product, enterprise, scheme and successor (JSON)."),
    )
    # What the registry finds a label by (certification.search), kept with the public record.
    # On PostgreSQL a trigram index serves its substring search (migration 0006).
    search_text = models.TextField(_("search text"), editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Any change to the label or its public record: the registry's exports are as old as the newest.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["-issued_on", "code"]
        # The registry orders by one of these columns and the code (its keyset pagination).
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["issued_on", "code"], name="label_issued_on_code"),
            models.Index(fields=["valid_until", "code"], name="label_valid_until_code"),
            models.Index(fields=["level", "code"], name="label_level_code"),
            models.Index(fields=["social_share", "code"], name="label_social_share_code"),
            models.Index(fields=["search_text", "code"], name="label_search_text_code"),
            models.Index(fields=["scheme", "surveillance_due_on"], name="label_scheme_surveillance_due"),
            # Suspensions that outlast the scheme's maximum (certification.models.public_status).
            models.Index(
                fields=["scheme", "status_changed_at"],
                name="label_suspended_since",
                condition=models.Q(status=LabelStatus.SUSPENDED),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=3), name="label_level_range"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")), name="label_valid_after_issue"
            ),
            models.CheckConstraint(condition=~models.Q(public_record=""), name="label_public_record_written"),
            # A product never holds two labels that read valid or could be reinstated to valid:
            # a suspended label still counts, or reinstating it would make two valid labels.
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(status__in=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED]),
                name="one_current_label_per_product",
                violation_error_message=_("This product or service already holds a current label."),
            ),
        ]

    words = Words(
        forbidden=_("Only %(actor)s may do “%(step)s”."),
        not_now=_("This label is %(state)s: “%(step)s” is not possible now."),
        done=_("Label %(name)s is now %(state)s."),
    )

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.public_record = self.render_public_record()
        self.search_text = self.render_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "public_record", "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def render_public_record(self) -> str:
        """What `public_record` should hold, read from the label and its relations: compact JSON
        in the order the lookup shows it. (Showing another field of a product, enterprise,
        category or scheme here means listing it in certification.signals.SHOWN too.)"""
        return orjson.dumps(
            {
                "level": self.level,
                "social_share_percent": float(self.social_share),
                "product": product_facts(self.product),
                "enterprise": enterprise_facts(self.product.enterprise),
                "scheme": scheme_name(self.scheme.name, self.scheme.version),
                "issued_on": self.issued_on.isoformat(),
                "valid_until": self.valid_until.isoformat(),
                "superseded_by": self.superseded_by.code if self.superseded_by else None,
                "replaces": self.predecessor.code if self.predecessor else None,
            }
        ).decode()

    def render_search_text(self) -> str:
        """What `search_text` should hold (its product's and enterprise's names are in the public
        record too: certification.signals rewrites both when they change)."""
        return search_text(product_name=self.product.name, enterprise_name=self.product.enterprise.name, code=self.code)

    def status_facts(self) -> StatusFacts:
        """What its public status is derived from (certification.models.public_status); a label
        loaded with certification.lookup.labels_for_lookup() has its scheme and enterprise at hand."""
        scheme, enterprise = self.scheme, self.product.enterprise
        return StatusFacts(
            status=self.status,
            issued_on=self.issued_on,
            valid_until=self.valid_until,
            surveillance_due_on=self.surveillance_due_on,
            status_reason_category=self.status_reason_category,
            status_changed_at=self.status_changed_at,
            recognition_valid_until=enterprise.recognition_valid_until,
            periods=Periods(scheme.surveillance_grace_days, scheme.max_suspension_months),
        )

    def public_state(self, now: datetime.datetime | None = None) -> PublicState:
        return public_state(self.status_facts(), now)

    def public_status(self, now: datetime.datetime | None = None) -> PublicStatus:
        return self.public_state(now).status

    def _stamp(self, reason: str, category: str) -> None:
        self.status_reason = reason
        self.status_reason_category = category
        self.status_changed_at = timezone.now()

    @transition(
        status,
        source=LabelStatus.ACTIVE,
        target=LabelStatus.SUSPENDED,
        permission=officer_may,
        custom={"step": SUSPEND},
    )
    def suspend(self, *, reason: str, category: str) -> None:
        self._stamp(reason, category)

    @transition(
        status,
        source=LabelStatus.SUSPENDED,
        target=LabelStatus.ACTIVE,
        permission=officer_may,
        custom={"step": REINSTATE},
    )
    def reinstate(self, *, reason: str, category: str) -> None:
        self._stamp(reason, category)

    @transition(
        status,
        source=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED],
        target=LabelStatus.REVOKED,
        permission=officer_may,
        custom={"step": REVOKE},
    )
    def revoke(self, *, reason: str, category: str) -> None:
        self._stamp(reason, category)

    # Taken by the decision on an appeal (complaints.services.appeals): no step of its own.
    @transition(status, source=[LabelStatus.SUSPENDED, LabelStatus.REVOKED], target=LabelStatus.ACTIVE)
    def restore(self, *, reason: str, category: str) -> None:
        self._stamp(reason, category)

    # Taken by the system when a new label is issued for the product: no step of a person.
    @transition(status, source=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED], target=LabelStatus.SUPERSEDED)
    def supersede(self, *, successor_code: str) -> None:
        """Make way for the label coded `successor_code`: it can only be saved once this one is no
        longer current (one_current_label_per_product), so the caller points `superseded_by` at
        it after saving it."""
        self._stamp(str(_("Replaced by label %(code)s.") % {"code": successor_code}), StatusReason.RENEWED)


class CertificateRecord(models.Model):
    """Every certificate PDF ever issued, by content hash: a regenerated one supersedes the
    previous, which stays known, so an old printout is still recognised as ours."""

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="certificate_records")
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    key_id = models.CharField(_("signing key id"), max_length=64)
    # The credential the PDF carries, as issued: a credential that verifies with one of our keys
    # but is not here was never issued (a leaked key signs nothing the register knows).
    credential_sha256 = models.CharField(_("credential SHA-256"), max_length=64, unique=True, null=True, blank=True)
    signed_at = models.DateTimeField(_("credential signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate version")
        verbose_name_plural = _("certificate versions")
        ordering = ["label", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label.code} {self.sha256[:12]}"


def translation_path(translation: "CertificateTranslation", filename: str) -> str:
    return certificate_path(translation.record.label, filename)


class CertificateTranslation(models.Model):
    """One issue of a certificate (a CertificateRecord, whose PDF is the Dutch one) in French or
    in English: the same facts and credential, every word in that language, its own PDF known by
    its hash, so that it verifies by upload as the Dutch one does."""

    record = models.ForeignKey(CertificateRecord, on_delete=models.PROTECT, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=[("fr", _("French")), ("en", _("English"))])
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    file = models.FileField(_("certificate"), upload_to=translation_path, max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate translation")
        verbose_name_plural = _("certificate translations")
        ordering = ["record", "language"]
        constraints = [
            models.UniqueConstraint(fields=["record", "language"], name="one_translation_per_issue_and_language")
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.language}"


class KeyStatus(models.TextChoices):
    ACTIVE = "active", _("active: signs new credentials")
    RETIRED = "retired", _("retired: verifies old credentials")
    COMPROMISED = "compromised", _("compromised: what it signed is not trusted")


class SigningKey(models.Model):
    """A public signing key, published in the JWK set for as long as credentials it signed exist.
    The private key never enters the database."""

    kid = models.CharField(_("key id"), max_length=64, primary_key=True)
    public_jwk = models.JSONField(_("public key (JWK)"))
    status = models.CharField(_("status"), max_length=12, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Credentials signed from this moment on are not trusted (DESIGN §5: a retired key verifies
    # only what it signed before).
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid
