"""The public pages (DESIGN §7): check a code, what a QR code opens, the registry, a PDF check.

Same selectors and services as the API: the pages add presentation, never a rule.
"""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.codes import parse_label_code
from certification.exceptions import InvalidLabelCode
from certification.identifiers import format_enterprise_number
from certification.lookup import labels_for_lookup, lookup_label, public_representation
from certification.models import ProductCategory, PublicStatus, Scheme, SchemeStatus, StatusReason
from certification.registry import RegistryFilter
from certification.uploads import limit_uploads
from certification.verification import too_large, verify_certificate_upload
from web.pages import posted

REGISTRY_PAGE_SIZE = 20


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("label code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "placeholder": "SE-7K3M-9QX2-4H6",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class CertificateForm(forms.Form):
    file = forms.FileField(
        label=_("certificate (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


def home(request: HttpRequest) -> HttpResponse:
    scheme = Scheme.objects.filter(status=SchemeStatus.ACTIVE).first()
    return render(request, "web/home.html", {"form": CodeForm(), "scheme": scheme})


def verify_form(request: HttpRequest) -> HttpResponse:
    """The code box: a typed code goes to its page in canonical form, a typo is said at once."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        try:
            return redirect("web:verify", code=parse_label_code(form.cleaned_data["code"]))
        except InvalidLabelCode as error:
            form.add_error("code", str(error))
    scheme = Scheme.objects.filter(status=SchemeStatus.ACTIVE).first()
    return render(request, "web/home.html", {"form": form, "scheme": scheme}, status=400 if form.errors else 200)


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What a QR code opens: the status at a glance, then the facts."""
    try:
        canonical = parse_label_code(code)
    except InvalidLabelCode as error:
        return render(request, "web/verify.html", {"code": code, "invalid": str(error)}, status=400)
    if canonical != code:
        return redirect("web:verify", code=canonical)
    label = lookup_label(canonical)
    if label is None:
        return render(request, "web/verify.html", {"code": canonical, "unknown": True}, status=404)
    return render(request, "web/verify.html", {"code": canonical, "label": _presented(label)})


def _category_names() -> dict[str, str]:
    return {category.code: category.name for category in ProductCategory.objects.all()}


def _presented(label: dict[str, Any], categories: dict[str, str] | None = None) -> dict[str, Any]:
    """The lookup answer with the words people read instead of codes."""
    code = label["product"]["category"]
    names = _category_names() if categories is None else categories
    return {
        **label,
        "status_label": PublicStatus(label["status"]).label,
        "reason_label": StatusReason(label["status_reason"]).label if label["status_reason"] else "",
        "category_name": names.get(code, code),
        "levels": [n <= label["level"] for n in (1, 2, 3)],
        "enterprise_number_display": format_enterprise_number(label["enterprise"]["enterprise_number"]),
        "issued_on_date": datetime.date.fromisoformat(label["issued_on"]),
        "valid_until_date": datetime.date.fromisoformat(label["valid_until"]),
        "status_since_time": datetime.datetime.fromisoformat(label["status_since"]) if label["status_since"] else None,
    }


def registry(request: HttpRequest) -> HttpResponse:
    filters = RegistryFilter(request.GET, queryset=labels_for_lookup().order_by("-issued_on", "code"))
    labels = filters.qs if filters.is_valid() else labels_for_lookup().none()
    page = Paginator(labels, REGISTRY_PAGE_SIZE).get_page(request.GET.get("page"))
    categories = _category_names()  # one query for the page, not one per row
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/registry.html",
        {
            "filters": filters,
            "page": page,
            "rows": [_presented(public_representation(label), categories) for label in page],
            "query": query.urlencode(),
            "csv_url": f"{reverse('api:registry')}?{query.urlencode()}{'&' if query else ''}format=csv",
        },
    )


def certificate_too_large(request: HttpRequest) -> HttpResponse:
    """The answer to a file refused while it was received: the same page, saying so."""
    return render(
        request, "web/check_certificate.html", {"form": CertificateForm(), "verdict": too_large()}, status=413
    )


# A certificate is far smaller than a document: the page receives no more than one can be long.
@limit_uploads(lambda: settings.VERIFY_UPLOAD_MAX_SIZE, refused=certificate_too_large)
def check_certificate(request: HttpRequest) -> HttpResponse:
    form = CertificateForm(*posted(request))
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify_certificate_upload(form.cleaned_data["file"])
    return render(
        request,
        "web/check_certificate.html",
        {"form": form, "verdict": verdict, "label": _presented(verdict.label) if verdict and verdict.label else None},
    )
