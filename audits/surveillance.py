"""Surveillance of an issued label (ISO/IEC 17065 7.9, DESIGN §9): an audit at the scheme's
interval, recorded by a qualified auditor without conflict, decided by an officer who did not
audit it. Its own state machine, declared as the application's is (certification.transitions)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from audits.models import AssessmentResult
from certification.models.accounts import Role
from certification.models.schemes import PERCENT
from certification.policies import applicant_may, assigned_auditor_may, officer_may
from certification.transitions import Step, Words


class SurveillanceState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    IN_PROGRESS = "in_progress", _("in progress")
    REPORTED = "reported", _("reported")
    CORRECTIVE_ACTION = "corrective_action", _("corrective action")
    CONTINUED = "continued", _("certification continued")
    SUSPENDED = "suspended", _("label suspended")
    REVOKED = "revoked", _("label revoked")


OPEN_SURVEILLANCE = [
    SurveillanceState.SCHEDULED,
    SurveillanceState.IN_PROGRESS,
    SurveillanceState.REPORTED,
    SurveillanceState.CORRECTIVE_ACTION,
]
DECIDING = [SurveillanceState.REPORTED, SurveillanceState.CORRECTIVE_ACTION]

AUDITOR = _("the assigned auditor")
DECIDING_OFFICER = _("a certification officer who did not audit it")
START = Step(
    action="surveillance.started",
    title=_("Surveillance audit started"),
    button=_("Start the surveillance audit"),
    actor=AUDITOR,
    role=Role.AUDITOR,
    impartial=True,
)
REPORT = Step(
    action="surveillance.reported",
    title=_("Surveillance audit reported"),
    button=_("Submit the surveillance report"),
    actor=AUDITOR,
    role=Role.AUDITOR,
    impartial=True,
)
CONTINUE = Step(
    action="surveillance.continued",
    title=_("Certification continued after surveillance"),
    button=_("Continue the certification"),
    actor=DECIDING_OFFICER,
    role=Role.OFFICER,
    impartial=True,
    four_eyes=True,
)
REQUEST_CORRECTIONS = Step(
    action="surveillance.corrective_actions_requested",
    title=_("Corrective actions requested after surveillance"),
    button=_("Request corrective actions"),
    actor=DECIDING_OFFICER,
    role=Role.OFFICER,
    impartial=True,
    four_eyes=True,
)
ANSWER_CORRECTIONS = Step(
    action="surveillance.corrective_actions_submitted",
    title=_("Corrective actions submitted"),
    button=_("Submit the corrective actions"),
    actor=_("an applicant of the enterprise"),
    role=Role.APPLICANT,
)
SUSPEND = Step(
    action="surveillance.label_suspended",
    title=_("Label suspended after surveillance"),
    button=_("Suspend the label"),
    actor=DECIDING_OFFICER,
    role=Role.OFFICER,
    dangerous=True,
    impartial=True,
    four_eyes=True,
)
REVOKE = Step(
    action="surveillance.label_revoked",
    title=_("Label revoked after surveillance"),
    button=_("Revoke the label"),
    actor=DECIDING_OFFICER,
    role=Role.OFFICER,
    dangerous=True,
    impartial=True,
    four_eyes=True,
)


class Surveillance(ConcurrentTransitionMixin, models.Model):
    label = models.ForeignKey(
        "certification.Label", on_delete=models.PROTECT, related_name="surveillances", verbose_name=_("label")
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveillances", verbose_name=_("auditor")
    )
    scheduled_for = models.DateField(_("scheduled for"))
    state = FSMField(
        _("state"),
        max_length=20,
        choices=SurveillanceState.choices,
        default=SurveillanceState.SCHEDULED,
        protected=True,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Written only by report_surveillance, from the hours per production step of the share
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
    corrective_actions = models.TextField(_("corrective actions requested"), blank=True)
    corrective_actions_due = models.DateField(_("corrective actions due on"), null=True, blank=True)
    response = models.TextField(_("response of the enterprise"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The orders of an extra surveillance audit of the label (a change's or an upheld complaint's
    # decision, certification.services.extra_surveillance) this audit answers: their history rows.
    orders = models.ManyToManyField(
        "certification.HistoryEvent",
        blank=True,
        related_name="answered_by_surveillances",
        verbose_name=_("extra surveillance ordered by"),
    )

    class Meta:
        verbose_name = _("surveillance audit")
        verbose_name_plural = _("surveillance audits")
        ordering = ["scheduled_for", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["label"],
                condition=models.Q(state__in=OPEN_SURVEILLANCE),
                name="one_open_surveillance_per_label",
                violation_error_message=_("This label already has a surveillance audit under way."),
            )
        ]

    words = Words(
        forbidden=_("Only %(actor)s may do “%(step)s”."),
        not_now=_("This surveillance audit is %(state)s: “%(step)s” is not possible now."),
        done=_("The surveillance audit of %(name)s is now %(state)s."),
    )

    def __str__(self) -> str:
        return str(self.label)

    # What the policies read of any object acted on: its enterprise, and (four eyes) its auditor.
    @property
    def enterprise_id(self) -> int:
        return int(self.label.product.enterprise_id)

    @property
    def application(self) -> Any:
        """The label's application: its timeline shows the surveillance's history too."""
        return self.label.application

    @transition(
        state,
        source=SurveillanceState.SCHEDULED,
        target=SurveillanceState.IN_PROGRESS,
        permission=assigned_auditor_may,
        custom={"step": START},
    )
    def start(self) -> None:
        self.started_at = timezone.now()

    @transition(
        state,
        source=SurveillanceState.IN_PROGRESS,
        target=SurveillanceState.REPORTED,
        permission=assigned_auditor_may,
        custom={"step": REPORT},
    )
    def report(self, *, summary: str, measured_social_share: Any) -> None:
        self.summary, self.measured_social_share = summary.strip(), measured_social_share
        self.reported_at = timezone.now()

    @transition(
        state, source=DECIDING, target=SurveillanceState.CONTINUED, permission=officer_may, custom={"step": CONTINUE}
    )
    def continue_certification(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        state,
        source=SurveillanceState.REPORTED,
        target=SurveillanceState.CORRECTIVE_ACTION,
        permission=officer_may,
        custom={"step": REQUEST_CORRECTIONS},
    )
    def request_corrective_actions(self, *, actions: str, due: Any) -> None:
        self.corrective_actions, self.corrective_actions_due = actions.strip(), due

    @transition(
        state,
        source=SurveillanceState.CORRECTIVE_ACTION,
        target=SurveillanceState.REPORTED,
        permission=applicant_may,
        custom={"step": ANSWER_CORRECTIONS},
    )
    def submit_corrective_actions(self, *, response: str) -> None:
        self.response = response.strip()

    @transition(
        state, source=DECIDING, target=SurveillanceState.SUSPENDED, permission=officer_may, custom={"step": SUSPEND}
    )
    def suspend_label(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        state, source=DECIDING, target=SurveillanceState.REVOKED, permission=officer_may, custom={"step": REVOKE}
    )
    def revoke_label(self) -> None:
        self.decided_at = timezone.now()


class SurveillanceAssessment(models.Model):
    """The auditor's judgement of one criterion checked at surveillance."""

    surveillance = models.ForeignKey(
        Surveillance, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("surveillance audit")
    )
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
        verbose_name = _("surveillance assessment")
        verbose_name_plural = _("surveillance assessments")
        ordering = ["criterion__position", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["surveillance", "criterion"], name="surveillance_assessment_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.get_result_display()}"
