"""The test suite's settings: the real settings, given a test-only secret and fast hashing.

`make test` runs the suite in several processes at once (pytest-xdist). Each has its own test
database (pytest-django adds the worker id to its name), its own MEDIA_ROOT and signing key
file (tmp_path, tests/conftest.py) and, in a shared Redis, its own key prefix.
"""

import os

from joserfc.jwk import OKPKey

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key")
# What production requires (config/checks.py) is set, so that the entry points load in tests.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("PUBLIC_BASE_URL", "https://label.example.be")
os.environ.setdefault("SIGNING_KEY", OKPKey.generate_key("Ed25519").as_pem(private=True).decode())
# The test client speaks plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# No lookup answers kept: the suite's transactions never commit, so PostgreSQL never notifies
# their changes (tests/test_lookup_cache.py and the fault tests turn it on).
os.environ.setdefault("LOOKUP_CACHE_SIZE", "0")

from config.settings import *  # noqa: F403

# Background tasks run at once, in the test's own process (after the commit that enqueues them).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the apps' folders, as `collectstatic` would have gathered them.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# gw0, gw1, ... in a pytest-xdist worker; "main" in a run without workers.
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
if REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "tests.cache.WorkerRedisCache",
            "LOCATION": REDIS_URL,  # noqa: F405
            "KEY_PREFIX": f"test-{TEST_WORKER}",
        }
    }
