"""The public face of a label (DESIGN §6): what a consumer or procurer sees when checking a code.

One query per uncached lookup. Answers are cached at two levels: in the shared cache (Redis in
production) and, in front of it, in each web process. A process trusts its own copies only
while the shared *generation* is the one it filled them under; every change a lookup shows
(status, successor, product or enterprise data) bumps the generation when it commits, so no
process serves an answer older than the last change. Expiry is re-derived from valid_until on
every read, whatever any cache's clock says.
"""

import datetime
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from certification.models import Label, PublicStatus

CACHE_PREFIX = "se-label:lookup:v1:"
GENERATION_KEY = "se-label:lookup:generation"
CACHE_SECONDS = 300
LOCAL_ENTRIES = 20_000
MISSING = "missing"


class _ProcessCache:
    """A bounded LRU of lookup answers, valid for one generation (and CACHE_SECONDS at most)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.generation: object = None
        self.entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, code: str, generation: object) -> Any:
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
                self.generation = generation
                return None
            entry = self.entries.get(code)
            if entry is None or entry[0] < time.monotonic():
                return None
            self.entries.move_to_end(code)
            return entry[1]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.generation = None

    def put(self, code: str, value: Any, generation: object) -> None:
        with self.lock:
            if generation != self.generation:
                return
            self.entries[code] = (time.monotonic() + CACHE_SECONDS, value)
            self.entries.move_to_end(code)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_process_cache = _ProcessCache(LOCAL_ENTRIES)


def clear_process_cache() -> None:
    _process_cache.clear()


def certificate_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/labels/{code}/certificate.pdf"


def public_verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


# Exactly the columns public_representation reads: the hot query compiles and travels light.
LOOKUP_FIELDS = (
    "code", "level", "social_share", "issued_on", "valid_until", "status", "status_reason_category",
    "status_changed_at", "certificate_sha256", "certificate",
    "product__name", "product__kind", "product__category__code",
    "product__enterprise__name", "product__enterprise__enterprise_number", "product__enterprise__recognition_type",
    "scheme__name", "scheme__version", "superseded_by__code",
)  # fmt: skip


def labels_for_lookup() -> Any:
    return Label.objects.select_related("product__category", "product__enterprise", "scheme", "superseded_by").only(
        *LOOKUP_FIELDS
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


@dataclass(frozen=True)
class Answer:
    """A lookup answer with its JSON body and ETag, rendered once per cached entry."""

    data: dict[str, Any]
    body: bytes
    etag: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> "Answer":
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        return cls(data, body, f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"')


def lookup_answer(code: str, *, generation: object = None) -> Answer | None:
    """lookup_label, rendered: the API serves the body as it is."""
    if generation is None:
        generation = cache.get(GENERATION_KEY, 0)
    found = _process_cache.get(code, generation)
    if found is None:
        shared = _shared_lookup(code)
        found = MISSING if shared == MISSING else Answer.of(shared)
        _process_cache.put(code, found, generation)
    if found == MISSING:
        return None
    today = _as_of_today(found.data)
    return found if today is found.data else Answer.of(today)


def lookup_label(code: str, *, generation: object = None) -> dict[str, Any] | None:
    """The public representation of the label with this canonical code, or None: never issued.

    `generation` is the value of GENERATION_KEY when the caller has just read it (the API reads
    it in the same round trip as its rate limit); otherwise it is read here.
    """
    answer = lookup_answer(code, generation=generation)
    return None if answer is None else answer.data


def _shared_lookup(code: str) -> Any:
    key = CACHE_PREFIX + code
    cached = cache.get(key)
    if cached is not None:
        return cached
    # Unordered: .first() would sort by the model's ordering, a third of the cost of this query.
    label = next(iter(labels_for_lookup().filter(code=code).order_by()[:1]), None)
    if label is None:
        cache.set(key, MISSING, CACHE_SECONDS)
        return MISSING
    representation = public_representation(label)
    if seconds := _seconds_to_keep(label):
        cache.set(key, representation, seconds)
    return representation


def forget_labels(codes: Iterable[str]) -> None:
    """Drop cached lookups, here and in every process; call on commit of any change a lookup shows."""
    cache.delete_many([CACHE_PREFIX + code for code in codes])
    _process_cache.clear()  # this process at once; the others at their next read
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or the cache was emptied): start one
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
