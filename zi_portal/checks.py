"""Start-up checks of the composition root.

`storage_reachable` (tag `zi_storage`): with the stored files on an S3-compatible object
store, the bucket must answer a HEAD request. Django runs it for runserver and every
management command that checks; `zi_portal.wsgi` runs it for gunicorn and
`zi_portal.celery` for the Celery worker (`require_storage`), so a wrong endpoint, a
missing bucket or bad keys stop the start with one clear sentence.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from zi_portal.lib.objectstore import bucket_problem, is_s3

STORAGE_TAG = "zi_storage"


@checks.register(STORAGE_TAG)
def storage_reachable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    storage = storages["default"]
    if not is_s3(storage):
        return []
    problem = bucket_problem(storage)
    if problem is None:
        return []
    return [checks.Error(problem, id="zi_portal.E001")]


def require_storage() -> None:
    """Raise ImproperlyConfigured when the storage check fails (gunicorn, Celery worker)."""
    errors = checks.run_checks(tags=[STORAGE_TAG])
    if errors:
        raise ImproperlyConfigured(" ".join(str(error.msg) for error in errors))
