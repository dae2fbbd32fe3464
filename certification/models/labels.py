import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from certification.models.accounts import Role, has_role
from certification.models.schemes import PERCENT


class LabelStatus(models.TextChoices):
    """The stored lifecycle of a label; what the public sees is `PublicStatus`."""

    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")


class PublicStatus(models.TextChoices):
    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    SUPERSEDED = "superseded", _("superseded")


def is_label_officer(label: Any, user: object) -> bool:
    return has_role(user, Role.OFFICER)


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
    status = FSMField(
        _("status"), max_length=12, choices=LabelStatus.choices, default=LabelStatus.ACTIVE, protected=True
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("superseded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["-issued_on", "code"]
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=3), name="label_level_range"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")), name="label_valid_after_issue"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def public_status(self, today: datetime.date | None = None) -> PublicStatus:
        """Derived at the moment of asking, so a label past valid_until is expired at once."""
        if self.status == LabelStatus.ACTIVE:
            today = today or timezone.localdate()
            return PublicStatus.VALID if self.issued_on <= today <= self.valid_until else PublicStatus.EXPIRED
        return PublicStatus(self.status)

    def _stamp(self, reason: str) -> None:
        self.status_reason = reason
        self.status_changed_at = timezone.now()

    @transition(status, source=LabelStatus.ACTIVE, target=LabelStatus.SUSPENDED, permission=is_label_officer)
    def suspend(self, *, reason: str) -> None:
        self._stamp(reason)

    @transition(status, source=LabelStatus.SUSPENDED, target=LabelStatus.ACTIVE, permission=is_label_officer)
    def reinstate(self, *, reason: str) -> None:
        self._stamp(reason)

    @transition(
        status,
        source=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED],
        target=LabelStatus.REVOKED,
        permission=is_label_officer,
    )
    def revoke(self, *, reason: str) -> None:
        self._stamp(reason)

    @transition(status, source=[LabelStatus.ACTIVE, LabelStatus.SUSPENDED], target=LabelStatus.SUPERSEDED)
    def supersede(self, *, successor: Any) -> None:
        self.superseded_by = successor
        self._stamp(str(_("Replaced by label %(code)s.") % {"code": successor.code}))
