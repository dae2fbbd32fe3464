from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.identifiers import validate_enterprise_number
from certification.models.schemes import PERCENT
from certification.share import StepHours


class Audit(models.Model):
    """The on-site inspection of one application, by one auditor."""

    application = models.OneToOneField(
        "certification.Application", on_delete=models.PROTECT, related_name="audit", verbose_name=_("application")
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits", verbose_name=_("auditor")
    )
    scheduled_for = models.DateField(_("scheduled for"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Written only by submit_report, from the hours per production step of the share
    # criterion: the share as reported, which the decision reads.
    measured_social_share = models.DecimalField(
        _("measured social-economy share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["scheduled_for", "pk"]

    def __str__(self) -> str:
        return str(_("Audit of %(application)s") % {"application": self.application})


class AssessmentResult(models.TextChoices):
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class Assessment(models.Model):
    """The auditor's judgement of one criterion in one audit."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("audit"))
    criterion = models.ForeignKey(
        "certification.Criterion", on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    result = models.CharField(_("result"), max_length=16, choices=AssessmentResult.choices)
    value = models.DecimalField(_("value"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["criterion__position", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["audit", "criterion"], name="assessment_one_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.get_result_display()}"


def hours_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


class ProductionStep(models.Model):
    """The hours of one production step over the scheme's reference period, recorded with the
    assessment of the share criterion, at the first audit or at a surveillance audit (exactly
    one of the two); the share is computed from these only."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="steps", verbose_name=_("assessment")
    )
    surveillance_assessment = models.ForeignKey(
        "audits.SurveillanceAssessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("surveillance assessment"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("production step"), max_length=200)
    target_group_hours = hours_field(_("hours by target-group employees"))
    all_hours = hours_field(_("all hours worked"))
    subcontracted_hours = hours_field(_("hours subcontracted"), default=0)
    subcontractor_name = models.CharField(_("subcontractor"), max_length=200, blank=True)
    subcontractor_enterprise_number = models.CharField(
        _("subcontractor's enterprise number"), max_length=10, blank=True, validators=[validate_enterprise_number]
    )
    subcontractor_recognised = models.BooleanField(_("subcontractor is a recognised social-economy enterprise"))

    class Meta:
        verbose_name = _("production step")
        verbose_name_plural = _("production steps")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment__isnull=False, surveillance_assessment__isnull=True)
                | models.Q(assessment__isnull=True, surveillance_assessment__isnull=False),
                name="production_step_of_one_assessment",
            ),
            models.UniqueConstraint(fields=["assessment", "position"], name="production_step_unique_position"),
            models.UniqueConstraint(
                fields=["surveillance_assessment", "position"], name="production_step_unique_surveillance_position"
            ),
            models.CheckConstraint(
                condition=models.Q(target_group_hours__gte=0)
                & models.Q(target_group_hours__lte=models.F("all_hours"))
                & models.Q(subcontracted_hours__gte=0),
                name="production_step_hours_consistent",
            ),
            models.CheckConstraint(
                condition=models.Q(subcontractor_recognised=False) | ~models.Q(subcontractor_enterprise_number=""),
                name="production_step_recognised_subcontractor_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def hours(self) -> StepHours:
        return StepHours(
            name=self.name,
            target_group_hours=self.target_group_hours,
            all_hours=self.all_hours,
            subcontracted_hours=self.subcontracted_hours,
            subcontractor_recognised=self.subcontractor_recognised,
        )


class FindingSeverity(models.TextChoices):
    MAJOR = "major", _("major")
    MINOR = "minor", _("minor")
    OBSERVATION = "observation", _("observation")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class Finding(models.Model):
    """A non-conformity (or observation) the auditor found; the enterprise answers it."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("audit"))
    criterion = models.ForeignKey(
        "certification.Criterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criterion"),
    )
    severity = models.CharField(_("severity"), max_length=12, choices=FindingSeverity.choices)
    description = models.TextField(_("description"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    response = models.TextField(_("response of the enterprise"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_severity_display()}: {self.description[:60]}"

    @property
    def is_resolved(self) -> bool:
        return self.status == FindingStatus.CLOSED


# The surveillance of issued labels, a state machine of its own (in its own module for its size).
from audits.evidence import Evidence  # noqa: E402  (files attached to the above, in their own module)
from audits.surveillance import Surveillance, SurveillanceAssessment  # noqa: E402

__all__ = [
    "Assessment",
    "AssessmentResult",
    "Audit",
    "Evidence",
    "Finding",
    "FindingSeverity",
    "FindingStatus",
    "Surveillance",
    "SurveillanceAssessment",
]
