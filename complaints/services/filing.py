"""Filing a complaint: anyone, without an account (DESIGN §10)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.codes import parse_label_code
from certification.exceptions import InvalidLabelCode, RequirementsNotMet
from certification.identifiers import canonical_enterprise_number
from certification.models import Enterprise, Label, Scheme, SchemeStatus
from certification.notifications import notify_officers, workspace_url
from certification.services.documents import checked_upload
from certification.services.history import record_event
from certification.uploads import Sniffed, files_removed_on_failure, write_upload
from certification.working_days import add_working_days
from complaints.models import Complaint, ComplaintCategory, ComplaintFile
from complaints.notifications import notify_complaint_change
from complaints.tracking import make_tracking_number

# What the officers are told of a complaint received, in their words (never who filed it).
RECEIVED_SUBJECT = gettext_lazy("Complaint %(number)s received: to be acknowledged by %(date)s")
RECEIVED_SENTENCE = gettext_lazy(
    "A complaint about %(about)s was received (%(category)s). It is to be acknowledged by %(date)s, "
    "by a certification officer with no part in what it is about."
)


@dataclass
class ComplaintInput:
    """What a complainant sends, as typed; `website` is the form's hidden honeypot field."""

    category: str
    description: str
    label: str = ""
    enterprise_number: str = ""
    email: str = ""
    language: str = ""
    files: Sequence[File] = field(default_factory=list)
    website: str = ""


def _subject(data: ComplaintInput, unmet: list[str]) -> tuple[Label | None, Enterprise | None]:
    """The label or enterprise complained about, or (None, None) with the reason in `unmet`."""
    label_text, number_text = data.label.strip(), data.enterprise_number.strip()
    if label_text and number_text:
        unmet.append(_("Give a label code or an enterprise number, not both."))
    elif label_text:
        try:
            label = (
                Label.objects.select_related("product__enterprise").filter(code=parse_label_code(label_text)).first()
            )
        except InvalidLabelCode as error:
            unmet.append(str(error))
            return None, None
        if label is None:
            unmet.append(_("No label with this code: it was never issued."))
            return None, None
        return label, label.product.enterprise
    elif number_text:
        try:
            enterprise = Enterprise.objects.filter(enterprise_number=canonical_enterprise_number(number_text)).first()
        except ValidationError as error:
            unmet.extend(error.messages)
            return None, None
        if enterprise is None:
            unmet.append(_("No enterprise with this number is known to the certification body."))
        return None, enterprise
    else:
        unmet.append(_("Say what the complaint is about: a label code or an enterprise number."))
    return None, None


def _input_unmet(data: ComplaintInput) -> list[str]:
    unmet = []
    if data.category not in ComplaintCategory.values:
        unmet.append(_("Choose what the complaint is about (category)."))
    description = data.description.strip()
    if not description:
        unmet.append(_("Describe the problem (description)."))
    if len(description) > settings.COMPLAINT_MAX_DESCRIPTION:
        unmet.append(
            _("The description is longer than %(limit)s characters: shorten it, or add it as a file.")
            % {"limit": settings.COMPLAINT_MAX_DESCRIPTION}
        )
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            unmet.append(_("This e-mail address is not valid; leave it empty to follow the complaint by its number."))
    if len(data.files) > settings.COMPLAINT_MAX_FILES:
        unmet.append(_("Send at most %(count)s files.") % {"count": settings.COMPLAINT_MAX_FILES})
    return unmet


def _checked_files(files: Sequence[File], unmet: list[str]) -> list[Sniffed]:
    checked = []
    for file in files:
        try:
            checked.append(checked_upload(file))
        except RequirementsNotMet as refusal:
            unmet.extend(f"{file.name}: {sentence}" for sentence in refusal.unmet)
    return checked


def deadline_scheme(label: Label | None) -> Scheme:
    """Whose deadlines apply: the label's scheme, else the active one, else the defaults."""
    if label is not None:
        return label.scheme
    return Scheme.objects.filter(status=SchemeStatus.ACTIVE).first() or Scheme()


def _fresh_number() -> str:
    number = make_tracking_number()
    while Complaint.objects.filter(tracking_number=number).exists():
        number = make_tracking_number()
    return number


@transaction.atomic
def file_complaint(*, data: ComplaintInput) -> Complaint:
    """Record a complaint and mail its tracking number to the complainant, if an address is given;
    refused with every unmet requirement, or as a whole when the honeypot field was filled in."""
    if data.website:
        raise RequirementsNotMet([_("This form was filled in by a machine, not a person: it is not accepted.")])
    unmet = _input_unmet(data)
    label, enterprise = _subject(data, unmet)
    checked = _checked_files(data.files, unmet) if len(data.files) <= settings.COMPLAINT_MAX_FILES else []
    if unmet or enterprise is None:
        raise RequirementsNotMet(unmet)
    scheme = deadline_scheme(label)
    languages = dict(settings.LANGUAGES)
    complaint = Complaint.objects.create(
        tracking_number=_fresh_number(),
        label=label,
        enterprise=enterprise,
        category=data.category,
        description=data.description.strip(),
        email=data.email.strip(),
        language=data.language if data.language in languages else settings.LANGUAGE_CODE[:2],
        acknowledge_by=add_working_days(timezone.localdate(), scheme.complaint_acknowledgement_working_days),
    )
    _store_files(complaint, data.files, checked)
    # The history names what the complaint is about, never who filed it.
    event = record_event(
        action="complaint.received",
        by=None,
        target=complaint,
        to_state=complaint.state,
        data={
            "tracking_number": complaint.tracking_number,
            "category": complaint.category,
            "label": label.code if label else None,
            "enterprise_number": enterprise.enterprise_number,
            "files": [sniffed.sha256 for sniffed in checked],
        },
    )
    notify_complaint_change(complaint, event)
    notify_officers(
        complaint,
        event,
        subject=RECEIVED_SUBJECT,
        sentence=RECEIVED_SENTENCE,
        facts={
            "number": complaint.tracking_number,
            "about": f"{label.code} ({enterprise.name})" if label else enterprise.name,
            "category": ComplaintCategory(complaint.category).label,
            "date": complaint.acknowledge_by,
        },
        url=workspace_url("officer-complaint", complaint.tracking_number),
    )
    return complaint


def _store_files(complaint: Complaint, files: Sequence[File], checked: list[Sniffed]) -> None:
    stored: list[ComplaintFile] = []
    with files_removed_on_failure(stored):
        for file, sniffed in zip(files, checked, strict=True):
            row = ComplaintFile(complaint=complaint)
            stored.append(row)
            write_upload(row, file, sniffed)
            row.save()
