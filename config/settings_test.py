"""The test suite's settings: the real settings, given a test-only secret and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the apps' folders, as `collectstatic` would have gathered them.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
