"""Production settings fail at start-up, naming what is missing (issue 11, item 7)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from certification.signing import generate_private_key_pem

ROOT = Path(__file__).resolve().parent.parent


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


@pytest.fixture
def production(tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The production values of .env.example, a real secret and a signing key put in."""
    key = tmp_path / "signing-key.pem"
    key.write_bytes(generate_private_key_pem())
    return {
        "PATH": os.environ["PATH"],
        **env_example(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SIGNING_KEY_FILE": str(key),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_production_values_of_env_example_pass_every_deploy_check(production) -> None:  # type: ignore[no-untyped-def]
    checked = run(production, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_production_turns_https_and_hsts_on(production) -> None:  # type: ignore[no-untyped-def]
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    without_env = {name: value for name, value in production.items() if not name.startswith("SECURE_HSTS")}
    without_env.pop("SECURE_SSL_REDIRECT")
    assert run(without_env, "-c", f"import django; django.setup(); {script}").stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
    ]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SECRET_KEY", "change-me-to-50-random-characters"), ("SECRET_KEY", "")],
)
def test_no_process_starts_with_a_missing_or_placeholder_secret_key(production, variable, value) -> None:  # type: ignore[no-untyped-def]
    started = run({**production, variable: value}, "manage.py", "check", "--deploy")
    assert started.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY" in started.stderr


MISSING = {
    "ALLOWED_HOSTS": {"ALLOWED_HOSTS": ""},
    "PUBLIC_BASE_URL": {"PUBLIC_BASE_URL": ""},
    "SIGNING_KEY_FILE": {"SIGNING_KEY": "", "SIGNING_KEY_FILE": "/nonexistent/signing-key.pem"},
}


@pytest.mark.parametrize("variable", list(MISSING))
def test_the_web_server_refuses_to_start_without(production, variable) -> None:  # type: ignore[no-untyped-def]
    started = run({**production, **MISSING[variable]}, "-c", "import config.wsgi")
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert variable in started.stderr.splitlines()[-1]


def test_the_web_server_starts_with_every_setting(production) -> None:  # type: ignore[no-untyped-def]
    started = run(production, "-c", "import config.wsgi, config.asgi")
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize(
    ("setting", "value", "variable"),
    [
        ("ALLOWED_HOSTS", [], "ALLOWED_HOSTS"),
        ("PUBLIC_BASE_URL", "", "PUBLIC_BASE_URL"),
        ("SIGNING_KEY", "", "SIGNING_KEY"),
        ("SIGNING_KEY", "not a key", "SIGNING_KEY"),
    ],
)
def test_check_deploy_names_the_missing_variable(settings, tmp_path, setting, value, variable) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.SIGNING_KEY_FILE = tmp_path / "absent.pem"
    setattr(settings, setting, value)
    with pytest.raises(SystemCheckError, match=rf"se_label\.E00\d\) .*{variable}"):
        call_command("check", "--deploy")


def test_with_debug_on_nothing_is_required(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG, settings.ALLOWED_HOSTS, settings.PUBLIC_BASE_URL, settings.SIGNING_KEY = True, [], "", ""
    settings.SIGNING_KEY_FILE = tmp_path / "absent.pem"
    call_command("check", "--deploy")  # warnings only (DEBUG itself is one): no error


def test_an_http_public_address_is_a_deploy_warning(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = "http://label.example.be"
    with pytest.raises(SystemCheckError, match=r"se_label\.W003"):
        call_command("check", "--deploy", "--fail-level", "WARNING")
