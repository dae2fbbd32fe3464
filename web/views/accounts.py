"""Signing in and out, passwords, and the dashboard each person lands on."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from audits.selectors import audits_visible_to
from audits.surveillance import SurveillanceState
from audits.surveillance_selectors import surveillances_visible_to
from certification.models import ApplicationState, Role
from certification.models.accounts import has_role
from certification.policies import acting_user
from certification.selectors import applications_visible_to, products_visible_to
from certification.services.password_reset import ResetRefused, take_reset_request
from config.clients import client_address
from web.forms import SignInForm, ThrottledPasswordResetForm
from web.views.officers import queue_counts

OPEN_AUDIT_STATES = (
    ApplicationState.AUDIT_SCHEDULED,
    ApplicationState.AUDIT_IN_PROGRESS,
    ApplicationState.CORRECTIVE_ACTION,
)


class SignInView(auth.LoginView):
    template_name = "web/account/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        """Refused for a while: 429 with Retry-After, as the API answers."""
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class SignOutView(auth.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out."))
        return response


class PasswordChangeView(SuccessMessageMixin, auth.PasswordChangeView):  # type: ignore[misc]
    template_name = "web/account/password_change.html"
    success_url = reverse_lazy("web:dashboard")
    success_message = _("Your password is changed.")


class PasswordResetView(auth.PasswordResetView):
    template_name = "web/account/password_reset.html"
    email_template_name = "web/account/password_reset_email.txt"
    subject_template_name = "web/account/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-sent")
    form_class = ThrottledPasswordResetForm

    def form_valid(self, form: ThrottledPasswordResetForm) -> HttpResponse:  # type: ignore[override]
        """Counted per client address first: past its budget, a 429 that says when to ask again."""
        try:
            take_reset_request(address=client_address(self.request.META))
        except ResetRefused as refusal:
            form.add_error(None, refusal.message)
            response = self.render_to_response(self.get_context_data(form=form), status=refusal.http_status)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        return super().form_valid(form)


class PasswordResetSentView(auth.PasswordResetDoneView):
    template_name = "web/account/password_reset_sent.html"


class PasswordResetConfirmView(SuccessMessageMixin, auth.PasswordResetConfirmView):  # type: ignore[misc]
    template_name = "web/account/password_reset_confirm.html"
    success_url = reverse_lazy("web:sign-in")
    success_message = _("Your new password is set: sign in with it.")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per person: the sections of the roles he or she has."""
    user = acting_user(request)
    context: dict[str, Any] = {}
    if has_role(user, Role.APPLICANT):
        context["enterprises"] = [
            {
                "enterprise": enterprise,
                "products": products_visible_to(user=user).filter(enterprise=enterprise).order_by("name"),
                "applications": applications_visible_to(user=user)
                .filter(enterprise=enterprise)
                .select_related("label")
                .order_by("-updated_at"),
            }
            for enterprise in user.enterprises.order_by("name")
        ]
    if has_role(user, Role.AUDITOR):
        audits = audits_visible_to(user=user).filter(auditor=user).order_by("scheduled_for", "pk")
        context["open_audits"] = audits.filter(application__state__in=OPEN_AUDIT_STATES)
        context["past_audits"] = audits.exclude(application__state__in=OPEN_AUDIT_STATES).order_by("-scheduled_for")[
            :10
        ]
        context["surveillances"] = surveillances_visible_to(user=user).filter(
            auditor=user, state__in=[SurveillanceState.SCHEDULED, SurveillanceState.IN_PROGRESS]
        )
    if has_role(user, Role.OFFICER):
        context["counts"] = queue_counts()
    return render(request, "web/dashboard.html", context)
