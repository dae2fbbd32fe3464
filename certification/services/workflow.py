"""The steps every application transition shares: lock, check state and actor, apply, record.

Each use-case service (submit_application, approve_application, ...) composes these with its
own requirement checks and side effects, so no service re-implements the guard.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, has_transition_perm

from certification.exceptions import ActionForbidden, RequirementsNotMet, TransitionNotAllowed
from certification.models import Application, Role, User
from certification.services.history import record_event

# What each transition does, in the words of its actor; used in refusals and in the history.
TRANSITIONS: dict[str, dict[str, Any]] = {
    "submit": {
        "role": Role.APPLICANT,
        "verb": gettext_lazy("submit"),
        "actor": gettext_lazy("an applicant of the enterprise"),
    },
    "return_to_applicant": {
        "role": Role.OFFICER,
        "verb": gettext_lazy("return to the applicant"),
        "actor": gettext_lazy("a certification officer"),
    },
    "schedule_audit": {
        "role": Role.OFFICER,
        "verb": gettext_lazy("schedule an audit for"),
        "actor": gettext_lazy("a certification officer"),
    },
    "start_audit": {
        "role": Role.AUDITOR,
        "verb": gettext_lazy("start the audit of"),
        "actor": gettext_lazy("the assigned auditor"),
    },
    "submit_report": {
        "role": Role.AUDITOR,
        "verb": gettext_lazy("report the audit of"),
        "actor": gettext_lazy("the assigned auditor"),
    },
    "request_corrective_actions": {
        "role": Role.OFFICER,
        "verb": gettext_lazy("request corrective actions for"),
        "actor": gettext_lazy("a certification officer"),
    },
    "submit_corrective_actions": {
        "role": Role.APPLICANT,
        "verb": gettext_lazy("submit corrective actions for"),
        "actor": gettext_lazy("an applicant of the enterprise"),
    },
    "approve": {
        "role": Role.OFFICER,
        "verb": gettext_lazy("approve"),
        "actor": gettext_lazy("a certification officer who did not audit it"),
    },
    "reject": {
        "role": Role.OFFICER,
        "verb": gettext_lazy("reject"),
        "actor": gettext_lazy("a certification officer who did not audit it"),
    },
    "withdraw": {
        "role": Role.APPLICANT,
        "verb": gettext_lazy("withdraw"),
        "actor": gettext_lazy("an applicant of the enterprise"),
    },
}

# Past tense for the dotted history codes: application.submitted, application.approved...
ACTION_CODES = {
    "submit": "application.submitted",
    "return_to_applicant": "application.returned",
    "schedule_audit": "application.audit_scheduled",
    "start_audit": "application.audit_started",
    "submit_report": "application.audit_reported",
    "request_corrective_actions": "application.corrective_actions_requested",
    "submit_corrective_actions": "application.corrective_actions_submitted",
    "approve": "application.approved",
    "reject": "application.rejected",
    "withdraw": "application.withdrawn",
}


def lock_application(application: Application) -> Application:
    """A fresh copy of the application, its row locked until the transaction ends."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("enterprise", "product")
        .get(pk=application.pk)
    )


def transitions_from_state(application: Application) -> list[str]:
    return [t.name for t in application.get_available_state_transitions()]  # type: ignore[attr-defined]


def transitions_for_user(application: Application, user: User) -> list[str]:
    """The transitions this user may take on this application now, in the order of DESIGN §4."""
    available = {t.name for t in application.get_available_user_state_transitions(user)}  # type: ignore[attr-defined]
    return [name for name in TRANSITIONS if name in available]


def _forbidden(name: str) -> ActionForbidden:
    return ActionForbidden(
        _("Only %(actor)s may %(verb)s this application.")
        % {"actor": TRANSITIONS[name]["actor"], "verb": TRANSITIONS[name]["verb"]}
    )


def guard_transition(application: Application, name: str, *, by: User) -> None:
    """Refuse, changing nothing, when the actor or the state does not allow `name`: first the
    role (never yours: forbidden), then the state (not now: not allowed), then who exactly
    (your enterprise, your audit, four eyes: forbidden)."""
    method = getattr(application, name)
    if not by.has_role(TRANSITIONS[name]["role"]):
        raise _forbidden(name)
    if name not in transitions_from_state(application):
        raise TransitionNotAllowed(
            _("You cannot %(verb)s an application that is %(state)s.")
            % {"verb": TRANSITIONS[name]["verb"], "state": application.get_state_display()},
            state=application.state,
            allowed=transitions_for_user(application, by),
        )
    if not has_transition_perm(method, by):
        raise _forbidden(name)


def require(unmet: Iterable[str | None]) -> None:
    """Raise RequirementsNotMet with every sentence given (None means: that one is met)."""
    sentences = [str(sentence) for sentence in unmet if sentence]
    if sentences:
        raise RequirementsNotMet(sentences)


def apply_transition(
    application: Application,
    name: str,
    *,
    by: User,
    comment: str = "",
    data: dict[str, Any] | None = None,
    **arguments: Any,
) -> Application:
    """Run the transition on a locked application, save it and write its history row."""
    from_state = application.state
    getattr(application, name)(**arguments)
    try:
        application.save()
    except ConcurrentTransition as error:
        raise TransitionNotAllowed(
            _("Someone else changed this application meanwhile; reload it and try again."),
            state=from_state,
            allowed=[],
        ) from error
    record_event(
        action=ACTION_CODES[name],
        by=by,
        target=application,
        application=application,
        from_state=from_state,
        to_state=application.state,
        comment=comment,
        data=data,
    )
    return application
