"""Settings for the workplan tracker.

Everything that differs between a developer's laptop and an office's server is
read from environment variables through the small typed helpers below, which
raise ImproperlyConfigured naming the variable when a value cannot be read.
Defaults are safe for development: SQLite under var/, DEBUG on, local hosts only.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    """Read a whole-number variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):  # `make run` keeps its key in var/, out of the environment
    try:
        SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE cannot be read: {exc}") from None
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "departments.apps.AxesConfig",  # django-axes, its admin section named in Chinese
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from static/ (no CDN)
    "departments",
    "tasks",
    "progress",
    "reports",
    "reminders",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # answers the API's preflights before anything else answers
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "departments.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workplan.urls"

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
                "departments.context_processors.role",
                "reminders.context_processors.unread_notifications",
            ],
        },
    },
    {
        # Plain text (e-mail subjects and bodies, notification titles): never HTML-escaped, since
        # nothing reads it as HTML; a title with " or & must arrive as typed (reminders.services).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

WSGI_APPLICATION = "workplan.wsgi.application"

# SQLite under var/ unless DATABASE_URL names another database
# (postgres://user@host:5432/name goes through psycopg 3).
_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.config(default=_default_sqlite, conn_max_age=env_int("CONN_MAX_AGE", 0))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboard groups 100,000 assignments (progress.aggregates): PostgreSQL's default 4 MB of sort and
    # hash memory makes it sort them on disk. PG_WORK_MEM per connection (a PostgreSQL size, default 32MB).
    # JIT off: a page's queries run in milliseconds, and compiling one that only looks costly (the per-task
    # subqueries of the whole-plan figures) took a second of every dashboard.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c work_mem={os.environ.get('PG_WORK_MEM', '32MB')} -c jit=off"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Source strings are written in Chinese (the only UI language today) and wrapped
# in gettext, so another language can be added with a locale folder later.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our own translations of the libraries' strings that have no Chinese of their own (django-axes),
# compiled with `manage.py compilemessages` (needs gettext's msgfmt); the .mo is committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
# whitenoise serves collectstatic's output in production (hashed names, compressed);
# development serves the files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEBUG  # development: no collectstatic needed
WHITENOISE_USE_FINDERS = DEBUG

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Evidence files: on this machine's disk (MEDIA_ROOT) unless S3_BUCKET names a bucket in an
# S3-compatible object store (MinIO, Ceph, a cloud's object storage) through django-storages,
# which several web machines share (docs/deploy.md, "Several web and worker machines"). The
# bucket stays private: downloads still go through progress.views.evidence_download and its
# permission check, never to the store's own address.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "file_overwrite": False,  # names are random already; never replace a stored file
        },
    }

# The project's reference list of departments; the importer falls back on it when
# the database holds none yet (a freshly migrated database).
DEPARTMENTS_FIXTURE = BASE_DIR / "fixtures" / "departments.json"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
AUTH_USER_MODEL = "departments.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user and address before the password check
    "workplan.auth.UserWithRoleBackend",  # ModelBackend that reads role and bell count with the user
]

# --- Security: production values come from the environment (deploy/production.env.example) ----
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the template, never read the cookie
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):  # nginx terminates TLS and says so in X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Signed-in sessions end after this many idle minutes: departments.sessions.IdleSessionMiddleware
# renews them at most once a minute, so a page does not write its session on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False

# Failed logins (django-axes): locked out per username and address after AXES_FAILURE_LIMIT
# failures, for AXES_COOLOFF_MINUTES; the office sees and clears locks in the admin (访问尝试).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, for the lockout above, comes from django-ipware. Directly exposed, it is
# the connection's address (a client can write any X-Forwarded-For). Behind the one nginx of
# docs/deploy.md, every request arrives from 127.0.0.1 and nginx sets X-Forwarded-For to the
# address it saw; python-ipware counts the proxies listed in the header after the client, which
# is none, so a longer header (a forged one passed along) is not believed: the lock then falls
# on the proxy's address, never on somebody else's.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
if env_bool("BEHIND_TLS_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = 0
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Structured log lines (key=value) on standard output, for journald or any collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # apprise's debug and warning lines and urllib3's debug lines carry robot webhook tokens
        # (the token is in the URL): keep them out of the logs, whatever LOG_LEVEL says.
        "apprise": {"level": "ERROR"},
        "urllib3": {"level": "WARNING"},
    },
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The light rule (DESIGN.md, "Status and light") and reporting periods.
WORKPLAN_LIGHT_TOLERANCE = env_int("WORKPLAN_LIGHT_TOLERANCE", 10)  # percentage points below expected progress
WORKPLAN_DUE_SOON_DAYS = env_int("WORKPLAN_DUE_SOON_DAYS", 7)
WORKPLAN_REPORT_CUTOFF_DAY = env_int("WORKPLAN_REPORT_CUTOFF_DAY", 25)  # of each quarter's last month

# Form fields and typed text one request may carry. The import preview posts seven fields a plan
# item: Django's defaults (1,000 fields, 2.5 MB) refused plans of more than about 140 items with a
# 400; these take about 2,800 items, above the importer's own limit (tasks.importing.MAX_ITEMS).
# Files are not counted here (EVIDENCE_MAX_TOTAL_BYTES).
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

# Evidence (佐证材料) uploads.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# All files of one submission together: below nginx's client_max_body_size 25m (docs/deploy.md),
# leaving room for the typed text, so the proxy never swallows a report with its 413 page.
EVIDENCE_MAX_TOTAL_BYTES = 24 * 1024 * 1024
EVIDENCE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]

# --- Celery: the reminder sweep and e-mail delivery -------------------------------------------
# Redis in production (CELERY_BROKER_URL=redis://127.0.0.1:6379/0); without it, kombu's
# filesystem transport under var/celery, which needs no server, so `make run` works anywhere.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
_celery_folder = BASE_DIR / "var" / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_celery_folder / "queue"),
        "data_folder_out": str(_celery_folder / "queue"),
        "control_folder": str(_celery_folder / "control"),  # else kombu writes ./control wherever it starts
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_IMPORTS = ["reminders.jobs", "reports.jobs"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule")
)

# The whole schedule, in one place. Times are Asia/Shanghai (CELERY_TIMEZONE).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "daily-reminder-sweep": {"task": "reminders.jobs.daily_sweep", "schedule": crontab(hour=9, minute=0)},
}

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds: a hanging SMTP server never blocks a worker for long
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "工作要点推进管理 <noreply@example.org>")
# Links in e-mails point here (no request to build them from in a worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Reminders (DESIGN.md, "Reminders"): lead times in days.
WORKPLAN_DUE_SOON_LEAD_DAYS = [7, 3, 1, 0]
WORKPLAN_REPORT_DUE_LEAD_DAYS = [5, 1]

# --- Cache: API throttling counts requests here --------------------------------------------
# CACHE_URL=redis://127.0.0.1:6379/1 shares the counts between gunicorn workers; without it
# each process counts on its own (development, tests).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r} is not a redis:// address.")
# The dashboard's figures are kept in the shared cache while the database is unchanged (reports.figures_cache).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 600)
if CACHE_URL and DASHBOARD_CACHE_SECONDS > 0 and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Where figures are kept (the condition reports.figures_cache.enabled checks at run time): dashboards
    # computed after a write by the worker, not in the next leader's request (reports.jobs.keep_dashboards);
    # a run the worker had no time for is dropped.
    CELERY_BEAT_SCHEDULE["keep-dashboards"] = {
        "task": "reports.jobs.keep_dashboards",
        "schedule": 30.0,
        "options": {"expires": 25},
    }

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- REST API (api/, docs/api.md) --------------------------------------------------------------
# Requests per token: a number, "/" and second, minute, hour or day (DRF's form: 600/hour, 10/min).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/hour")
if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(f"API_THROTTLE_RATE={API_THROTTLE_RATE!r} is not a rate such as 600/hour.")
# Messenger mini-apps (DingTalk / WeCom H5 pages) served from another address call the API from
# the browser: their origins, e.g. https://h5.example.gov.cn, comma-separated. None by default.
# Only /api/ answers them, with a token (never the session cookie: no credentials across origins).
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*default_headers, "idempotency-key", "if-none-match")
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_ALLOW_CREDENTIALS = False
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",  # Authorization: Bearer wpt_…
        "api.authentication.SessionAuthentication",  # the pages' own scripts (CSRF checked)
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasRole"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "工作要点推进管理 API",
    "DESCRIPTION": (
        "与页面同一套规则：可见范围、填报与审核规则、通知都相同。令牌在“API 令牌”页创建；示例见 docs/api.md。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "progress.models.ProgressReport.Status",  # what a report claims
        "StandingStatusEnum": "progress.selectors.STATUS_CHOICES",  # where it stands: also 已办结
    },
}
