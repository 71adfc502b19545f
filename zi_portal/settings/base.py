"""Settings of ZI Portal, read from the environment (see README, "Konfigurasi").

Without DATABASE_URL the portal uses SQLite under var/; without REDIS_URL Celery tasks
run in-process. Production differs from development only by environment values.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zi_portal.env import env_bool, env_int, env_list, env_str, env_url

# Makes admin.ModelAdmin[...] and friends subscriptable at run time (typing only).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ZI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY belum diisi. Isi variabel lingkungan SECRET_KEY (atau SECRET_KEY_FILE), "
            "atau jalankan dengan DEBUG=true untuk pengembangan."
        )
    SECRET_KEY = "django-insecure-zi-portal-development-only"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "units",
    "lke",
    "evidence",
    "scoring",
    "documents",
    "zi_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zi_portal.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zi_portal.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zi_portal.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes requires: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zi_portal.urls"
WSGI_APPLICATION = "zi_portal.wsgi.application"

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
                "units.context_processors.portal",
            ],
        },
    },
]

DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "pgsql", "postgis", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # The embedded default: SQLite under var/, created on a fresh clone's first start.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/terkunci.html"
AXES_RESET_ON_SUCCESS = True
# Behind front proxies (nginx, a load balancer) REMOTE_ADDR is the proxy's: set
# AXES_PROXY_COUNT to the number of proxies that append to X-Forwarded-For, and the
# throttling keys on the client address they report (zi_portal.lib.http.client_ip).
ZI_TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "zi_portal.lib.http.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["zi_portal.formats"]
# Years must never print as "2.022": grouping is applied explicitly (intcomma, format_id).

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded evidence is never served from MEDIA_URL: files go out only through views that
# check the user's rights.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

# Uploads: larger files stream to a temporary file instead of memory.
ZI_UPLOAD_MAX_MB = env_int("ZI_UPLOAD_MAX_MB", 20, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5_242_880, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ZI Portal <noreply@localhost>")

# Celery: with REDIS_URL tasks go to a worker (`make worker`); without it they run
# in-process so a first run needs no server.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=10)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message whose worker died unacknowledged is redelivered after this many seconds.
# Seconds a request waits at most for the broker before telling the user the queue is down.
_QUEUE_TIMEOUT = float(env_int("ZI_QUEUE_TIMEOUT", 2, minimum=1))
_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT * 2, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Workers look for such messages every tenth of the timeout (1 to 10 s). kombu's own
    # default sweep (every 10th check, 10 s apart) would add up to 100 s to a redelivery.
    "unacked_restore_interval": max(1, min(10, _VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A broker that is down answers within ZI_QUEUE_TIMEOUT seconds, never after kombu's
    # default retries (issue 11 part 2). Workers reconnect by their own policy.
    "socket_connect_timeout": _QUEUE_TIMEOUT / 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = _QUEUE_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = False
# The result store (Redis): the same bounds; Celery's default is 20 reconnections a
# second apart, so a request stalled for 19 s before failing with a RuntimeError.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = _QUEUE_TIMEOUT / 2
CELERY_REDIS_SOCKET_TIMEOUT = env_int("CELERY_REDIS_SOCKET_TIMEOUT", 10, minimum=1)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# Evidence checks (issue 14): queue `evidence.bukti_periksa` on commit of each upload.
# false: no check is queued (`manage.py bukti_check` can still catch up); used by the bench
# to compare the upload request with and without the checks.
ZI_BUKTI_CHECKS = env_bool("ZI_BUKTI_CHECKS", True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Signing the rencana kerja (PAdES). `make run` creates a development certificate at the
# default path; production points ZI_SIGNING_P12 at the unit's real PKCS#12 file.
ZI_SIGNING_P12 = env_str("ZI_SIGNING_P12", str(VAR_DIR / "signing" / "dev-signer.p12"))
ZI_SIGNING_P12_PASSPHRASE = env_str(
    "ZI_SIGNING_P12_PASSPHRASE", "dev-zi-portal-signing" if DEBUG else ""
)
# The Tim Penilai Internal's PKCS#12 (it signs the LHE); empty: ZI_SIGNING_P12 with `-tpi`
# before the suffix (documents.signing.tpi_p12_path), same passphrase.
ZI_SIGNING_P12_TPI = env_str("ZI_SIGNING_P12_TPI", "")
# Roots a signature must chain to for the verification page to call it trusted: the BSrE
# root and/or the instansi's CA (PEM or DER files, comma-separated). The development CA
# is trusted only when ZI_TRUST_DEV_CA=true, and then reported as "sertifikat pengembangan".
ZI_TRUST_ROOTS = env_list("ZI_TRUST_ROOTS", [])
ZI_TRUST_DEV_CA = env_bool("ZI_TRUST_DEV_CA", False)
if ZI_TRUST_DEV_CA and not DEBUG:
    raise ImproperlyConfigured("ZI_TRUST_DEV_CA=true hanya untuk pengembangan (DEBUG=true).")
# Signing retries with backoff (broker, storage, render failures); a sweep re-queues an
# approval still waiting for its signed document after ZI_SIGN_SWEEP_MINUTES.
ZI_SIGN_SWEEP_MINUTES = env_int("ZI_SIGN_SWEEP_MINUTES", 10, minimum=1)
# Absolute base of links written into documents (QR codes, footers, Excel evidence links),
# e.g. https://zi.example.go.id. Required in production, used as is. In development, when
# it is not set, a document follows the address the portal is actually served at: the
# host of the request that started it (zi_portal.lib.urls.public_base_url), so a PDF made
# while serving on port 8123 never points at port 8000.
ZI_PUBLIC_BASE_URL = env_url("ZI_PUBLIC_BASE_URL", ("http", "https")).rstrip("/")
ZI_PUBLIC_BASE_URL_FROM_REQUEST = not ZI_PUBLIC_BASE_URL
if not ZI_PUBLIC_BASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ZI_PUBLIC_BASE_URL belum diisi. Isi dengan alamat publik portal, mis. "
            "https://zi.example.go.id: tautan dan kode QR di dokumen memakainya."
        )
    ZI_PUBLIC_BASE_URL = "http://127.0.0.1:8000"  # commands and tasks without a request
ZI_EXPORT_TTL_DAYS = env_int("ZI_EXPORT_TTL_DAYS", 3, minimum=1)
# A running export beats on its row every ZI_EXPORT_HEARTBEAT_SECONDS; the sweep (every
# ZI_EXPORT_SWEEP_SECONDS under `celery beat`) re-queues one silent for
# ZI_EXPORT_STALE_SECONDS (a dead worker), or queued without a run for
# ZI_EXPORT_QUEUED_STALE_SECONDS (a lost message), whatever the visibility timeout.
ZI_EXPORT_HEARTBEAT_SECONDS = env_int("ZI_EXPORT_HEARTBEAT_SECONDS", 10, minimum=1)
ZI_EXPORT_STALE_SECONDS = env_int(
    "ZI_EXPORT_STALE_SECONDS", max(60, 3 * ZI_EXPORT_HEARTBEAT_SECONDS), minimum=2
)
ZI_EXPORT_QUEUED_STALE_SECONDS = env_int("ZI_EXPORT_QUEUED_STALE_SECONDS", 300, minimum=2)
ZI_EXPORT_SWEEP_SECONDS = env_int("ZI_EXPORT_SWEEP_SECONDS", 30, minimum=1)
# Stored files that no row references (a crash between writing a file and its row) are
# removed by `storage_reconcile` once older than this many hours.
ZI_ORPHAN_MAX_AGE_HOURS = env_int("ZI_ORPHAN_MAX_AGE_HOURS", 24, minimum=1)
ZI_STORAGE_RECONCILE_SECONDS = env_int("ZI_STORAGE_RECONCILE_SECONDS", 3600, minimum=10)
CELERY_BEAT_SCHEDULE = {
    "prune-exports": {"task": "documents.prune_exports", "schedule": 3600.0},
    "sign-sweep": {"task": "documents.sign_sweep", "schedule": 300.0},
    "requeue-stale-exports": {
        "task": "documents.requeue_stale_exports",
        "schedule": float(ZI_EXPORT_SWEEP_SECONDS),
    },
    "storage-reconcile": {
        "task": "documents.storage_reconcile",
        "schedule": float(ZI_STORAGE_RECONCILE_SECONDS),
    },
}
