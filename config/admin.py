from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from certification.admin_support import is_officer
from certification.models import Role
from certification.models.accounts import has_role
from web.forms import SignInForm


class OfficerAuthenticationForm(SignInForm):
    """The admin's sign-in, open to certification officers by their role (and to superusers);
    failed attempts count towards the same lockout as every other sign-in."""

    error_messages = {
        **SignInForm.error_messages,
        "invalid_login": _("Enter the username and password of a certification officer's account."),
    }

    def confirm_login_allowed(self, user: object) -> None:
        super().confirm_login_allowed(user)  # type: ignore[arg-type]
        if not (getattr(user, "is_superuser", False) or has_role(user, Role.OFFICER)):
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class LabelAdminSite(admin.AdminSite):
    """The admin for certification officers (by their role) and for superusers."""

    site_header = "SE-label"
    site_title = "SE-label"
    login_form = OfficerAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return is_officer(request)
