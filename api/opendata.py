"""The registry as open data: the rows of its CSV and JSON Lines exports, read from a
server-side cursor, and the Frictionless data package (https://specs.frictionlessdata.io/)
that describes them to a harvester."""

import datetime
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import orjson
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from api.renderers import csv_line, csv_lines
from certification.lookup import (
    LOOKUP_FIELDS,
    STATUS_FIELDS,
    public_representation,
    public_verify_url,
    status_facts_of_row,
)
from certification.models import Label, ProductKind, PublicStatus, RecognitionType
from certification.models.public_status import public_state
from certification.snapshots import SnapshotFile

EXPORT_CHUNK = 2000  # rows fetched from the database cursor at a time
EXPORT_BATCH = 500  # rows written to the client at a time

NEUTRALISED = (
    " A text that starts with =, +, -, @, a tab or a carriage return is written with a leading"
    " apostrophe, so that no spreadsheet runs it as a formula."
)

_C = "[0-9A-HJKMNP-TV-Z]"  # a character of the code's alphabet (Crockford base32)
CODE_PATTERN = f"SE-{_C}{{4}}-{_C}{{4}}-{_C}{{3}}"
# name, Table Schema type, description, constraints
COLUMNS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("code", "string", "Label code, canonical form (SE-XXXX-XXXX-XXX).",
     {"required": True, "unique": True, "pattern": CODE_PATTERN}),
    ("status", "string", "Public status today.", {"required": True, "enum": list(PublicStatus.values)}),
    ("level", "integer", "Level: how far the product or service is social-economy proof.",
     {"required": True, "minimum": 1, "maximum": 3}),
    ("social_share_percent", "number", "Measured social-economy share of the labour, in percent.",
     {"required": True, "minimum": 0, "maximum": 100}),
    ("product_name", "string", "Name of the product or service." + NEUTRALISED, {"required": True}),
    ("product_kind", "string", "Product or service.", {"required": True, "enum": list(ProductKind.values)}),
    ("category", "string", "Product category code.", {"required": True}),
    ("enterprise_name", "string", "Name of the enterprise." + NEUTRALISED, {"required": True}),
    ("enterprise_number", "string", "Enterprise number (KBO/BCE), ten digits.",
     {"required": True, "pattern": "[0-9]{10}"}),
    ("recognition_type", "string", "Recognition of the enterprise.",
     {"required": True, "enum": list(RecognitionType.values)}),
    ("scheme", "string", "Scheme and version the label was assessed against.", {"required": True}),
    ("issued_on", "date", "Day the label was issued.", {"required": True}),
    ("valid_until", "date", "Last day of validity.", {"required": True}),
    ("verify_url", "string", "Public page that shows the label's current status.", {"required": True}),
]  # fmt: skip
CSV_COLUMNS = [name for name, *_rest in COLUMNS]


class LookupRow(Protocol):
    """A label's lookup and status columns (certification.lookup.LOOKUP_FIELDS and STATUS_FIELDS),
    as the export reads them."""

    code: str
    status: str
    issued_on: datetime.date
    valid_until: datetime.date
    public_record: str


def csv_cells(row: LookupRow, *, now: datetime.datetime) -> list[object]:
    """A label's CSV cells: the fields of its public representation (as the API shows it at
    `now`), flat, read from its public record without rendering the whole representation."""
    record = orjson.loads(row.public_record)
    product, enterprise = record["product"], record["enterprise"]
    return [
        row.code,
        public_state(status_facts_of_row(row), now).status.value,
        record["level"],
        record["social_share_percent"],
        product["name"],
        product["kind"],
        product["category"],
        enterprise["name"],
        enterprise["enterprise_number"],
        enterprise["recognition_type"],
        record["scheme"],
        record["issued_on"],
        record["valid_until"],
        public_verify_url(row.code),
    ]


def csv_rows(labels: QuerySet[Label]) -> Iterator[bytes]:
    yield csv_line(CSV_COLUMNS).encode()  # at once: the first byte does not wait for the first rows
    now = timezone.now()  # one instant for the whole file, however long it takes
    for batch in batches(labels):
        yield csv_lines(csv_cells(row, now=now) for row in batch).encode()


def json_lines(labels: QuerySet[Label]) -> Iterator[bytes]:
    now = timezone.now()
    for batch in batches(labels):
        yield b"".join(
            orjson.dumps(
                public_representation(as_label(row), public_state(status_facts_of_row(row), now)),
                option=orjson.OPT_APPEND_NEWLINE,
            )
            for row in batch
        )


def as_label(row: LookupRow) -> Label:
    """An unsaved label holding just the lookup's columns: what public_representation reads."""
    return Label(**{name: getattr(row, name) for name in LOOKUP_FIELDS})


def batches(labels: QuerySet[Label]) -> Iterator[list[LookupRow]]:
    """The labels' lookup columns in batches (one write to the client each), read from a
    server-side cursor a chunk at a time as plain rows (a model instance per row would cost more
    than all the rest). In a transaction: outside one, PostgreSQL would first copy every row of
    the cursor aside (WITH HOLD), and the first byte would wait for the last row."""
    rows = labels.values_list(*LOOKUP_FIELDS, *STATUS_FIELDS, named=True)
    batch: list[LookupRow] = []
    with transaction.atomic():
        for row in rows.iterator(chunk_size=EXPORT_CHUNK):
            batch.append(row)
            if len(batch) == EXPORT_BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


# format -> the rows, their media type and the file name offered
EXPORTS: dict[str, tuple[Callable[[QuerySet[Label]], Iterator[bytes]], str, str]] = {
    "csv": (csv_rows, "text/csv; charset=utf-8", "se-label-registry.csv"),
    "jsonl": (json_lines, "application/jsonl; charset=utf-8", "se-label-registry.jsonl"),
}


def table_fields() -> list[dict[str, Any]]:
    """The CSV's columns as a Table Schema's fields."""
    return [
        {"name": name, "type": kind, "description": text, **({"format": "uri"} if name == "verify_url" else {}),
         "constraints": constraints}
        for name, kind, text, constraints in COLUMNS
    ]  # fmt: skip


def resources(csv_path: str, jsonl_path: str) -> list[dict[str, Any]]:
    """The CSV at `csv_path` with its Table Schema, and its JSON Lines twin at `jsonl_path`."""
    return [
        {
            "name": "labels",
            "profile": "tabular-data-resource",
            "path": csv_path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": {"fields": table_fields(), "primaryKey": ["code"]},
        },
        {
            "name": "labels-jsonl",
            "profile": "data-resource",
            "path": jsonl_path,
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "encoding": "utf-8",
            "description": "The same labels, one JSON object a line, as GET /api/v1/labels/ shows each.",
        },
    ]


def data_package(registry_url: str) -> dict[str, Any]:
    """The descriptor: the CSV export of every label (whatever its status) with its Table
    Schema, and its JSON Lines twin (one API representation a line)."""
    return {
        "profile": "data-package",
        "name": "se-label-registry",
        "title": "Registry of the sociale economie product label",
        "description": "Every label issued, with its public status today. Filters of GET /api/v1/labels/ "
        "apply to the exports too (e.g. &status=valid&category=food).",
        "resources": resources(f"{registry_url}?format=csv&status=all", f"{registry_url}?format=jsonl&status=all"),
    }


def snapshot_package(
    *, created: datetime.datetime, day: datetime.date, files: dict[str, SnapshotFile]
) -> dict[str, Any]:
    """The descriptor of a daily snapshot: its files (by format) beside it, with size and hash."""
    described = resources(files["csv"].name, files["jsonl"].name)
    for resource, written in zip(described, (files["csv"], files["jsonl"]), strict=True):
        resource |= {"bytes": written.size, "hash": f"sha256:{written.sha256}"}
    return {
        "profile": "data-package",
        "name": "se-label-registry-snapshot",
        "title": "Registry of the sociale economie product label: daily snapshot",
        "description": f"Every label valid on {day.isoformat()}, as GET /api/v1/labels/?status=valid "
        "listed them that day (CSV and JSON Lines).",
        "created": created.isoformat(),
        "resources": described,
    }
