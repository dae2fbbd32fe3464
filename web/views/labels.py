"""Suspending, reinstating and revoking a label: certification officers, always with a reason."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.models import Label, Role
from certification.models.accounts import has_role
from certification.services.labels import change_label_status
from web.forms import LabelActionForm
from web.pages import perform, posted

LABEL_ACTION_TITLES = {
    "suspend": gettext_lazy("Suspend the label"),
    "reinstate": gettext_lazy("Reinstate the label"),
    "revoke": gettext_lazy("Revoke the label"),
}


def label_actions(label: Label, user: object) -> list[tuple[str, str]]:
    """(name, words) of the changes this user may make to the label now."""
    names = {t.name for t in label.get_available_user_status_transitions(user)}  # type: ignore[attr-defined]
    return [(name, str(words)) for name, words in LABEL_ACTION_TITLES.items() if name in names]


@login_required
def label_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    if name not in LABEL_ACTION_TITLES:
        raise Http404
    if not has_role(request.user, Role.OFFICER):
        raise PermissionDenied
    label = get_object_or_404(Label.objects.select_related("product", "application"), code=code)
    form = LabelActionForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        changed = perform(
            request,
            form,
            lambda: change_label_status(label=label, name=name, by=request.user, **form.cleaned_data),  # type: ignore[arg-type]
            success=lambda changed: (
                _("Label %(code)s is now %(status)s.") % {"code": changed.code, "status": changed.get_status_display()}
            ),
        )
        if changed is not None:
            return redirect("web:application", pk=label.application_id)
    return render(
        request,
        "web/label_action.html",
        {"label": label, "name": name, "title": LABEL_ACTION_TITLES[name], "form": form, "dangerous": name == "revoke"},
        status=400 if form.errors else 200,
    )
