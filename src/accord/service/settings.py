"""Django settings of `accord serve`, read from the environment `accord serve` sets.

``ACCORD_DATA_DIR`` (default ``./accord-data``): the SQLite database and the key file.
``ACCORD_DATABASE_URL``: a PostgreSQL (or other) database instead of SQLite (dj-database-url).
``ACCORD_SECRET_KEY``: the encryption key(s) instead of the key file.
``ACCORD_PUBLIC_URL``: the address people use (``https://...`` behind a reverse proxy turns on
secure cookies, HSTS and trust of the proxy's ``X-Forwarded-Proto``).
``ACCORD_ALLOWED_HOSTS``: more host names, comma-separated.

Importing this module creates nothing: ``accord serve`` prepares the data directory first
(:mod:`accord.service.runtime`).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from accord.service.crypto import (
    KEY_FILE_NAME,
    django_secret_from,
    keys_from_environment,
    read_key_file,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", "accord-data")).resolve()
KEY_FILE = DATA_DIR / KEY_FILE_NAME


def _keys() -> tuple[str, ...]:
    from_env = os.environ.get("ACCORD_SECRET_KEY", "").strip()
    if from_env:
        return keys_from_environment(from_env)
    if KEY_FILE.exists():
        return read_key_file(KEY_FILE)
    return ()


ACCORD_KEYS = _keys()
SECRET_KEY = django_secret_from(ACCORD_KEYS[0]) if ACCORD_KEYS else ""
DEBUG = os.environ.get("ACCORD_DEBUG", "").lower() in {"1", "true", "yes"}

PUBLIC_URL = os.environ.get("ACCORD_PUBLIC_URL", "").rstrip("/")
_public = urlsplit(PUBLIC_URL) if PUBLIC_URL else None
HTTPS = _public is not None and _public.scheme == "https"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS += [h.strip() for h in os.environ.get("ACCORD_ALLOWED_HOSTS", "").split(",") if h]
if _public is not None and _public.hostname:
    ALLOWED_HOSTS.append(_public.hostname)
    CSRF_TRUSTED_ORIGINS = [f"{_public.scheme}://{_public.netloc}"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # its OpenAPI page then uses the Swagger UI files it ships, not a CDN
    "accord.service.accounts",
    "accord.service.cases",
    "accord.service.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.service.urls"
WSGI_APPLICATION = "accord.service.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("ACCORD_DATABASE_URL", "").strip()
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "accord.sqlite3"),
        "OPTIONS": {
            # Writers queue instead of failing; each transaction takes the write lock at BEGIN,
            # so two requests never interleave a read-then-write (audit chain, version numbers).
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttle (django-axes): five failures for one account from one address lock that
# pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT: list[str] = []

# A strict Content-Security-Policy: scripts, styles, images and connections only from this
# server; no inline script, no frames, forms posting only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Static files are served by WhiteNoise straight from the installed package (no collectstatic
# step, nothing written to the data directory).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# Uploads: scenario files are read in memory up to the documented limit.
from accord.limits import SERVICE_UPLOAD_MAX_BYTES  # noqa: E402

DATA_UPLOAD_MAX_MEMORY_SIZE = SERVICE_UPLOAD_MAX_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = SERVICE_UPLOAD_MAX_BYTES + 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

INVITATION_DAYS = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
