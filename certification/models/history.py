from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.history_chain import GENESIS_HASH
from certification.transitions import step_for_action


class HistoryIsAppendOnly(Exception):
    """History rows are written once, by services, and never changed or removed."""


class HistoryQuerySet(models.QuerySet["HistoryEvent"]):
    """Also the base manager's: deletes through relations and bulk writes are refused alike."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be updated.")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> NoReturn:
        raise HistoryIsAppendOnly("History rows are written one by one by record_event, which chains them.")


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
    "evidence.added": _("Evidence attached"),
    "evidence.removed": _("Evidence removed"),
    "label.issued": _("Label issued"),
    "label.superseded": _("Label superseded"),
    "label.certificate_regenerated": _("Certificate made anew"),
    "label.renewal_started": _("Renewal applied for"),
    "label.level_changed": _("Level and share changed after surveillance"),
    "label.extra_surveillance_ordered": _("Extra surveillance audit ordered"),
    "surveillance.scheduled": _("Surveillance audit scheduled"),
    "surveillance.assessment_recorded": _("Criterion assessed at surveillance"),
    "change.notified": _("Change notified"),
    "product.created": _("Product or service registered"),
    "product.updated": _("Product or service changed"),
    "scheme.created": _("Scheme created"),
    "scheme.activated": _("Scheme activated"),
    "scheme.retired": _("Scheme retired"),
    "complaint.received": _("Complaint received"),
    "appeal.lodged": _("Appeal lodged"),
    "application.reopened": _("Application reopened on appeal"),
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
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    # The hash chain (certification/history_chain.py): the row's position, the hash of the row
    # before it, and its own hash over both and its content.
    sequence = models.PositiveBigIntegerField(_("position"), unique=True, editable=False)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history")
        base_manager_name = "objects"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise HistoryIsAppendOnly("History rows cannot be updated.")
        if not self.hash:
            raise HistoryIsAppendOnly("History rows are written by record_event, which chains them.")
        kwargs["force_insert"] = True  # never an UPDATE of a row with the same id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise HistoryIsAppendOnly("History rows cannot be deleted.")

    @property
    def title(self) -> str:
        step = step_for_action(self.action)
        return str(step.title if step else EVENT_TITLES.get(self.action, self.action))


class HistoryChainHead(models.Model):
    """The end of the history chain: one row, locked by each writer so that the chain never forks."""

    count = models.PositiveBigIntegerField(_("rows"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("history chain head")
        verbose_name_plural = _("history chain head")

    def __str__(self) -> str:
        return f"{self.count} {self.head_hash}"
