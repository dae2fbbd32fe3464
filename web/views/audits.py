"""The auditor's page for one audit: the checklist, findings and report, made for a tablet.

Each criterion is its own small form, saved on its own: a lost connection on the shop floor
costs one criterion, never the checklist.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.models import Audit, FindingStatus
from audits.selectors import audits_visible_to, checklist, share_summary
from audits.services.assessments import add_finding, close_finding, record_assessment
from certification.policies import acting_user, allowed_transitions, recording_refusal
from web.forms import AssessmentForm, CommentForm, EvidenceForm, FindingForm
from web.pages import perform, status_of
from web.views.evidence import attach, evidence_form


def _visible(request: HttpRequest, pk: int) -> Audit:
    return get_object_or_404(audits_visible_to(user=acting_user(request)), pk=pk)


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _visible(request, pk))


def _render(
    request: HttpRequest,
    audit: Audit,
    *,
    bound: AssessmentForm | None = None,
    finding_form: FindingForm | None = None,
    close_forms: dict[int, forms.Form] | None = None,
    evidence_forms: dict[str, EvidenceForm] | None = None,
) -> HttpResponse:
    """The audit page; a form that was refused is shown again with its errors in its place."""
    rows = checklist(audit=audit)
    user = acting_user(request)
    evidence_forms = evidence_forms or {}
    for row in rows:
        row["form"] = bound if bound is not None and bound.prefix == row["code"] else AssessmentForm(criterion=row)
        if row["assessment"] is not None:
            row["evidence_form"] = evidence_form(
                row["assessment"], user, prefix=f"evidence-{row['code']}", bound=evidence_forms
            )
    editable = recording_refusal(user, audit.application, doing=_("assess criteria")) is None
    findings = list(audit.findings.select_related("criterion").prefetch_related("evidence"))
    for finding in findings:
        finding.close_form = (close_forms or {}).get(finding.pk) or CommentForm(prefix=f"close-{finding.pk}")  # type: ignore[attr-defined]
        finding.evidence_form = evidence_form(finding, user, prefix=f"evidence-{finding.pk}", bound=evidence_forms)  # type: ignore[attr-defined]
        finding.evidence_action = reverse("web:audit-finding-evidence", args=[audit.pk, finding.pk])  # type: ignore[attr-defined]
    refused = any(form is not None for form in (bound, finding_form, close_forms)) or bool(evidence_forms)
    context: dict[str, Any] = {
        "audit": audit,
        "application": audit.application,
        "rows": rows,
        "assessed": sum(1 for row in rows if row["assessment"] is not None),
        "editable": editable,
        "findings": findings,
        "finding_form": finding_form or FindingForm(criteria=rows),
        "closed": FindingStatus.CLOSED,
        "actions": [
            name
            for name in allowed_transitions(audit.application, user=user)
            if name in ("start_audit", "submit_report")
        ],
        "documents": audit.application.documents.all(),
        "share": share_summary(audit=audit),
    }
    return render(request, "web/audit.html", context, status=400 if refused else 200)


@login_required
@require_POST
def assess(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    audit = _visible(request, pk)
    row = next((row for row in checklist(audit=audit) if row["code"] == code), None)
    if row is None:
        raise Http404
    form = AssessmentForm(request.POST, criterion=row)
    if form.is_valid():
        recorded = perform(
            request,
            form,
            lambda: record_assessment(
                audit=audit,
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
            return redirect(f"{reverse('web:audit', args=[audit.pk])}#criterion-{code}")
    return _render(request, audit, bound=form)


@login_required
@require_POST
def new_finding(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _visible(request, pk)
    form = FindingForm(request.POST, criteria=checklist(audit=audit))
    if form.is_valid():
        finding = perform(
            request,
            form,
            lambda: add_finding(
                audit=audit,
                by=acting_user(request),
                severity=form.cleaned_data["severity"],
                description=form.cleaned_data["description"],
                criterion_code=form.cleaned_data["criterion"] or None,
            ),
            success=lambda f: _("Finding #%(id)s is recorded.") % {"id": f.pk},
        )
        if finding is not None:
            return redirect(f"{reverse('web:audit', args=[audit.pk])}#findings")
    return _render(request, audit, finding_form=form)


@login_required
@require_POST
def close(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    audit = _visible(request, pk)
    finding = get_object_or_404(audit.findings, pk=finding_pk)
    form = CommentForm(request.POST, prefix=f"close-{finding.pk}")
    if form.is_valid():
        closed = perform(
            request,
            form,
            lambda: close_finding(finding=finding, by=acting_user(request), comment=form.cleaned_data["comment"]),
            success=lambda f: _("Finding #%(id)s is closed.") % {"id": f.pk},
        )
        if closed is not None:
            return redirect(f"{reverse('web:audit', args=[audit.pk])}#findings")
    return _render(request, audit, close_forms={finding.pk: form})


@login_required
@require_POST
def attach_to_assessment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    audit = _visible(request, pk)
    assessment = get_object_or_404(audit.assessments.select_related("criterion"), criterion__code=code)
    evidence, form = attach(request, assessment, prefix=f"evidence-{code}")
    if evidence is not None:
        return redirect(f"{reverse('web:audit', args=[audit.pk])}#evidence-{code}")
    response = _render(request, audit, evidence_forms={form.prefix or "": form})
    response.status_code = status_of(form)
    return response


@login_required
@require_POST
def attach_to_finding(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    audit = _visible(request, pk)
    finding = get_object_or_404(audit.findings, pk=finding_pk)
    evidence, form = attach(request, finding, prefix=f"evidence-{finding.pk}")
    if evidence is not None:
        return redirect(f"{reverse('web:audit', args=[audit.pk])}#finding-{finding.pk}")
    response = _render(request, audit, evidence_forms={form.prefix or "": form})
    response.status_code = status_of(form)
    return response
