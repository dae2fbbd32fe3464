"""A label's certificate: its signed credential and the PDF that carries it (DESIGN §5)."""

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import override, pgettext

from certification.certificate.languages import CERTIFICATE_LANGUAGES, DEFAULT_LANGUAGE, Language
from certification.certificate.render import CertificateData, render_certificate_pdf
from certification.identifiers import format_enterprise_number
from certification.models import CertificateRecord, CertificateTranslation, Label, User
from certification.services.history import record_event
from certification.signing import credential_digest, credential_key_id, sign_claims


def verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


def scheme_url(version: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/schemes/{version}/"


def _midnight(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time.min, ZoneInfo(settings.TIME_ZONE)).timestamp())


def label_claims(label: Label) -> dict[str, Any]:
    """What the credential asserts: the label's facts, valid from its first to its last day.
    `jti` makes every issue a distinct credential, as the register counts them (Ed25519 is
    deterministic: the same claims signed in the same second would be the same token)."""
    product, enterprise = label.product, label.product.enterprise
    return {
        "iss": settings.PUBLIC_BASE_URL,
        "sub": label.code,
        "jti": uuid.uuid4().hex,
        "iat": int(timezone.now().timestamp()),
        "nbf": _midnight(label.issued_on),
        "exp": _midnight(label.valid_until + datetime.timedelta(days=1)),
        "issuer": settings.LABEL_ISSUER_NAME,
        "label": {
            "code": label.code,
            "level": label.level,
            "social_share_percent": float(label.social_share),
            "scheme": str(label.scheme),
            "issued_on": label.issued_on.isoformat(),
            "valid_until": label.valid_until.isoformat(),
            "product": {"name": product.name, "kind": product.kind, "category": product.category.code},
            "enterprise": {"name": enterprise.name, "enterprise_number": enterprise.enterprise_number},
        },
    }


def certificate_data(label: Label, key_id: str, language: Language = DEFAULT_LANGUAGE) -> CertificateData:
    product, enterprise = label.product, label.product.enterprise
    with override(language):
        kind, recognition = str(product.get_kind_display()), str(enterprise.get_recognition_type_display())
        if enterprise.recognition_number:
            recognition = pgettext("certificate", "%(type)s, recognition %(number)s") % {
                "type": recognition,
                "number": enterprise.recognition_number,
            }
        category = product.category.name
    return CertificateData(
        language=language,
        code=label.code,
        issuer=settings.LABEL_ISSUER_NAME,
        enterprise_name=enterprise.name,
        enterprise_number=format_enterprise_number(enterprise.enterprise_number),
        recognition=recognition,
        product_name=product.name,
        product_kind=kind,
        category=category,
        level=label.level,
        social_share=label.social_share,
        scheme=str(label.scheme),
        scheme_url=scheme_url(label.scheme.version),
        level_min_share=label.scheme.level_min_share(label.level),
        issued_on=label.issued_on,
        valid_until=label.valid_until,
        verify_url=verify_url(label.code),
        key_id=key_id,
    )


def issue_certificate(*, label: Label, by: User | None) -> Label:
    """Sign the label's claims and render its certificate in every language; a previous
    certificate is superseded (its hashes stay known), and the credential it carries goes into
    the register. Runs inside the caller's transaction."""
    claims = label_claims(label)
    credential = sign_claims(claims)
    key_id = credential_key_id(credential)
    pdf = render_certificate_pdf(certificate_data(label, key_id))
    sha256 = hashlib.sha256(pdf).hexdigest()
    previous = label.certificate_sha256
    CertificateRecord.objects.filter(label=label, superseded_at__isnull=True).update(superseded_at=timezone.now())
    label.certificate.save(f"{sha256}.pdf", ContentFile(pdf), save=False)
    label.certificate_sha256, label.credential = sha256, credential
    label.save(update_fields=["certificate", "certificate_sha256", "credential"])
    record = CertificateRecord.objects.create(
        label=label,
        sha256=sha256,
        size=len(pdf),
        key_id=key_id,
        credential_sha256=credential_digest(credential),
        signed_at=datetime.datetime.fromtimestamp(claims["iat"], tz=datetime.UTC),
    )
    for language in CERTIFICATE_LANGUAGES:
        if language != DEFAULT_LANGUAGE:
            translate_certificate(record=record, language=language)
    if previous:
        record_event(
            action="label.certificate_regenerated",
            by=by,
            target=label,
            application=label.application,
            data={"previous_sha256": previous, "sha256": sha256, "key_id": key_id},
        )
    return label


def translate_certificate(*, record: CertificateRecord, language: Language) -> CertificateTranslation:
    """The certificate of `record` rendered in `language`, stored and known by its hash."""
    pdf = render_certificate_pdf(certificate_data(record.label, record.key_id, language))
    sha256 = hashlib.sha256(pdf).hexdigest()
    translation = CertificateTranslation(record=record, language=language, sha256=sha256, size=len(pdf))
    translation.file.save(f"{sha256}.pdf", ContentFile(pdf), save=False)
    translation.save()
    return translation


@dataclass(frozen=True)
class CertificateFile:
    """A label's current certificate in one language: its hash (the ETag) and where it is stored."""

    language: Language
    sha256: str
    file: FieldFile


def certificate_in(*, label: Label, language: Language) -> CertificateFile:
    """The label's current certificate in `language`. A certificate issued before certificates
    came in three languages is translated on first demand, once (under the lock of its record)."""
    if language == DEFAULT_LANGUAGE:
        return CertificateFile(language, label.certificate_sha256, label.certificate)
    translation = CertificateTranslation.objects.filter(
        record__label=label, record__superseded_at__isnull=True, language=language
    ).first()
    if translation is None:
        translation = _translate_current(label=label, language=language)
    return CertificateFile(language, translation.sha256, translation.file)


@transaction.atomic
def _translate_current(*, label: Label, language: Language) -> CertificateTranslation:
    record = (
        CertificateRecord.objects.select_for_update(of=("self",))
        .select_related("label__product__enterprise", "label__product__category", "label__scheme")
        .get(label=label, superseded_at__isnull=True)
    )
    done = record.translations.filter(language=language).first()
    return done or translate_certificate(record=record, language=language)


@transaction.atomic
def regenerate_certificate(*, label: Label, by: User | None) -> Label:
    label = (
        Label.objects.select_for_update(of=("self",))
        .select_related("product__enterprise", "product__category", "scheme", "application")
        .get(pk=label.pk)
    )
    return issue_certificate(label=label, by=by)
