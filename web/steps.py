"""A step of a state machine taken on a page: the same policy, form and service as the API
and the admin, and the same refusal with the same status and sentence."""

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from certification.policies import acting_user, refusal
from certification.transitions import done_message, performer, step_of, steps
from web.pages import perform, posted, status_of


def step_page(
    request: HttpRequest,
    target: models.Model,
    name: str,
    *,
    template: str,
    back: str,
    facts: dict[str, Any] | None = None,
) -> HttpResponse:
    """Ask for the step's inputs, then run its service; go `back` (or to `next`) when done.
    `facts` are what the person should see while deciding."""
    if name not in steps(type(target)):
        raise Http404
    user = acting_user(request)
    step = step_of(type(target), name)
    context: dict[str, Any] = {"target": target, "step": step, "back": back, **(facts or {})}
    if (error := refusal(target, name, user=user)) is not None:
        context["refusal"] = error.message
        return render(request, "web/action_unavailable.html", context, status=error.http_status)
    service = performer(type(target), name)
    form = service.form(*posted(request), target=target)
    if request.method == "POST" and form.is_valid():
        result = perform(
            request,
            form,
            lambda: service.perform(target, by=user, form=form),
            success=lambda result: done_message(type(target)._default_manager.get(pk=target.pk), name, result),
        )
        if result is not None:
            return redirect(_next(request) or back)
    return render(request, template, {**context, "form": form}, status=status_of(form))


def _next(request: HttpRequest) -> str | None:
    """Where the page that posted the step asked to go back to (this site only)."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else None
