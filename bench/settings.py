"""Settings of the benchmark: the base settings on their own database and media folder.

The harness (`bench/run.py`) sets `DATABASE_URL` (a SQLite file under `var/bench/` by
default, or e.g. `postgres://postgres@127.0.0.1:5432/zi_bench`) and `MEDIA_ROOT` before
Django starts; the Celery worker it starts uses this module too. Never the test
databases, never port 8000.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "zi-portal-bench-secret-key-not-for-production")
os.environ.setdefault("ZI_PUBLIC_BASE_URL", "http://bench.invalid")

from zi_portal.settings.base import *  # noqa: F403
from zi_portal.settings.base import DATABASES

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Plain static storage: the bench renders pages without running collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
ZI_PUBLIC_BASE_URL = "http://bench.invalid"
# Tasks go to the bench worker's own queue on the bench Redis database.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_QUEUE", "zi-bench")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 60}
