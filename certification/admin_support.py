"""What every admin page of the domain shares: who may see and change it, and action buttons.

Officers work in the admin (view everything, maintain reference data); states change only
through action buttons, which run the domain services. Superusers administer accounts.
"""

import abc
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from certification.exceptions import DomainError, RequirementsNotMet
from certification.policies import acting_user, allowed_transitions, may_administer, refusal
from certification.transitions import ActionForm, done_message, performer, step_of, steps


def is_officer(request: HttpRequest) -> bool:
    """Who works in the admin: officers and administrators."""
    return may_administer(request.user)


class OfficerAdmin(admin.ModelAdmin):
    """Officers and superusers see the model; `officers_edit` decides whether they may add and change."""

    officers_edit = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_officer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_officer(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.officers_edit and is_officer(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.officers_edit and is_officer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record of a certification body is kept, never deleted


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_officer(request)


class _AbstractAdminMeta(forms.MediaDefiningClass, abc.ABCMeta):
    """ModelAdmin's metaclass, able to hold abstract methods."""


class ActionButtonsAdmin(OfficerAdmin, metaclass=_AbstractAdminMeta):
    """Shows the actions the user may take on the object as buttons; each asks for its inputs
    on a page of its own and runs the domain service. Subclasses say which actions exist."""

    change_form_template = "admin/change_form_with_actions.html"

    @abc.abstractmethod
    def available_actions(self, request: HttpRequest, obj: Any) -> Sequence[tuple[str, Any, bool]]:
        """(name, label, dangerous) of each action `request.user` may take on `obj` now."""

    @abc.abstractmethod
    def action_form(self, request: HttpRequest, obj: Any, name: str, data: Any) -> forms.Form:
        """The form asking for the action's inputs, bound to `data` when posted."""

    @abc.abstractmethod
    def run_action(self, request: HttpRequest, obj: Any, name: str, form: forms.Form) -> str:
        """Perform the action; returns the success message. Domain errors propagate."""

    def unavailable_message(self, request: HttpRequest, obj: Any, name: str) -> str:
        return _("This action is not available now.")

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/action/<str:name>/",
                self.admin_site.admin_view(self.action_view),
                name="{}_{}_action".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        url_name = f"admin:{self.opts.app_label}_{self.opts.model_name}_action"
        buttons = [
            {"label": label, "dangerous": dangerous, "url": reverse(url_name, args=[object_id, name])}
            for name, label, dangerous in (self.available_actions(request, obj) if obj is not None else [])
        ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "action_buttons": buttons})

    def action_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        actions = {action: (label, dangerous) for action, label, dangerous in self.available_actions(request, obj)}
        if name not in actions:
            self.message_user(request, self.unavailable_message(request, obj, name), messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = self.action_form(request, obj, name, request.POST if request.method == "POST" else None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                message = self.run_action(request, obj, name, form)
            except RequirementsNotMet as refusal:
                errors = refusal.unmet
            except DomainError as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"{actions[name][0]}: {obj}",
            "form": form,
            "errors": errors,
            "dangerous": actions[name][1],
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/action_form.html", context)


class TransitionButtonsAdmin(ActionButtonsAdmin):
    """The steps of the model's state machine as buttons: those the policies allow this person
    now, each with its own form, performed by its own service."""

    def available_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, Any, bool]]:
        steps = [(name, step_of(type(obj), name)) for name in allowed_transitions(obj, user=acting_user(request))]
        return [(name, step.button, step.dangerous) for name, step in steps]

    def unavailable_message(self, request: HttpRequest, obj: Any, name: str) -> str:
        error = refusal(obj, name, user=acting_user(request)) if name in steps(type(obj)) else None
        return error.message if error else super().unavailable_message(request, obj, name)

    def action_form(self, request: HttpRequest, obj: Any, name: str, data: Any) -> forms.Form:
        return performer(type(obj), name).form(data, target=obj)

    def run_action(self, request: HttpRequest, obj: Any, name: str, form: forms.Form) -> str:
        assert isinstance(form, ActionForm)
        result = performer(type(obj), name).perform(obj, by=acting_user(request), form=form)
        obj.refresh_from_db()
        return done_message(obj, name, result)


def readonly_fields_of(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.fields]
