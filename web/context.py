from typing import Any

from django.conf import settings
from django.http import HttpRequest

from certification.certificate.languages import LANGUAGE_NAMES


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "issuer": settings.LABEL_ISSUER_NAME,
        # The roles of whoever is signed in, for the navigation; none for a visitor.
        "roles": user.roles if user is not None and user.is_authenticated else frozenset(),
        # The languages a certificate is issued in, each named in itself: links offer all three.
        "certificate_languages": LANGUAGE_NAMES.items(),
    }
