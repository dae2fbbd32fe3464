"""The history's hash chain (DESIGN §12): each row's hash covers its content and the hash of
the row before it, so that editing, deleting, inserting or reordering a row shows.

The canonical form below is frozen: every stored hash was computed with it, so changing it
(a field, a separator, the time format) breaks every chain already written. A new field
joins the chain only with a new version of this form, chosen per row.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The hash that the first row points back to.
GENESIS_HASH = "0" * 64

# The columns a row's hash covers, beside its position and the previous hash.
CHAINED_FIELDS = (
    "sequence",
    "previous_hash",
    "action",
    "actor_id",
    "target_type_id",
    "target_id",
    "application_id",
    "from_state",
    "to_state",
    "comment",
    "data",
    "created_at",
)


def canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's hash is taken over: its chained fields as compact JSON, keys sorted."""
    content = {name: row[name] for name in CHAINED_FIELDS}
    content["created_at"] = canonical_time(row["created_at"])
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_content(row)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first row that does not match the chain (row_id None: the chain's end), and why."""

    row_id: int | None
    sequence: int
    problem: str

    def __str__(self) -> str:
        where = f"row id {self.row_id} (position {self.sequence})" if self.row_id else f"position {self.sequence}"
        return f"The history chain breaks at {where}: {self.problem}"


@dataclass(frozen=True)
class ChainEnd:
    count: int
    head_hash: str


def first_break(rows: Iterable[Mapping[str, Any]], *, head: ChainEnd | None) -> ChainBreak | None:
    """Walk `rows` in chain order (by sequence); the first that does not match, else None.

    `head` is what the chain head says the chain holds, checked last: it catches rows removed
    from the end, which leave no gap behind them.
    """
    previous_hash, position = GENESIS_HASH, 0
    for row in rows:
        position += 1
        if row["sequence"] != position:
            problem = (
                f"position {row['sequence']} where {position} was expected: a row before it was deleted"
                if row["sequence"] > position
                else f"position {row['sequence']} where {position} was expected: a row was inserted"
            )
            return ChainBreak(row["id"], position, problem)
        if row["previous_hash"] != previous_hash:
            return ChainBreak(
                row["id"], position, "it does not point to the row before it: rows were inserted, deleted or swapped"
            )
        if row_hash(row) != row["hash"]:
            return ChainBreak(row["id"], position, "its hash does not match its content: the row was edited or forged")
        previous_hash = row["hash"]
    if head is not None and (head.count, head.head_hash) != (position, previous_hash):
        return ChainBreak(
            None,
            position,
            f"the chain head records {head.count} rows ending in {head.head_hash[:12]}..., "
            f"the table holds {position}: rows at its end were deleted or added",
        )
    return None
