"""Suspending, reinstating and revoking a label: certification officers, always with a reason."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from certification.models import Label
from web.steps import step_page


@login_required
def label_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    label = get_object_or_404(Label.objects.select_related("product", "application"), code=code)
    back = reverse("web:application", args=[label.application_id])
    return step_page(request, label, name, template="web/label_action.html", back=back)
