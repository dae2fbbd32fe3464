"""The public face of a label (DESIGN §6): what a consumer or procurer sees when checking a code.

One query per uncached lookup, compiled once per process, of one row: the label keeps, rendered,
what it shows of itself, its product, enterprise and scheme (Label.public_record). Answers are
cached in each web process, rendered (JSON body and ETag). A process trusts its copies only
while the shared *generation* (in Redis when configured) is the one it filled them under;
every change a lookup shows (status, successor, product or enterprise data) bumps the
generation when it commits, so no process serves an answer older than the last change. Each
process hears of a new generation as it is published (certification.generation), so a lookup
it has answered before costs no round trip at all. Expiry is re-derived from valid_until on
every read, whatever any cache's clock says.

No answer is kept in Redis itself: measured, a miss there costs two round trips, more than
the one-row query it would save.
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


# Exactly the columns an answer is rendered from: one row of one table, the label's public
# record (rendered when the label or what it shows changes) and what changes with time and status.
LOOKUP_FIELDS = (
    "code",
    "status",
    "status_reason_category",
    "status_changed_at",
    "issued_on",
    "valid_until",
    "public_record",
)


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
    """What the public sees of a label loaded with labels_for_lookup(), as a dict."""
    body, _status = _render({name: getattr(label, name) for name in LOOKUP_FIELDS}, today=today)
    return orjson.loads(body)  # type: ignore[no-any-return]


def _site_today() -> datetime.date:
    """The site's date: what timezone.localdate() gives outside a request that activated another
    time zone, for a tenth of its cost."""
    return datetime.datetime.now(BRUSSELS).date()


def _render(row: dict[str, Any], *, today: datetime.date | None = None) -> tuple[bytes, PublicStatus]:
    """The lookup's JSON for a row of LOOKUP_FIELDS (compact UTF-8: the fields of DESIGN §6, code,
    status and validity first), and the status it states. The label's public record is already
    JSON: it goes in as it is, between what changes with time and status."""
    status = public_status_of(row["status"], row["issued_on"], row["valid_until"], today or _site_today())
    code, since = row["code"], row["status_changed_at"]
    body = b"".join(
        (
            b'{"code":',
            orjson.dumps(code),
            b',"status":"',
            status.value.encode(),
            b'","valid":',
            b"true" if status == PublicStatus.VALID else b"false",
            b",",
            row["public_record"][1:-1].encode(),
            b',"status_reason":',
            orjson.dumps(row["status_reason_category"] or None),
            b',"status_since":',
            orjson.dumps(since.isoformat() if since else None),
            b',"verify_url":',
            orjson.dumps(public_verify_url(code)),
            b',"certificate_url":',
            orjson.dumps(certificate_url(code)),
            b"}",
        )
    )
    return body, status


@dataclass(frozen=True, slots=True)
class Answer:
    """A lookup answer: its JSON body and ETag, and what it takes to tell whether it still holds
    today (a valid label past its last day reads expired, whatever a cache's clock says)."""

    body: bytes
    etag: str
    status: PublicStatus
    valid_until: datetime.date

    @classmethod
    def of(cls, body: bytes, status: PublicStatus, valid_until: datetime.date) -> "Answer":
        return cls(body, f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"', status, valid_until)

    def as_of(self, today: datetime.date) -> "Answer":
        if self.status != PublicStatus.VALID or today <= self.valid_until:
            return self
        data = {**orjson.loads(self.body), "status": PublicStatus.EXPIRED.value, "valid": False}
        return Answer.of(orjson.dumps(data), PublicStatus.EXPIRED, self.valid_until)


def lookup_answer(code: str) -> Answer | None:
    """The lookup of the label with this canonical code, rendered, or None: never issued."""
    current = generation.watcher.current()
    if current is None:  # not listening for changes: ask the shared cache
        current = generation.read()
    found = _process_cache.get(code, current)
    if found is None:
        found = _load(code)
        _process_cache.put(code, found, current)
    if found == MISSING:
        return None
    return found.as_of(_site_today())  # type: ignore[no-any-return]


def lookup_label(code: str) -> dict[str, Any] | None:
    """The public representation of the label with this canonical code, or None: never issued."""
    answer = lookup_answer(code)
    return None if answer is None else orjson.loads(answer.body)


def _load(code: str) -> Any:
    row = _lookup_query.row(code)
    if row is None:
        return MISSING
    body, status = _render(row)
    return Answer.of(body, status, row["valid_until"])


def forget_labels(codes: Iterable[str]) -> None:
    """Drop cached lookups, here and in every process; call on commit of any change a lookup shows.
    (Every process drops all its lookups: changes are rare, lookups many.)"""
    _process_cache.clear()  # this process at once; the others when they hear of the new generation
    generation.bump()
