"""Django settings for secassure.

Everything that differs between a laptop and production comes from the environment:
  DATABASE_URL          database (default: SQLite file in the data directory)
  SECASSURE_DATA_DIR    where the SQLite file and the generated secret key live (default ./var)
  SECASSURE_SECRET_KEY  the secret key (default: generated once into the data directory)
  SECASSURE_DEMO        "1" lets the demo logins sign in (set by `secassure serve --demo`)
  SECASSURE_DEBUG       "1" for Django's debug pages (never in production)
  SECASSURE_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
  SECASSURE_JOURNAL_KEY   the journal chain's HMAC key (default: generated into the data dir)
  SECASSURE_JOURNAL_SIGNING_KEY  path of the Ed25519 PEM key that signs journal checkpoints
  SECASSURE_JOURNAL_CHECKPOINTS  directory of the signed checkpoints (default: data dir)
  SECASSURE_ENV           "production" for the deployed profile: DEBUG off whatever
                          SECASSURE_DEBUG says, Secure session and CSRF cookies, HSTS (a year,
                          subdomains), HTTP redirected to HTTPS, and the scheme taken from the
                          proxy's X-Forwarded-Proto header (the proxy must set it, and strip it
                          from what clients send); needs SECASSURE_SECRET_KEY
  SECASSURE_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://assure.example.org) from
                          which forms may be posted, when behind a proxy
  SECASSURE_TOKEN_DAYS    days an API token is accepted after it was issued (default 30)
  SECASSURE_LOGIN_FAILURES  failed sign-ins (per username, and per address) before that
                          username or address is locked out for 15 minutes (default 5)
  SECASSURE_MFA           the second factor (a TOTP code from an authenticator app) for
                          SECAS, the SSC, the Panel, the assessor, the DCC and staff, and for
                          anyone who enrolled one (accounts.mfa): on by default; off in demo
                          mode (SECASSURE_DEMO) unless "1"; "0" turns it off
Every profile sends a Content-Security-Policy without inline script or style, and
`Cache-Control: no-store, private` to a signed-in person; `secassure serve` refuses a request
body over SECASSURE_MAX_REQUEST_BODY (32 MiB) before reading it. docs/deploy.md deploys it.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from secassure.code.mfa import mfa_on

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SECASSURE_DATA_DIR", Path.cwd() / "var")).resolve()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept out of the repository."""
    if os.environ.get("SECASSURE_SECRET_KEY"):
        return os.environ["SECASSURE_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SECASSURE_DATA_DIR = DATA_DIR
#: Signed checkpoints of the journal (secassure.core.journal.keys); a path outside the data
#: directory in production.
SECASSURE_JOURNAL_CHECKPOINTS = os.environ.get("SECASSURE_JOURNAL_CHECKPOINTS", "")
SECASSURE_REDIS_URL = os.environ.get("SECASSURE_REDIS_URL", "").strip()  # adt live (/adt/live/)
PRODUCTION = os.environ.get("SECASSURE_ENV", "").strip().lower() == "production"
DEBUG = _flag("SECASSURE_DEBUG") and not PRODUCTION
SECASSURE_DEMO = _flag("SECASSURE_DEMO")
#: Whether people are asked for a second factor (code.mfa.mfa_on): off for the demo logins.
SECASSURE_MFA = mfa_on(os.environ.get("SECASSURE_MFA"), demo=SECASSURE_DEMO)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "SECASSURE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "secassure.accounts",
    "secassure.core.journal",
    "secassure.registry",
    "secassure.assurance",
    "secassure.anomaly",
    "secassure.committee",
    "secassure.notices",
    "secassure.clauses",
    "secassure.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "secassure.web.middleware.SecondFactorGate",
    "secassure.web.middleware.PrivateResponses",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secassure.web.urls"
WSGI_APPLICATION = "secassure.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "secassure.web.context.platform",
        "secassure.accounts.mfa_views.offer",
    ],
        # {% url %} with its answers remembered per process (reversing is the costliest part
        # of a list page's template; see secassure.web.templatetags.urls)
        "builtins": ["secassure.web.templatetags.urls"]},
}]

DATABASES = {"default": dj_database_url.config(
    default=f"sqlite:///{DATA_DIR / 'secassure.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers on the embedded database: WAL lets readers go on during a write; a
    # transaction takes the write lock when it begins (IMMEDIATE), so two writers queue instead
    # of failing on a lock upgrade; a busy writer is waited for up to 20 seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                        "PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE", "timeout": 20})
    # Each server thread keeps its connection (opening one and its PRAGMAs on every request
    # was a fifth of a page's CPU under load); Django closes it if it errs or is 10 min old.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Person"
# django-axes first: it refuses a locked-out username or address before any password check
# (the sign-in form and /api/token/ both authenticate through these backends).
AUTHENTICATION_BACKENDS = ["secassure.accounts.backends.LockoutBackend",
                           "secassure.accounts.backends.PersonBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("SECASSURE_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Each parameter on its own: a username is locked whatever address tries it, and an address
# whatever usernames it tries.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "secassure.accounts.signin.locked_out"
AXES_VERBOSE = False
# Not in the admin (every admin class is journaled, core/admin.py): a locked-out person is let
# in again with `secassure manage axes_reset_username <username>` (or axes_reset_ip).
AXES_ENABLE_ADMIN = False
AXES_CLIENT_IP_CALLABLE = "secassure.accounts.signin.client_address"
SECASSURE_TOKEN_DAYS = int(os.environ.get("SECASSURE_TOKEN_DAYS", "30"))
# The authenticator app shows the platform's name; throttling after a wrong code (1, 2, 4...
# seconds in which every code is refused) is django-otp's, kept on.
OTP_TOTP_ISSUER = "secassure"
OTP_TOTP_THROTTLE_FACTOR = 1
# Passwords: Argon2id at OWASP's parameters (secassure.accounts.hashers: 19 MiB, two passes,
# about 28 ms of one core, outside the GIL), so that sign-ins are safe and not what limits
# the server under load. The others verify hashes made before or elsewhere (Django's
# PBKDF2 default among them), which are rehashed with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "secassure.accounts.hashers.Argon2idHasher",  # verifies any Argon2 hash (parameters in it)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere (scripts and styles are static files); only the API's
# Swagger UI page adds inline styles (web/urls.py).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF],
    "img-src": [SELF, "data:"], "font-src": [SELF], "connect-src": [SELF],
    "object-src": [NONE], "base-uri": [SELF], "form-action": [SELF],
    "frame-ancestors": [NONE]}}
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get(
    "SECASSURE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Consents to the browsers' preload list (HTTPS-only from the first visit); submitting the
    # domain there is the operator's step (docs/deploy.md).
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = True
    # The proxy in front (docs/deploy.md) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from the finders; keep it quiet
WHITENOISE_USE_FINDERS = True
# Uploaded evidence and letters: never served directly; a view checks who asks first.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
#: The largest request body `secassure serve` accepts (413 before buffering): room for the
#: largest evidence file (20 MiB, assurance.services.reporting) and the largest form or JSON
#: body Django reads (DATA_UPLOAD_MAX_MEMORY_SIZE) with their encoding.
SECASSURE_MAX_REQUEST_BODY = 32 * 1024 * 1024
EMAIL_BACKEND = os.environ.get("SECASSURE_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SECASSURE_FROM_EMAIL", "secassure@localhost")
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "secassure.accounts.backends.PersonTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "secassure.web.api.BoundedPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "secassure.web.schema.Schema",
    "EXCEPTION_HANDLER": "secassure.web.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "secassure API",
    "DESCRIPTION": "The register of SEC Parties, Section G as data and the assessment cycle. "
                   "Authenticate with a session or with `Authorization: Token <key>`.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per set of choices met under the same field name in several places.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentCategoryEnum": "secassure.assurance.models.Category",
        "SscCategoryEnum": ["FUSA", "VUSA", "SSA"],  # G12.8(c)
        "MeetingBodyEnum": "secassure.committee.models.meetings.Body",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "secassure.web.schema.empty_means_any"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"secassure": {"level": "INFO"}},
}
