"""The registry as open data: the columns of its CSV export, and the Frictionless data package
(https://specs.frictionlessdata.io/) that describes them to a harvester."""

import datetime
from typing import Any, Protocol

import orjson

from certification.lookup import public_verify_url
from certification.models import ProductKind, PublicStatus, RecognitionType
from certification.models.labels import public_status_of

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
    """A label's lookup columns (certification.lookup.LOOKUP_FIELDS), as the export reads them."""

    code: str
    status: str
    issued_on: datetime.date
    valid_until: datetime.date
    public_record: str


def csv_cells(row: LookupRow, *, today: datetime.date) -> list[object]:
    """A label's CSV cells: the fields of its public representation (as the API shows it on
    `today`), flat, read from its public record without rendering the whole representation."""
    record = orjson.loads(row.public_record)
    product, enterprise = record["product"], record["enterprise"]
    return [
        row.code,
        public_status_of(row.status, row.issued_on, row.valid_until, today).value,
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


def data_package(registry_url: str) -> dict[str, Any]:
    """The descriptor: the CSV export of every label (whatever its status) with its Table
    Schema, and its JSON Lines twin (one API representation a line)."""
    fields = [
        {"name": name, "type": kind, "description": text, **({"format": "uri"} if name == "verify_url" else {}),
         "constraints": constraints}
        for name, kind, text, constraints in COLUMNS
    ]  # fmt: skip
    return {
        "profile": "data-package",
        "name": "se-label-registry",
        "title": "Registry of the sociale economie product label",
        "description": "Every label issued, with its public status today. Filters of GET /api/v1/labels/ "
        "apply to the exports too (e.g. &status=valid&category=food).",
        "resources": [
            {
                "name": "labels",
                "profile": "tabular-data-resource",
                "path": f"{registry_url}?format=csv&status=all",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                "schema": {"fields": fields, "primaryKey": ["code"]},
            },
            {
                "name": "labels-jsonl",
                "profile": "data-resource",
                "path": f"{registry_url}?format=jsonl&status=all",
                "format": "jsonl",
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                "description": "The same labels, one JSON object a line, as GET /api/v1/labels/ shows each.",
            },
        ],
    }
