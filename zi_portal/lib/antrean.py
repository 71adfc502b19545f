"""Queueing a Celery task from a request without ever hanging or half-failing on it.

`enqueue` turns every failure of the broker or of the result store (kombu errors,
`OSError`, the result store's `RuntimeError` after its reconnections, redis-py's own
errors) into `AntreanTidakTersedia`. The timeouts that make it answer within about two
seconds are in the settings (`ZI_QUEUE_TIMEOUT`). In-process (eager) mode runs the task
at once and lets the task's own errors through, as tests expect.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.exceptions import KombuError

log = logging.getLogger(__name__)


class AntreanTidakTersedia(Exception):
    """The task queue (broker or result store) cannot be reached; nothing was queued."""


def enqueue(task: Any, *args: Any) -> None:
    """Queue `task(*args)`; raise `AntreanTidakTersedia` when the queue cannot take it."""
    eager = task.app.conf.task_always_eager
    try:
        task.apply_async(args=list(args), retry=False)
    except KombuError as exc:
        log.warning("could not queue %s%r: %s", task.name, args, exc)
        raise AntreanTidakTersedia(str(exc)) from exc
    except Exception as exc:  # every broker and result-store failure, whatever its class
        if eager:
            raise  # the task itself failed, in-process
        log.warning("could not queue %s%r: %s", task.name, args, exc)
        raise AntreanTidakTersedia(str(exc)) from exc
