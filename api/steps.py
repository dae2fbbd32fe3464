"""Taking a step of a state machine through the API: the same policy, form and service as
the pages and the admin (certification.transitions), with a JSON body."""

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from certification.policies import acting_user, check
from certification.transitions import ActionForm, performer, steps


def describe(form_class: type[ActionForm]) -> dict[str, str]:
    """The body fields of a step and what each is (its help text, else its type)."""
    fields = form_class.base_fields
    return {
        name: str(field.help_text or type(field).__name__.removesuffix("Field").lower())
        for name, field in fields.items()
    }


def bodies(model: type[models.Model]) -> str:
    """Every step's name and body, for the OpenAPI description."""
    return "; ".join(
        f"`{name}`: {', '.join(describe(performer(model, name).form)) or 'no body'}" for name in steps(model)
    )


def _checked_body(data: Any, form_class: type[ActionForm]) -> dict[str, Any]:
    """The body as the form takes it: an object of known fields, each a single value (or, for
    a JSON field, any JSON)."""
    if not isinstance(data, dict):
        raise ValidationError({"detail": _("The body must be a JSON object.")})
    fields = form_class.base_fields
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValidationError(
            {
                "detail": _("Unknown fields: %(unknown)s. This step takes: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(fields) or "-"}
            }
        )
    nested = sorted(
        name
        for name, value in data.items()
        if isinstance(value, dict | list) and not isinstance(fields[name], forms.JSONField)
    )
    if nested:
        raise ValidationError({name: [_("Give a single value.")] for name in nested})
    return data


def take_step(request: Request, target: models.Model, name: str) -> object:
    """Check that this person may take the step now (the same refusal as on a page), read its
    inputs with its form, and run its service."""
    user = acting_user(request)
    check(target, name, by=user)
    step = performer(type(target), name)
    form = step.form(data=_checked_body(request.data, step.form), target=target)
    if not form.is_valid():
        raise ValidationError({field: [str(error) for error in errors] for field, errors in form.errors.items()})
    return step.perform(target, by=user, form=form)
