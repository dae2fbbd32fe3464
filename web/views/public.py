"""The public pages (DESIGN §7): check a code, what a QR code opens, the registry, a PDF check.

Same selectors and services as the API: the pages add presentation, never a rule.
"""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.codes import parse_label_code
from certification.exceptions import InvalidLabelCode
from certification.identifiers import format_enterprise_number
from certification.lookup import labels_for_lookup, lookup_label, public_representations
from certification.models import ProductCategory, PublicStatus, Scheme, SchemeStatus, StatusReason
from certification.registry import (
    InvalidCursor,
    RegistryFilter,
    UnknownParameters,
    keyset_page,
    make_cursor,
    planned_for_its_words,
    read_for_search,
    refuse_unknown_parameters,
)
from certification.snapshots import DESCRIPTOR, current_snapshot, snapshot_path
from certification.uploads import limit_uploads
from certification.verification import too_large, verify_certificate_upload
from web.pages import posted

REGISTRY_PAGE_SIZE = 20
REGISTRY_NUMBERED_PAGES = 50


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
    # The label's own scheme version explains its level, not the one in force today.
    scheme = Scheme.objects.filter(labels__code=canonical).first()
    context: dict[str, Any] = {"code": canonical, "label": _presented(label), "scheme": scheme}
    if scheme is not None:
        context["level_min_share"] = scheme.level_min_share(label["level"])
    return render(request, "web/verify.html", context)


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
    """The registry's search form and its results: numbered pages over the first
    REGISTRY_NUMBERED_PAGES pages (a count capped there, never of every match), then "next"
    pages by keyset, which cost what the first does however deep."""
    filters = RegistryFilter(request.GET, queryset=labels_for_lookup())
    problem = ""
    try:
        refuse_unknown_parameters(request.GET, also=("page", "cursor"))
    except UnknownParameters as error:
        problem = error.message
    query = request.GET.copy()
    for name in ("page", "cursor"):
        query.pop(name, None)
    base = f"?{query.urlencode()}{'&' if query else ''}"
    context: dict[str, Any] = {"filters": filters, "query": query.urlencode(), "problem": problem}
    cursor = request.GET.get("cursor")
    with read_for_search(request.GET.get("q")):  # the search's vocabulary, the count and the rows
        labels = filters.qs if not problem and filters.is_valid() else labels_for_lookup().none()
        try:
            context |= (
                _keyset_results(labels, filters, cursor, base) if cursor else _numbered_results(labels, filters, base)
            )
        except InvalidCursor as error:
            context |= {"problem": error.message, "rows": [], "found": 0}
    categories = _category_names()  # one query for the page, not one per row
    context["rows"] = [_presented(label, categories) for label in public_representations(context["rows"])]
    context["csv_url"] = f"{reverse('api:registry')}?{query.urlencode()}{'&' if query else ''}format=csv"
    context["snapshot"] = current_snapshot()
    refused = context["problem"] or filters.errors  # as the API: what it cannot search by is a 400
    return render(request, "web/registry.html", context, status=400 if refused else 200)


def _numbered_results(labels: Any, filters: RegistryFilter, base: str) -> dict[str, Any]:
    capped = REGISTRY_PAGE_SIZE * REGISTRY_NUMBERED_PAGES
    with planned_for_its_words():
        page = Paginator(labels[:capped], REGISTRY_PAGE_SIZE).get_page(filters.data.get("page"))
        rows = list(page)
        more = page.paginator.count == capped and labels[capped : capped + 1].exists()
    if page.has_next():
        next_url = f"{base}page={page.next_page_number()}"
    elif more and rows:
        next_url = f"{base}cursor={make_cursor(rows[-1], ordering=filters.ordering_name)}"
    else:
        next_url = ""
    window = range(max(1, page.number - 3), min(page.paginator.num_pages, page.number + 3) + 1)
    numbers = sorted({1, *window, page.paginator.num_pages}) if rows else []
    return {
        "rows": rows,
        "found": page.paginator.count,
        "more": more,
        "page_links": [(n, f"{base}page={n}", n == page.number) for n in numbers],
        "previous_url": f"{base}page={page.previous_page_number()}" if page.has_previous() else "",
        "next_url": next_url,
    }


def _keyset_results(labels: Any, filters: RegistryFilter, cursor: str, base: str) -> dict[str, Any]:
    found = keyset_page(labels, ordering=filters.ordering_name, cursor=cursor, size=REGISTRY_PAGE_SIZE)
    return {
        "rows": found.labels,
        "found": REGISTRY_PAGE_SIZE * REGISTRY_NUMBERED_PAGES,
        "more": True,  # past the numbered pages
        "first_url": base.rstrip("&?") or "?",
        "previous_url": f"{base}cursor={found.previous_cursor}" if found.previous_cursor else "",
        "next_url": f"{base}cursor={found.next_cursor}" if found.next_cursor else "",
    }


def registry_snapshot(request: HttpRequest, name: str) -> FileResponse:
    """A file of the open data's daily snapshot (certification.snapshots): the data files under
    their dated names never change; the descriptor says which are current."""
    path = snapshot_path(name)
    if path is None:
        raise Http404
    try:
        response = FileResponse(path.open("rb"), as_attachment=name != DESCRIPTOR, filename=name)
    except FileNotFoundError as error:  # replaced by a newer snapshot since the descriptor was read
        raise Http404 from error
    response["Cache-Control"] = "public, max-age=300" if name == DESCRIPTOR else "public, max-age=86400, immutable"
    return response


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
