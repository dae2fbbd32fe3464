"""The application's actions as people take them: for each transition of DESIGN §4, the form
that asks for its inputs and the service that performs it. The admin (and the pages) offer
exactly the actions `transitions_for_user` allows and run them only through here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import FindingStatus
from audits.services.audits import (
    auditor_conflict,
    request_corrective_actions,
    schedule_audit,
    start_audit,
    submit_corrective_actions,
    submit_report,
)
from audits.services.decisions import approve_application
from certification.models import Application, Role, User
from certification.services.applications import (
    reject_application,
    return_application,
    submit_application,
    withdraw_application,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ActionForm(forms.Form):
    """Inputs of one action. Fields are optional here: the service says what is missing."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application


class NoInputForm(ActionForm):
    pass


class CommentForm(ActionForm):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RationaleForm(ActionForm):
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ScheduleAuditForm(ActionForm):
    auditor = forms.ModelChoiceField(label=_("Auditor"), queryset=User.objects.none(), required=False)
    scheduled_for = forms.DateField(label=_("Date of the audit"), widget=DATE, required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        # Only auditors without a conflict of interest are offered.
        candidates = User.objects.filter(groups__name=Role.AUDITOR, is_active=True).order_by("username")
        eligible = [u.pk for u in candidates if auditor_conflict(application=application, auditor=u) is None]
        self.fields["auditor"].queryset = User.objects.filter(pk__in=eligible).order_by("username")  # type: ignore[attr-defined]


class ReportForm(ActionForm):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    measured_social_share = forms.DecimalField(
        label=_("Measured social-economy share (%)"), max_digits=5, decimal_places=2, required=False
    )


class CorrectiveActionsRequestForm(CommentForm):
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)


class CorrectiveActionsForm(ActionForm):
    """One answer per open finding."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        audit = getattr(application, "audit", None)
        findings = audit.findings.filter(status=FindingStatus.OPEN) if audit else []
        for finding in findings:
            self.fields[f"finding_{finding.pk}"] = forms.CharField(
                label=_("Answer to finding #%(id)s (%(severity)s): %(description)s")
                % {"id": finding.pk, "severity": finding.get_severity_display(), "description": finding.description},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def responses(self) -> dict[int, str]:
        return {int(name.removeprefix("finding_")): value for name, value in self.cleaned_data.items()}


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form_class: type[ActionForm]
    perform: Callable[[Application, User, ActionForm], object]
    dangerous: bool = False


def _data(form: ActionForm, name: str) -> Any:
    return form.cleaned_data.get(name)


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action("submit", _("Submit"), NoInputForm, lambda app, by, f: submit_application(application=app, by=by)),
        Action(
            "return_to_applicant",
            _("Return to the applicant"),
            CommentForm,
            lambda app, by, f: return_application(application=app, by=by, comment=_data(f, "comment") or ""),
        ),
        Action(
            "schedule_audit",
            _("Schedule the audit"),
            ScheduleAuditForm,
            lambda app, by, f: schedule_audit(
                application=app, by=by, auditor=_data(f, "auditor"), scheduled_for=_data(f, "scheduled_for")
            ),
        ),
        Action(
            "start_audit", _("Start the audit"), NoInputForm, lambda app, by, f: start_audit(application=app, by=by)
        ),
        Action(
            "submit_report",
            _("Submit the audit report"),
            ReportForm,
            lambda app, by, f: submit_report(
                application=app,
                by=by,
                summary=_data(f, "summary") or "",
                measured_social_share=_data(f, "measured_social_share"),
            ),
        ),
        Action(
            "request_corrective_actions",
            _("Request corrective actions"),
            CorrectiveActionsRequestForm,
            lambda app, by, f: request_corrective_actions(
                application=app, by=by, comment=_data(f, "comment") or "", due_date=_data(f, "due_date")
            ),
        ),
        Action(
            "submit_corrective_actions",
            _("Submit the corrective actions"),
            CorrectiveActionsForm,
            lambda app, by, f: submit_corrective_actions(
                application=app,
                by=by,
                responses=f.responses(),  # type: ignore[attr-defined]
            ),
        ),
        Action(
            "approve",
            _("Approve and issue the label"),
            RationaleForm,
            lambda app, by, f: approve_application(application=app, by=by, rationale=_data(f, "rationale") or ""),
        ),
        Action(
            "reject",
            _("Reject"),
            ReasonForm,
            lambda app, by, f: reject_application(application=app, by=by, reason=_data(f, "reason") or ""),
            dangerous=True,
        ),
        Action(
            "withdraw",
            _("Withdraw"),
            ReasonForm,
            lambda app, by, f: withdraw_application(application=app, by=by, reason=_data(f, "reason") or ""),
            dangerous=True,
        ),
    ]
}
