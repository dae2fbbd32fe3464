from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from certification.exceptions import ActionForbidden, RequirementsNotMet
from certification.models import Application, ApplicationDocument, ApplicationState, DocumentType, User
from certification.policies import is_applicant_of
from certification.services.history import record_event
from certification.services.workflow import lock_application
from certification.uploads import (
    Sniffed,
    files_removed_on_failure,
    is_plain_file_name,
    pdf_refusal,
    sniff,
    write_upload,
)

# Documents belong to the application file: added while drafting, and as evidence when
# answering findings.
DOCUMENT_STATES = (ApplicationState.DRAFT, ApplicationState.CORRECTIVE_ACTION)


def checked_upload(file: File) -> Sniffed:
    """What an uploaded file is, once it passed every check a document passes (a plain name, the
    size limit, PDF, PNG or JPEG by content, a PDF without active content or bombs); refused
    with a sentence otherwise. Also the check of the files the public sends with a complaint."""
    if not is_plain_file_name(file.name or ""):
        raise RequirementsNotMet([_("The file name must be a plain name, without folders or special characters.")])
    if (file.size or 0) > settings.MAX_UPLOAD_SIZE:
        raise RequirementsNotMet(
            [_("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}]
        )
    sniffed = sniff(file)
    if sniffed is None:
        raise RequirementsNotMet([_("Only PDF, PNG and JPEG files are accepted; this file is none of these.")])
    if sniffed.size > settings.MAX_UPLOAD_SIZE:  # the declared size can lie; the content cannot
        raise RequirementsNotMet(
            [_("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}]
        )
    if sniffed.content_type == DocumentType.PDF and (refusal := pdf_refusal(file)) is not None:
        raise RequirementsNotMet([refusal])
    return sniffed


@transaction.atomic
def add_document(*, application: Application, file: File, by: User) -> ApplicationDocument:
    application = lock_application(application)
    if not is_applicant_of(by, application.enterprise_id):
        raise ActionForbidden(_("Only an applicant of the enterprise may add documents to this application."))
    if application.state not in DOCUMENT_STATES:
        raise RequirementsNotMet(
            [_("Documents can be added only while the application is a draft or answers findings.")]
        )
    sniffed = checked_upload(file)
    document = ApplicationDocument(application=application, uploaded_by=by)
    with files_removed_on_failure([document]):
        write_upload(document, file, sniffed)
        document.save()
        record_event(
            action="application.document_added",
            by=by,
            target=document,
            application=application,
            data={"name": document.original_name, "sha256": sniffed.sha256, "size": sniffed.size},
        )
    return document
