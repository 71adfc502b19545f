"""Writing a file through the storage API so that a failed write leaves nothing behind.

Django's `FileSystemStorage` creates the target before it writes: a full disk (ENOSPC),
an I/O error or an interrupted worker leaves a 0-byte or partial file that keeps the disk
full. `store` fixes the name first and removes whatever is there under it when the write
fails, using only `exists`/`delete`, so it behaves the same on S3-compatible storage.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import Storage

log = logging.getLogger(__name__)


def store(storage: Storage, name: str, content: Any, *, max_length: int | None = None) -> str:
    """Save `content` under `name` (or a free variant of it) and return the stored name.

    `name` must be the caller's own (a random or per-attempt name): on any failure,
    including an interrupted task, the file under the chosen name is removed before the
    error goes on.
    """
    target = storage.get_available_name(name, max_length=max_length)
    try:
        return storage.save(target, content, max_length=max_length)
    except BaseException:
        discard(storage, target)
        raise


def discard(storage: Storage, name: str) -> bool:
    """Remove `name` if it exists; never raises (logs). True when nothing is left."""
    if not name:
        return True
    try:
        if storage.exists(name):
            storage.delete(name)
        return True
    except OSError:
        log.exception("could not remove %s from storage", name)
        return False
