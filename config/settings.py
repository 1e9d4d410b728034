"""Settings for Newsroom, read from environment variables.

Every variable is listed in `.env.example`. Without any of them the site runs
on the embedded default: an SQLite file, a local-memory cache and e-mail
written to the console. Production sets DATABASE_URL, REDIS_URL, the SMTP
variables and SECRET_KEY.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.static_headers import add_static_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(see .env.example), or DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies of our own stand before the app servers: the client's
# address is then read that many entries from the right of X-Forwarded-For.
NUMBER_OF_PROXIES = int(os.environ.get("NUMBER_OF_PROXIES", "0"))

# The public address of the site, used where an absolute URL must be built
# without a request (e-mails, feeds, the API).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # First, so that its `loaddata` (history kept as loaded) wins over
    # modeltranslation's, which it extends.
    "core",
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    # For its editor's static files: the admin's rich-text bodies.
    "django_prose_editor",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "axes",
    "pages",
    "initiatives",
    "newsroom",
    "search",
    "api",
    "sharing",
    # Before django_tasks_db: its `db_worker` command also sweeps for alerts each minute.
    "alerts",
    "advance",
    "portal",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: a static file is answered at once, without the other middlewares
    # (its security headers come from WHITENOISE_ADD_HEADERS_FUNCTION).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Then, so that every log line of a request carries its id.
    "core.middleware.RequestIDMiddleware",
    # Before everything else: a page found in the cache is answered with the
    # headers it was kept with (security, policies, cache), which the layers
    # below added once, when it was rendered; only its request id is its own.
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # Inside the page cache, outside sessions and CSRF: the default cache policy.
    "core.cache_headers.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "pages.context_processors.site_chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: PostgreSQL when DATABASE_URL is set, else an SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Cache: Redis when REDIS_URL (or CACHE_URL) is set, else files on the local disk.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL") or ""
# "default" fails open: with Redis down, pages are still served (uncached).
# "strict" is the same store but raises when Redis is down, for callers that
# must not run without it (rate limits).
if REDIS_URL:
    _redis_options = {
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        # A Redis that does not answer must not hold a page for long.
        "OPTIONS": {
            "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
        },
    }
    CACHES = {
        "default": {"BACKEND": "core.cache_backends.FailOpenRedisCache", **_redis_options},
        "strict": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **_redis_options},
    }
else:
    # Files on the local disk, shared by every process of the machine: the web
    # server, the task worker and any `manage.py` command see the same content
    # version, so a change made by one shows at once on the pages of another.
    _files = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / ".cache"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
    CACHES = {"default": _files, "strict": _files}

# Whole anonymous public pages kept in the cache above (core/pagecache.py).
# PAGE_CACHE=0 turns it off, for benchmarks and for hunting a stale page.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))

# A shared cache at the edge (Varnish with xkey, deploy/varnish/): the
# addresses its purges are sent to, comma-separated. With none, public
# responses carry no surrogate keys and no purge is sent (core/edge.py).
EDGE_PURGE_URLS = [url.strip() for url in os.environ.get("EDGE_PURGE_URLS", "").split(",") if url.strip()]
# The longest the edge keeps a page (it is purged at each change, and kept no
# later than the next publication minute).
EDGE_MAX_AGE = int(os.environ.get("EDGE_MAX_AGE", "3600"))
# A purge the edge did not take is tried again, after 10 s, 20 s, 30 s...
EDGE_PURGE_ATTEMPTS = int(os.environ.get("EDGE_PURGE_ATTEMPTS", "6"))
EDGE_PURGE_RETRY_SECONDS = int(os.environ.get("EDGE_PURGE_RETRY_SECONDS", "10"))
EDGE_PURGE_TIMEOUT = 5

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English and French, English the default.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
# Each language stands on its own: an empty French field is not filled from
# the English one, so a missing translation is visible, never hidden.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Browsers and phones ask for the site's icon at fixed root addresses
# (/favicon.ico, /apple-touch-icon.png), whose names cannot carry a hash of
# the content: WhiteNoise serves static/icons there as well, cacheable for a day.
WHITENOISE_ROOT = BASE_DIR / "static" / "icons"
# WhiteNoise runs first in MIDDLEWARE, so static files get their security
# headers (and the icons their day of caching) from this hook, not from the
# middlewares.
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# E-mail: SMTP when EMAIL_HOST is set, else the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
elif os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@newsroom.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "admin:login"

# Background work (alerts, advance copies): Django's tasks API, with the tasks
# kept in the database and run by `manage.py db_worker` (`make worker`). A larger
# site can point TASKS at a Redis- or Celery-backed backend instead.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail alerts: the hour (Ottawa time, 0-23) of the daily digest, and how late
# an alert may still go out after its release became public (a worker down at
# the minute sends it when it comes back, within this many hours; never later).
ALERTS_DIGEST_HOUR = int(os.environ.get("ALERTS_DIGEST_HOUR", "17"))
ALERTS_LATE_HOURS = int(os.environ.get("ALERTS_LATE_HOURS", "24"))
# How many messages a worker sends over one SMTP connection before it records
# its progress and takes the next batch.
ALERTS_BATCH_SIZE = int(os.environ.get("ALERTS_BATCH_SIZE", "500"))
# Seconds a worker holds the messages it took before another may send them
# (it died, or lost its connection, before sending them).
ALERTS_CLAIM_SECONDS = int(os.environ.get("ALERTS_CLAIM_SECONDS", "120"))

# One JSON object a line, each with the request id; e-mail addresses are
# masked before anything is written (core/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logging.RequestIDFilter"},
        "personal_data": {"()": "core.logging.PersonalDataFilter"},
    },
    "formatters": {"json": {"()": "core.logging.JSONFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces itself on every start; failures are still logged.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

# The admin's address; set another one to keep it out of casual scans.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# The tabbed translation admin needs jQuery UI; it is served from our own
# static files, never from a third-party host. (modeltranslation reads this
# setting without its MODELTRANSLATION_ prefix.)
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Security -------------------------------------------------------------

# Content-Security-Policy (django-csp): no inline script or style anywhere,
# no framing, forms post only to this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Browser features the site never uses, refused to any page or frame.
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
]  # fmt: skip
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS: HSTS is sent on secure requests when DEBUG is off; the redirect to
# HTTPS is turned on where the site itself sees plain HTTP requests.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
if env_bool("SECURE_PROXY_SSL_HEADER"):
    # Behind a proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The admin's language, chosen with the switch in its header: a cookie sent
# only to the admin's own addresses, so that public pages (whose language is
# in their address) never receive it and stay cacheable by anyone.
LANGUAGE_COOKIE_PATH = f"/{ADMIN_URL}"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Staff sessions end with the browser, and after eight hours at most.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Oversized requests are refused before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_URL_LENGTH = 2048
# A search of 10,000 characters, even percent-encoded accents, still gets a
# calm answer from the search page rather than a refusal.
MAX_QUERY_STRING_LENGTH = 65536

# Admin sign-in: after AXES_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked out for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = [
    "core.auth_backends.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.auth_backends.lockout_response"

# The read-only JSON API (/api/): anonymous, JSON only, no sessions or
# cookies, so any client and any cache may read it.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "api.errors.json_error_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Read-only access to the public news releases, initiatives and media contacts, in English and French."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
}

# A form sent without its CSRF token gets a page in the reader's language.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
