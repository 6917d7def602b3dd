"""vlrtracker settings: one module, driven by environment variables.

Works with no variable set (development on SQLite); production sets at least
SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and DATABASE_URL (see .env.example and README).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; a typo such as DEBUG=flase is an error, not False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """Read a positive whole number (``_`` allowed as in ``20_000_000``); anything else is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={raw!r} must be positive")
    return value


DEBUG = env_bool("DEBUG", True)
_DEV_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "apps.core",
    "apps.sdg",
    "apps.municipalities",
    "apps.frameworks",
    "apps.indicators",
    "apps.initiatives",
    "apps.evidence",
    "apps.vlr",
    "apps.notifications",
    "apps.datacalls",
    "apps.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "vlrtracker.urls"
WSGI_APPLICATION = "vlrtracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A page cache of up to 64 MB (SQLite's default is 2 MB): a large import's transaction
    # (values, their history, the stored progress of thousands of series) then stays in memory
    # instead of spilling into the file under an exclusive lock, which would make every reader,
    # the job's own progress page included, fail with "database is locked" until it commits.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("init_command", "PRAGMA cache_size=-64000")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with timestamptz values parsed by psycopg's C loader (see its docstring;
    # a fast path, off with API_FAST_PATHS=0).
    DATABASES["default"]["ENGINE"] = "apps.core.db.postgresql"
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Server-side parameters and prepared statements: psycopg prepares a statement run 5
        # times on a connection, so PostgreSQL stops parsing and planning the API's per-request
        # queries again (bench_api). Turn off behind a transaction-mode pooler (PgBouncer < 1.21).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean is the working language, English the submission language.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Original proof files (PDF, DOCX, HWPX, HWP) of evidence documents. Not served as static media:
# they are downloaded through a view that checks who may read the document.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Uploads: ingested documents are limited to 5 MB (apps.evidence.pipeline.decode.MAX_BYTES);
# spreadsheets to 20 MB. Django keeps bodies above this in temporary files, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Spreadsheet imports (apps.core.spreadsheets): every limit counts what is read, not what a
# file claims. The file as uploaded; an xlsx's members once decompressed (declared sizes checked
# before parsing, actual bytes counted while decompressing); rows (by spreadsheet row number, so
# blank rows count); characters in one cell (32,767 is Excel's own cell limit).
MAX_SPREADSHEET_BYTES = env_int("MAX_SPREADSHEET_BYTES", 20 * 1024 * 1024)
MAX_SPREADSHEET_UNCOMPRESSED_BYTES = env_int("MAX_SPREADSHEET_UNCOMPRESSED_BYTES", 160 * 1024 * 1024)
MAX_SPREADSHEET_ROWS = env_int("MAX_SPREADSHEET_ROWS", 200_000)
MAX_SPREADSHEET_CELL_CHARS = env_int("MAX_SPREADSHEET_CELL_CHARS", 32_767)
# The indicator services' SQL bulk writes (apps.indicators.services.bulk): annex values created
# and updated through a temporary table (INSERT ... SELECT, UPDATE ... FROM, history rows copied
# in the database) and the stored progress series inserted in one statement; 0 falls back to
# simple-history's bulk_create_with_history / bulk_update_with_history and the ORM's bulk_create.
IMPORT_SQL_BULK_UPDATE = env_bool("IMPORT_SQL_BULK_UPDATE", True)
# Seconds the evidence engine may spend on one document; past it the document is stored with
# what was found and a note (README, "Evidence pipeline"). Every step is linear in the input.
EVIDENCE_ANALYSIS_BUDGET_SECONDS = float(os.environ.get("EVIDENCE_ANALYSIS_BUDGET_SECONDS", "5"))
# The learned topic scorer's weights (README "Evidence pipeline"): read by the engine, rewritten by
# `manage.py retrain_evidence`; the shipped file is trained on fixtures/evidence_corpus/train.
EVIDENCE_MODEL_PATH = os.environ.get("EVIDENCE_MODEL_PATH") or str(
    BASE_DIR / "fixtures" / "evidence_model.json"
)

# Background jobs (README "Background jobs"): django-tasks with its database backend by default,
# run by `manage.py db_worker` (started by `make run`). TASKS_BACKEND=django_tasks_rq.RQBackend
# (with REDIS_URL) moves them to Redis and RQ workers. An import of a file larger than
# IMPORT_BACKGROUND_BYTES (or asked with background=1) runs as a job; a running job whose worker
# process is gone, or that has not reported for JOBS_STALE_AFTER seconds, is marked failed.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # pip install django-tasks-rq; workers: manage.py rqworker --job-class django_tasks_rq.Job default
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 512 * 1024)
# A report PDF of a city with more indicators than this is made by a worker (README "Background jobs").
REPORT_BACKGROUND_INDICATORS = env_int("REPORT_BACKGROUND_INDICATORS", 100)
JOBS_STALE_AFTER = env_int("JOBS_STALE_AFTER", 3600)
# Whole-network export zips (MEDIA_ROOT/exports/) are deleted this many days after their job ended
# (README "Background jobs"): on each new export and by `manage.py prune_exports`.
NETWORK_EXPORT_KEEP_DAYS = env_int("NETWORK_EXPORT_KEEP_DAYS", 7)

# KOSIS Open API (README "KOSIS"): the key is the operator's, from the environment, never per
# city; the base URL is a setting so tests point it at a local server with recorded replies.
KOSIS_API_KEY = os.environ.get("KOSIS_API_KEY", "")
KOSIS_BASE_URL = os.environ.get("KOSIS_BASE_URL", "https://kosis.kr/openapi/Param/statisticsParameterData.do")
KOSIS_TIMEOUT_SECONDS = float(os.environ.get("KOSIS_TIMEOUT_SECONDS", "20"))
# Tests only: a job reaching the stage named by JOBS_PAUSE_STAGE inside its transaction creates
# <JOBS_PAUSE_DIR>/<job id>.reached and waits for <id>.go, so a test can kill its worker there.
JOBS_PAUSE_DIR = os.environ.get("JOBS_PAUSE_DIR", "")
JOBS_PAUSE_STAGE = os.environ.get("JOBS_PAUSE_STAGE", "written")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "vlrtracker@localhost")

# The API's speed shortcuts (serializer plan, .values() rows, raw-SQL link reads, one-query
# page totals, cached filter forms, orjson, the timestamptz loader, GC tuning): all on, or with 0
# all off, leaving stock Django, DRF and django-filter (apps/core/api/fast.py lists them).
API_FAST_PATHS = env_bool("API_FAST_PATHS", True)
# Spreadsheet speed shortcuts (README "Benchmarks"): the importer reads plain inline strings
# directly (apps/core/spreadsheets.py: open_workbook) and the VLR workbook writes all-plain rows
# in one go (apps/vlr/exports/cells.py); 0 leaves openpyxl's own code (same values, same bytes).
SPREADSHEET_FAST_PATHS = env_bool("SPREADSHEET_FAST_PATHS", True)
# API list totals count at most this many rows (then ``count_capped`` is true and ``count`` a
# lower bound), so no page scans a whole city or the whole network just to print a total.
API_COUNT_CAP = env_int("API_COUNT_CAP", 10_000)

REST_FRAMEWORK = {
    # Token first: an anonymous write then gets 401 with ``WWW-Authenticate: Token`` instead of a
    # bare 403. The session keeps DRF's CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed by default: a view that anybody may read says so itself (apps/core/api/viewsets.py).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "apps.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Filtering and ordering: each app's FilterSet (its `ordering` filter; the primary key always
    # breaks ties, apps/core/filtersets.py). No second ordering backend.
    "DEFAULT_FILTER_BACKENDS": ["apps.core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vlrtracker API",
    "DESCRIPTION": "SDG implementation tracking and Voluntary Local Reviews for local governments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],  # public, said explicitly
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI / Redoc assets served from our static files: no CDN (city networks block them).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets are called "kind" (initiatives, report kinds): name the report kind's enum.
    "ENUM_NAME_OVERRIDES": {"ReportKindEnum": "apps.vlr.choices.ReportKind"},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# ----------------------------------------------------------------------------- security
# Login throttling, client address, password reset links, CSP / Permissions-Policy, cookies.
# Kept in one block (README "Security and configuration" explains each variable).

# django-axes counts failed logins in the database (shared by every worker, no extra server)
# and locks an account and a client address separately: LOGIN_FAILURE_LIMIT failures of one
# username, or from one address, within LOGIN_LOCKOUT_MINUTES lock it for that long; a correct
# password is refused meanwhile. It covers every form that calls ``authenticate(request, …)``:
# /accounts/login/, /admin/login/ and /api/v1/auth/token/.
INSTALLED_APPS += ["axes", "csp"]
AUTHENTICATION_BACKENDS = [
    "apps.core.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the 429 page
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account OR per address
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "apps.core.client_ip.client_ip"
AXES_VERBOSE = False

# Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in front of the app. Only a
# request coming from one of them has its X-Forwarded-For read; by default nobody is trusted
# and the client address is the connection's (REMOTE_ADDR).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# Absolute links in e-mails (password reset, notifications) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24)))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Content-Security-Policy: everything from our own origin, no inline script, no plugins, no
# framing. Templates use ``style="--goal: …"`` attributes for the SDG colours (server-escaped
# values), so inline style *attributes* are allowed while <style> elements are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}

# Cookies: session, CSRF and language cookies alike are HttpOnly (no script reads them: htmx
# takes the CSRF token from the page), SameSite=Lax, and Secure (HTTPS only) when DEBUG=0.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
