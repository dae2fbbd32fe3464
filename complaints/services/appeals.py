"""Appeals (ISO/IEC 17065 7.13): an enterprise appeals a rejection, a suspension or a revocation
within the scheme's number of days; an officer who took no part in the decision decides. Granted,
the application is reopened at the step the appeal names, or the label is reinstated."""

from collections.abc import Sequence

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from background.outbox import in_language, queue_mail
from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import (
    Application,
    ApplicationState,
    HistoryEvent,
    Label,
    LabelStatus,
    Role,
    Scheme,
    StatusReason,
    User,
)
from certification.notifications import notify_officers, workspace_url
from certification.policies import is_applicant_of
from certification.services.documents import checked_upload
from certification.services.history import record_event
from certification.services.labels import change_label_status
from certification.services.workflow import apply_transition, guard_transition, lock, lock_application, require
from certification.transitions import performs
from certification.uploads import files_removed_on_failure, write_upload
from complaints.appeal_selectors import Appealable, appealable_decision
from complaints.inputs import AppealDecisionForm
from complaints.models import Appeal, AppealFile, AppealKind, AppealState, ReopenStep

MAX_APPEAL_FILES = 5

# What the officers are told of an appeal lodged, in their words.
LODGED_SUBJECT = gettext_lazy("Appeal of %(enterprise)s: a decision to take")
LODGED_SENTENCE = gettext_lazy(
    "%(enterprise)s appealed %(kind)s (application %(reference)s). It is to be decided by a certification "
    "officer who took no part in the decision appealed."
)


def _lodging_unmet(
    application: Application, found: Appealable, arguments: str, reopen_at: str, files: Sequence[File]
) -> list[str]:
    unmet = []
    if timezone.localdate() > found.last_day:
        unmet.append(
            _("The time to appeal this decision ended on %(date)s (%(days)s days after it).")
            % {"date": date_format(found.last_day), "days": (application.scheme or Scheme()).appeal_days}
        )
    if Appeal.objects.filter(decision=found.decision).exists():
        unmet.append(_("This decision has been appealed already: one appeal per decision."))
    if not arguments.strip():
        unmet.append(_("Give your arguments against the decision (arguments)."))
    if found.kind == AppealKind.REJECTION:
        unmet.extend(_reopen_unmet(application, reopen_at))
    elif reopen_at:
        unmet.append(_("Only the appeal of a rejection names a step to reopen the application at."))
    if len(files) > MAX_APPEAL_FILES:
        unmet.append(_("Send at most %(count)s files.") % {"count": MAX_APPEAL_FILES})
    return unmet


def _reopen_unmet(application: Application, reopen_at: str) -> list[str]:
    if reopen_at not in ReopenStep.values:
        return [_("Name the step the application should be reopened at (reopen_at).")]
    if reopen_at != ReopenStep.SUBMITTED and getattr(application, "audit", None) is None:
        return [_("This application was rejected before any audit: it can only be reopened for screening.")]
    return []


@transaction.atomic
def lodge_appeal(
    *, by: User, application: Application, arguments: str, reopen_at: str = "", files: Sequence[File] = ()
) -> Appeal:
    """Appeal the decision that stands on `application`: its rejection, or the suspension or
    revocation of its label."""
    application = lock_application(application)
    if not is_applicant_of(by, application.enterprise_id):
        raise ActionForbidden(_("Only an applicant of the enterprise may appeal a decision on its certification."))
    found = appealable_decision(application)
    if found is None:
        raise RequirementsNotMet(
            [_("There is no decision to appeal here: only a rejection, a suspension or a revocation can be appealed.")]
        )
    unmet = _lodging_unmet(application, found, arguments, reopen_at, files)
    checked = []
    for file in files if len(files) <= MAX_APPEAL_FILES else []:
        try:
            checked.append(checked_upload(file))
        except RequirementsNotMet as refusal:
            unmet.extend(f"{file.name}: {sentence}" for sentence in refusal.unmet)
    require(unmet)
    appeal = Appeal.objects.create(
        application=application,
        label=found.label,
        enterprise=application.enterprise,
        kind=found.kind,
        decision=found.decision,
        arguments=arguments.strip(),
        reopen_at=reopen_at,
        lodged_by=by,
    )
    stored: list[AppealFile] = []
    with files_removed_on_failure(stored):
        for file, sniffed in zip(files, checked, strict=True):
            row = AppealFile(appeal=appeal)
            stored.append(row)
            write_upload(row, file, sniffed)
            row.save()
        event = record_event(
            action="appeal.lodged",
            by=by,
            target=appeal,
            application=application,
            to_state=appeal.state,
            comment=appeal.arguments,
            data={
                "kind": found.kind,
                "decision": found.decision.sequence,
                "reopen_at": reopen_at,
                "label": found.label.code if found.label else None,
            },
        )
        notify_officers(
            appeal,
            event,
            subject=LODGED_SUBJECT,
            sentence=LODGED_SENTENCE,
            facts={
                "enterprise": application.enterprise.name,
                "kind": AppealKind(found.kind).label,
                "reference": application.reference,
            },
            url=workspace_url("appeal", appeal.pk),
        )
    return appeal


@performs(Appeal, "uphold_decision", form=AppealDecisionForm)
@transaction.atomic
def uphold_decision(*, appeal: Appeal, by: User, reasons: str) -> Appeal:
    """The appeal is not granted: the decision stands, for the reasons given."""
    appeal = lock(appeal)
    guard_transition(appeal, "uphold_decision", by=by)
    require([] if reasons.strip() else [_("Give the reasons for the decision on the appeal (reasons).")])
    apply_transition(appeal, "uphold_decision", by=by, comment=reasons, reasons=reasons)
    _tell_the_applicants(appeal)
    return appeal


@performs(Appeal, "grant", form=AppealDecisionForm)
@transaction.atomic
def grant_appeal(*, appeal: Appeal, by: User, reasons: str) -> Appeal:
    """The appeal is granted: the application reopens at the step it names, or the label is reinstated."""
    appeal = lock(appeal)
    guard_transition(appeal, "grant", by=by)
    unmet = [] if reasons.strip() else [_("Give the reasons for the decision on the appeal (reasons).")]
    unmet.extend(_undo_unmet(appeal))
    require(unmet)
    apply_transition(appeal, "grant", by=by, comment=reasons, reasons=reasons)
    if appeal.kind == AppealKind.REJECTION:
        _reopen(appeal, by=by, reasons=reasons)
    else:
        _reinstate(appeal, by=by, reasons=reasons)
    _tell_the_applicants(appeal)
    return appeal


def _undo_unmet(appeal: Appeal) -> list[str]:
    """Why the decision can no longer be undone (it changed since), or nothing."""
    if appeal.kind == AppealKind.REJECTION:
        state = Application.objects.values_list("state", flat=True).get(pk=appeal.application_id)
        return [] if state == ApplicationState.REJECTED else [_("The application is no longer rejected.")]
    expected = LabelStatus.SUSPENDED if appeal.kind == AppealKind.SUSPENSION else LabelStatus.REVOKED
    assert appeal.label is not None
    status = Label.objects.values_list("status", flat=True).get(pk=appeal.label.pk)
    if status != expected:
        return [_("The label is no longer %(status)s: nothing to reinstate.") % {"status": expected.label}]
    return []


def _reopen(appeal: Appeal, *, by: User, reasons: str) -> None:
    application = lock_application(appeal.application)
    application.reopen(at=appeal.reopen_at)
    application.save()
    record_event(
        action="application.reopened",
        by=by,
        target=application,
        application=application,
        from_state=ApplicationState.REJECTED,
        to_state=application.state,
        comment=reasons,
        data={"appeal": appeal.pk},
    )


def _reinstate(appeal: Appeal, *, by: User, reasons: str) -> None:
    assert appeal.label is not None
    reason = _("Appeal #%(appeal)s granted: %(reasons)s") % {"appeal": appeal.pk, "reasons": reasons}
    if appeal.kind == AppealKind.SUSPENSION:
        change_label_status(
            label=appeal.label, name="reinstate", by=by, reason=reason, category=StatusReason.APPEAL_GRANTED
        )
        return
    label = lock(appeal.label)
    label.restore(reason=reason, category=StatusReason.APPEAL_GRANTED)
    try:
        with transaction.atomic():
            label.save()
    except IntegrityError:
        raise RequirementsNotMet(
            [_("The product holds another current label now: the revoked one cannot be reinstated.")]
        ) from None
    record_event(
        action="label.reinstated",
        by=by,
        target=label,
        application=label.application,
        from_state=LabelStatus.REVOKED,
        to_state=label.status,
        comment=reason,
        data={"category": StatusReason.APPEAL_GRANTED, "appeal": appeal.pk},
    )


def _tell_the_applicants(appeal: Appeal) -> None:
    event = HistoryEvent.objects.filter(target_id=appeal.pk, action__startswith="appeal.").latest("sequence")
    applicants = appeal.enterprise.members.filter(groups__name=Role.APPLICANT, is_active=True).exclude(email="")
    for user in applicants.distinct().order_by("email"):
        with in_language(user.language):
            outcome = AppealState(appeal.state).label
            subject = _("Your appeal against %(kind)s: %(outcome)s") % {
                "kind": appeal.get_kind_display(),
                "outcome": outcome,
            }
            body = "\n\n".join([subject, appeal.reasons])
        queue_mail(
            key=f"appeal:{appeal.pk}:{event.sequence}:{user.pk}",
            to=user.email,
            language=user.language,
            subject=subject,
            body=body,
        )
