"""The inputs of a complaint's steps, for the pages, the admin and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.inputs import TEXTAREA
from certification.transitions import ActionForm


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Internal note"),
        widget=TEXTAREA,
        required=False,
        help_text=_("For the record; never shown to the complainant or the enterprise."),
    )


class DecisionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Why, for the record; never shown to the complainant or the enterprise."),
    )


class UpholdForm(DecisionForm):
    suspend_label = forms.BooleanField(
        label=_("Suspend the label"),
        required=False,
        help_text=_("The label complained about is suspended at once, linked to this complaint."),
    )
    extra_surveillance = forms.BooleanField(
        label=_("Order an extra surveillance audit"),
        required=False,
        help_text=_(
            "The surveillance audit of the label complained about falls due at once, linked to this complaint."
        ),
    )


class AppealDecisionForm(ActionForm):
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Given to the applicant with the decision on the appeal."),
    )
