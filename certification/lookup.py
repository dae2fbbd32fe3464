"""The public face of a label (DESIGN §6): what a consumer or procurer sees when checking a code.

One query per uncached lookup, compiled once per process, of one row: the label keeps a copy
of what it shows of its product, enterprise and scheme (Label.public_facts). Answers are cached in each web
process, rendered (JSON body and ETag). A process trusts its copies only while the shared
*generation* (in Redis when configured) is the one it filled them under; every change a
lookup shows (status, successor, product or enterprise data) bumps the generation when it
commits, so no process serves an answer older than the last change. Each process hears of a
new generation as it is published (certification.generation), so a lookup it has answered
before costs no round trip at all. Expiry is re-derived from valid_until on every read,
whatever any cache's clock says.

No answer is kept in Redis itself: measured, a miss there costs two round trips (about
0.3 ms), more than the precompiled query it would save (about 0.25 ms).
"""

import datetime
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.db import connections

from certification import generation
from certification.models import Label, PublicStatus
from certification.models.labels import public_status_of

CACHE_SECONDS = 300
LOCAL_ENTRIES = 20_000
MISSING = "missing"
BRUSSELS = ZoneInfo(settings.TIME_ZONE)


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


# Exactly the columns public_representation reads: one row of one table (the label carries a
# copy of what it shows of its product, enterprise and scheme), so the hot query travels light.
LOOKUP_FIELDS = (
    "code", "level", "social_share", "issued_on", "valid_until", "status", "status_reason_category",
    "status_changed_at", "public_facts",
)  # fmt: skip


def labels_for_lookup() -> Any:
    return Label.objects.only(*LOOKUP_FIELDS)


class _LookupQuery:
    """The lookup's one query, compiled by the ORM once per process instead of once per request
    (compiling costs more than running it): then only the code changes.

    It runs on a database cursor kept for as long as its connection (creating one costs a
    third of the query), wrapped per run as Django wraps every cursor: errors translated,
    execute wrappers and query logging as for any query. (Pinned to Django 5.2: it uses the
    compiler's converters and repeats connection.cursor()'s steps; a test compares its
    answer with the model's.)"""

    PLACEHOLDER = "SE-PLACEHOLDER"

    def __init__(self) -> None:
        self.compiled: tuple[str, list[Any], int, Any, Any] | None = None
        self.kept = threading.local()  # Django's connections are per thread: so are their cursors

    def _compile(self) -> tuple[str, list[Any], int, Any, Any]:
        query = Label.objects.filter(code=self.PLACEHOLDER).order_by().values_list(*LOOKUP_FIELDS)[:1].query
        compiler = query.get_compiler(using="default")
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
        return sql, list(params), list(params).index(self.PLACEHOLDER), compiler, converters

    def _cursor(self) -> Any:
        """A cursor on the default connection (opened if need be), as connection.cursor() gives."""
        connection = connections["default"]
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        kept = self.kept
        cursor = getattr(kept, "cursor", None)
        if cursor is None or kept.of is not connection.connection or kept.zone != connection.timezone:
            with connection.wrap_database_errors:
                cursor = kept.cursor = connection.create_cursor()
            kept.of, kept.zone = connection.connection, connection.timezone
        connection.validate_thread_sharing()
        return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)

    def row(self, code: str) -> dict[str, Any] | None:
        if self.compiled is None:
            self.compiled = self._compile()
        sql, params, position, compiler, converters = self.compiled
        params = [*params[:position], code, *params[position + 1 :]]
        cursor = self._cursor()
        cursor.execute(sql, params)
        found = cursor.fetchone()
        if found is None:
            return None
        (values,) = compiler.apply_converters([found], converters) if converters else [found]
        return dict(zip(LOOKUP_FIELDS, values, strict=True))


_lookup_query = _LookupQuery()


def public_representation(label: Label, *, today: datetime.date | None = None) -> dict[str, Any]:
    """What the public sees of a label loaded with labels_for_lookup()."""
    return _represent({name: getattr(label, name) for name in LOOKUP_FIELDS}, today=today)


def _site_today() -> datetime.date:
    """The site's date: what timezone.localdate() gives outside a request that activated another
    time zone, for a tenth of its cost."""
    return datetime.datetime.now(BRUSSELS).date()


def _represent(row: dict[str, Any], *, today: datetime.date | None = None) -> dict[str, Any]:
    status = public_status_of(row["status"], row["issued_on"], row["valid_until"], today or _site_today())
    code, facts = row["code"], row["public_facts"]
    return {
        "code": code,
        "status": status.value,
        "valid": status == PublicStatus.VALID,
        "level": row["level"],
        "social_share_percent": float(row["social_share"]),
        "product": facts["product"],
        "enterprise": facts["enterprise"],
        "scheme": facts["scheme"],
        "issued_on": row["issued_on"].isoformat(),
        "valid_until": row["valid_until"].isoformat(),
        "status_reason": row["status_reason_category"] or None,
        "status_since": row["status_changed_at"].isoformat() if row["status_changed_at"] else None,
        "verify_url": public_verify_url(code),
        "certificate_url": certificate_url(code),
        "superseded_by": facts["superseded_by"],
    }


def _as_of_today(data: dict[str, Any]) -> dict[str, Any]:
    """A cached answer read today: a valid label past its last day reads expired, whatever the
    cache's own clock says about the entry's lifetime."""
    today = _site_today().isoformat()
    if data["status"] == PublicStatus.VALID and data["valid_until"] < today:
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
        body = orjson.dumps(data)  # compact UTF-8, as json.dumps(separators=(",", ":"), ensure_ascii=False)
        return cls(data, body, f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"')


def lookup_answer(code: str) -> Answer | None:
    """lookup_label, rendered: the API serves the body as it is."""
    current = generation.watcher.current()
    if current is None:  # not listening for changes: ask the shared cache
        current = generation.read()
    found = _process_cache.get(code, current)
    if found is None:
        found = _load(code)
        _process_cache.put(code, found, current)
    if found == MISSING:
        return None
    today = _as_of_today(found.data)
    return found if today is found.data else Answer.of(today)


def lookup_label(code: str) -> dict[str, Any] | None:
    """The public representation of the label with this canonical code, or None: never issued."""
    answer = lookup_answer(code)
    return None if answer is None else answer.data


def _load(code: str) -> Any:
    row = _lookup_query.row(code)
    return MISSING if row is None else Answer.of(_represent(row))


def forget_labels(codes: Iterable[str]) -> None:
    """Drop cached lookups, here and in every process; call on commit of any change a lookup shows.
    (Every process drops all its lookups: changes are rare, lookups many.)"""
    _process_cache.clear()  # this process at once; the others when they hear of the new generation
    generation.bump()
