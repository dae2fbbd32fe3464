"""Changes affecting certification on the pages: the applicant notifies, an officer decides
(the same services and steps as the API)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.inputs import DATE
from certification.exceptions import RequirementsNotMet
from certification.inputs import TEXTAREA
from certification.models import ChangeKind, ChangeState, Label
from certification.models.accounts import Role, has_role
from certification.policies import (
    ROLE_NOT_ALLOWED,
    acting_user,
    allowed_transitions,
    change_notification_refusal,
    is_officer,
)
from certification.selectors import changes_visible_to
from certification.services.changes import notify_change
from certification.transitions import step_of
from web.pages import acting_applicant, perform, posted, status_of
from web.steps import step_page


class NotifyChangeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What changed"), choices=ChangeKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=gettext_lazy("Description"), widget=TEXTAREA, required=False)
    effective_on = forms.DateField(label=gettext_lazy("Takes effect on"), widget=DATE, required=False)


@login_required
def notify(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_applicant(request)
    label = get_object_or_404(Label.objects.select_related("product__enterprise", "application"), code=code)
    form = NotifyChangeForm(*posted(request)[:1])
    # Said before anything is typed, in the words the service (and so the API) uses.
    refusal = change_notification_refusal(user, label)
    if refusal is None and request.method == "POST" and form.is_valid():
        change = perform(
            request,
            form,
            lambda: notify_change(label=label, by=user, **form.cleaned_data),
            success=lambda c: _("The change is notified; a certification officer decides what it means for the label."),
        )
        if change is not None:
            return redirect("web:application", label.application_id)
    refused = (refusal.unmet if isinstance(refusal, RequirementsNotMet) else [refusal.message]) if refusal else []
    context = {"label": label, "form": form, "refused": refused}
    return render(request, "web/change_form.html", context, status=refusal.http_status if refusal else status_of(form))


@login_required
def waiting(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    user = acting_user(request)
    changes = changes_visible_to(user=user).filter(state=ChangeState.NOTIFIED)
    rows: list[dict[str, Any]] = [
        {
            "change": change,
            "actions": [(name, step_of(type(change), name)) for name in allowed_transitions(change, user=user)],
        }
        for change in changes
    ]
    return render(request, "web/changes.html", {"rows": rows})


@login_required
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = acting_user(request)
    if not (has_role(user, Role.APPLICANT) or has_role(user, Role.OFFICER)):
        raise PermissionDenied(ROLE_NOT_ALLOWED)  # as the API answers an auditor
    change = get_object_or_404(changes_visible_to(user=user), pk=pk)
    return step_page(request, change, name, template="web/label_step.html", back=reverse("web:changes"))
