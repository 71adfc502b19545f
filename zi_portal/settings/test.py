"""Test settings: the base settings with a fast hasher and in-process Celery.

Tests marked `broker` switch Celery to the real Redis of REDIS_URL themselves.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "zi-portal-test-secret-key-not-for-production")
os.environ.setdefault("ZI_PUBLIC_BASE_URL", "http://testserver")
os.environ.setdefault("ZI_VAR_DIR", tempfile.mkdtemp(prefix="zi-test-var-"))

from zi_portal.settings.base import *  # noqa: F403
from zi_portal.settings.base import _DEFAULT_STORAGE, AWS_STORAGE_BUCKET_NAME, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zi-test-media-"))
# The local disk, unless the run is the S3 leg of CI (AWS_STORAGE_BUCKET_NAME set): then
# every stored file of the tests goes to that bucket as in production.
STORAGES = {
    "default": _DEFAULT_STORAGE
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
# Kept so broker tests know where the real Redis is.
ZI_TEST_REDIS_URL = REDIS_URL
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# A file-backed SQLite test database, so a real worker process can open it too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
ZI_SIGNING_P12 = str(VAR_DIR / "signing" / "test-signer.p12")  # noqa: F405
ZI_SIGNING_P12_PASSPHRASE = "test-zi-portal-signing"  # noqa: S105
# The tests sign with development certificates and trust their CA explicitly (as
# development does with ZI_TRUST_DEV_CA=true); the pdfsig test turns it off.
ZI_TRUST_DEV_CA = True
ZI_PUBLIC_BASE_URL = "http://testserver"
# The test client's login() authenticates without a request; django-axes needs one.
# Its own test turns it back on.
AXES_ENABLED = False
