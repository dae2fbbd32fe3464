"""Evidence attached to an assessment or a finding, and removed again while the audit is open.

Who attaches: the assigned auditor while the audit (or surveillance audit) is in progress; on a
finding, also an applicant of the enterprise while corrective actions are requested and the
finding is not closed (the files that show the correction, beside the written answer). Who
removes: whoever attached it, under the same rule. Once the audit is reported the evidence is a
record of it and stays (ISO/IEC 17065 7.12). The checks of the file are those of a document."""

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from audits.evidence import Evidence
from audits.models import Assessment, Finding, FindingStatus
from audits.services.audits import answering_refusal
from audits.services.surveillance import check_surveillance_recording
from audits.surveillance import Surveillance, SurveillanceAssessment
from certification.exceptions import ActionForbidden, DomainError, RequirementsNotMet
from certification.models import Application, User
from certification.policies import is_applicant_of, recording_refusal
from certification.services.documents import checked_upload
from certification.services.history import record_event
from certification.services.workflow import lock, lock_application
from certification.uploads import files_removed_on_failure, write_upload

EvidenceTarget = Assessment | SurveillanceAssessment | Finding


Owner = Application | Surveillance


def _owner(target: EvidenceTarget) -> Owner:
    """The application (or surveillance audit) whose state decides."""
    return target.surveillance if isinstance(target, SurveillanceAssessment) else target.audit.application


def _locked_owner(target: EvidenceTarget) -> Owner:
    """The owner, its row locked: evidence and the report that closes the audit never pass each other."""
    owner = _owner(target)
    return lock_application(owner) if isinstance(owner, Application) else lock(owner)


def attach_refusal(target: EvidenceTarget, by: User, owner: Owner | None = None) -> DomainError | None:
    """Why this person may not attach evidence to `target` now, or None (the pages ask it to offer
    a file input; the services raise it)."""
    owner = _owner(target) if owner is None else owner
    if isinstance(owner, Application):
        return _audit_refusal(target, owner, by)
    assert isinstance(owner, Surveillance)
    try:
        check_surveillance_recording(owner, by, _("attach evidence"))
    except DomainError as refused:
        return refused
    return None


def _audit_refusal(target: EvidenceTarget, application: Application, by: User) -> DomainError | None:
    if isinstance(target, Finding) and is_applicant_of(by, application.enterprise_id):
        if (refusal := answering_refusal(by, application)) is not None:
            return refusal
        return RequirementsNotMet([_("This finding is closed.")]) if target.status == FindingStatus.CLOSED else None
    return recording_refusal(by, application, doing=_("attach evidence"))


def _check_may_attach(target: EvidenceTarget, owner: Owner, by: User) -> None:
    if isinstance(target, Finding):
        target.refresh_from_db(fields=["status"])
    if (refusal := attach_refusal(target, by, owner)) is not None:
        raise refusal


def _described(target: EvidenceTarget) -> str:
    if isinstance(target, Finding):
        return f"finding #{target.pk}"
    return str(target.criterion.code)


def _history_application(owner: Owner) -> Application:
    return owner if isinstance(owner, Application) else owner.label.application


@transaction.atomic
def attach_evidence(*, target: EvidenceTarget, file: File, by: User) -> Evidence:
    """Attach one checked file to an assessment, a surveillance assessment or a finding."""
    owner = _locked_owner(target)
    _check_may_attach(target, owner, by)
    sniffed = checked_upload(file)
    evidence = Evidence(uploaded_by=by)
    if isinstance(target, Assessment):
        evidence.assessment = target
    elif isinstance(target, SurveillanceAssessment):
        evidence.surveillance_assessment = target
    else:
        evidence.finding = target
    with files_removed_on_failure([evidence]):
        write_upload(evidence, file, sniffed)
        evidence.save()
        record_event(
            action="evidence.added",
            by=by,
            target=evidence,
            application=_history_application(owner),
            data={
                "for": _described(target),
                "name": evidence.original_name,
                "sha256": sniffed.sha256,
                "size": sniffed.size,
            },
        )
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, by: User) -> None:
    """Whoever attached it removes it, while he or she could still attach it; after the report
    it is a record and stays."""
    target = evidence.attached_to
    owner = _locked_owner(target)
    if evidence.uploaded_by_id != by.pk:
        raise ActionForbidden(_("Only the person who attached this file may remove it."))
    _check_may_attach(target, owner, by)
    record_event(
        action="evidence.removed",
        by=by,
        target=evidence,
        application=_history_application(owner),
        data={"for": _described(target), "name": evidence.original_name, "sha256": evidence.sha256},
    )
    file = evidence.file
    evidence.delete()
    # The file goes once the row is gone for good; a rollback keeps both.
    transaction.on_commit(lambda: file.delete(save=False))
