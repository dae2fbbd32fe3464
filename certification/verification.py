"""Is this certificate PDF, or this credential, one this system issued? (DESIGN §5)

Three outcomes: authentic (which label, and its status now), not authentic (why), or cannot
tell (what to send instead). Never an exception for bad input.
"""

import hashlib
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from certification.lookup import labels_for_lookup, public_representation
from certification.models import CertificateRecord, KeyStatus, Label, PublicStatus
from certification.signing import CredentialError, credential_digest, verify_credential

AUTHENTIC, NOT_AUTHENTIC, CANNOT_TELL = "authentic", "not_authentic", "cannot_tell"
_CODE_IN_PDF = re.compile(rb"SE-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}")


@dataclass(frozen=True)
class Verdict:
    outcome: str
    reason: str
    detail: str
    label: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "reason": self.reason,
            "detail": self.detail,
            "label": self.label,
            **self.extra,
        }


def _authentic(label: Label, detail: str, reason: str, **extra: Any) -> Verdict:
    data = public_representation(label)
    status = PublicStatus(data["status"]).label  # the word in the language of the request: "geldig"
    return Verdict(
        AUTHENTIC, reason, f"{detail} " + _("Its status today: %(status)s.") % {"status": status}, data, extra
    )


def verify_certificate_pdf(content: bytes) -> Verdict:
    if not content:
        return Verdict(CANNOT_TELL, "empty", _("The file is empty: send the certificate PDF as you received it."))
    if not content.startswith(b"%PDF-"):
        return Verdict(CANNOT_TELL, "not_pdf", _("This is not a PDF: send the certificate PDF as you received it."))
    digest = hashlib.sha256(content).hexdigest()
    # The Dutch certificate of an issue is its record's; the French and English ones are its translations'.
    record = (
        CertificateRecord.objects.filter(sha256=digest).only("label_id", "superseded_at").first()
        or CertificateRecord.objects.filter(translations__sha256=digest).only("label_id", "superseded_at").first()
    )
    if record is not None:
        label = labels_for_lookup().get(pk=record.label_id)
        if record.superseded_at is None:
            return _authentic(
                label, _("This is a certificate issued by us, exactly as issued."), "issued", certificate="current"
            )
        return _authentic(
            label,
            _("This certificate was issued by us, and later replaced by a newer certificate of the same label."),
            "issued_replaced",
            certificate="superseded",
        )
    named = _CODE_IN_PDF.search(content)
    if named and Label.objects.filter(code=named.group().decode()).exists():
        return Verdict(
            NOT_AUTHENTIC,
            "modified_pdf",
            _("This PDF names label %(code)s but is not the certificate we issued: it was changed.")
            % {"code": named.group().decode()},
        )
    return Verdict(NOT_AUTHENTIC, "unknown_pdf", _("We never issued this PDF."))


def too_large() -> Verdict:
    limit = filesizeformat(settings.VERIFY_UPLOAD_MAX_SIZE)
    return Verdict(
        CANNOT_TELL,
        "too_large",
        _("The upload is larger than %(limit)s; a certificate is far smaller. Send the certificate PDF.")
        % {"limit": limit},
    )


def verify_certificate_upload(file: IO[bytes]) -> Verdict:
    """verify_certificate_pdf for an uploaded file, read no further than a certificate can be long."""
    content = file.read(settings.VERIFY_UPLOAD_MAX_SIZE + 1)
    return too_large() if len(content) > settings.VERIFY_UPLOAD_MAX_SIZE else verify_certificate_pdf(content)


def verify_credential_text(token: str) -> Verdict:
    """A credential is ours when one of our keys signed it, the key was trusted when it signed,
    and the register holds it as issued: a leaked key cannot make one up."""
    if not token.strip():
        return Verdict(CANNOT_TELL, "empty", _("The credential is empty: send the JWS as you received it."))
    try:
        claims, key = verify_credential(token)
    except CredentialError as error:
        if error.reason == "malformed":
            return Verdict(
                CANNOT_TELL, error.reason, _("This is not a credential: send the JWS (three parts separated by dots).")
            )
        messages = {
            "unknown_key": _("The credential was signed with a key we never used."),
            "bad_signature": _("The signature does not match the content: the credential was changed or forged."),
        }
        return Verdict(NOT_AUTHENTIC, error.reason, str(messages.get(error.reason, error)))
    if key.status == KeyStatus.COMPROMISED:
        return Verdict(
            NOT_AUTHENTIC,
            "key_compromised",
            _(
                "The credential was signed with a key of ours that is no longer safe: it cannot be trusted. "
                "Ask the holder for the reissued certificate."
            ),
        )
    issued = (
        CertificateRecord.objects.filter(credential_sha256=credential_digest(token))
        .select_related("label")
        .only("signed_at", "label__code")
        .first()
    )
    if issued is None or issued.label.code != claims.get("sub"):
        return Verdict(
            NOT_AUTHENTIC,
            "not_issued",
            _("The signature is ours, but we never issued this credential: its content was made up."),
        )
    if key.retired_at is not None and (issued.signed_at is None or issued.signed_at >= key.retired_at):
        return Verdict(
            NOT_AUTHENTIC,
            "key_retired",
            _("The credential was signed after its key was retired: we do not trust it."),
        )
    label = labels_for_lookup().filter(code=issued.label.code).first()
    if label is None:
        return Verdict(NOT_AUTHENTIC, "unknown_label", _("The credential names a label we never issued."))
    return _authentic(label, _("This credential was signed by us."), "signed", claims=claims)
