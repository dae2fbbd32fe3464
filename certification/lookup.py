"""The public face of a label (DESIGN §6): what a consumer or procurer sees when checking a code.

The invariant: once a change a lookup shows has committed, no process answers the old value;
a process that cannot be sure answers from the database. A lookup takes the answer its process
kept (certification.lookup_cache says why that cannot be an old value), or reads its label from
the database: one query of one row, written out in SQL (LOOKUP_SQL; composed by the ORM, the
four-table query took Django longer to compose than PostgreSQL to run, 600 us against 250 us,
and a test holds the two to the same answer). The label keeps, rendered, what it shows of its
product, enterprise, scheme and successor (Label.public_record, rewritten in the same
transaction as what it copies), joined by primary key to the three columns its status depends
on besides its own. The status is derived at the moment of asking
(certification.models.public_status): a label past its last day reads expired at once.
"""

import collections
import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import quote_etag

from certification.lookup_cache import Lookup, kept_lookups
from certification.models import Label, PublicStatus
from certification.models.public_status import Periods, PublicState, StatusFacts, public_state, state_holds_until

# The columns a lookup reads: the public record and what changes with time and status.
LOOKUP_FIELDS = (
    "code",
    "status",
    "status_reason_category",
    "status_changed_at",
    "issued_on",
    "valid_until",
    "surveillance_due_on",
    "public_record",
)
# What the status depends on besides the label's own columns.
STATUS_FIELDS = (
    "product__enterprise__recognition_valid_until",
    "scheme__surveillance_grace_days",
    "scheme__max_suspension_months",
)


def labels_for_lookup() -> QuerySet[Label]:
    related = ("scheme", "product", "product__enterprise")
    return Label.objects.select_related("scheme", "product__enterprise").only(*LOOKUP_FIELDS, *related, *STATUS_FIELDS)


# A row of LOOKUP_SQL, named as `labels_for_lookup().values_list(*LOOKUP_FIELDS, *STATUS_FIELDS, named=True)`.
LookupRow = collections.namedtuple("LookupRow", [*LOOKUP_FIELDS, *STATUS_FIELDS])  # type: ignore[misc]


def status_facts_of_row(row: Any) -> StatusFacts:
    """The status facts of a LookupRow or a row of `values_list(*LOOKUP_FIELDS, *STATUS_FIELDS, named=True)`."""
    changed_at = row.status_changed_at
    if changed_at is not None and timezone.is_naive(changed_at):  # SQLite keeps UTC without its zone
        changed_at = timezone.make_aware(changed_at, datetime.UTC)
    return StatusFacts(
        status=row.status,
        issued_on=row.issued_on,
        valid_until=row.valid_until,
        surveillance_due_on=row.surveillance_due_on,
        status_reason_category=row.status_reason_category,
        status_changed_at=changed_at,
        recognition_valid_until=row.product__enterprise__recognition_valid_until,
        periods=Periods(row.scheme__surveillance_grace_days, row.scheme__max_suspension_months),
    )


def certificate_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/labels/{code}/certificate.pdf"


def public_verify_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


def public_representation(label: Label, state: PublicState | None = None) -> dict[str, Any]:
    """What the public sees of a label loaded with labels_for_lookup(): the one place that says
    it, for the lookup, the pages, the registry, its CSV and the verify answer (its OpenAPI
    description is api.serializers.public.PublicLabelSerializer). Code, status and validity come
    first, for a reader who looks no further. `state`: its public state when already derived
    (an export row), else derived now."""
    return public_answer(label.code, label.public_record, state or label.public_state())


def public_representations(labels: Iterable[Label]) -> list[dict[str, Any]]:
    """What the public sees of each of these labels (a registry page), their statuses read at
    one instant: the rule's cut-offs are then computed once, not once a label."""
    now = timezone.now()
    return [public_representation(label, label.public_state(now)) for label in labels]


def public_answer(code: str, public_record: str, state: PublicState) -> dict[str, Any]:
    since = state.since
    return {
        "code": code,
        "status": state.status.value,
        "valid": state.status == PublicStatus.VALID,
        **orjson.loads(public_record),
        "status_reason": state.reason,
        "status_since": since.isoformat() if since else None,
        "verify_url": public_verify_url(code),
        "certificate_url": certificate_url(code),
    }


# labels_for_lookup().get(code=%s), written out: LOOKUP_FIELDS, then STATUS_FIELDS.
LOOKUP_SQL = """
SELECT label.code, label.status, label.status_reason_category, label.status_changed_at, label.issued_on,
       label.valid_until, label.surveillance_due_on, label.public_record,
       enterprise.recognition_valid_until, scheme.surveillance_grace_days, scheme.max_suspension_months
  FROM certification_label label
  JOIN certification_product product ON product.id = label.product_id
  JOIN certification_enterprise enterprise ON enterprise.id = product.enterprise_id
  JOIN certification_scheme scheme ON scheme.id = label.scheme_id
 WHERE label.code = %s
"""


def lookup_label(code: str) -> dict[str, Any] | None:
    """The public representation of the label with this canonical code, or None: never issued."""
    found = look_up(code)
    return None if found is None else orjson.loads(found.body)


def look_up(code: str) -> Lookup | None:
    """The lookup's answer for this canonical code as the API sends it, or None: never issued."""
    found = kept_lookups.get(code)
    if found is not None:
        return found
    generation = kept_lookups.generation
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP_SQL, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    found_row: Any = LookupRow(*row)
    facts = status_facts_of_row(found_row)
    now = timezone.now()
    body = orjson.dumps(public_answer(code, found_row.public_record, public_state(facts, now)))
    etag = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())  # as Django's set_response_etag
    found = Lookup(body, etag, state_holds_until(facts, now).timestamp())
    kept_lookups.keep(code, found, generation)
    return found
