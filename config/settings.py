"""Settings, read from the environment (see .env.example for every variable).

Nothing production-sensitive has a usable default: with DEBUG off, SECRET_KEY must be set
and must not be the development key.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
PLACEHOLDER_SECRET_KEY = "change-me-to-50-random-characters"  # the value in .env.example
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and SECRET_KEY in (DEVELOPMENT_SECRET_KEY, PLACEHOLDER_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key or the placeholder of .env.example; set a real one when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.LabelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_fsm",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "certification",
    "audits",
    "complaints",
    "demo",
    "background",
    "watch",
    "api",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (CSS, scripts, the API docs' assets) are served by the app itself: no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Without its database, a view answers 503 with a sentence, not 500.
    "config.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads a form's body: an upload over the limit is a 413 with a sentence.
    "web.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]
# The pages load only what the app itself serves (DESIGN §7: no CDN), and say so to the browser.
# No inline script or style is needed anywhere, so none is allowed. The admin and the API docs
# are Django's and drf-spectacular's pages, with their own needs; the API answers JSON.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/", "/healthz/", "/readyz/", "/i18n/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
ON_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the task worker and the scheduler write to one file. A transaction takes
    # the write lock when it begins and waits for it (a deferred one that turns from reading to
    # writing fails at once when another process writes); readers never block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if ON_POSTGRESQL:
    # A database that accepts connections and never answers is a 503 after this many seconds,
    # not a request stuck until the server kills its worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )
if ON_POSTGRESQL and env.bool("DB_PREPARED_STATEMENTS", default=True):
    # Bind parameters on the server so psycopg prepares a statement run twice on a connection:
    # the hot lookups then skip planning (a 6-table join plans in longer than it runs).
    # Turn off behind a transaction-pooling PgBouncer older than 1.21.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 2})
# Lookup answers each web process keeps, forgotten when PostgreSQL notifies their change
# (certification.lookup_cache); none on SQLite, which cannot notify.
LOOKUP_CACHE_SIZE = env.int("LOOKUP_CACHE_SIZE", default=10_000) if ON_POSTGRESQL else 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Seconds to wait for Redis before counting in the process instead (config.cache): short, as
# Redis answers in well under a millisecond when it is well.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
CACHES = {
    "default": (
        {
            "BACKEND": "config.cache.RedisOrLocalCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "certification.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Documents and evidence uploaded by enterprises and auditors.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every upload, on every form and endpoint, is received no further than MAX_UPLOAD_SIZE: the
# limited handler refuses it before the others keep it (certification.uploads).
FILE_UPLOAD_HANDLERS = [
    "certification.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Complaints from the public: the longest description, and how many files one may carry (each
# checked as a document is, up to MAX_UPLOAD_SIZE).
COMPLAINT_MAX_DESCRIPTION = env.int("COMPLAINT_MAX_DESCRIPTION", default=5000)
COMPLAINT_MAX_FILES = env.int("COMPLAINT_MAX_FILES", default=3)

# The certification body, as certificates and credentials name it.
LABEL_ISSUER_NAME = env.str("LABEL_ISSUER_NAME", default="SE-label certificatie")
# Where the public reaches this system: QR codes and credentials point here.
# Required when DEBUG is off (a system check says so); `make run` sets it from PORT.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# The Ed25519 private key that signs credentials: PEM in SIGNING_KEY, or a PEM file.
SIGNING_KEY = env.str("SIGNING_KEY", default="")
SIGNING_KEY_FILE = env.path("SIGNING_KEY_FILE", default=VAR_DIR / "signing-key.pem")

REST_FRAMEWORK = {
    # Token first: an anonymous caller is answered 401 with a WWW-Authenticate challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's three, with the JSON one refusing bodies nested deeper than API_JSON_MAX_DEPTH unparsed.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Public endpoints are limited per client address; behind N proxies, X-Forwarded-For says which.
    # Without proxies (0) the header is ignored: a client could write any address in it.
    # Complaints, on the page and through the API alike, have a limit of their own per address.
    "DEFAULT_THROTTLE_RATES": {
        "public": env.str("PUBLIC_API_RATE", default="120/minute"),
        "complaints": env.str("COMPLAINT_RATE", default="5/hour"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SE-label API",
    "DESCRIPTION": (
        "The certification workflow of the 'sociale economie' product label, and the public lookup, "
        "registry and verification of labels. Errors are JSON with a sentence in `detail`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "certification.models.applications.ApplicationState",
        "PublicStatusEnum": "certification.models.labels.PublicStatus",
        "StatusReasonEnum": "certification.models.labels.StatusReason",
        "FindingStatusEnum": "audits.models.FindingStatus",
        "ComplaintStateEnum": "complaints.models.complaints.ComplaintState",
        "ComplaintCategoryEnum": "complaints.models.complaints.ComplaintCategory",
        "AppealKindEnum": "complaints.models.appeals.AppealKind",
        "ProductKindEnum": "certification.models.catalogue.ProductKind",
        "AppealStateEnum": "complaints.models.appeals.AppealState",
        "SurveillanceStateEnum": "audits.surveillance.SurveillanceState",
        "ChangeStateEnum": "certification.models.changes.ChangeState",
        "ChangeKindEnum": "certification.models.changes.ChangeKind",
        "CriterionKindEnum": "certification.models.schemes.CriterionKind",
    },
}
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
# Failed sign-ins (API token and pages alike) allowed for one username from one client address,
# and for all usernames together from one address, before that pair or that address waits
# LOGIN_LOCKOUT_SECONDS. The account itself is never locked: its owner signs in from elsewhere.
LOGIN_ATTEMPTS = env.int("LOGIN_ATTEMPTS", default=5)
LOGIN_ADDRESS_ATTEMPTS = env.int("LOGIN_ADDRESS_ATTEMPTS", default=20)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# Password reset: requests per client address, and mails per account, in each window of this many
# seconds (certification.services.password_reset).
PASSWORD_RESET_ADDRESS_REQUESTS = env.int("PASSWORD_RESET_ADDRESS_REQUESTS", default=10)
PASSWORD_RESET_ACCOUNT_MAILS = env.int("PASSWORD_RESET_ACCOUNT_MAILS", default=3)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_SECONDS", default=3600)
# An API token stops working this many days after it was given (a password change ends it at once).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)
# A certificate is well under 100 KB; anything far larger sent to the verify endpoint is refused unread.
VERIFY_UPLOAD_MAX_SIZE = env.int("VERIFY_UPLOAD_MAX_SIZE", default=2 * 1024 * 1024)
# Deepest nesting of arrays and objects an API request body may have (the deepest request needs 3).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
if not 1 <= API_JSON_MAX_DEPTH <= 500:
    raise ImproperlyConfigured("API_JSON_MAX_DEPTH must be between 1 and 500: Python's parser recurses once per level.")

# Background work (mail, reminders, snapshots) is queued in the database and done by the task
# worker (`manage.py db_worker`); `manage.py run_scheduler` enqueues the periodic tasks below.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each periodic task and how often, in seconds, the scheduler enqueues it.
PERIODIC_TASKS: dict[str, int] = {
    # Mail whose own delivery was lost or failed is sent again.
    "background.outbox.deliver_pending": 60,
    # Counters of failed sign-ins and reset requests whose window is over are removed.
    "certification.tasks.forget_spent_attempts": 3600,
    # The open data's daily snapshot of every valid label, for bulk users (api.snapshots).
    "api.snapshots.write_open_data_snapshot": 24 * 3600,
    # Changes of a label's public status that time made (surveillance overdue, recognition lapsed,
    # suspension outlasting its maximum) are recorded at their instant, for the feeds and the mails.
    "certification.derived.record_derived_status_changes": 60,
    # Subscribers are told of labels that expired (a change no history row records).
    "watch.tasks.tell_expiries": 600,
    # Subscription requests never confirmed are forgotten.
    "watch.tasks.forget_stale_requests": 3600,
    # API tokens past their expiry are removed.
    "certification.tasks.remove_expired_tokens": 3600,
    # Reminders before a label expires (certification.reminders)...
    "certification.reminders.send_reminders": 24 * 3600,
    # ... and before its surveillance audit is due (audits.reminders).
    "audits.reminders.send_surveillance_reminders": 24 * 3600,
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="label@sociale-economie.example")

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS only, and say so to browsers (HSTS, a year): on unless DEBUG. config/checks.py stops a
# production start-up that lacks a setting it cannot do without.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# /healthz/ and /readyz/ answer the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
