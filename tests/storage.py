"""Storages that run out of space, for the tests of the failure paths (issue 11 part 3)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage

from tests.conftest import require


class _Truncating(File):  # type: ignore[type-arg]
    """Yields the content until `budget` bytes are written, then fails like a full disk."""

    def __init__(self, content: Any, budget: int) -> None:
        super().__init__(content, getattr(content, "name", None))
        self.budget = budget

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        written = 0
        source: Any = self.file
        for chunk in source.chunks(chunk_size) if hasattr(source, "chunks") else [source.read()]:
            if written + len(chunk) > self.budget:
                yield chunk[: self.budget - written]
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written += len(chunk)
            yield chunk


class FullAfter(FileSystemStorage):
    """A local storage whose disk is full after `budget` more bytes (ENOSPC mid-write).

    The file is created and partly written by Django's own `_save`, as on a real disk.
    """

    def __init__(self, location: str | Path, budget: int) -> None:
        super().__init__(location=str(location))
        self.budget = budget
        self.failures = 0

    def _save(self, name: str, content: Any) -> str:
        size = content.size or 0
        if size <= self.budget:
            self.budget -= size
            return str(super()._save(name, content))  # type: ignore[misc]
        self.failures += 1
        try:
            return str(super()._save(name, _Truncating(content, self.budget)))  # type: ignore[misc]
        finally:
            self.budget = 0


def files_under(root: str | Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@contextmanager
def tmpfs(size: str = "3m") -> Iterator[Path]:
    """A real tiny file system (tmpfs) mounted for the test; needs root (CI runs as root)."""
    where = Path(tempfile.mkdtemp(prefix="zi-tmpfs-"))
    mounted = (
        shutil.which("mount") is not None
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        require(mounted, f"tmpfs {size} (mount -t tmpfs; butuh root)")
        yield where
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def random_bytes(size: int) -> bytes:
    """`size` incompressible bytes without `<`, so that an upload's markup scan
    (`evidence.validators._MARKUP`) never finds a tag in them by chance."""
    return os.urandom(size).replace(b"<", b">")
