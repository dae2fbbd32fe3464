"""Surveillance on the pages: the officers' list of labels due, scheduling, the auditor's
checklist (the audit's, made for a tablet) and the steps, through the same services as the API."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audits.inputs import DATE
from audits.services.surveillance import record_surveillance_assessment, schedule_surveillance
from audits.surveillance import Surveillance
from audits.surveillance_selectors import (
    extra_surveillance_orders_of,
    labels_due_for_surveillance,
    surveillance_checklist,
    surveillance_share_summary,
    surveillances_visible_to,
)
from certification.models import Label, User
from certification.policies import acting_user, allowed_transitions, eligible_auditors, is_officer
from certification.transitions import step_of
from web.forms import AssessmentForm, EvidenceForm
from web.pages import perform, posted, status_of
from web.steps import step_page
from web.views.evidence import attach, evidence_form


@login_required
def due(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    labels = list(labels_due_for_surveillance(today=today))
    return render(request, "web/surveillance_due.html", {"labels": labels, "today": today})


class ScheduleForm(forms.Form):
    auditor = forms.ChoiceField(label=gettext_lazy("Auditor"), required=False)
    scheduled_for = forms.DateField(label=gettext_lazy("Date of the audit"), widget=DATE, required=False)

    def __init__(self, *args: Any, label: Label, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        auditors = eligible_auditors(application=label.application)
        field = self.fields["auditor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------")] + [(u.get_username(), str(u)) for u in auditors]


@login_required
def schedule(request: HttpRequest, code: str) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    label = get_object_or_404(Label.objects.select_related("product__enterprise", "application"), code=code)
    form = ScheduleForm(*posted(request)[:1], label=label)
    if request.method == "POST" and form.is_valid():
        auditor = User.objects.filter(username=form.cleaned_data["auditor"]).first()
        scheduled = perform(
            request,
            form,
            lambda: schedule_surveillance(
                label=label, by=acting_user(request), auditor=auditor, scheduled_for=form.cleaned_data["scheduled_for"]
            ),
            success=lambda s: _("The surveillance audit of %(code)s is scheduled.") % {"code": label.code},
        )
        if scheduled is not None:
            return redirect("web:surveillance", scheduled.pk)
    return render(request, "web/surveillance_schedule.html", {"label": label, "form": form}, status=status_of(form))


# The steps whose page shows the label's share and the measured one side by side: the report, and
# the officer's decisions.
SHOWING_SHARES = {"report", "continue_certification", "request_corrective_actions", "suspend_label", "revoke_label"}


def _visible(request: HttpRequest, pk: int) -> Surveillance:
    return get_object_or_404(surveillances_visible_to(user=acting_user(request)), pk=pk)


def _recording(user: User, surveillance: Surveillance) -> bool:
    return surveillance.auditor_id == user.pk and surveillance.state == "in_progress"


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _visible(request, pk))


def _render(
    request: HttpRequest,
    surveillance: Surveillance,
    *,
    bound: AssessmentForm | None = None,
    evidence_forms: dict[str, EvidenceForm] | None = None,
) -> HttpResponse:
    rows = surveillance_checklist(surveillance=surveillance)
    user = acting_user(request)
    for row in rows:
        row["form"] = bound if bound is not None and bound.prefix == row["code"] else AssessmentForm(criterion=row)
        if row["assessment"] is not None:
            prefix = f"evidence-{row['code']}"
            row["evidence_form"] = evidence_form(row["assessment"], user, prefix=prefix, bound=evidence_forms or {})
    context = {
        "surveillance": surveillance,
        "label": surveillance.label,
        "rows": rows,
        "assessed": sum(1 for row in rows if row["assessment"] is not None),
        "editable": _recording(user, surveillance),
        "actions": [(name, step_of(Surveillance, name)) for name in allowed_transitions(surveillance, user=user)],
        "share": surveillance_share_summary(surveillance=surveillance),
        "orders": extra_surveillance_orders_of(surveillance=surveillance, user=user),
    }
    return render(request, "web/surveillance.html", context, status=400 if bound is not None else 200)


@login_required
@require_POST
def assess(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    surveillance = _visible(request, pk)
    row = next((row for row in surveillance_checklist(surveillance=surveillance) if row["code"] == code), None)
    if row is None:
        raise Http404
    form = AssessmentForm(request.POST, criterion=row)
    if form.is_valid():
        recorded = perform(
            request,
            form,
            lambda: record_surveillance_assessment(
                surveillance=surveillance,
                criterion_code=code,
                by=acting_user(request),
                result=form.cleaned_data.get("result"),
                value=form.cleaned_data.get("value"),
                comment=form.cleaned_data["comment"],
                steps=form.steps(),
            ),
            success=lambda a: _("%(code)s: %(result)s is recorded.") % {"code": code, "result": a.get_result_display()},
        )
        if recorded is not None:
            return redirect(f"{reverse('web:surveillance', args=[surveillance.pk])}#criterion-{code}")
    return _render(request, surveillance, bound=form)


@login_required
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    surveillance = _visible(request, pk)
    back = reverse("web:surveillance", args=[surveillance.pk])
    shares = surveillance_share_summary(surveillance=surveillance) if name in SHOWING_SHARES else None
    return step_page(request, surveillance, name, template="web/label_step.html", back=back, facts={"shares": shares})


@login_required
@require_POST
def attach_to_assessment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    surveillance = _visible(request, pk)
    assessment = get_object_or_404(surveillance.assessments.select_related("criterion"), criterion__code=code)
    evidence, form = attach(request, assessment, prefix=f"evidence-{code}")
    if evidence is not None:
        return redirect(f"{reverse('web:surveillance', args=[surveillance.pk])}#evidence-{code}")
    response = _render(request, surveillance, evidence_forms={form.prefix or "": form})
    response.status_code = status_of(form)
    return response
