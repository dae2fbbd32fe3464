"""Appeals by an enterprise against a decision on its certification (ISO/IEC 17065 7.13)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from certification.models import ApplicationState, HistoryEvent, Role, User
from certification.models.files import StoredFile
from certification.policies import officer_may
from certification.transitions import Recipient, Step, Words


class AppealKind(models.TextChoices):
    """What is appealed, named by the history row of the decision."""

    REJECTION = "rejection", _("the rejection of an application")
    SUSPENSION = "suspension", _("the suspension of a label")
    REVOCATION = "revocation", _("the revocation of a label")


# The history code of each kind of decision.
DECISION_ACTIONS = {
    AppealKind.REJECTION: "application.rejected",
    AppealKind.SUSPENSION: "label.suspended",
    AppealKind.REVOCATION: "label.revoked",
}


class ReopenStep(models.TextChoices):
    """Where a rejected application starts again when its appeal is granted: the step it names."""

    SUBMITTED = ApplicationState.SUBMITTED, _("screening of the application")
    AUDIT_IN_PROGRESS = ApplicationState.AUDIT_IN_PROGRESS, _("the audit")
    AUDIT_REPORTED = ApplicationState.AUDIT_REPORTED, _("the decision on the audit report")


class AppealState(models.TextChoices):
    LODGED = "lodged", _("lodged")
    DECISION_UPHELD = "decision_upheld", _("not granted: the decision stands")
    GRANTED = "granted", _("granted")


UNINVOLVED_OFFICER = _("a certification officer who took no part in the decision")
UPHOLD_DECISION = Step(
    action="appeal.decision_upheld",
    title=_("Appeal not granted: the decision stands"),
    button=_("Let the decision stand"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    notify=(Recipient.APPLICANTS,),
    impartial=True,
)
GRANT = Step(
    action="appeal.granted",
    title=_("Appeal granted"),
    button=_("Grant the appeal"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    notify=(Recipient.APPLICANTS,),
    impartial=True,
)


class Appeal(models.Model):
    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("application")
    )
    label = models.ForeignKey(
        "certification.Label",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("label"),
    )
    enterprise = models.ForeignKey(
        "certification.Enterprise", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("appeal against"), max_length=12, choices=AppealKind.choices)
    # The history row of the decision appealed: one appeal per decision.
    decision = models.OneToOneField(
        HistoryEvent, on_delete=models.PROTECT, related_name="+", verbose_name=_("decision appealed")
    )
    arguments = models.TextField(_("arguments"))
    reopen_at = models.CharField(_("reopen at"), max_length=20, choices=ReopenStep.choices, blank=True)
    state = FSMField(_("state"), max_length=20, choices=AppealState.choices, default=AppealState.LODGED, protected=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lodged by")
    )
    lodged_at = models.DateTimeField(_("lodged at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.TextField(_("reasons for the decision on the appeal"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-lodged_at", "pk"]

    words = Words(
        forbidden=_("Only %(actor)s may do “%(step)s”."),
        not_now=_("This appeal is %(state)s: “%(step)s” is not possible now."),
        done=_("Appeal %(name)s is now %(state)s."),
    )

    def __str__(self) -> str:
        return f"#{self.pk}" if self.pk else str(_("new appeal"))

    def involvement(self, user: User) -> str | None:
        """Why this officer took part in the decision appealed, or None: he or she took it, or
        audited the application it was about."""
        if self.decision.actor_id == user.pk:
            return str(_("You took the decision appealed: another certification officer decides on the appeal."))
        if self.application.auditor_id == user.pk:
            return str(_("You audited this application: another certification officer decides on the appeal."))
        return None

    @transition(
        state,
        source=AppealState.LODGED,
        target=AppealState.DECISION_UPHELD,
        permission=officer_may,
        custom={"step": UPHOLD_DECISION},
    )
    def uphold_decision(self, *, reasons: str) -> None:
        self.reasons = reasons
        self.decided_at = timezone.now()

    @transition(
        state,
        source=AppealState.LODGED,
        target=AppealState.GRANTED,
        permission=officer_may,
        custom={"step": GRANT},
    )
    def grant(self, *, reasons: str) -> None:
        self.reasons = reasons
        self.decided_at = timezone.now()


def appeal_file_path(appeal_file: "AppealFile", filename: str) -> str:
    return f"appeals/{appeal_file.appeal_id}/{filename}"


class AppealFile(StoredFile):
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="files", verbose_name=_("appeal"))
    file = models.FileField(_("file"), upload_to=appeal_file_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("appeal file")
        verbose_name_plural = _("appeal files")
