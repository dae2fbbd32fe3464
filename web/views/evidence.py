"""Evidence on the pages: attached on the audit's and the surveillance audit's checklist (and by
the enterprise to a finding it answers), downloaded by whoever may see the audit, removed by
whoever attached it while the audit is open. What is not yours is not there (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.evidence import Evidence
from audits.evidence_selectors import evidence_visible_to
from audits.services.evidence import EvidenceTarget, attach_evidence, attach_refusal, remove_evidence
from certification.exceptions import DomainError
from certification.models import User
from certification.policies import acting_user, is_applicant_of
from certification.uploads import download
from web.forms import EvidenceForm
from web.pages import perform


def evidence_form(
    target: EvidenceTarget, user: User, *, prefix: str, bound: dict[str, EvidenceForm]
) -> EvidenceForm | None:
    """The file input for `target` when this person may attach to it now; a refused one as it was
    sent, with its refusal."""
    if prefix in bound:
        return bound[prefix]
    return EvidenceForm(prefix=prefix) if attach_refusal(target, user) is None else None


def attach(request: HttpRequest, target: EvidenceTarget, *, prefix: str) -> tuple[Evidence | None, EvidenceForm]:
    """Attach the posted file to `target`; the form carries the refusal when there is one."""
    form = EvidenceForm(request.POST, request.FILES, prefix=prefix)
    if not form.is_valid():
        return None, form
    evidence = perform(
        request,
        form,
        lambda: attach_evidence(target=target, file=form.cleaned_data["file"], by=acting_user(request)),
        success=lambda e: _("%(name)s is attached.") % {"name": e.original_name},
    )
    return evidence, form


@login_required
def download_evidence(request: HttpRequest, pk: int) -> FileResponse:
    return download(get_object_or_404(evidence_visible_to(user=acting_user(request)), pk=pk))


def _page_of(evidence: Evidence, user: User) -> str:
    """Where the file is shown to this person: the checklist it belongs to, or the application's page."""
    if (checked := evidence.surveillance_assessment) is not None:
        page = reverse("web:surveillance", args=[checked.surveillance_id])
        return f"{page}#evidence-{checked.criterion.code}"
    if (assessed := evidence.assessment) is not None:
        return f"{reverse('web:audit', args=[assessed.audit_id])}#evidence-{assessed.criterion.code}"
    assert evidence.finding is not None
    application = evidence.finding.audit.application
    if is_applicant_of(user, application.enterprise_id):
        return f"{reverse('web:application', args=[application.pk])}#finding-{evidence.finding_id}"
    return f"{reverse('web:audit', args=[evidence.finding.audit_id])}#finding-{evidence.finding_id}"


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    evidence = get_object_or_404(evidence_visible_to(user=user), pk=pk)
    page, name = _page_of(evidence, user), evidence.original_name
    try:
        remove_evidence(evidence=evidence, by=user)
    except DomainError as refusal:
        context = {
            "step": {"button": _("Remove the evidence")},
            "refusal": refusal.message,
            "back": page,
            "target": name,
        }
        return render(request, "web/action_unavailable.html", context, status=refusal.http_status)
    messages.success(request, _("%(name)s is removed.") % {"name": name})
    return redirect(page)
