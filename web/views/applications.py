"""An application as each role sees it: its facts, documents, audit, findings, timeline and
the actions this person may take now. What is not yours does not exist (404)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.models import Audit, Finding
from audits.selectors import checklist, share_comparison
from certification.models import Application, ApplicationState, Enterprise, Label, User
from certification.policies import (
    acting_user,
    allowed_transitions,
    change_notification_refusal,
    is_applicant_of,
    is_officer,
)
from certification.selectors import applications_visible_to, labels_held_by, products_visible_to
from certification.services.applications import create_application, update_application
from certification.services.documents import DOCUMENT_STATES, add_document
from certification.services.renewals import renewal_refusal, renewal_under_way, start_renewal
from certification.transitions import performer, step_of
from certification.uploads import download
from complaints.appeal_selectors import appeals_of, open_to_appeal
from web.forms import ApplicationForm, DocumentForm, EvidenceForm, NewApplicationForm
from web.pages import acting_applicant, perform, posted, status_of
from web.steps import step_page
from web.views.evidence import attach, evidence_form


def _visible(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(applications_visible_to(user=acting_user(request)), pk=pk)


@login_required
def new_application(request: HttpRequest) -> HttpResponse:
    """A draft application, for a product of one of the applicant's enterprises (and its first document)."""
    user = acting_applicant(request)
    products = (
        products_visible_to(user=user).filter(enterprise__members=user).order_by("name")
    )  # not all, for an officer too
    initial = {"product": request.GET.get("product")} if request.GET.get("product", "").isdigit() else {}
    form = NewApplicationForm(*posted(request), products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        product = form.cleaned_data["product"]
        enterprises = list(user.enterprises.all()[:2])
        enterprise = product.enterprise if product else (enterprises[0] if len(enterprises) == 1 else None)
        if enterprise is None and not enterprises:
            form.add_error(None, _("Your account is not linked to an enterprise yet: ask the certification body."))
        elif enterprise is None:
            form.add_error("product", _("Choose the product or service: you act for more than one enterprise."))
        else:
            application = perform(
                request, form, lambda: _create(form, enterprise=enterprise, by=user), success=_created
            )
            if application is not None:
                return redirect("web:application", pk=application.pk)
    return render(request, "web/application_form.html", {"form": form, "new": True}, status=400 if form.errors else 200)


@transaction.atomic
def _create(form: NewApplicationForm, *, enterprise: Enterprise, by: User) -> Application:
    """The application and its first document together, or neither."""
    application = create_application(
        enterprise=enterprise,
        by=by,
        product=form.cleaned_data["product"],
        declared_social_share=form.cleaned_data["declared_social_share"],
        production_description=form.cleaned_data["production_description"],
    )
    if form.cleaned_data.get("file"):
        add_document(application=application, file=form.cleaned_data["file"], by=by)
    return application


def _created(application: Application) -> str:
    return _("Application %(reference)s is saved as a draft. Submit it when it is complete.") % {
        "reference": application.reference
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible(request, pk))


def _render_detail(
    request: HttpRequest,
    application: Application,
    document_form: DocumentForm | None = None,
    renewal_form: forms.Form | None = None,
    evidence_forms: dict[str, EvidenceForm] | None = None,
) -> HttpResponse:
    user = acting_user(request)
    applicant = is_applicant_of(user, application.enterprise_id)
    if document_form is None and applicant and application.state in DOCUMENT_STATES:
        document_form = DocumentForm()
    audit = getattr(application, "audit", None)
    label = Label.objects.filter(application=application).first()
    context: dict[str, Any] = {
        "application": application,
        "documents": application.documents.select_related("uploaded_by"),
        "history": application.history.select_related("actor"),
        "actions": [_button(application, name) for name in allowed_transitions(application, user=user)],
        "can_edit": applicant and application.state == ApplicationState.DRAFT,
        "document_form": document_form,
        "audit": audit,
        "checklist": checklist(audit=audit) if audit else [],
        "findings": _findings(audit, user, applicant=applicant, evidence_forms=evidence_forms or {}),
        "label": label,
        "label_actions": [_button(label, name) for name in allowed_transitions(label, user=user)] if label else [],
        "is_officer": is_officer(user),
        "appealable": open_to_appeal(application) if applicant else None,
        "appeals": appeals_of(application),
        # The enterprise's copy of the certificate is the one as issued, whatever the label's status.
        "certificate_as_issued": applicant or is_officer(user),
        "renewal": _renewal(label, applicant=applicant) if label else None,
        "change_notification": _change_notification(label, user=user, applicant=applicant) if label else None,
        "renewal_form": renewal_form or forms.Form(),
    }
    status = 400 if document_form is not None and document_form.errors else 200
    for form in [renewal_form, *(evidence_forms or {}).values()]:
        status = status_of(form) if form is not None else status
    return render(request, "web/application.html", context, status=status)


def _findings(
    audit: Audit | None, user: User, *, applicant: bool, evidence_forms: dict[str, EvidenceForm]
) -> list[Finding]:
    """The audit's findings with their evidence; to the enterprise answering them, a file input each."""
    if audit is None:
        return []
    findings = list(audit.findings.select_related("criterion").prefetch_related("evidence"))
    for finding in findings if applicant else []:
        action = reverse("web:application-finding-evidence", args=[audit.application_id, finding.pk])
        form = evidence_form(finding, user, prefix=f"evidence-{finding.pk}", bound=evidence_forms)
        finding.evidence_form, finding.evidence_action = form, action  # type: ignore[attr-defined]
    return findings


def _renewal(label: Label, *, applicant: bool) -> dict[str, Any]:
    """The label's renewal as the page shows it: under way, possible now (to its applicant), or why not."""
    return {
        "under_way": renewal_under_way(label),
        "refusal": renewal_refusal(label),
        "applicant": applicant,
    }


def _change_notification(label: Label, *, user: User, applicant: bool) -> dict[str, Any]:
    """Whether this person may notify a change to the label now, and (to its enterprise's
    applicants) why not: the policy the service applies, in its words."""
    refusal = change_notification_refusal(user, label)
    return {"allowed": refusal is None, "refusal": refusal.message if refusal is not None and applicant else ""}


@login_required
@require_POST
def renew_label(request: HttpRequest, code: str) -> HttpResponse:
    """Start the renewal of one of the applicant's labels: a draft prefilled from it."""
    user = acting_applicant(request)
    label = get_object_or_404(labels_held_by(user=user), code=code)
    form = forms.Form(request.POST)
    application = perform(request, form, lambda: start_renewal(label=label, by=user), success=_renewal_started)
    if application is not None:
        return redirect("web:application", pk=application.pk)
    return _render_detail(request, label.application, renewal_form=form)


def _renewal_started(application: Application) -> str:
    return _("Renewal %(reference)s is saved as a draft: add the documents and submit it.") % {
        "reference": application.reference
    }


DECISIONS = {"approve", "reject", "request_corrective_actions"}


def _button(target: Application | Label, name: str) -> dict[str, Any]:
    step = step_of(type(target), name)
    return {
        "name": name,
        "label": step.button,
        "dangerous": step.dangerous,
        # A step without inputs is one click; the others ask for their inputs first.
        "immediate": not performer(type(target), name).form.base_fields,
    }


@login_required
def edit_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    user = acting_applicant(request)
    initial = {
        "product": application.product_id,
        "declared_social_share": application.declared_social_share,
        "production_description": application.production_description,
    }
    products = products_visible_to(user=user).filter(enterprise=application.enterprise_id).order_by("name")
    form = ApplicationForm(*posted(request), products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = perform(
            request,
            form,
            lambda: update_application(application=application, by=user, **form.cleaned_data),
            success=lambda a: _("Application %(reference)s is saved.") % {"reference": a.reference},
        )
        if changed is not None:
            return redirect("web:application", pk=application.pk)
    return render(
        request,
        "web/application_form.html",
        {"form": form, "application": application},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        document = perform(
            request,
            form,
            lambda: add_document(application=application, file=form.cleaned_data["file"], by=acting_user(request)),
            success=lambda d: _("%(name)s is added.") % {"name": d.original_name},
        )
        if document is not None:
            return redirect("web:application", pk=application.pk)
    return _render_detail(request, application, document_form=form)


@login_required
def download_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    application = _visible(request, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    return download(document)


@login_required
def application_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One step of DESIGN §4: its inputs, then its service."""
    application = _visible(request, pk)
    back = reverse("web:application", args=[application.pk])
    facts = {"shares": share_comparison(application=application)} if name in DECISIONS else None
    return step_page(request, application, name, template="web/action_form.html", back=back, facts=facts)


@login_required
@require_POST
def attach_to_finding(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    """The enterprise sends files with its answer to a finding."""
    application = _visible(request, pk)
    finding = get_object_or_404(Finding.objects.filter(audit__application=application), pk=finding_pk)
    evidence, form = attach(request, finding, prefix=f"evidence-{finding.pk}")
    if evidence is not None:
        return redirect(f"{reverse('web:application', args=[application.pk])}#finding-{finding.pk}")
    return _render_detail(request, application, evidence_forms={form.prefix or "": form})
