"""The command line of a Celery worker of this project, for tests and benchmarks that
start a real worker process next to the code under test."""

from __future__ import annotations

import socket
import sys
from urllib.parse import urlparse


def worker_command(queue: str, *, pool: str = "solo", concurrency: int | None = None) -> list[str]:
    """`celery worker` consuming only `queue`, without gossip, mingle and heartbeat."""
    command = [sys.executable, "-m", "celery", "-A", "zi_portal", "worker", f"--pool={pool}"]
    if concurrency is not None:
        command.append(f"--concurrency={concurrency}")
    return [
        *command,
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "warning",
    ]


def reachable(url: str, timeout: float = 2.0) -> bool:
    """Does something listen at the host and port of this Redis URL?"""
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout
        ):
            return True
    except OSError:
        return False
