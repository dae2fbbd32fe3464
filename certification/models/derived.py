"""Changes of a label's public status that time alone made (certification.models.public_status):
a surveillance overdue past the scheme's grace period, an enterprise's recognition that lapsed,
a suspension that outlasted the scheme's maximum, and the label reading valid again once a
surveillance or a renewed recognition remedied the cause.

They are kept apart from the history (HistoryEvent): the history records acts, each by a person
(or by the system acting for one), hash-chained in the order they were written; these are
consequences of the status rule and the dates, which nobody performed, found by a periodic task
after the instant they took effect (certification.derived). The rule answers without them: a
label reads suspended at the instant its surveillance is overdue whether or not a row says so.
They exist so that the feeds and the mails can tell such a change once, at its instant.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models.public_status import PublicStatus, StatusReason

# What a label reads after each kind of change that time made (its public reason is the kind).
STATUS_AFTER = {
    StatusReason.SURVEILLANCE_OVERDUE: PublicStatus.SUSPENDED,
    StatusReason.RECOGNITION_LAPSED: PublicStatus.SUSPENDED,
    StatusReason.SUSPENSION_NOT_LIFTED: PublicStatus.REVOKED,
    StatusReason.CORRECTED: PublicStatus.VALID,
}

# A change recorded this long after it took effect (the task's first run, a scheduler stopped
# for weeks, a date corrected into the past) is listed in the feeds but no longer mailed: it is
# not news to anyone (as certification.reminders does not tell expiries older than 30 days).
NEWS_WITHIN = datetime.timedelta(days=30)


class DerivedStatusChange(models.Model):
    """One change of a label's public status that no person made, at the instant it took effect.
    Written once (the unique key), never changed."""

    label = models.ForeignKey(
        "certification.Label", on_delete=models.PROTECT, related_name="derived_changes", verbose_name=_("label")
    )
    reason = models.CharField(
        _("public reason"), max_length=24, choices=[(reason.value, reason.label) for reason in STATUS_AFTER]
    )
    effective_at = models.DateTimeField(_("took effect at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change by the passage of time")
        verbose_name_plural = _("status changes by the passage of time")
        ordering = ["effective_at", "pk"]
        indexes = [models.Index(fields=["effective_at", "id"], name="derived_change_effective")]
        constraints = [
            models.UniqueConstraint(
                fields=["label", "reason", "effective_at"], name="one_derived_change_per_label_kind_instant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label_id} {self.reason} {self.effective_at:%Y-%m-%d %H:%M}"

    @property
    def is_news(self) -> bool:
        """Whether it is mailed: recorded within NEWS_WITHIN of taking effect."""
        return self.recorded_at - self.effective_at <= NEWS_WITHIN

    @property
    def status(self) -> PublicStatus:
        return STATUS_AFTER[StatusReason(self.reason)]


class DerivedChangeScan(models.Model):
    """How far the periodic task has looked for such changes: one row, locked while it looks."""

    scanned_until = models.DateTimeField(_("looked up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("scan for status changes by the passage of time")
        verbose_name_plural = _("scans for status changes by the passage of time")

    def __str__(self) -> str:
        return str(self.scanned_until)
