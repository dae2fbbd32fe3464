"""The public face of a label (DESIGN §6): what a consumer or procurer sees when checking a code.

One query per uncached lookup. Cached answers never outlive the label's last valid day and are
dropped after every change that commits (status, successor, product or enterprise data).
"""

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from certification.models import Label, PublicStatus

CACHE_PREFIX = "se-label:lookup:v1:"
CACHE_SECONDS = 300
MISSING = "missing"


def certificate_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/labels/{code}/certificate.pdf"


def public_verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


def labels_for_lookup() -> Any:
    return Label.objects.select_related("product__category", "product__enterprise", "scheme", "superseded_by").defer(
        "credential", "status_reason"
    )


def public_representation(label: Label, *, today: datetime.date | None = None) -> dict[str, Any]:
    status = label.public_status(today)
    product, enterprise = label.product, label.product.enterprise
    return {
        "code": label.code,
        "status": status.value,
        "valid": status == PublicStatus.VALID,
        "level": label.level,
        "social_share_percent": float(label.social_share),
        "product": {"name": product.name, "kind": product.kind, "category": product.category.code},
        "enterprise": {
            "name": enterprise.name,
            "enterprise_number": enterprise.enterprise_number,
            "recognition_type": enterprise.recognition_type,
        },
        "scheme": str(label.scheme),
        "issued_on": label.issued_on.isoformat(),
        "valid_until": label.valid_until.isoformat(),
        "status_reason": label.status_reason_category or None,
        "status_since": label.status_changed_at.isoformat() if label.status_changed_at else None,
        "verify_url": public_verify_url(label.code),
        "certificate_url": certificate_url(label.code),
        "superseded_by": label.superseded_by.code if label.superseded_by else None,
    }


def _seconds_to_keep(label: Label) -> int:
    """Never past the end of the last valid day (Brussels): then the label reads expired."""
    end = datetime.datetime.combine(
        label.valid_until + datetime.timedelta(days=1), datetime.time.min, ZoneInfo(settings.TIME_ZONE)
    )
    return max(0, min(CACHE_SECONDS, int((end - timezone.now()).total_seconds())))


def _as_of_today(data: dict[str, Any]) -> dict[str, Any]:
    """A cached answer read today: a valid label past its last day reads expired, whatever the
    cache's own clock says about the entry's lifetime."""
    if data["status"] == PublicStatus.VALID and data["valid_until"] < timezone.localdate().isoformat():
        return {**data, "status": PublicStatus.EXPIRED.value, "valid": False}
    return data


def lookup_label(code: str) -> dict[str, Any] | None:
    """The public representation of the label with this canonical code, or None: never issued."""
    key = CACHE_PREFIX + code
    cached = cache.get(key)
    if cached is not None:
        return None if cached == MISSING else _as_of_today(cached)
    label = labels_for_lookup().filter(code=code).first()
    if label is None:
        cache.set(key, MISSING, CACHE_SECONDS)
        return None
    representation = public_representation(label)
    if seconds := _seconds_to_keep(label):
        cache.set(key, representation, seconds)
    return representation


def forget_labels(codes: Iterable[str]) -> None:
    """Drop cached lookups; call on commit of any change a lookup shows."""
    cache.delete_many([CACHE_PREFIX + code for code in codes])
