"""The certification officer's queue: how many applications wait in each state, and which."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from certification.models import ApplicationState
from certification.policies import acting_user, is_officer
from certification.selectors import applications_per_state, applications_visible_to

PAGE_SIZE = 25
# Where an officer has something to do, first.
WAITING_FOR_OFFICER = (ApplicationState.SUBMITTED, ApplicationState.AUDIT_REPORTED)


def queue_counts() -> list[tuple[ApplicationState, int]]:
    return [(ApplicationState(state), n) for state, n in applications_per_state().items()]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    state = request.GET.get("state", ApplicationState.SUBMITTED)
    if state not in ApplicationState.values:
        state = ApplicationState.SUBMITTED
    applications = (
        applications_visible_to(user=acting_user(request))
        .filter(state=state)
        .select_related("audit__auditor")
        .order_by("submitted_at", "pk")
    )
    return render(
        request,
        "web/queue.html",
        {
            "counts": queue_counts(),
            "state": ApplicationState(state),
            "waiting": WAITING_FOR_OFFICER,
            "page": Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )
