"""One settings module, driven by environment variables (secrets also from ``*_FILE``)."""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SOLIDARITY_VAR_DIR", Path.cwd() / "var")).resolve()
# The database, keys and evidence live here: readable by this account alone.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_secret(name: str) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return None


def local_secret_key() -> str:
    """A key kept in var/ for a single-machine install; never in the repository."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("SOLIDARITY_DEBUG")
SECRET_KEY = env_secret("SOLIDARITY_SECRET_KEY") or local_secret_key()
# Encryption at rest (core/encryption.py): keys independent of SECRET_KEY, first
# one encrypts, all decrypt. The file is read lazily; the demo creates one in
# var/, which `check --deploy` warns against for production.
SOLIDARITY_ENCRYPTION_KEYS = os.environ.get("SOLIDARITY_ENCRYPTION_KEYS")
SOLIDARITY_ENCRYPTION_KEYS_FILE = os.environ.get("SOLIDARITY_ENCRYPTION_KEYS_FILE") or (
    str(VAR_DIR / "encryption_keys") if (VAR_DIR / "encryption_keys").exists() else None
)

ALLOWED_HOSTS = os.environ.get("SOLIDARITY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "solidarity.core",
    "solidarity.accounts",
    "solidarity.vocab",
    "solidarity.people",
    "solidarity.incidents",
    "solidarity.context",
    "solidarity.un",
    "solidarity.responses",
    "solidarity.public",
    "solidarity.audit",
    "solidarity.intake",
    "solidarity.insights",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "solidarity.accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which reads the body: refuses an oversized one unread.
    "solidarity.core.middleware.RequestSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "solidarity.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "solidarity.urls"
WSGI_APPLICATION = "solidarity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'solidarity.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE avoids
        # "database is locked" upgrades from read to write mid-transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "incidents:list"
LOGOUT_REDIRECT_URL = "account_login"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): no self sign-up (administrators create accounts),
# login by username. Failed sign-ins are limited by accounts/lockout.py (through
# the adapter) per username and address with a growing backoff, per address,
# and per username only when many addresses fail on it (the owner is told);
# allauth's own per-username lock, which let anyone lock anyone out, is off.
ACCOUNT_ADAPTER = "solidarity.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# The sign-in counters live in the cache. Django's default local-memory cache
# keeps 300 entries, few enough for a flood of made-up names to push the counters
# out; this one keeps 100,000 (some tens of MB at most). It is per process: with
# several processes use a shared cache (Redis) instead, or the limits multiply.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# The reverse proxies in front of the application (addresses or networks, comma
# separated). X-Forwarded-For is read only on requests that come from one of
# them, and only up to the first address that is not one of them; with none
# listed the client is REMOTE_ADDR. A wrong entry stops the server at start.
SOLIDARITY_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(entry.strip(), strict=False))
    for entry in os.environ.get("SOLIDARITY_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]
# MFA: TOTP with recovery codes for everyone; coordinators and administrators
# must set it up before anything else (accounts/middleware.py).
MFA_ADAPTER = "solidarity.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Solidarity"
MFA_RECOVERY_CODE_COUNT = 10

# Content Security Policy (django-csp): our own scripts and styles only, no
# inline code; data: images for the TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "evidence", "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Evidence files: the largest accepted upload, and the content types accepted
# after sniffing the bytes (the browser's claim is never trusted).
EVIDENCE_MAX_BYTES = int(os.environ.get("SOLIDARITY_EVIDENCE_MAX_BYTES", 25 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies (core/middleware.py): refused with 413 by their Content-Length
# before anything reads them. Any view takes 5 MiB (the fields of the largest
# form, as DATA_UPLOAD_MAX_MEMORY_SIZE); the upload views take their files'
# limit plus room for the form's other fields and the multipart framing, and
# only from a signed-in user. The reverse proxy must let the largest through
# (docs/SECURITY.md); the demo's waitress is set to it.
SOLIDARITY_REQUEST_MAX_BYTES = 5 * 1024 * 1024
SOLIDARITY_REQUEST_MAX_BYTES_BY_VIEW = {
    # one evidence file, a description of 500 characters, a source
    "incidents:evidence-upload": EVIDENCE_MAX_BYTES + 64 * 1024,
    # intake: at most 50 files and 100 MiB together (intake/forms.py, intake/readers.py)
    "intake:new": 100 * 1024 * 1024 + 256 * 1024,
}
FILE_UPLOAD_PERMISSIONS = 0o600

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("SOLIDARITY_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INCIDENTS_PER_PAGE = 25

# Background jobs (reading and extracting uploaded intake documents): queued in
# the database, run by `solidarity db_worker` (the demo runs one beside its server).
# Jobs carry record ids only, never a text or a name.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOLIDARITY_LOG_LEVEL", "WARNING")},
}
FORMAT_MODULE_PATH = ["solidarity.formats"]
AUTH_USER_MODEL = "accounts.User"
