"""What every page of the workspace shares: running a service and saying how it went.

The one place where the domain's refusals become words on a page: unmet requirements and
other refusals are shown on the form that asked, success as a message on the next page.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from certification.exceptions import DomainError, RequirementsNotMet

T = TypeVar("T")


def posted(request: HttpRequest) -> tuple[Any, Any]:
    """(data, files) to bind a form to, or (None, None) for a GET. A POST binds the form
    even when empty: a confirmation without inputs is still a submission."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def perform(request: HttpRequest, form: forms.Form, run: Callable[[], T], *, success: Callable[[T], str]) -> T | None:
    """Run `run` (a service call); on success add `success(result)` as a message and return
    the result, on a refusal put its sentences on `form` and return None."""
    try:
        result = run()
    except RequirementsNotMet as refusal:
        for sentence in refusal.unmet:
            form.add_error(None, sentence)
        return None
    except DomainError as refusal:
        form.add_error(None, refusal.message)
        return None
    messages.success(request, success(result))
    return result
