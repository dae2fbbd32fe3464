"""Who watches which label or enterprise by mail (double opt-in), and the confirmations sent."""

import datetime
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    """The secret of a subscription's links: confirm, and unsubscribe in every mail."""
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """One address following one label or one enterprise. Nothing but the confirmation is sent
    before `confirmed_at`; unsubscribing deletes the row (the address is kept no longer)."""

    email = models.EmailField(_("e-mail address"))
    label = models.ForeignKey(
        "certification.Label",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("label"),
    )
    enterprise = models.ForeignKey(
        "certification.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    language = models.CharField(_("language"), max_length=8)
    key = models.CharField(_("link secret"), max_length=64, unique=True, default=new_key, editable=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["email", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(label__isnull=False, enterprise__isnull=True)
                | models.Q(label__isnull=True, enterprise__isnull=False),
                name="subscription_follows_a_label_or_an_enterprise",
            ),
            models.UniqueConstraint(
                fields=["email", "label"], condition=models.Q(label__isnull=False), name="one_subscription_per_label"
            ),
            models.UniqueConstraint(
                fields=["email", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="one_subscription_per_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.label or self.enterprise}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def confirmable(self, now: datetime.datetime, within: datetime.timedelta) -> bool:
        return self.confirmed_at is None and now < self.requested_at + within


class ConfirmationSent(models.Model):
    """A confirmation mail sent to an address: counted for the per-address limit, forgotten after a day."""

    email = models.EmailField(_("e-mail address"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("confirmation sent")
        verbose_name_plural = _("confirmations sent")
        indexes = [models.Index(fields=["email", "sent_at"], name="confirmation_email_sent_at")]

    def __str__(self) -> str:
        return f"{self.email} {self.sent_at:%Y-%m-%d %H:%M}"
