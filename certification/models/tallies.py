from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models.labels import LabelStatus


class LabelTally(models.Model):
    """How many labels hold one value of a dimension the statistics count by (level, category,
    recognition type, province, share band) with one stored status and one pair of dates. Kept
    in step with the labels in the transaction that writes them (certification.tallies), so a
    figure is a sum over a few thousand rows whatever the number of labels; the public status
    is derived from the stored status and the dates when a figure is read, never by a job."""

    dimension = models.CharField(_("dimension"), max_length=20)
    key = models.CharField(_("value"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=LabelStatus.choices)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    labels = models.IntegerField(_("labels"), default=0)

    class Meta:
        verbose_name = _("label tally")
        verbose_name_plural = _("label tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["status", "valid_until", "issued_on", "dimension", "key"],
                name="one_tally_per_key",
            ),
            models.CheckConstraint(condition=models.Q(labels__gte=0), name="label_tally_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.key} {self.status} {self.issued_on}..{self.valid_until}: {self.labels}"


class DecisionTally(models.Model):
    """How many decisions took a given time, to a tenth of a day, from the submission or from the
    audit report (certification.tallies): the median is read from a few hundred of these rows
    instead of sorting every decision."""

    measure = models.CharField(_("measure"), max_length=32)
    tenths = models.IntegerField(_("tenths of a day"))
    decisions = models.IntegerField(_("decisions"), default=0)

    class Meta:
        verbose_name = _("decision tally")
        verbose_name_plural = _("decision tallies")
        constraints = [
            models.UniqueConstraint(fields=["measure", "tenths"], name="one_decision_tally_per_time"),
            models.CheckConstraint(condition=models.Q(decisions__gte=0), name="decision_tally_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.tenths / 10} days: {self.decisions}"
