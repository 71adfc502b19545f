from __future__ import annotations

import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings.base")

app = Celery("zi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["zi_portal"])


@signals.worker_init.connect
def _require_storage(**kwargs: Any) -> None:
    """A worker whose object store does not answer stops at start, not at its first task.

    Celery logs and swallows an Exception raised by a signal handler: SystemExit ends
    the worker with the message on stderr.
    """
    from django.core.exceptions import ImproperlyConfigured

    from zi_portal.checks import require_storage

    try:
        require_storage()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"ZI Portal: {exc}") from exc
