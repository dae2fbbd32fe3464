"""The inputs of the certification steps, one form each, for the pages, the admin and the API.

Fields the services check are optional here: the service says what is missing, so that a
person is told the same sentence on a page and through the API. (The audit's steps have
theirs in audits.inputs.)
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import StatusReason
from certification.transitions import ActionForm

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class CommentForm(ActionForm):
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, required=False)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, required=False)


class RationaleForm(ActionForm):
    rationale = forms.CharField(label=_("Rationale"), widget=TEXTAREA, required=False)


class LabelStatusForm(ActionForm):
    """Suspend, reinstate or revoke: the reason the public is shown, and the officer's own words."""

    category = forms.ChoiceField(
        label=_("reason the public is shown"), choices=StatusReason.choices, initial=StatusReason.OTHER, required=False
    )
    reason = forms.CharField(label=_("reason, for the record"), widget=TEXTAREA, required=False)

    def clean_category(self) -> Any:
        return self.cleaned_data["category"] or StatusReason.OTHER


class DecisionForm(ActionForm):
    decision = forms.CharField(label=_("Reasons for the decision"), widget=TEXTAREA, required=False)
