"""What the rest of the code needs to know of a transition, declared once on the transition.

Each `@transition` of a state machine carries a `Step` in django-fsm's `custom=`: its history
code and words, its button, the words of its refusals, who is told, who may take it. The
policies, the services, the history, the notifications, the pages, the API and the admin all
read it from here; the service that performs a step registers itself with `performs`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django import forms
from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django_fsm import FSMField
from django_fsm import Transition as FSMTransition

from certification.models.accounts import Role


class Recipient(StrEnum):
    """Who is told, by mail, that a step was taken."""

    APPLICANTS = "applicants"
    OFFICERS = "officers"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Step:
    action: str  # the dotted history code, in the past tense: application.approved
    title: Promise  # the history's words for it: "Application approved"
    button: Promise  # what the button says: "Approve and issue the label"
    actor: Promise  # who may, in words: "a certification officer who did not audit it"
    role: Role
    dangerous: bool = False
    notify: tuple[Recipient, ...] = ()
    # Refused to a member of the enterprise (DESIGN §12), and to whoever the object says took part
    # in the matter (its `involvement(user)`: a complaint's handler, an appeal's decider).
    impartial: bool = False
    four_eyes: bool = False  # refused to the officer who audited
    done: Promise | None = None  # what the person is told after it, when not the machine's sentence


@dataclass(frozen=True)
class Words:
    """A state machine's sentences: its two refusals, not yours (403) and not now (409), and
    what a person is told once a step is taken."""

    forbidden: Promise  # with %(step)s (its button's words) and %(actor)s
    not_now: Promise  # with %(state)s and %(step)s
    done: Promise  # with %(name)s and %(state)s (or %(result)s: what the service answered)


def state_field(model: type[models.Model]) -> FSMField:
    return next(field for field in model._meta.fields if isinstance(field, FSMField))


def _transitions(model: type[models.Model]) -> list[FSMTransition]:
    """One per transition (the first source of those with several), in declaration order."""
    seen: dict[str, FSMTransition] = {}
    for transition in state_field(model).get_all_transitions(model):
        seen.setdefault(transition.name, transition)
    return list(seen.values())


def steps(model: type[models.Model]) -> dict[str, Step]:
    """The steps people take on this machine (transitions the system takes have no Step)."""
    return {t.name: t.custom["step"] for t in _transitions(model) if "step" in t.custom}


def step_of(model: type[models.Model], name: str) -> Step:
    return steps(model)[name]


def target_of(model: type[models.Model], name: str) -> str:
    return str(next(t.target for t in _transitions(model) if t.name == name))


def available(target: models.Model) -> list[FSMTransition]:
    """The transitions the object's current state allows (whoever asks)."""
    field = state_field(type(target))
    return list(getattr(target, f"get_available_{field.name}_transitions")())


def state_of(target: models.Model) -> str:
    return str(getattr(target, state_field(type(target)).name))


def state_display(target: models.Model) -> str:
    return str(getattr(target, f"get_{state_field(type(target)).name}_display")())


def words_of(target: models.Model) -> Words:
    words = getattr(type(target), "words", None)
    assert isinstance(words, Words), f"{type(target).__name__} declares no words"
    return words


def done_message(target: models.Model, name: str, result: object) -> str:
    """What a person is told once step `name` is taken on `target` (fetched anew), whose
    service answered `result` (approval: the label issued)."""
    sentence = step_of(type(target), name).done or words_of(target).done
    return sentence % {"name": str(target), "state": state_display(target), "result": str(result)}


def step_for_action(action: str) -> Step | None:
    """The step whose history code is `action`, on any state machine of any app."""
    for model in apps.get_models():
        if any(isinstance(field, FSMField) for field in model._meta.fields):
            for step in steps(model).values():
                if step.action == action:
                    return step
    return None


class ActionForm(forms.Form):
    """The inputs of one step, for the pages, the admin and the API alike. Fields are optional
    where the service checks them: the service says what is missing, in one sentence each."""

    def __init__(self, *args: Any, target: models.Model, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target

    def inputs(self) -> dict[str, Any]:
        """The service's keyword arguments, from the cleaned data."""
        return dict(self.cleaned_data)


@dataclass(frozen=True)
class Performer:
    """The service that performs a step, and the form that asks for its inputs."""

    service: Callable[..., object]
    form: type[ActionForm]
    argument: str  # the keyword the service takes the object by: application, label

    def perform(self, target: models.Model, *, by: object, form: ActionForm) -> object:
        return self.service(**{self.argument: target}, by=by, **form.inputs())


PERFORMERS: dict[tuple[str, str], Performer] = {}

F = TypeVar("F", bound=Callable[..., object])


def performs(model: type[models.Model], name: str, *, form: type[ActionForm]) -> Callable[[F], F]:
    """Register the decorated service as the one that performs step `name` of `model`."""

    def register(service: F) -> F:
        PERFORMERS[(model._meta.label, name)] = Performer(service, form, model._meta.model_name or "")
        return service

    return register


def performer(model: type[models.Model], name: str) -> Performer:
    return PERFORMERS[(model._meta.label, name)]
