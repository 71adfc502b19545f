"""Tasks of the project itself (the apps' own tasks live in their `tasks.py`)."""

from __future__ import annotations

import os
import socket

from celery import shared_task
from django.db import connection


@shared_task(name="zi_portal.worker_health")
def worker_health() -> dict[str, object]:
    """Report which worker answered and that it reaches the portal's database.

    `manage.py check_worker` sends this to verify a deployment's queue end to end.
    """
    from lke.models import Penilaian

    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "database": connection.vendor,
        "penilaian": Penilaian.objects.count(),
    }
