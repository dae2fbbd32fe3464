"""The audit part of the workflow: scheduling, starting, reporting, corrective actions."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.inputs import CorrectiveActionsForm, CorrectiveActionsRequestForm, ReportForm, ScheduleAuditForm
from audits.models import Audit, Finding, FindingStatus
from audits.services.share import gap_beyond_limit, hours_missing, measured_share, share_criterion
from certification.exceptions import ActionForbidden, DomainError, TransitionNotAllowed
from certification.models import Application, ApplicationState, Criterion, User
from certification.policies import auditor_conflict, is_applicant_of
from certification.selectors import applicable_criteria
from certification.services.applications import notify_step
from certification.services.history import record_event
from certification.services.workflow import apply_transition, guard_transition, lock_application, require
from certification.transitions import ActionForm, performs


def _schedule_unmet(application: Application, auditor: User | None, scheduled_for: datetime.date | None) -> list[str]:
    unmet = []
    if auditor is None:
        unmet.append(_("Choose an auditor."))
    elif conflict := auditor_conflict(application=application, auditor=auditor):
        unmet.append(conflict)
    if scheduled_for is None:
        unmet.append(_("Choose the date of the audit."))
    elif scheduled_for < timezone.localdate():
        unmet.append(_("The audit date cannot be in the past."))
    return unmet


@performs(Application, "schedule_audit", form=ScheduleAuditForm)
@transaction.atomic
def schedule_audit(
    *, application: Application, by: User, auditor: User | None, scheduled_for: datetime.date | None
) -> Application:
    application = lock_application(application)
    guard_transition(application, "schedule_audit", by=by)
    require(_schedule_unmet(application, auditor, scheduled_for))
    assert auditor is not None
    assert scheduled_for is not None
    Audit.objects.create(application=application, auditor=auditor, scheduled_for=scheduled_for)
    apply_transition(
        application,
        "schedule_audit",
        by=by,
        data={"auditor": auditor.get_username(), "scheduled_for": scheduled_for.isoformat()},
    )
    notify_step(application, "schedule_audit")
    return application


@performs(Application, "start_audit", form=ActionForm)
@transaction.atomic
def start_audit(*, application: Application, by: User) -> Application:
    application = lock_application(application)
    guard_transition(application, "start_audit", by=by)
    Audit.objects.filter(application=application).update(started_at=timezone.now())
    return apply_transition(application, "start_audit", by=by)


def _report_unmet(application: Application, summary: str, share: Decimal | None) -> list[str]:
    criteria = list(applicable_criteria(application=application))
    assessed = set(application.audit.assessments.values_list("criterion_id", flat=True))
    missing = [c.code for c in criteria if c.pk not in assessed]
    unmet = []
    if missing:
        unmet.append(
            _("Assess every applicable criterion; not yet assessed: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    if not summary.strip():
        unmet.append(_("Write a summary of the audit."))
    criterion = share_criterion(criteria)
    if share is None:
        unmet.append(hours_missing(criterion))
    elif (gap := _gap_unexplained(application, share, criterion)) is not None:
        assert application.scheme is not None
        unmet.append(
            _(
                "The measured share (%(measured)s %%) is %(gap)s points below the declared share (%(declared)s %%),"
                " more than the scheme allows (%(limit)s): record a finding on %(code)s that explains the difference."
            )
            % {
                "measured": share,
                "declared": application.declared_social_share,
                "gap": gap,
                "limit": application.scheme.max_share_gap,
                "code": criterion.code if criterion else _("The share criterion"),
            }
        )
    return unmet


def _gap_unexplained(application: Application, share: Decimal, criterion: Criterion | None) -> Decimal | None:
    """The points by which the measured share lies further below the declared one than the scheme
    allows, when no finding on the share criterion says why."""
    if application.scheme is None:
        return None
    gap = gap_beyond_limit(application.scheme, application.declared_social_share, share)
    if gap is None or application.audit.findings.filter(criterion=criterion).exists():
        return None
    return gap


@performs(Application, "submit_report", form=ReportForm)
@transaction.atomic
def submit_report(*, application: Application, by: User, summary: str) -> Application:
    """The auditor's report; the measured share is the one computed from the recorded hours."""
    application = lock_application(application)
    guard_transition(application, "submit_report", by=by)
    share = measured_share(application.audit)
    require(_report_unmet(application, summary, share))
    Audit.objects.filter(application=application).update(
        summary=summary, measured_social_share=share, reported_at=timezone.now()
    )
    apply_transition(application, "submit_report", by=by, comment=summary, data={"measured_social_share": str(share)})
    notify_step(application, "submit_report")
    return application


@performs(Application, "request_corrective_actions", form=CorrectiveActionsRequestForm)
@transaction.atomic
def request_corrective_actions(
    *, application: Application, by: User, comment: str, due_date: datetime.date | None
) -> Application:
    application = lock_application(application)
    guard_transition(application, "request_corrective_actions", by=by)
    unresolved = application.audit.findings.exclude(status=FindingStatus.CLOSED)
    unmet = []
    if not unresolved.exists():
        unmet.append(_("There is no open finding to correct."))
    if due_date is None:
        unmet.append(_("Give the due date for the corrective actions."))
    elif due_date <= timezone.localdate():
        unmet.append(_("The due date must be in the future."))
    require(unmet)
    # An answered finding that is not closed was not accepted: it is open again.
    unresolved.update(status=FindingStatus.OPEN, due_date=due_date)
    apply_transition(
        application,
        "request_corrective_actions",
        by=by,
        comment=comment,
        data={"due_date": due_date.isoformat() if due_date else None},
    )
    notify_step(application, "request_corrective_actions", comment)
    return application


def answering_refusal(user: User, application: Application) -> DomainError | None:
    """Why this person may not answer the application's findings now (nor send files with the
    answers), or None: an applicant of the enterprise, while corrective actions are requested."""
    if not is_applicant_of(user, application.enterprise_id):
        return ActionForbidden(_("Only an applicant of the enterprise may answer its findings."))
    if application.state != ApplicationState.CORRECTIVE_ACTION:
        return TransitionNotAllowed(
            _("Findings are answered while corrective actions are requested; the application is %(state)s.")
            % {"state": application.get_state_display()},
            state=application.state,
            allowed=[],
        )
    return None


@transaction.atomic
def answer_finding(*, finding: Finding, by: User, response: str) -> Finding:
    """The enterprise answers one finding while corrective actions are requested."""
    application = lock_application(finding.audit.application)
    if (refusal := answering_refusal(by, application)) is not None:
        raise refusal
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    unmet = []
    if finding.status == FindingStatus.CLOSED:
        unmet.append(_("This finding is closed."))
    if not response.strip():
        unmet.append(_("Write the answer to the finding."))
    require(unmet)
    return _record_answer(finding, application=application, response=response, by=by)


def _record_answer(finding: Finding, *, application: Application, response: str, by: User) -> Finding:
    from_state = finding.status
    finding.response, finding.responded_at, finding.responded_by = response.strip(), timezone.now(), by
    finding.status = FindingStatus.ANSWERED
    finding.save(update_fields=["response", "responded_at", "responded_by", "status"])
    record_event(
        action="finding.answered",
        by=by,
        target=finding,
        application=application,
        from_state=from_state,
        to_state=finding.status,
        comment=finding.response,
    )
    return finding


@performs(Application, "submit_corrective_actions", form=CorrectiveActionsForm)
@transaction.atomic
def submit_corrective_actions(*, application: Application, by: User, responses: dict[int, str]) -> Application:
    application = lock_application(application)
    guard_transition(application, "submit_corrective_actions", by=by)
    open_findings = {f.pk: f for f in Finding.objects.filter(audit__application=application, status=FindingStatus.OPEN)}
    answers = {int(pk): text.strip() for pk, text in responses.items()}
    require(
        [
            _("Finding #%(id)s is not an open finding of this application.") % {"id": pk}
            for pk in answers
            if pk not in open_findings
        ]
        + [_("Answer finding #%(id)s.") % {"id": pk} for pk in open_findings if not answers.get(pk)]
    )
    for pk, finding in open_findings.items():
        _record_answer(finding, application=application, response=answers[pk], by=by)
    apply_transition(application, "submit_corrective_actions", by=by, data={"answered_findings": sorted(open_findings)})
    notify_step(application, "submit_corrective_actions")
    return application
