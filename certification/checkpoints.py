"""Checking the history's chain, and its signed checkpoints (DESIGN §12).

A checkpoint is the chain's head (how many rows, the last row's hash) signed with the label
signing key, as certificate transparency logs publish theirs. Whoever kept one can later
prove that the history still begins with the rows it signed: the row at that position must
still carry that hash, and the chain up to the end must be intact. Rewriting history, even
with every hash recomputed, contradicts every checkpoint given out before.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jws import extract_compact

from certification.history_chain import CHAINED_FIELDS, GENESIS_HASH, ChainBreak, ChainEnd, first_break
from certification.models import HistoryChainHead, HistoryEvent, SigningKey
from certification.signing import ALGORITHM, sign_claims

CHECKPOINT_SUBJECT = "history-checkpoint"


class CheckpointError(Exception):
    """A checkpoint that cannot be trusted, or that the history contradicts; the message says why."""


def chain_end() -> ChainEnd:
    head = HistoryChainHead.objects.first()
    return ChainEnd(head.count, head.head_hash) if head else ChainEnd(0, GENESIS_HASH)


def find_chain_break() -> ChainBreak | None:
    """The first row of the history that does not match its chain, or None if all do."""
    rows = HistoryEvent.objects.order_by("sequence").values("id", "hash", *CHAINED_FIELDS)
    return first_break(rows.iterator(chunk_size=2000), head=chain_end())


def signed_checkpoint() -> dict[str, Any]:
    """The chain's head now, with its signature (a compact JWS whose claims repeat it)."""
    end, time = chain_end(), timezone.now().replace(microsecond=0)
    claims = {
        "sub": CHECKPOINT_SUBJECT,
        "iss": settings.PUBLIC_BASE_URL,
        "count": end.count,
        "head_hash": end.head_hash,
        "iat": int(time.timestamp()),
    }
    return {"count": end.count, "head_hash": end.head_hash, "time": time, "signature": sign_claims(claims)}


def read_checkpoint(text: str) -> ChainEnd:
    """The head that a checkpoint's signature vouches for: `text` is its JWS, or the JSON that
    the checkpoint endpoint answered, or the path of a file holding either."""
    text = text.strip()
    if not text.startswith(("{", "eyJ")):  # neither JSON nor a JWS (whose header is base64url '{"')
        try:
            text = Path(text).read_text().strip()
        except OSError as error:
            raise CheckpointError(f"Cannot read the checkpoint file {text}: {error.strerror}.") from error
    if text.startswith("{"):
        try:
            text = str(json.loads(text)["signature"])
        except (ValueError, KeyError, TypeError) as error:
            raise CheckpointError("The checkpoint's JSON has no `signature`.") from error
    try:
        kid = str(extract_compact(text.encode()).protected.get("kid", ""))
    except (JoseError, ValueError, TypeError) as error:
        raise CheckpointError("This is not a checkpoint: expected a compact JWS.") from error
    record = SigningKey.objects.filter(kid=kid).first()
    if record is None:
        raise CheckpointError("The checkpoint was signed with a key this system never published.")
    try:
        claims = jwt.decode(text, OKPKey.import_key(record.public_jwk), algorithms=[ALGORITHM]).claims
    except (JoseError, ValueError) as error:
        raise CheckpointError("The checkpoint's signature does not match its content.") from error
    if claims.get("sub") != CHECKPOINT_SUBJECT:
        raise CheckpointError("This signed token is not a history checkpoint.")
    return ChainEnd(int(claims["count"]), str(claims["head_hash"]))


def contradiction(checkpoint: ChainEnd) -> str | None:
    """Why the history contradicts `checkpoint` (a sentence), or None if it still begins with it.

    Holds with an intact chain only: check find_chain_break() first.
    """
    if checkpoint.count == 0:
        return None
    row = HistoryEvent.objects.filter(sequence=checkpoint.count).values("id", "hash").first()
    if row is None:
        return f"The checkpoint signed {checkpoint.count} rows; the history now holds fewer: rows were deleted."
    if row["hash"] != checkpoint.head_hash:
        return (
            f"The checkpoint signed a different row at position {checkpoint.count} (row id {row['id']} now): "
            "the history was rewritten since."
        )
    return None
