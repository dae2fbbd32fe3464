"""The outbox of mail and the scheduler's record of periodic tasks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mail(models.Model):
    """One mail to one address, recorded in the transaction of the change it tells about.

    Its key names the change and the recipient, so the same mail is never recorded twice;
    `sent_at` is set in the transaction that sends it, so it is never sent twice either."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="mail_unsent_idx", condition=models.Q(sent_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class PeriodicRun(models.Model):
    """When the scheduler last enqueued a periodic task: one row per task, locked while due."""

    task = models.CharField(_("task"), max_length=200, unique=True)
    enqueued_at = models.DateTimeField(_("last enqueued at"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.task
