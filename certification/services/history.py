from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from certification.models import Application, HistoryEvent, User


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
    """Append one row to the history. Services call this inside their transaction."""
    return HistoryEvent.objects.create(
        action=action,
        actor=by,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        application=application,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )
