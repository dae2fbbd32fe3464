"""Complaints on the pages: filed and followed by anyone (by tracking number), handled by
certification officers. Same services and selectors as the API."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from api.throttling import ComplaintRateThrottle
from audits.surveillance_selectors import surveillance_answering
from certification.exceptions import DomainError, RequirementsNotMet
from certification.policies import acting_user, allowed_transitions, is_officer
from certification.transitions import step_of
from certification.uploads import download
from complaints.models import Complaint, ComplaintCategory, ComplaintState
from complaints.selectors import complaint_history, complaints_visible_to, find_complaint, public_complaint
from complaints.services.filing import ComplaintInput, file_complaint
from complaints.tracking import InvalidTrackingNumber, parse_tracking_number
from web.complaint_forms import ComplaintForm, TrackingForm
from web.pages import posted
from web.steps import step_page

PAGE_SIZE = 25


def new_complaint(request: HttpRequest) -> HttpResponse:
    """The complaint form; `?label=CODE` (the verify page's link) fills in the label."""
    form = ComplaintForm(*posted(request), initial={"label": request.GET.get("label", "")[:40]})
    status = 200
    if request.method == "POST":
        if not ComplaintRateThrottle().allow_request(request, None):
            form.add_error(None, _("Too many complaints were filed from your address: try again in an hour."))
            return render(request, "web/complaint_form.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                complaint = file_complaint(data=_complaint_input(form))
            except DomainError as refusal:
                for sentence in refusal.unmet if isinstance(refusal, RequirementsNotMet) else [refusal.message]:
                    form.add_error(None, sentence)
            else:
                messages.success(
                    request,
                    _("Your complaint is received. Keep its tracking number, %(number)s, to follow it here.")
                    % {"number": complaint.tracking_number},
                )
                return redirect("web:complaint", number=complaint.tracking_number)
        status = 400
    return render(request, "web/complaint_form.html", {"form": form}, status=status)


def _complaint_input(form: ComplaintForm) -> ComplaintInput:
    data = form.cleaned_data
    return ComplaintInput(
        label=data["label"],
        enterprise_number=data["enterprise_number"],
        category=data["category"],
        description=data["description"],
        email=data["email"],
        language=(get_language() or "")[:2],
        files=data["attachments"],
        website=data["website"],
    )


def track(request: HttpRequest) -> HttpResponse:
    """The number box: a typed number goes to its status page, a typo is said at once."""
    form = TrackingForm(request.GET or None)
    if form.is_valid():
        try:
            return redirect("web:complaint", number=parse_tracking_number(form.cleaned_data["number"]))
        except InvalidTrackingNumber as error:
            form.add_error("number", str(error))
    return render(request, "web/complaint_track.html", {"form": form}, status=400 if form.errors else 200)


def complaint_status(request: HttpRequest, number: str) -> HttpResponse:
    """The public status page: the stage and its dates, nothing about who complained."""
    try:
        canonical = parse_tracking_number(number)
    except InvalidTrackingNumber as error:
        form = TrackingForm(initial={"number": number})
        return render(request, "web/complaint_track.html", {"form": form, "problem": str(error)}, status=400)
    if canonical != number:
        return redirect("web:complaint", number=canonical)
    complaint = find_complaint(canonical)
    if complaint is None:
        form = TrackingForm(initial={"number": number})
        problem = _("No complaint with this tracking number.")
        return render(request, "web/complaint_track.html", {"form": form, "problem": problem}, status=404)
    return render(request, "web/complaint_status.html", {"complaint": presented(public_complaint(complaint))})


def presented(public: dict[str, Any]) -> dict[str, Any]:
    """The public view with words and dates instead of codes and ISO strings."""

    def moment(value: str | None) -> datetime.datetime | None:
        return datetime.datetime.fromisoformat(value) if value else None

    def day(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    return {
        **public,
        "status_label": ComplaintState(public["status"]).label,
        "category_label": ComplaintCategory(public["category"]).label,
        "received": moment(public["received_at"]),
        "acknowledge_by_date": day(public["acknowledge_by"]),
        "acknowledged": moment(public["acknowledged_at"]),
        "decide_by_date": day(public["decide_by"]),
        "decided": moment(public["decided_at"]),
        "closed": moment(public["closed_at"]),
        "stage_list": [
            {"label": ComplaintState(stage["status"]).label, "at": moment(stage["at"])} for stage in public["stages"]
        ],
    }


def _officer_complaint(request: HttpRequest, number: str) -> Complaint:
    if not is_officer(request.user):
        raise PermissionDenied
    try:
        canonical = parse_tracking_number(number)
    except InvalidTrackingNumber as error:
        raise Http404 from error
    return get_object_or_404(complaints_visible_to(user=acting_user(request)), tracking_number=canonical)


@login_required
def officer_complaints(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    state = request.GET.get("state", ComplaintState.RECEIVED)
    if state not in ComplaintState.values:
        state = ComplaintState.RECEIVED
    complaints = complaints_visible_to(user=acting_user(request)).filter(state=state).order_by("received_at", "pk")
    counts = [(choice, Complaint.objects.filter(state=choice).count()) for choice in ComplaintState]
    return render(
        request,
        "web/officer_complaints.html",
        {
            "state": ComplaintState(state),
            "counts": counts,
            "page": Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


@login_required
def officer_complaint(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _officer_complaint(request, number)
    user = acting_user(request)
    actions = [
        {"name": name, "label": step_of(Complaint, name).button, "dangerous": step_of(Complaint, name).dangerous}
        for name in allowed_transitions(complaint, user=user)
    ]
    return render(
        request,
        "web/officer_complaint.html",
        {
            "complaint": complaint,
            "public": presented(public_complaint(complaint)),
            "actions": actions,
            "involvement": complaint.involvement(user),
            "history": complaint_history(complaint).select_related("actor"),
            "ordered_surveillance": surveillance_answering(order_id=complaint.extra_surveillance_id),
        },
    )


@login_required
def complaint_file(request: HttpRequest, number: str, file_pk: int) -> FileResponse:
    complaint = _officer_complaint(request, number)
    return download(get_object_or_404(complaint.files, pk=file_pk))


@login_required
def complaint_action(request: HttpRequest, number: str, name: str) -> HttpResponse:
    # As the API: the number is the complaint's key, and the step says who may take it and why not.
    try:
        complaint = find_complaint(parse_tracking_number(number))
    except InvalidTrackingNumber as error:
        raise Http404 from error
    if complaint is None:
        raise Http404
    back = reverse("web:officer-complaint", args=[complaint.tracking_number])
    return step_page(request, complaint, name, template="web/complaint_action.html", back=back)
