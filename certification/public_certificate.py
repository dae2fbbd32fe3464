"""What the public certificate URL answers (DESIGN §9): the certificate as issued while its
label is valid; once it is not, the same certificate stamped on every page with the status, the
day it holds from and the reason, so that a printout or a forwarded file never misleads. The
enterprise keeps the certificate as issued (`labels_held_by`), which still verifies as ours."""

import datetime
import hashlib
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import override

from certification.certificate.languages import DEFAULT_LANGUAGE, Language
from certification.certificate.stamp import Stamp, stamp_pdf
from certification.models import PublicStatus, StatusReason
from certification.services.certificates import CertificateFile

# The stamp warns whoever the certificate is forwarded to: in the three languages, the
# certificate's own first ("RETIRÉ / INGETROKKEN / REVOKED" on the French one).
STAMP_LANGUAGES: tuple[Language, ...] = ("nl", "en", "fr")


def in_three_languages(word: Promise, first: Language = DEFAULT_LANGUAGE) -> str:
    """The public's word in the three languages, `first` first: ingetrokken / revoked / retiré."""
    words = []
    for language in (first, *(other for other in STAMP_LANGUAGES if other != first)):
        with override(language):
            words.append(str(word))
    return " / ".join(words)


def stamp_for(representation: dict[str, Any], language: Language = DEFAULT_LANGUAGE) -> Stamp | None:
    """The stamp a label's certificate in `language` carries for the public now (from its public
    representation, as the lookup shows it), or None while it is valid."""
    status = PublicStatus(representation["status"])
    if status == PublicStatus.VALID:
        return None
    if status == PublicStatus.EXPIRED:  # from the day after its last day, whatever came before
        since = datetime.date.fromisoformat(representation["valid_until"]) + datetime.timedelta(days=1)
        return Stamp(status=in_three_languages(status.label, language).upper(), since=since)
    changed = representation["status_since"]
    since = timezone.localdate(datetime.datetime.fromisoformat(changed)) if changed else timezone.localdate()
    reason = representation["status_reason"]
    return Stamp(
        status=in_three_languages(status.label, language).upper(),
        since=since,
        reason=in_three_languages(StatusReason(reason).label, language) if reason in StatusReason.values else "",
    )


def public_certificate_etag(certificate: CertificateFile, stamp: Stamp | None) -> str:
    """The certificate's ETag for the public: the hash of the certificate as issued in its
    language, or that and its stamp's words."""
    if stamp is None:
        return f'"{certificate.sha256}"'
    stamped = hashlib.sha256(f"{certificate.sha256}\n{stamp.headline}\n{stamp.reason}".encode()).hexdigest()
    return f'"{stamped}"'


def stamped_certificate(certificate: CertificateFile, stamp: Stamp) -> bytes:
    with certificate.file.open("rb") as issued:
        return stamp_pdf(issued.read(), stamp)
