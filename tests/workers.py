"""Starting a real Celery worker process for the tests that need one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from zi_portal.workers import reachable, worker_command

__all__ = ["database_url_for_worker", "reachable", "start_worker"]

ROOT = Path(__file__).resolve().parents[1]


def database_url_for_worker() -> str:
    """The test database (not the configured one) as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def start_worker(queue: str, redis_url: str, **extra_env: str) -> subprocess.Popen[str]:
    """A solo-pool worker consuming only `queue`, on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings.base",
        "DEBUG": "true",
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url_for_worker(),
        **extra_env,
    }
    return subprocess.Popen(
        worker_command(queue),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
