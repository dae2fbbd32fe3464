"""Production settings that the system cannot run without (issue 11): with DEBUG off, each
one missing is an error that names its variable. `manage.py check --deploy` reports them,
and the web server's entry points (config/wsgi.py, config/asgi.py) refuse to start.

SECRET_KEY is checked in settings itself: no process starts with a missing or placeholder one.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


def signing_key_problem() -> str | None:
    from joserfc.errors import JoseError

    from certification.signing import current_private_key

    try:
        current_private_key()
    except ImproperlyConfigured as error:
        return str(error)
    except (JoseError, ValueError, TypeError) as error:
        return f"The signing key (SIGNING_KEY or SIGNING_KEY_FILE) is not a PEM Ed25519 private key: {error}"
    return None


def production_settings_messages() -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    messages: list[CheckMessage] = []
    if not settings.ALLOWED_HOSTS:
        messages.append(
            Error(
                "ALLOWED_HOSTS is empty: every request would be refused.",
                hint="Set ALLOWED_HOSTS to the host names the public reaches this system by, e.g. label.example.be.",
                id="se_label.E001",
            )
        )
    if not settings.PUBLIC_BASE_URL:
        messages.append(
            Error(
                "PUBLIC_BASE_URL is not set: QR codes, certificates and credentials would point nowhere.",
                hint="Set PUBLIC_BASE_URL to the address the public reaches, e.g. https://label.example.be.",
                id="se_label.E002",
            )
        )
    elif not settings.PUBLIC_BASE_URL.startswith("https://"):
        messages.append(
            Warning(
                f"PUBLIC_BASE_URL ({settings.PUBLIC_BASE_URL}) is not an https:// address; it is printed "
                "on certificates and signed into credentials.",
                id="se_label.W003",
            )
        )
    if problem := signing_key_problem():
        messages.append(
            Error(
                problem,
                hint="Set SIGNING_KEY, or SIGNING_KEY_FILE to a key made by `manage.py generate_signing_key`.",
                id="se_label.E004",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return production_settings_messages()


def refuse_to_start_without_production_settings() -> None:
    """For the web server's entry points: raise, naming each missing setting."""
    errors = [message for message in production_settings_messages() if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(" ".join(f"{error.msg} {error.hint}" for error in errors))
