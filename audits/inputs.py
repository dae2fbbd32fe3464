"""The inputs of the audit's steps, one form each, for the pages, the admin and the API."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import FindingStatus
from certification.inputs import TEXTAREA, CommentForm
from certification.models import Application, User
from certification.policies import eligible_auditors
from certification.transitions import ActionForm

DATE = forms.DateInput(attrs={"type": "date"})


class ScheduleAuditForm(ActionForm):
    """The auditor by username: the page offers only auditors without a conflict of interest;
    the service says why any other is refused."""

    auditor = forms.CharField(label=_("Auditor"), required=False, help_text=_("The auditor's username."))
    scheduled_for = forms.DateField(label=_("Date of the audit"), widget=DATE, required=False)

    def __init__(self, *args: Any, target: Application, **kwargs: Any) -> None:
        super().__init__(*args, target=target, **kwargs)
        choices = [("", "---------")] + [(u.get_username(), str(u)) for u in eligible_auditors(application=target)]
        self.fields["auditor"].widget = forms.Select(choices=choices)

    def clean_auditor(self) -> User | None:
        username = self.cleaned_data["auditor"]
        if not username:
            return None
        auditor = User.objects.filter(username=username).first()
        if auditor is None:
            raise forms.ValidationError(_("There is no user %(name)s.") % {"name": username})
        return auditor


class ReportForm(ActionForm):
    """The share is not asked: it is computed from the hours per production step recorded in
    the share criterion's assessment."""

    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class CorrectiveActionsRequestForm(CommentForm):
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)


class CorrectiveActionsForm(ActionForm):
    """One answer per open finding: on a page a field each, through the API `responses`
    (finding id -> answer)."""

    responses = forms.JSONField(required=False, widget=forms.HiddenInput, help_text=_("Finding id -> answer."))

    def __init__(self, *args: Any, target: Application, **kwargs: Any) -> None:
        super().__init__(*args, target=target, **kwargs)
        audit = getattr(target, "audit", None)
        findings = audit.findings.filter(status=FindingStatus.OPEN) if audit else []
        for finding in findings:
            self.fields[f"finding_{finding.pk}"] = forms.CharField(
                label=_("Answer to finding #%(id)s (%(severity)s): %(description)s")
                % {"id": finding.pk, "severity": finding.get_severity_display(), "description": finding.description},
                widget=TEXTAREA,
                required=False,
            )

    def clean_responses(self) -> dict[int, str]:
        responses = self.cleaned_data["responses"] or {}
        if not isinstance(responses, dict) or not all(isinstance(text, str) for text in responses.values()):
            raise forms.ValidationError(_("Give the answers as finding id -> text."))
        try:
            return {int(key): text for key, text in responses.items()}
        except ValueError as error:
            raise forms.ValidationError(_("Finding ids are whole numbers.")) from error

    def inputs(self) -> dict[str, Any]:
        answers = dict(self.cleaned_data["responses"])
        for name, value in self.cleaned_data.items():
            if name.startswith("finding_") and value:
                answers[int(name.removeprefix("finding_"))] = value
        return {"responses": answers}


class CorrectionsResponseForm(ActionForm):
    """The enterprise's account of the corrective actions taken after a surveillance audit."""

    response = forms.CharField(label=_("Corrective actions taken"), widget=TEXTAREA, required=False)


class SurveillanceReportForm(ActionForm):
    """The surveillance report: a summary. The share is not asked: it is computed from the hours
    per production step recorded in the share criterion's assessment."""

    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
