from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "issuer": settings.LABEL_ISSUER_NAME,
        # The roles of whoever is signed in, for the navigation; none for a visitor.
        "roles": user.roles if user is not None and user.is_authenticated else frozenset(),
    }
