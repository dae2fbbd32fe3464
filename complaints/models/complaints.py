"""Complaints from the public about a label or an enterprise (ISO/IEC 17065 7.13, DESIGN §10)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from certification.models import HistoryEvent, Role, User
from certification.models.files import StoredFile
from certification.policies import officer_may
from certification.transitions import Step, Words


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("received")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    UNDER_INVESTIGATION = "under_investigation", _("under investigation")
    UPHELD = "upheld", _("upheld")
    NOT_UPHELD = "not_upheld", _("not upheld")
    CLOSED = "closed", _("closed")


# Where the decision is still to be taken: the deadline to decide runs.
BEING_HANDLED = (ComplaintState.ACKNOWLEDGED, ComplaintState.UNDER_INVESTIGATION)


class ComplaintCategory(models.TextChoices):
    LABEL_MISUSED = "label_misused", _("the label is used on a product or service it does not cover")
    NOT_AS_CLAIMED = "not_as_claimed", _("the product or service is not as the label claims")
    WORKING_CONDITIONS = "working_conditions", _("the working conditions of target-group employees")
    OTHER = "other", _("something else")


UNINVOLVED_OFFICER = _("a certification officer with no part in what the complaint is about")
ACKNOWLEDGE = Step(
    action="complaint.acknowledged",
    title=_("Complaint acknowledged"),
    button=_("Acknowledge the complaint"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    impartial=True,
)
INVESTIGATE = Step(
    action="complaint.investigation_started",
    title=_("Investigation started"),
    button=_("Start the investigation"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    impartial=True,
)
UPHOLD = Step(
    action="complaint.upheld",
    title=_("Complaint upheld"),
    button=_("Uphold the complaint"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    impartial=True,
)
DISMISS = Step(
    action="complaint.not_upheld",
    title=_("Complaint not upheld"),
    button=_("Do not uphold the complaint"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    impartial=True,
)
CLOSE = Step(
    action="complaint.closed",
    title=_("Complaint closed"),
    button=_("Close the complaint"),
    actor=UNINVOLVED_OFFICER,
    role=Role.OFFICER,
    impartial=True,
)


TOOK_PART_IN_THE_LABEL = _(
    "You took part in the certification of this label: another certification officer handles the complaint."
)
TOOK_PART_IN_THE_ENTERPRISE = _(
    "You took part in the certification of this enterprise: another certification officer handles the complaint."
)


class Complaint(models.Model):
    """A complaint: its tracking number is the public's key to its status; who filed it (the
    e-mail address) is known to the certification body only."""

    tracking_number = models.CharField(_("tracking number"), max_length=16, unique=True, editable=False)
    label = models.ForeignKey(
        "certification.Label",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("label"),
    )
    enterprise = models.ForeignKey(
        "certification.Enterprise", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("enterprise")
    )
    category = models.CharField(_("category"), max_length=24, choices=ComplaintCategory.choices)
    description = models.TextField(_("description"))
    email = models.EmailField(_("e-mail address for updates (private)"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    state = FSMField(
        _("stage"), max_length=20, choices=ComplaintState.choices, default=ComplaintState.RECEIVED, protected=True
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    acknowledge_by = models.DateField(_("to be acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    decide_by = models.DateField(_("to be decided by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    # The label's suspension this complaint led to, if any: its history row.
    suspension = models.ForeignKey(
        HistoryEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suspension it led to"),
    )
    # The extra surveillance audit of the label this complaint ordered, if any: the order's history row.
    extra_surveillance = models.ForeignKey(
        HistoryEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extra surveillance audit it ordered"),
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "pk"]
        indexes = [models.Index(fields=["state", "received_at"])]

    words = Words(
        forbidden=_("Only %(actor)s may do “%(step)s”."),
        not_now=_("This complaint is %(state)s: “%(step)s” is not possible now."),
        done=_("Complaint %(name)s is now %(state)s."),
    )

    def __str__(self) -> str:
        return self.tracking_number

    def involvement(self, user: User) -> str | None:
        """Why this officer had a part in what the complaint is about, or None: he or she acted in
        the certification of the label (or, for a complaint about an enterprise, of any of its
        products), audit and decisions included."""
        if self.label_id is not None:
            took_part = HistoryEvent.objects.filter(application__label=self.label_id, actor=user)
            if took_part.exists() or self.label.application.auditor_id == user.pk:  # type: ignore[union-attr]
                return str(TOOK_PART_IN_THE_LABEL)
            return None
        if HistoryEvent.objects.filter(application__enterprise=self.enterprise_id, actor=user).exists():
            return str(TOOK_PART_IN_THE_ENTERPRISE)
        return None

    def overdue(self, today: datetime.date | None = None) -> bool:
        """Past its deadline to be acknowledged or decided, read at the moment of asking."""
        today = today or timezone.localdate()
        if self.state == ComplaintState.RECEIVED:
            return today > self.acknowledge_by
        return self.state in BEING_HANDLED and self.decide_by is not None and today > self.decide_by

    # Transitions only move the stage and stamp times; the services check and act.
    @transition(
        state,
        source=ComplaintState.RECEIVED,
        target=ComplaintState.ACKNOWLEDGED,
        permission=officer_may,
        custom={"step": ACKNOWLEDGE},
    )
    def acknowledge(self, *, handler: User, decide_by: datetime.date) -> None:
        self.acknowledged_at = timezone.now()
        self.handled_by = handler
        self.decide_by = decide_by

    @transition(
        state,
        source=ComplaintState.ACKNOWLEDGED,
        target=ComplaintState.UNDER_INVESTIGATION,
        permission=officer_may,
        custom={"step": INVESTIGATE},
    )
    def investigate(self) -> None:
        pass

    @transition(
        state,
        source=ComplaintState.UNDER_INVESTIGATION,
        target=ComplaintState.UPHELD,
        permission=officer_may,
        custom={"step": UPHOLD},
    )
    def uphold(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        state,
        source=ComplaintState.UNDER_INVESTIGATION,
        target=ComplaintState.NOT_UPHELD,
        permission=officer_may,
        custom={"step": DISMISS},
    )
    def dismiss(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        state,
        source=[ComplaintState.UPHELD, ComplaintState.NOT_UPHELD],
        target=ComplaintState.CLOSED,
        permission=officer_may,
        custom={"step": CLOSE},
    )
    def close(self) -> None:
        self.closed_at = timezone.now()


def complaint_file_path(complaint_file: "ComplaintFile", filename: str) -> str:
    # The person's file name is never part of the path: `filename` is generated by the service.
    return f"complaints/{complaint_file.complaint_id}/{filename}"


class ComplaintFile(StoredFile):
    """A file sent with a complaint: checked as an application's documents are, seen by officers only."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="files", verbose_name=_("complaint")
    )
    file = models.FileField(_("file"), upload_to=complaint_file_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("complaint file")
        verbose_name_plural = _("complaint files")
