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

from certification.certificate.stamp import Stamp, stamp_pdf
from certification.models import Label, PublicStatus, StatusReason

STAMP_LANGUAGES = ("nl", "en", "fr")


def in_three_languages(word: Promise) -> str:
    """The public's word in Dutch, English and French: ingetrokken / revoked / retiré."""
    words = []
    for language in STAMP_LANGUAGES:
        with override(language):
            words.append(str(word))
    return " / ".join(words)


def stamp_for(representation: dict[str, Any]) -> Stamp | None:
    """The stamp a label's certificate carries for the public now (from its public
    representation, as the lookup shows it), or None while it is valid."""
    status = PublicStatus(representation["status"])
    if status == PublicStatus.VALID:
        return None
    if status == PublicStatus.EXPIRED:  # from the day after its last day, whatever came before
        since = datetime.date.fromisoformat(representation["valid_until"]) + datetime.timedelta(days=1)
        return Stamp(status=in_three_languages(status.label).upper(), since=since)
    changed = representation["status_since"]
    since = timezone.localdate(datetime.datetime.fromisoformat(changed)) if changed else timezone.localdate()
    reason = representation["status_reason"]
    return Stamp(
        status=in_three_languages(status.label).upper(),
        since=since,
        reason=in_three_languages(StatusReason(reason).label) if reason in StatusReason.values else "",
    )


def public_certificate_etag(label: Label, stamp: Stamp | None) -> str:
    """The certificate's ETag for the public: its hash as issued, or that and its stamp's words."""
    if stamp is None:
        return f'"{label.certificate_sha256}"'
    stamped = hashlib.sha256(f"{label.certificate_sha256}\n{stamp.headline}\n{stamp.reason}".encode()).hexdigest()
    return f'"{stamped}"'


def stamped_certificate(label: Label, stamp: Stamp) -> bytes:
    with label.certificate.open("rb") as issued:
        return stamp_pdf(issued.read(), stamp)
