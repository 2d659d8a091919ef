"""Settings for parindex. Everything that differs per environment comes from environment variables.

With no variable set, parindex runs on a local SQLite file under var/ (the demo). Set DATABASE_URL
to a postgres:// URL for production. See README.md for the full list.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PARINDEX_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; only 'true' and 'false' are accepted, anything else is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _kept_key(variable: str, file_name: str) -> str:
    """A key from the environment, else one generated once and kept in var/ (mode 0600)."""
    if key := os.environ.get(variable):
        return key
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _kept_key("SECRET_KEY", "secret_key")
# The HMAC key of published snapshots (see results.services.publish_round): back it up with the
# database; without it `verify` can no longer prove a snapshot was not rewritten.
PUBLICATION_KEY = _kept_key("PUBLICATION_KEY", "publication_key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "parindex.core",
    "parindex.accounts",
    "parindex.jobs",
    "parindex.units",
    "parindex.indexsets",
    "parindex.rounds",
    "parindex.assessments",
    "parindex.monitoring",
    "parindex.surveys",
    "parindex.results",
    "parindex.national",
    "parindex.api",
    "parindex.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the user picked English in the header, whatever the browser asks for.
    "parindex.core.language.IgnoreBrowserLanguage",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "parindex.accounts.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads them: a NUL in a query or form field gets a 400 (PostgreSQL refuses it).
    "parindex.core.inputs.RefuseNulCharacters",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "parindex.core.headers.SecurityHeadersMiddleware",
    # Last, so that it sees the login view's response: a refused login answers 429.
    "axes.middleware.AxesMiddleware",
    # Writes an audit entry for each API call, with the token's name and the answer's status.
    "parindex.api.middleware.AuditApiCalls",
    # Last, so it sees a view's exception first: a busy database or a full disk becomes a 503.
    "parindex.core.unavailable.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "parindex.core.context_processors.shell",
            ],
            "builtins": ["parindex.core.templatetags.vi"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parindex.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # A write waits this long for another writer, then fails fast with "database is
        # locked", which parindex.core.unavailable answers with a 503 "Hệ thống đang bận".
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "5")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The database cache is shared by every process (rate limits rely on that).
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "parindex_cache",
    }
}
if redis_url := os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
    }

# Background jobs (parindex/jobs/) through Django's Tasks API, the django-tasks backport while on
# Django 5.2. The queue lives in the database by default (`parindex worker` runs it); with
# TASKS_BACKEND=rq it is RQ on Redis (REDIS_URL), for several servers and workers.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in ("database", "rq", "immediate"):
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, rq or immediate, not {TASKS_BACKEND!r}"
    )
if TASKS_BACKEND == "rq":
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":  # runs each job inside the request: debugging only
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job proves its worker alive this often; one silent for JOBS_STALE_SECONDS is retried.
JOBS_HEARTBEAT_SECONDS = int(os.environ.get("JOBS_HEARTBEAT_SECONDS", "15"))
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "60"))
# A round of more units gets its workbook, report, PDF and draft decision from a background job,
# even through a download link: never written inside a request (docs/documents.md).
RESULTS_DIRECT_MAX_UNITS = int(os.environ.get("RESULTS_DIRECT_MAX_UNITS", "300"))

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login protection (parindex/accounts/lockout.py, on django-axes). A (username, address) pair is
# locked out after LOGIN_THROTTLE_LIMIT failures for LOGIN_THROTTLE_WINDOW seconds; a username
# that failed LOGIN_DELAY_AFTER times from any addresses waits LOGIN_DELAY_SECONDS after its last
# failure, doubled per further failure, at most LOGIN_THROTTLE_WINDOW.
LOGIN_THROTTLE_LIMIT = int(os.environ.get("LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_WINDOW = int(os.environ.get("LOGIN_THROTTLE_WINDOW", "900"))
LOGIN_DELAY_AFTER = int(os.environ.get("LOGIN_DELAY_AFTER", "10"))
LOGIN_DELAY_SECONDS = 30
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "parindex.accounts.lockout.LoginAttempts"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "parindex.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "parindex.accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "parindex.accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "parindex.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused attempt is not counted
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Two-factor authentication (TOTP and recovery codes, django-otp): when true, administrators, PAR
# officers and council members must enrol before they can use the site.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "parindex"
# Rate limits (parindex/accounts/limits.py): group -> (requests, seconds), in the shared cache.
RATE_LIMITS = {
    "upload": (30, 300),  # files received (uploads, imports), per user
    "download": (120, 300),  # documents sent (exports, evidence, reports), per user
    "password_reset_address": (5, 3600),  # reset requests per client address
    "password_reset_email": (3, 3600),  # reset requests per e-mail address typed
    "password_change": (5, 900),  # wrong current passwords per user
    "two_factor": (10, 900),  # wrong codes per user (pending login or enrolment)
    "api": (int(os.environ.get("API_RATE_LIMIT", "600")), 60),  # API calls per token per minute
}

# The JSON API (parindex/api, docs/api.md). Each webhook delivery attempt is a background job
# (run by `parindex worker`), its retries queued for their time; a POST waits this long.
WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "5"))

# Single sign-on with the province's identity platform (OpenID Connect, mozilla-django-oidc):
# on when OIDC_RP_CLIENT_ID is set. A person is matched to an existing account by e-mail
# (OIDC_MATCH=email) or by the platform's preferred_username (OIDC_MATCH=username); no account
# is created. Local login stays for admins and the demo.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_MATCH = os.environ.get("OIDC_MATCH", "email")
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("parindex.api.oidc.Backend")

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the VI/EN choice outlives the browser session
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Each app keeps its own catalogue in parindex/<app>/locale (see `make messages`).
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Served by WhiteNoise from the apps' static folders, so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_bool("STATIC_MANIFEST", False):
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files are never served by URL: a permission-checked view streams them.
MEDIA_URL = "/media/"  # no route serves it; only tests' live server looks at it
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "parindex <no-reply@localhost>")
# The site's public address, for links in e-mails sent outside a request (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security: secure cookies and HSTS whenever the site is served over HTTPS (production).
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # views that embed evidence opt in with xframe_options_sameorigin

# Content-Security-Policy and Permissions-Policy, sent by parindex.core.headers (a small
# middleware, not django-csp). No inline script or style anywhere: behaviour lives in static JS
# files, htmx runs without eval and without its injected indicator style (see base.html).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # Bootstrap draws its form controls with data: SVG images
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "frame-ancestors": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Browser features the site never uses are switched off for it and anything it frames.
PERMISSIONS_POLICY = {
    feature: ""
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
