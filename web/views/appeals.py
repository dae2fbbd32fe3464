"""Appeals on the pages: an applicant appeals a decision on the application page; an officer who
took no part in it decides. Same services and selectors as the API."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.policies import acting_user, allowed_transitions
from certification.selectors import applications_visible_to
from certification.transitions import step_of
from complaints.appeal_selectors import appeal_history, appealable_decision, appeals_visible_to
from complaints.models import Appeal, AppealKind
from complaints.services.appeals import lodge_appeal
from web.complaint_forms import AppealForm
from web.pages import acting_applicant, perform, posted, status_of
from web.steps import step_page


@login_required
def new_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """The appeal of the decision that stands on an application (its rejection, its label's
    suspension or revocation); the service says when there is none, or its time ran out."""
    user = acting_applicant(request)
    application = get_object_or_404(applications_visible_to(user=user), pk=pk)
    found = appealable_decision(application)
    form = AppealForm(*posted(request), reopen=found is not None and found.kind == AppealKind.REJECTION)
    if request.method == "POST" and form.is_valid():
        appeal = perform(
            request,
            form,
            lambda: lodge_appeal(
                by=user,
                application=application,
                arguments=form.cleaned_data["arguments"],
                reopen_at=form.cleaned_data.get("reopen_at", ""),
                files=form.cleaned_data["attachments"],
            ),
            success=lambda appeal: _("Your appeal is lodged; an officer who took no part in the decision decides."),
        )
        if appeal is not None:
            return redirect("web:appeal", pk=appeal.pk)
    context = {"application": application, "found": found, "form": form}
    return render(request, "web/appeal_form.html", context, status=status_of(form))


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """The appeals this person may see: an applicant his or her enterprises', an officer all."""
    visible = appeals_visible_to(user=acting_user(request)).order_by("state", "-lodged_at")
    return render(request, "web/appeals.html", {"appeals": visible})


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    appeal = get_object_or_404(appeals_visible_to(user=user), pk=pk)
    actions = [{"name": name, "label": step_of(Appeal, name).button} for name in allowed_transitions(appeal, user=user)]
    involvement = appeal.involvement(user)
    context = {"appeal": appeal, "actions": actions, "involvement": involvement, "history": appeal_history(appeal)}
    return render(request, "web/appeal.html", context)


@login_required
def appeal_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    appeal = get_object_or_404(appeals_visible_to(user=acting_user(request)), pk=pk)
    back = reverse("web:appeal", args=[appeal.pk])
    return step_page(request, appeal, name, template="web/appeal_action.html", back=back)
