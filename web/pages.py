"""What every page of the workspace shares: running a service and saying how it went.

The one place where the domain's refusals become words on a page: unmet requirements and
other refusals are shown on the form that asked, success as a message on the next page.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from certification.exceptions import DomainError, RequirementsNotMet
from certification.models import Role, User
from certification.models.accounts import has_role
from certification.policies import acting_user

T = TypeVar("T")


def acting_applicant(request: HttpRequest) -> User:
    """The signed-in applicant; any other person may not open an applicant's page (403)."""
    user = acting_user(request)
    if not has_role(user, Role.APPLICANT):
        raise PermissionDenied
    return user


def posted(request: HttpRequest) -> tuple[Any, Any]:
    """(data, files) to bind a form to, or (None, None) for a GET. A POST binds the form
    even when empty: a confirmation without inputs is still a submission."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def perform(request: HttpRequest, form: forms.Form, run: Callable[[], T], *, success: Callable[[T], str]) -> T | None:
    """Run `run` (a service call); on success add `success(result)` as a message and return
    the result, on a refusal put its sentences on `form` and return None."""
    try:
        result = run()
    except DomainError as refusal:
        for sentence in refusal.unmet if isinstance(refusal, RequirementsNotMet) else [refusal.message]:
            form.add_error(None, sentence)
        form.refusal_status = refusal.http_status  # type: ignore[attr-defined]
        return None
    messages.success(request, success(result))
    return result


def status_of(form: forms.Form) -> int:
    """How a page with this form answers: 200, or the refusal's status (400 for invalid input)."""
    return getattr(form, "refusal_status", 400) if form.errors else 200
