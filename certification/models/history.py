from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.transitions import step_for_action


class HistoryIsAppendOnly(Exception):
    """History rows are written once, by services, and never changed or removed."""


class HistoryQuerySet(models.QuerySet["HistoryEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be deleted.")


# What each dotted code that is not a person's step means, in words for the timeline on the
# pages; the steps (application.approved, label.suspended...) carry their own words.
EVENT_TITLES = {
    "application.created": _("Application created"),
    "application.updated": _("Application changed"),
    "application.document_added": _("Document added"),
    "audit.assessment_recorded": _("Criterion assessed"),
    "finding.added": _("Finding recorded"),
    "finding.answered": _("Finding answered"),
    "finding.closed": _("Finding closed"),
    "label.issued": _("Label issued"),
    "label.superseded": _("Label superseded"),
    "label.certificate_regenerated": _("Certificate made anew"),
    "product.created": _("Product or service registered"),
    "product.updated": _("Product or service changed"),
    "scheme.created": _("Scheme created"),
    "scheme.activated": _("Scheme activated"),
    "scheme.retired": _("Scheme retired"),
}


class HistoryEvent(models.Model):
    """One change: who did what to which object, from which state to which, and why."""

    action = models.CharField(_("action"), max_length=80, help_text=_("Dotted code, e.g. application.submitted."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # The application whose timeline shows this event (also for documents, findings...).
    application = models.ForeignKey(
        "certification.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("application"),
    )
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise HistoryIsAppendOnly("History rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be deleted.")

    @property
    def title(self) -> str:
        step = step_for_action(self.action)
        return str(step.title if step else EVENT_TITLES.get(self.action, self.action))
