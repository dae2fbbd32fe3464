import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from certification.history_chain import CHAINED_FIELDS, row_hash
from certification.models import Application, HistoryChainHead, HistoryEvent, User

CHAIN_HEAD = 1


def lock_chain_head() -> HistoryChainHead:
    """The chain's head, locked until the transaction ends.

    The UPDATE takes the lock on both databases: the row's lock on PostgreSQL, the database's
    write lock on SQLite (where SELECT ... FOR UPDATE takes none). A concurrent writer waits
    here and then reads the head this one leaves, so each position is written once.
    """
    if not HistoryChainHead.objects.filter(pk=CHAIN_HEAD).update(count=F("count")):
        HistoryChainHead.objects.get_or_create(pk=CHAIN_HEAD)
    return HistoryChainHead.objects.select_for_update().get(pk=CHAIN_HEAD)


def chained_values(event: HistoryEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


@transaction.atomic
def record_event(
    *,
    action: str,
    by: User | None,
    target: models.Model,
    application: Application | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> HistoryEvent:
    """Append one row to the history, at the end of its hash chain. Services call this inside
    their transaction; the chain stays locked until it commits."""
    head = lock_chain_head()
    event = HistoryEvent(
        action=action,
        actor=by,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        application=application,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        # As the database gives it back (keys as strings, lists for tuples), so the hash matches.
        data=json.loads(json.dumps(data or {})),
        created_at=timezone.now(),
        sequence=head.count + 1,
        previous_hash=head.head_hash,
    )
    event.hash = row_hash(chained_values(event))
    event.save()
    head.count, head.head_hash = event.sequence, event.hash
    head.save(update_fields=["count", "head_hash"])
    return event
