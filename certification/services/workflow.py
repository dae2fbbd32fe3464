"""The steps every transition shares: lock, check, apply, record.

Each use-case service (submit_application, approve_application, suspend_label...) composes
these with its own requirement checks and side effects, so no service re-implements the guard:
who may act is `certification.policies`' to say, what a step is called the step's own.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from certification.exceptions import RequirementsNotMet, TransitionNotAllowed
from certification.models import Application, User
from certification.policies import check
from certification.services.history import record_event
from certification.transitions import state_of, step_of

M = TypeVar("M", bound=models.Model)


def lock_application(application: Application) -> Application:
    """A fresh copy of the application, its row locked until the transaction ends."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("enterprise", "product")
        .get(pk=application.pk)
    )


def lock(target: M) -> M:
    """A fresh copy of any object, its row locked until the transaction ends."""
    if isinstance(target, Application):
        return lock_application(target)  # type: ignore[return-value]
    return type(target)._default_manager.select_for_update().get(pk=target.pk)


def require(unmet: Iterable[str]) -> None:
    """Raise RequirementsNotMet with every sentence given, if any."""
    sentences = [str(sentence) for sentence in unmet]
    if sentences:
        raise RequirementsNotMet(sentences)


def require_text(text: str, sentence: str) -> None:
    """Refuse with `sentence` when `text` is empty: a comment, reason or summary is asked for."""
    if not text.strip():
        raise RequirementsNotMet([sentence])


def guard_transition(target: models.Model, name: str, *, by: User) -> None:
    """Refuse, changing nothing, when the policies say `by` may not take `name` now."""
    check(target, name, by=by)


def apply_transition(
    target: M,
    name: str,
    *,
    by: User,
    comment: str = "",
    data: dict[str, Any] | None = None,
    **arguments: Any,
) -> M:
    """Run the transition on a locked object, save it and write its history row."""
    from_state = state_of(target)
    getattr(target, name)(**arguments)
    try:
        target.save()
    except ConcurrentTransition as error:
        raise TransitionNotAllowed(
            _("Someone else changed this meanwhile; reload it and try again."), state=from_state, allowed=[]
        ) from error
    application = target if isinstance(target, Application) else getattr(target, "application", None)
    record_event(
        action=step_of(type(target), name).action,
        by=by,
        target=target,
        application=application,
        from_state=from_state,
        to_state=state_of(target),
        comment=comment,
        data=data,
    )
    return target
