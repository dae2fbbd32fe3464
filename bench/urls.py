"""The site, plus the floor a lookup is measured against: a plain Django view that reads one row
of the label table by its unique code and answers it as JSON (no DRF, no rate limit)."""

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path

from certification.models import Label
from config.urls import urlpatterns as site


def floor(request: HttpRequest, code: str) -> JsonResponse:
    row = Label.objects.filter(code=code).values("code", "status", "valid_until", "public_record").first()
    if row is None:
        raise Http404(code)
    return JsonResponse(row)


urlpatterns = [path("bench/floor/<str:code>/", floor), *site]
