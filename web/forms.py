"""The workspace's forms: they ask for the inputs; the services say what is acceptable.

Fields that the services check are still marked required where a person must fill them, so
that the browser says so before a round trip; the services remain the rule.
"""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from audits.models import AssessmentResult, FindingSeverity
from audits.services.share import StepRecord
from certification.models import (
    CriterionKind,
    Enterprise,
    Product,
    ProductCategory,
    ProductKind,
    StatusReason,
    User,
)
from certification.services.accounts import SignInRefused, sign_in
from certification.services.password_reset import may_mail_reset

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class SignInForm(AuthenticationForm):
    """Django's sign-in form, through the sign-in service (which limits failures per username and
    address); `retry_after` is set, in seconds, when it refused for a while."""

    retry_after: int | None = None

    def clean(self) -> dict[str, Any]:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = sign_in(request=self.request, username=username, password=password)
            except SignInRefused as refusal:
                self.retry_after = refusal.retry_after
                raise forms.ValidationError(refusal.message, code="invalid_login") from refusal
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, mailing an account no more than its budget allows (silently: the
    answer is the same whether a mail went, was held back, or no account has that address)."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (user for user in super().get_users(email) if may_mail_reset(user=user))


class ProductForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none(), empty_label=None)
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=ProductKind.choices, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(label=_("category"), queryset=ProductCategory.objects.all())
    description = forms.CharField(label=_("description"), widget=TEXTAREA, required=False)
    gtin = forms.CharField(
        label=_("GTIN (barcode number)"),
        max_length=20,
        required=False,
        help_text=_("Optional: the number under the product's barcode (8, 12, 13 or 14 digits)."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprises = user.enterprises.order_by("name")
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        if len(enterprises) == 1:
            self.fields["enterprise"].initial = enterprises[0]
            self.fields["enterprise"].widget = forms.HiddenInput()


class ApplicationForm(forms.Form):
    """A draft application: which product, the declared share, how it is made."""

    product = forms.ModelChoiceField(label=_("product or service"), queryset=Product.objects.none(), required=False)
    declared_social_share = forms.DecimalField(
        label=_("declared social-economy share (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("The share of the work done by employees from the target groups."),
    )
    production_description = forms.CharField(
        label=_("how the product is made or the service delivered"), widget=TEXTAREA, required=False
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


def document_field(*, required: bool) -> forms.FileField:
    return forms.FileField(
        label=_("document"),
        required=required,
        help_text=_("PDF, PNG or JPEG: the recognition decision, payroll summaries, process descriptions."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )


class EvidenceForm(forms.Form):
    """One file attached to an assessment or a finding; its prefix says which, on a page of many."""

    file = forms.FileField(
        label=_("add a file as evidence"),
        help_text=_("PDF, PNG or JPEG: a photo, a payroll extract, an inspection record."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )


class DocumentForm(forms.Form):
    file = document_field(required=True)


class NewApplicationForm(ApplicationForm):
    """A new application may bring its first document along."""

    file = document_field(required=False)


HOURS_INPUT = {"inputmode": "decimal", "min": 0, "step": "0.01"}
STEP_FIELDS = (
    "name",
    "target_group_hours",
    "all_hours",
    "subcontracted_hours",
    "subcontractor_name",
    "subcontractor_enterprise_number",
    "subcontractor_recognised",
)


def _hours(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, required=False, widget=forms.NumberInput(attrs=HOURS_INPUT)
    )


def _step_fields() -> dict[str, forms.Field]:
    """The inputs of one production step of the share criterion."""
    return {
        "name": forms.CharField(label=_("production step"), max_length=200, required=False),
        "target_group_hours": _hours(_("hours by target-group employees")),
        "all_hours": _hours(_("all hours worked")),
        "subcontracted_hours": _hours(_("hours subcontracted")),
        "subcontractor_name": forms.CharField(label=_("subcontractor"), max_length=200, required=False),
        "subcontractor_enterprise_number": forms.CharField(
            label=_("subcontractor's enterprise number"), max_length=20, required=False
        ),
        "subcontractor_recognised": forms.BooleanField(label=_("recognised social-economy enterprise"), required=False),
    }


def _step_count(data: Any, prefix: str, recorded: int) -> int:
    """Rows to show: the recorded steps and two empty ones, or as many as were posted."""
    if data is None:
        return max(recorded + 2, 3)
    posted = [key.split("-")[2] for key in data if key.startswith(f"{prefix}-step-") and key.count("-") >= 3]
    return max((int(index) + 1 for index in posted if index.isdigit() and int(index) < 100), default=1)


class AssessmentForm(forms.Form):
    """The assessment of one criterion (a row of the audit's checklist); its fields are
    prefixed with the criterion's code, so that every criterion's form is on one page."""

    result = forms.ChoiceField(label=_("result"), choices=AssessmentResult.choices, widget=forms.RadioSelect)
    value = forms.DecimalField(label=_("value"), max_digits=5, decimal_places=2, required=False)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, criterion: dict[str, Any], **kwargs: Any) -> None:
        assessment = criterion["assessment"]
        if assessment is not None:
            value = None if assessment.value is None else format(assessment.value.normalize(), "f")  # 3, not 3.00
            kwargs.setdefault("initial", {"result": assessment.result, "value": value, "comment": assessment.comment})
        kwargs["prefix"] = criterion["code"]
        super().__init__(*args, **kwargs)
        self.step_count = 0
        if criterion["kind"] == CriterionKind.SOCIAL_SHARE:
            self._add_steps(args[0] if args else kwargs.get("data"), assessment)
        elif criterion["kind"] == CriterionKind.YES_NO:
            del self.fields["value"]
        else:
            self.fields["value"].label = (
                _("score (0 to 4)") if criterion["kind"] == CriterionKind.SCORE_0_4 else _("percentage (0 to 100)")
            )
            self.fields["value"].widget.attrs.update({"inputmode": "decimal", "min": 0})
        if criterion["kind"] == CriterionKind.SCORE_0_4:
            self.fields["result"].required = False
            self.fields["result"].help_text = _(
                "Follows from the score: a pass from %(mark)s of 4."
                " Choose only “not applicable” when it does not apply."
            ) % {"mark": criterion["pass_mark"]}
        if criterion["mandatory"] and "result" in self.fields:
            self.fields["result"].choices = [  # type: ignore[attr-defined]
                choice for choice in AssessmentResult.choices if choice[0] != AssessmentResult.NOT_APPLICABLE
            ]

    def _add_steps(self, data: Any, assessment: Any) -> None:
        """The share is not typed: it follows from hours per production step, a row each."""
        del self.fields["result"], self.fields["value"]
        recorded = list(assessment.steps.all()) if assessment is not None else []
        self.step_count = _step_count(data, self.prefix or "", len(recorded))
        for index in range(self.step_count):
            for name, field in _step_fields().items():
                field.widget.attrs["aria-label"] = _("%(field)s, step %(number)s") % {
                    "field": field.label,
                    "number": index + 1,
                }
                self.fields[f"step-{index}-{name}"] = field
                if index < len(recorded):
                    value = getattr(recorded[index], name)
                    self.initial[f"step-{index}-{name}"] = (
                        format(value.normalize(), "f") if hasattr(value, "normalize") else value
                    )

    @property
    def step_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"step-{index}-{name}"] for name in STEP_FIELDS] for index in range(self.step_count)]

    @property
    def judged_fields(self) -> list[forms.BoundField]:
        """The fields that are not a production step's."""
        return [self[name] for name in self.fields if not name.startswith("step-")]

    def steps(self) -> list[StepRecord]:
        """The rows filled in, as the service takes them."""
        records = []
        for index in range(self.step_count):
            row = {name: self.cleaned_data.get(f"step-{index}-{name}") for name in STEP_FIELDS}
            if not any(value not in (None, "", False) for value in row.values()):
                continue
            records.append(
                StepRecord(
                    name=row["name"] or "",
                    target_group_hours=row["target_group_hours"],
                    all_hours=row["all_hours"],
                    subcontracted_hours=row["subcontracted_hours"],
                    subcontractor_name=row["subcontractor_name"] or "",
                    subcontractor_enterprise_number=row["subcontractor_enterprise_number"] or "",
                    subcontractor_recognised=bool(row["subcontractor_recognised"]),
                )
            )
        return records


class FindingForm(forms.Form):
    criterion = forms.ChoiceField(label=_("criterion"), required=False)
    severity = forms.ChoiceField(label=_("severity"), choices=FindingSeverity.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("description"), widget=TEXTAREA)

    def __init__(self, *args: Any, criteria: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("(none: a general finding)"))] + [  # type: ignore[attr-defined]
            (c["code"], f"{c['code']} {c['title']}") for c in criteria
        ]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LabelActionForm(forms.Form):
    category = forms.ChoiceField(
        label=_("reason the public is shown"), choices=StatusReason.choices, initial=StatusReason.OTHER
    )
    reason = forms.CharField(label=_("reason, for the record"), widget=TEXTAREA)
