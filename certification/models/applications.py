from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from certification.models.accounts import Role
from certification.models.files import StoredFile
from certification.models.schemes import PERCENT
from certification.policies import applicant_may, assigned_auditor_may, officer_may
from certification.transitions import Recipient, Step, Words


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    AUDIT_SCHEDULED = "audit_scheduled", _("audit scheduled")
    AUDIT_IN_PROGRESS = "audit_in_progress", _("audit in progress")
    AUDIT_REPORTED = "audit_reported", _("audit reported")
    CORRECTIVE_ACTION = "corrective_action", _("corrective action")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


FINAL_STATES = (ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN)
OPEN_STATES = [state for state in ApplicationState if state not in FINAL_STATES]

# The steps of DESIGN §4, as people see them. Officers' steps on an application are impartial:
# refused to a member of the applying enterprise; the decision is also refused to its auditor.
APPLICANTS, OFFICERS, AUDITOR = Recipient.APPLICANTS, Recipient.OFFICERS, Recipient.AUDITOR
ENTERPRISE_APPLICANT = _("an applicant of the enterprise")
OFFICER = _("a certification officer")
ASSIGNED_AUDITOR = _("the assigned auditor")
DECIDING_OFFICER = _("a certification officer who did not audit it")
SUBMIT = Step(
    action="application.submitted",
    title=_("Application submitted"),
    button=_("Submit"),
    actor=ENTERPRISE_APPLICANT,
    role=Role.APPLICANT,
    notify=(OFFICERS,),
)
RETURN_TO_APPLICANT = Step(
    action="application.returned",
    title=_("Returned to the applicant"),
    button=_("Return to the applicant"),
    actor=OFFICER,
    role=Role.OFFICER,
    notify=(APPLICANTS,),
    impartial=True,
)
SCHEDULE_AUDIT = Step(
    action="application.audit_scheduled",
    title=_("Audit scheduled"),
    button=_("Schedule the audit"),
    actor=OFFICER,
    role=Role.OFFICER,
    notify=(APPLICANTS, AUDITOR),
    impartial=True,
)
START_AUDIT = Step(
    action="application.audit_started",
    title=_("Audit started"),
    button=_("Start the audit"),
    actor=ASSIGNED_AUDITOR,
    role=Role.AUDITOR,
    impartial=True,
)
SUBMIT_REPORT = Step(
    action="application.audit_reported",
    title=_("Audit reported"),
    button=_("Submit the audit report"),
    actor=ASSIGNED_AUDITOR,
    role=Role.AUDITOR,
    notify=(OFFICERS,),
    impartial=True,
)
REQUEST_CORRECTIVE_ACTIONS = Step(
    action="application.corrective_actions_requested",
    title=_("Corrective actions requested"),
    button=_("Request corrective actions"),
    actor=OFFICER,
    role=Role.OFFICER,
    notify=(APPLICANTS,),
    impartial=True,
)
SUBMIT_CORRECTIVE_ACTIONS = Step(
    action="application.corrective_actions_submitted",
    title=_("Corrective actions submitted"),
    button=_("Submit the corrective actions"),
    actor=ENTERPRISE_APPLICANT,
    role=Role.APPLICANT,
    notify=(AUDITOR,),
)
APPROVE = Step(
    action="application.approved",
    title=_("Application approved"),
    button=_("Approve and issue the label"),
    actor=DECIDING_OFFICER,
    role=Role.OFFICER,
    notify=(APPLICANTS,),
    impartial=True,
    four_eyes=True,
    done=_("The label %(result)s is issued; its certificate is ready."),
)
REJECT = Step(
    action="application.rejected",
    title=_("Application rejected"),
    button=_("Reject"),
    actor=DECIDING_OFFICER,
    role=Role.OFFICER,
    dangerous=True,
    notify=(APPLICANTS,),
    impartial=True,
    four_eyes=True,
)
WITHDRAW = Step(
    action="application.withdrawn",
    title=_("Application withdrawn"),
    button=_("Withdraw"),
    actor=ENTERPRISE_APPLICANT,
    role=Role.APPLICANT,
    dangerous=True,
    notify=(OFFICERS, AUDITOR),
)


class Application(ConcurrentTransitionMixin, models.Model):
    # NULL until the row has its id (the reference is derived from it); unique once set.
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001
    enterprise = models.ForeignKey(
        "certification.Enterprise", on_delete=models.PROTECT, related_name="applications", verbose_name=_("enterprise")
    )
    product = models.ForeignKey(
        "certification.Product",
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        verbose_name=_("product or service"),
    )
    scheme = models.ForeignKey(
        "certification.Scheme",
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("scheme"),
        help_text=_("Frozen when the application is submitted."),
    )
    declared_social_share = models.DecimalField(
        _("declared social-economy share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    production_description = models.TextField(_("production description"), blank=True)
    # A renewal (ISO/IEC 17065 recertification): approving it supersedes this label.
    renews = models.ForeignKey(
        "certification.Label",
        on_delete=models.PROTECT,
        related_name="renewals",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("renews label"),
    )
    state = FSMField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["renews"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_renewal_per_label",
                violation_error_message=_("A renewal of this label is under way already."),
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(_("new application"))

    @property
    def auditor_id(self) -> int | None:
        audit = getattr(self, "audit", None)
        return audit.auditor_id if audit is not None else None

    words = Words(
        forbidden=_("Only %(actor)s may do “%(step)s”."),
        not_now=_("This application is %(state)s: “%(step)s” is not possible now."),
        done=_("%(name)s is now %(state)s."),
    )

    # Transitions only move the state and stamp times; services check requirements and act.
    # Each declares its step once (DESIGN §4): history words, button, who may, who is told.
    @transition(
        state,
        source=ApplicationState.DRAFT,
        target=ApplicationState.SUBMITTED,
        permission=applicant_may,
        custom={"step": SUBMIT},
    )
    def submit(self, *, scheme: Any) -> None:
        self.scheme = scheme
        self.submitted_at = timezone.now()

    @transition(
        state,
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.DRAFT,
        permission=officer_may,
        custom={"step": RETURN_TO_APPLICANT},
    )
    def return_to_applicant(self) -> None:
        self.scheme = None
        self.submitted_at = None

    @transition(
        state,
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.AUDIT_SCHEDULED,
        permission=officer_may,
        custom={"step": SCHEDULE_AUDIT},
    )
    def schedule_audit(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.AUDIT_SCHEDULED,
        target=ApplicationState.AUDIT_IN_PROGRESS,
        permission=assigned_auditor_may,
        custom={"step": START_AUDIT},
    )
    def start_audit(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.AUDIT_IN_PROGRESS,
        target=ApplicationState.AUDIT_REPORTED,
        permission=assigned_auditor_may,
        custom={"step": SUBMIT_REPORT},
    )
    def submit_report(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.AUDIT_REPORTED,
        target=ApplicationState.CORRECTIVE_ACTION,
        permission=officer_may,
        custom={"step": REQUEST_CORRECTIVE_ACTIONS},
    )
    def request_corrective_actions(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.CORRECTIVE_ACTION,
        target=ApplicationState.AUDIT_IN_PROGRESS,
        permission=applicant_may,
        custom={"step": SUBMIT_CORRECTIVE_ACTIONS},
    )
    def submit_corrective_actions(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.AUDIT_REPORTED,
        target=ApplicationState.APPROVED,
        permission=officer_may,
        custom={"step": APPROVE},
    )
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        state,
        source=[ApplicationState.SUBMITTED, ApplicationState.AUDIT_REPORTED],
        target=ApplicationState.REJECTED,
        permission=officer_may,
        custom={"step": REJECT},
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    # Taken by the decision on an appeal granted (complaints.services.appeals), at the step the
    # appeal names: no step of its own.
    @transition(
        state,
        source=ApplicationState.REJECTED,
        target=RETURN_VALUE(
            ApplicationState.SUBMITTED, ApplicationState.AUDIT_IN_PROGRESS, ApplicationState.AUDIT_REPORTED
        ),
    )
    def reopen(self, *, at: str) -> str:
        self.decided_at = None
        return at

    @transition(
        state,
        source=OPEN_STATES,
        target=ApplicationState.WITHDRAWN,
        permission=applicant_may,
        custom={"step": WITHDRAW},
    )
    def withdraw(self) -> None:
        self.decided_at = timezone.now()


def document_path(document: "ApplicationDocument", filename: str) -> str:
    # The person's file name is never part of the path: `filename` is generated by the service.
    return f"documents/{document.application_id}/{filename}"


class ApplicationDocument(StoredFile):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="documents", verbose_name=_("application")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
