from typing import Any, cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from certification.models.accounts import Role, User, has_role
from certification.models.schemes import PERCENT


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


# Who may take each transition (DESIGN §4). django-fsm evaluates these as the transitions'
# permissions (hence the loose signature: any model, any user); services check them, and
# they decide which actions a user is offered.
def is_enterprise_applicant(application: Any, user: object) -> bool:
    return (
        has_role(user, Role.APPLICANT)
        and isinstance(user, User)
        and user.is_member_of(cast("Application", application).enterprise_id)
    )


def is_officer(application: Any, user: object) -> bool:
    return has_role(user, Role.OFFICER)


def is_assigned_auditor(application: Any, user: object) -> bool:
    auditor_id = cast("Application", application).auditor_id
    return has_role(user, Role.AUDITOR) and auditor_id is not None and auditor_id == getattr(user, "pk", None)


def is_deciding_officer(application: Any, user: object) -> bool:
    """Four eyes: an officer decides, never on an audit he or she performed."""
    return is_officer(application, user) and cast("Application", application).auditor_id != getattr(user, "pk", None)


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

    def __str__(self) -> str:
        return self.reference or str(_("new application"))

    @property
    def auditor_id(self) -> int | None:
        audit = getattr(self, "audit", None)
        return audit.auditor_id if audit is not None else None

    # Transitions only move the state and stamp times; services check requirements and act.
    @transition(
        state, source=ApplicationState.DRAFT, target=ApplicationState.SUBMITTED, permission=is_enterprise_applicant
    )
    def submit(self, *, scheme: Any) -> None:
        self.scheme = scheme
        self.submitted_at = timezone.now()

    @transition(state, source=ApplicationState.SUBMITTED, target=ApplicationState.DRAFT, permission=is_officer)
    def return_to_applicant(self) -> None:
        self.scheme = None
        self.submitted_at = None

    @transition(
        state, source=ApplicationState.SUBMITTED, target=ApplicationState.AUDIT_SCHEDULED, permission=is_officer
    )
    def schedule_audit(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.AUDIT_SCHEDULED,
        target=ApplicationState.AUDIT_IN_PROGRESS,
        permission=is_assigned_auditor,
    )
    def start_audit(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.AUDIT_IN_PROGRESS,
        target=ApplicationState.AUDIT_REPORTED,
        permission=is_assigned_auditor,
    )
    def submit_report(self) -> None:
        pass

    @transition(
        state, source=ApplicationState.AUDIT_REPORTED, target=ApplicationState.CORRECTIVE_ACTION, permission=is_officer
    )
    def request_corrective_actions(self) -> None:
        pass

    @transition(
        state,
        source=ApplicationState.CORRECTIVE_ACTION,
        target=ApplicationState.AUDIT_IN_PROGRESS,
        permission=is_enterprise_applicant,
    )
    def submit_corrective_actions(self) -> None:
        pass

    @transition(
        state, source=ApplicationState.AUDIT_REPORTED, target=ApplicationState.APPROVED, permission=is_deciding_officer
    )
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        state,
        source=[ApplicationState.SUBMITTED, ApplicationState.AUDIT_REPORTED],
        target=ApplicationState.REJECTED,
        permission=is_deciding_officer,
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(state, source=OPEN_STATES, target=ApplicationState.WITHDRAWN, permission=is_enterprise_applicant)
    def withdraw(self) -> None:
        self.decided_at = timezone.now()


def document_path(document: "ApplicationDocument", filename: str) -> str:
    # The person's file name is never part of the path: `filename` is generated by the service.
    return f"documents/{document.application_id}/{filename}"


class DocumentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="documents", verbose_name=_("application")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=40, choices=DocumentType.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
