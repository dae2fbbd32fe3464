"""Surveillance of issued labels (ISO/IEC 17065 7.9): scheduling, the checklist, the report and
the officer's decision. Each step: lock, guard, require, transition, history, in that order."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.inputs import CorrectionsResponseForm, CorrectiveActionsRequestForm, SurveillanceReportForm
from audits.models import AssessmentResult
from audits.services.assessments import checked_judgement
from audits.services.share import (
    StepRecord,
    checked_share,
    gap_beyond_limit,
    hours_missing,
    measured_share,
    share_assessment,
    share_criterion,
    step_data,
    store_steps,
)
from audits.surveillance import Surveillance, SurveillanceAssessment
from audits.surveillance_selectors import surveillance_criteria
from certification.exceptions import ActionForbidden, RequirementsNotMet, TransitionNotAllowed
from certification.inputs import RationaleForm, ReasonForm
from certification.models import CriterionKind, Label, LabelStatus, Role, StatusReason, User
from certification.models.accounts import has_role
from certification.notifications import latest_event, notify_officers, workspace_url
from certification.policies import auditor_conflict, membership_conflict
from certification.services.extra_surveillance import extra_surveillance_orders
from certification.services.history import record_event
from certification.services.labels import CURRENT_STATUSES, add_months
from certification.services.workflow import apply_transition, guard_transition, lock, require
from certification.transitions import ActionForm, performs, step_of

# What the officers are told when a surveillance audit waits for their decision, in their words.
REPORTED_SUBJECT = gettext_lazy("Surveillance audit of label %(code)s: a report to decide on")
REPORTED_SENTENCE = gettext_lazy(
    "%(auditor)s reported the surveillance audit of label %(code)s of %(product)s (%(enterprise)s). "
    "It waits for the decision of a certification officer who did not audit it."
)
ANSWERED_SUBJECT = gettext_lazy("Surveillance audit of label %(code)s: corrective actions to decide on")
ANSWERED_SENTENCE = gettext_lazy(
    "%(enterprise)s answered the corrective actions of the surveillance audit of label %(code)s of %(product)s. "
    "It waits for the decision of a certification officer who did not audit it."
)


def _schedule_unmet(label: Label, auditor: User | None, scheduled_for: datetime.date | None) -> list[str]:
    unmet = []
    if label.status not in CURRENT_STATUSES:
        unmet.append(_("Only a current label (active or suspended) is kept under surveillance."))
    if auditor is None:
        unmet.append(_("Choose an auditor."))
    elif conflict := auditor_conflict(application=label.application, auditor=auditor):
        unmet.append(conflict)
    if scheduled_for is None:
        unmet.append(_("Choose the date of the audit."))
    elif scheduled_for < timezone.localdate():
        unmet.append(_("The audit date cannot be in the past."))
    return unmet


@transaction.atomic
def schedule_surveillance(
    *, label: Label, by: User, auditor: User | None, scheduled_for: datetime.date | None
) -> Surveillance:
    """An officer without a conflict schedules the surveillance audit of a label with a qualified
    auditor without a conflict (the same rules as for the first audit)."""
    label = Label.objects.select_for_update(of=("self",)).select_related("application", "product").get(pk=label.pk)
    if not has_role(by, Role.OFFICER):
        raise ActionForbidden(_("Only a certification officer may schedule a surveillance audit."))
    if conflict := membership_conflict(by, label.product.enterprise_id):
        raise ActionForbidden(conflict)
    require(_schedule_unmet(label, auditor, scheduled_for))
    assert auditor is not None
    assert scheduled_for is not None
    try:
        with transaction.atomic():
            surveillance = Surveillance.objects.create(label=label, auditor=auditor, scheduled_for=scheduled_for)
    except IntegrityError as error:
        raise RequirementsNotMet([_("This label already has a surveillance audit under way.")]) from error
    # It answers every order of an extra surveillance audit that none answered yet.
    surveillance.orders.set(extra_surveillance_orders(label).filter(answered_by_surveillances__isnull=True))
    record_event(
        action="surveillance.scheduled",
        by=by,
        target=surveillance,
        application=label.application,
        to_state=surveillance.state,
        data={"label": label.code, "auditor": auditor.get_username(), "scheduled_for": scheduled_for.isoformat()},
    )
    return surveillance


def _lock(surveillance: Surveillance) -> Surveillance:
    return lock(surveillance)


@performs(Surveillance, "start", form=ActionForm)
@transaction.atomic
def start_surveillance(*, surveillance: Surveillance, by: User) -> Surveillance:
    surveillance = _lock(surveillance)
    guard_transition(surveillance, "start", by=by)
    return apply_transition(surveillance, "start", by=by)


def check_surveillance_recording(surveillance: Surveillance, by: User, doing: str) -> None:
    """Only its auditor records (assessments, evidence), only while it is in progress (as for the
    first audit)."""
    if surveillance.auditor_id != by.pk or not has_role(by, Role.AUDITOR):
        raise ActionForbidden(_("Only the assigned auditor may %(doing)s.") % {"doing": doing})
    if (conflict := membership_conflict(by, surveillance.enterprise_id)) is not None:
        raise ActionForbidden(conflict)
    if surveillance.state != "in_progress":
        raise TransitionNotAllowed(
            _("You can %(doing)s only while the audit is in progress; it is %(state)s.")
            % {"doing": doing, "state": surveillance.get_state_display()},
            state=surveillance.state,
            allowed=[],
        )


@transaction.atomic
def record_surveillance_assessment(
    *,
    surveillance: Surveillance,
    criterion_code: str,
    by: User,
    result: str | None = None,
    value: Decimal | None = None,
    comment: str = "",
    steps: Sequence[StepRecord] = (),
) -> SurveillanceAssessment:
    """Record (or correct) one criterion checked at surveillance, by the same rules as at the first
    audit: the share criterion takes the hours per production step, from which its share and
    result follow; a score's result follows from its pass mark."""
    surveillance = _lock(surveillance)
    check_surveillance_recording(surveillance, by, _("assess criteria"))
    criterion = surveillance_criteria(surveillance=surveillance).filter(code=criterion_code).first()
    if criterion is None:
        raise RequirementsNotMet(
            [_("%(code)s is not a criterion checked at this surveillance.") % {"code": criterion_code}]
        )
    if criterion.kind == CriterionKind.SOCIAL_SHARE:
        result, value = checked_share(
            scheme=surveillance.label.scheme, criterion=criterion, result=result, value=value, steps=steps
        )
    else:
        result = checked_judgement(criterion, result, value, steps)
    assessment, _created = SurveillanceAssessment.objects.update_or_create(
        surveillance=surveillance,
        criterion=criterion,
        defaults={"result": result, "value": value, "comment": comment, "assessed_by": by},
    )
    data: dict[str, object] = {
        "criterion": criterion.code,
        "result": result,
        "value": None if value is None else str(value),
    }
    if criterion.kind == CriterionKind.SOCIAL_SHARE:
        store_steps(assessment, steps)
        data["steps"] = [step_data(step) for step in assessment.steps.all()]
    record_event(
        action="surveillance.assessment_recorded",
        by=by,
        target=assessment,
        application=surveillance.application,
        comment=comment,
        data=data,
    )
    return assessment


def _report_unmet(surveillance: Surveillance, summary: str, share: Decimal | None) -> list[str]:
    criteria = list(surveillance_criteria(surveillance=surveillance))
    assessed = set(surveillance.assessments.values_list("criterion_id", flat=True))
    missing = [c.code for c in criteria if c.pk not in assessed]
    unmet = []
    if missing:
        unmet.append(
            _("Assess every criterion checked at surveillance; not yet assessed: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    if not summary.strip():
        unmet.append(_("Write a summary of the audit."))
    criterion = share_criterion(criteria)
    if share is None:
        unmet.append(hours_missing(criterion))
    elif (gap := _gap_unexplained(surveillance, share)) is not None:
        label = surveillance.label
        unmet.append(
            _(
                "The measured share (%(measured)s %%) is %(gap)s points below the label's share (%(certified)s %%),"
                " more than the scheme allows (%(limit)s): explain the difference in the comment on %(code)s."
            )
            % {
                "measured": share,
                "certified": label.social_share,
                "gap": gap,
                "limit": label.scheme.max_share_gap,
                "code": criterion.code if criterion else _("The share criterion"),
            }
        )
    return unmet


def _gap_unexplained(surveillance: Surveillance, share: Decimal) -> Decimal | None:
    """The points by which the measured share lies further below the label's share than the scheme
    allows, when the auditor's comment on the share criterion does not say why (a surveillance
    audit records no findings: the comment beside the hours is its explanation)."""
    label = surveillance.label
    gap = gap_beyond_limit(label.scheme, label.social_share, share)
    assessment = share_assessment(surveillance)
    if gap is None or (assessment is not None and assessment.comment.strip()):
        return None
    return gap


@performs(Surveillance, "report", form=SurveillanceReportForm)
@transaction.atomic
def report_surveillance(*, surveillance: Surveillance, by: User, summary: str) -> Surveillance:
    """The surveillance report; the measured share is the one computed from the recorded hours."""
    surveillance = _lock(surveillance)
    guard_transition(surveillance, "report", by=by)
    share = measured_share(surveillance)
    require(_report_unmet(surveillance, summary, share))
    apply_transition(
        surveillance,
        "report",
        by=by,
        comment=summary.strip(),
        data={"measured_social_share": str(share)},
        summary=summary,
        measured_social_share=share,
    )
    _tell_the_officers(surveillance, "report", subject=REPORTED_SUBJECT, sentence=REPORTED_SENTENCE)
    return surveillance


def _tell_the_officers(surveillance: Surveillance, name: str, *, subject: Promise, sentence: Promise) -> None:
    """The surveillance audit waits for a decision after step `name`: tell the officers who may take it."""
    label = Label.objects.select_related("product__enterprise").get(pk=surveillance.label_id)
    notify_officers(
        surveillance,
        latest_event(surveillance, step_of(Surveillance, name).action),
        subject=subject,
        sentence=sentence,
        facts={
            "code": label.code,
            "product": label.product.name,
            "enterprise": label.product.enterprise.name,
            "auditor": surveillance.auditor.get_full_name() or surveillance.auditor.get_username(),
        },
        url=workspace_url("surveillance", surveillance.pk),
    )


def _continue_unmet(surveillance: Surveillance, share: Decimal | None) -> list[str]:
    passed = set(surveillance.assessments.filter(result=AssessmentResult.PASS).values_list("criterion_id", flat=True))
    mandatory = surveillance_criteria(surveillance=surveillance).filter(mandatory=True)
    if share is None:  # reported before the share was measured from hours: its typed figure decides nothing
        mandatory = mandatory.exclude(kind=CriterionKind.SOCIAL_SHARE)
    failing = [c.code for c in mandatory if c.pk not in passed]
    scheme = surveillance.label.scheme
    unmet = []
    if failing:
        unmet.append(_("Every mandatory criterion must pass; not passed: %(codes)s.") % {"codes": ", ".join(failing)})
    if share is not None and scheme.level_for(share) is None:
        unmet.append(
            _("The measured social-economy share (%(share)s %%) is below the lowest level (%(lowest)s %%).")
            % {"share": share, "lowest": scheme.level_1_min_share}
        )
    if surveillance.label.status != LabelStatus.ACTIVE:
        unmet.append(
            _("The label is %(status)s: reinstate it, or suspend or revoke it here.")
            % {"status": surveillance.label.get_status_display()}
        )
    return unmet


@performs(Surveillance, "continue_certification", form=RationaleForm)
@transaction.atomic
def continue_certification(*, surveillance: Surveillance, by: User, rationale: str = "") -> Surveillance:
    """The label continues: its next surveillance is due one interval after this one; when the share
    computed from the hours recorded at this surveillance changed, the label's level and share
    follow, in a new certificate version. A surveillance reported before the share was measured
    from hours (its share typed) changes neither."""
    from certification.services.certificates import issue_certificate

    surveillance = _lock(surveillance)
    guard_transition(surveillance, "continue_certification", by=by)
    share = measured_share(surveillance)
    require(_continue_unmet(surveillance, share))
    label = Label.objects.select_for_update(of=("self",)).get(pk=surveillance.label_id)
    assert surveillance.started_at is not None
    level, share = (label.scheme.level_for(share), share) if share is not None else (label.level, label.social_share)
    assert level is not None
    visited = timezone.localdate(surveillance.started_at)
    label.surveillance_due_on = add_months(visited, label.scheme.surveillance_months)
    changed = (level, share) != (label.level, label.social_share)
    before = {"level": label.level, "social_share": str(label.social_share)}
    if changed:
        label.level, label.social_share = level, share
    label.save(update_fields=["surveillance_due_on", "level", "social_share"])
    apply_transition(
        surveillance,
        "continue_certification",
        by=by,
        comment=rationale,
        data={"next_due": label.surveillance_due_on.isoformat(), "level": level, "social_share": str(share)},
    )
    if changed:
        reason = _("Measured share at surveillance: %(share)s %% (was %(before)s %%).") % {
            "share": share,
            "before": before["social_share"],
        }
        record_event(
            action="label.level_changed",
            by=by,
            target=label,
            application=label.application,
            comment=reason,
            data={"before": before, "after": {"level": level, "social_share": str(share)}},
        )
        issue_certificate(label=label, by=by)
    return surveillance


@performs(Surveillance, "request_corrective_actions", form=CorrectiveActionsRequestForm)
@transaction.atomic
def request_surveillance_corrections(
    *, surveillance: Surveillance, by: User, comment: str, due_date: datetime.date | None
) -> Surveillance:
    surveillance = _lock(surveillance)
    guard_transition(surveillance, "request_corrective_actions", by=by)
    unmet = []
    if not comment.strip():
        unmet.append(_("Say which corrective actions are needed."))
    if due_date is None:
        unmet.append(_("Give the due date for the corrective actions."))
    elif due_date <= timezone.localdate():
        unmet.append(_("The due date must be in the future."))
    require(unmet)
    return apply_transition(
        surveillance,
        "request_corrective_actions",
        by=by,
        comment=comment.strip(),
        data={"due_date": due_date.isoformat() if due_date else None},
        actions=comment,
        due=due_date,
    )


@performs(Surveillance, "submit_corrective_actions", form=CorrectionsResponseForm)
@transaction.atomic
def submit_surveillance_corrections(*, surveillance: Surveillance, by: User, response: str) -> Surveillance:
    surveillance = _lock(surveillance)
    guard_transition(surveillance, "submit_corrective_actions", by=by)
    if not response.strip():
        raise RequirementsNotMet([_("Describe the corrective actions taken.")])
    apply_transition(surveillance, "submit_corrective_actions", by=by, comment=response.strip(), response=response)
    _tell_the_officers(surveillance, "submit_corrective_actions", subject=ANSWERED_SUBJECT, sentence=ANSWERED_SENTENCE)
    return surveillance


def _end_with(surveillance: Surveillance, name: str, label_step: str, *, by: User, reason: str) -> Surveillance:
    """Suspend or revoke the label as the outcome of its surveillance."""
    surveillance = _lock(surveillance)
    guard_transition(surveillance, name, by=by)
    if not reason.strip():
        raise RequirementsNotMet([_("Give the reason for this change.")])
    label = Label.objects.select_for_update(of=("self",)).get(pk=surveillance.label_id)
    guard_transition(label, label_step, by=by)
    apply_transition(surveillance, name, by=by, comment=reason)
    category = StatusReason.NON_CONFORMITY
    apply_transition(
        label, label_step, by=by, comment=reason, data={"category": category}, reason=reason, category=category
    )
    return surveillance


@performs(Surveillance, "suspend_label", form=ReasonForm)
@transaction.atomic
def suspend_after_surveillance(*, surveillance: Surveillance, by: User, reason: str) -> Surveillance:
    return _end_with(surveillance, "suspend_label", "suspend", by=by, reason=reason)


@performs(Surveillance, "revoke_label", form=ReasonForm)
@transaction.atomic
def revoke_after_surveillance(*, surveillance: Surveillance, by: User, reason: str) -> Surveillance:
    return _end_with(surveillance, "revoke_label", "revoke", by=by, reason=reason)
