"""Starting a real Celery worker process for the tests that need one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2
        ):
            return True
    except OSError:
        return False


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
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zi_portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
