"""Changes affecting certification (ISO/IEC 17065 7.10, DESIGN §9): the enterprise notifies a
change to a labelled product or service; a certification officer decides what it means."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from certification.models.accounts import Role
from certification.policies import officer_may
from certification.transitions import Step, Words


class ChangeKind(models.TextChoices):
    PRODUCTION_MOVED = "production_moved", _("production moved")
    SUBCONTRACTOR_CHANGED = "subcontractor_changed", _("subcontractor changed")
    COMPOSITION_CHANGED = "composition_changed", _("composition changed")


class ChangeState(models.TextChoices):
    NOTIFIED = "notified", _("notified, to be decided")
    NO_EFFECT = "no_effect", _("no effect on the label")
    EXTRA_SURVEILLANCE = "extra_surveillance", _("extra surveillance audit")
    SUSPENDED = "suspended", _("label suspended")


OFFICER = _("a certification officer")
NO_EFFECT = Step(
    action="change.no_effect",
    title=_("Change judged without effect on the label"),
    button=_("No effect on the label"),
    actor=OFFICER,
    role=Role.OFFICER,
    impartial=True,
)
EXTRA_SURVEILLANCE = Step(
    action="change.extra_surveillance",
    title=_("Extra surveillance audit required for a change"),
    button=_("Require an extra surveillance audit"),
    actor=OFFICER,
    role=Role.OFFICER,
    impartial=True,
)
SUSPEND = Step(
    action="change.label_suspended",
    title=_("Label suspended for a change"),
    button=_("Suspend the label"),
    actor=OFFICER,
    role=Role.OFFICER,
    dangerous=True,
    impartial=True,
)


class Change(models.Model):
    label = models.ForeignKey(
        "certification.Label", on_delete=models.PROTECT, related_name="changes", verbose_name=_("label")
    )
    kind = models.CharField(_("kind of change"), max_length=24, choices=ChangeKind.choices)
    description = models.TextField(_("description"))
    effective_on = models.DateField(_("effective on"))
    state = FSMField(
        _("state"), max_length=20, choices=ChangeState.choices, default=ChangeState.NOTIFIED, protected=True
    )
    decision = models.TextField(_("decision"), blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("notified by")
    )
    notified_at = models.DateTimeField(_("notified at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change affecting certification")
        verbose_name_plural = _("changes affecting certification")
        ordering = ["notified_at", "pk"]

    words = Words(
        forbidden=_("Only %(actor)s may do “%(step)s”."),
        not_now=_("This change is %(state)s: “%(step)s” is not possible now."),
        done=_("The change to %(name)s is now: %(state)s."),
    )

    def __str__(self) -> str:
        return f"{self.label} · {self.get_kind_display()}"

    @property
    def enterprise_id(self) -> int:
        return int(self.label.product.enterprise_id)

    @property
    def application(self) -> models.Model:
        """The label's application: its timeline shows the change too."""
        return self.label.application  # type: ignore[no-any-return]

    def _decide(self, decision: str) -> None:
        self.decision, self.decided_at = decision.strip(), timezone.now()

    @transition(
        state,
        source=ChangeState.NOTIFIED,
        target=ChangeState.NO_EFFECT,
        permission=officer_may,
        custom={"step": NO_EFFECT},
    )
    def no_effect(self, *, decision: str) -> None:
        self._decide(decision)

    @transition(
        state,
        source=ChangeState.NOTIFIED,
        target=ChangeState.EXTRA_SURVEILLANCE,
        permission=officer_may,
        custom={"step": EXTRA_SURVEILLANCE},
    )
    def extra_surveillance(self, *, decision: str) -> None:
        self._decide(decision)

    @transition(
        state,
        source=ChangeState.NOTIFIED,
        target=ChangeState.SUSPENDED,
        permission=officer_may,
        custom={"step": SUSPEND},
    )
    def suspend_label(self, *, decision: str) -> None:
        self._decide(decision)
