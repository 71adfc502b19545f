"""A generator of bytes as a read-only file, for Django's storage API."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.core.files.base import File


class _IterReader(io.RawIOBase):
    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def chunks_file(chunks: Iterable[bytes], name: str, buffer_size: int = 1 << 20) -> File:  # type: ignore[type-arg]
    """`storage.save(name, chunks_file(gen, name))` writes `gen` as it is produced.

    The file cannot seek and has no known size: the storage reads it front to back, so a
    document of any size passes through a buffer of `buffer_size` bytes.
    """
    return File(io.BufferedReader(_IterReader(chunks), buffer_size), name=name)
