"""A label's certificate: its signed credential and the PDF that carries it (DESIGN §5)."""

import datetime
import hashlib
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from certification.certificate.render import CertificateData, render_certificate_pdf
from certification.identifiers import format_enterprise_number
from certification.models import CertificateRecord, Label, User
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


def certificate_data(label: Label, key_id: str) -> CertificateData:
    product, enterprise = label.product, label.product.enterprise
    with override("nl"):
        kind_nl, recognition = product.get_kind_display(), enterprise.get_recognition_type_display()
    with override("en"):
        kind_en = product.get_kind_display()
    if enterprise.recognition_number:
        recognition = f"{recognition}, erkenning {enterprise.recognition_number}"
    return CertificateData(
        code=label.code,
        issuer=settings.LABEL_ISSUER_NAME,
        enterprise_name=enterprise.name,
        enterprise_number=format_enterprise_number(enterprise.enterprise_number),
        recognition=recognition,
        product_name=product.name,
        product_kind_nl=str(kind_nl),
        product_kind_en=str(kind_en),
        category_nl=product.category.name_nl,
        category_en=product.category.name_en,
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
    """Sign the label's claims and render its certificate; a previous certificate is superseded
    (its hash stays known), and the credential it carries goes into the register. Runs inside
    the caller's transaction."""
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
    CertificateRecord.objects.create(
        label=label,
        sha256=sha256,
        size=len(pdf),
        key_id=key_id,
        credential_sha256=credential_digest(credential),
        signed_at=datetime.datetime.fromtimestamp(claims["iat"], tz=datetime.UTC),
    )
    if previous:
        record_event(
            action="label.certificate_regenerated",
            by=by,
            target=label,
            application=label.application,
            data={"previous_sha256": previous, "sha256": sha256, "key_id": key_id},
        )
    return label


@transaction.atomic
def regenerate_certificate(*, label: Label, by: User | None) -> Label:
    label = (
        Label.objects.select_for_update(of=("self",))
        .select_related("product__enterprise", "product__category", "scheme", "application")
        .get(pk=label.pk)
    )
    return issue_certificate(label=label, by=by)
