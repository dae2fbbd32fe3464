"""The forms of the public's complaints: they ask; complaints.services.filing says what is acceptable."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from complaints.models import ComplaintCategory, ReopenStep


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service, as a document is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class ComplaintForm(forms.Form):
    honeypot_field = "website"  # web/_form_fields.html renders it hidden
    label = forms.CharField(
        label=_("label code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "SE-7K3M-9QX2-4H6", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The code on the product or its certificate; or, below, the enterprise."),
    )
    enterprise_number = forms.CharField(
        label=_("or the enterprise number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "0403.170.701", "autocomplete": "off", "inputmode": "numeric"}),
    )
    category = forms.ChoiceField(
        label=_("What is the problem?"), choices=ComplaintCategory.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Describe what you saw"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": settings.COMPLAINT_MAX_DESCRIPTION}),
        help_text=_("Where and when, and what the label claims. Do not name other people."),
    )
    attachments = MultipleFileField(
        label=_("Files (optional)"),
        required=False,
        help_text=_("Photos or documents: PDF, PNG or JPEG, at most three."),
    )
    email = forms.CharField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("To be mailed at each stage. Nobody outside the certification body sees it."),
    )
    # The honeypot: hidden from people (the page does not show it), filled in by machines.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class TrackingForm(forms.Form):
    number = forms.CharField(
        label=_("tracking number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": "SK-7K3M-9QX2-4H6", "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class AppealForm(forms.Form):
    arguments = forms.CharField(
        label=_("Arguments"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why the decision should change; an officer who took no part in it decides."),
    )
    reopen_at = forms.ChoiceField(
        label=_("Reopen at"),
        choices=ReopenStep.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Where the application starts again if the appeal is granted (for a rejection)."),
    )
    attachments = MultipleFileField(
        label=_("Files (optional)"), required=False, help_text=_("Photos or documents: PDF, PNG or JPEG.")
    )

    def __init__(self, *args: Any, reopen: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not reopen:
            del self.fields["reopen_at"]
