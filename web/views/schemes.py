"""The published scheme: what a label's level means, readable by anyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from certification.publication import published_schemes, scheme_publication


def scheme_detail(request: HttpRequest, version: str) -> HttpResponse:
    scheme = get_object_or_404(published_schemes(), version=version)
    return render(request, "web/scheme.html", {"scheme": scheme_publication(scheme)})
