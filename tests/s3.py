"""A real S3-compatible gateway for the tests (issue 18): the Ceph RADOS Gateway that
.ci/run brings up (`.ci/ceph`), found through ZI_TEST_S3_ENDPOINT and the keys of
django-storages' variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME).

Each test gets a fresh bucket (`ZI_TEST_S3_BUCKET_PREFIX`-<random>, emptied and removed
afterwards) and, with `on_s3`, the portal's default storage pointed at it. Without a
gateway the tests skip, under CI=true they fail (`require`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.files.storage import storages
from django.test import override_settings

from tests.conftest import require
from zi_portal.lib.objectstore import S3_BACKEND, PortalS3Storage, s3_options

ENDPOINT = os.environ.get("ZI_TEST_S3_ENDPOINT", "").strip()
PREFIX = os.environ.get("ZI_TEST_S3_BUCKET_PREFIX", "zi-test").strip() or "zi-test"


def _listening(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 80), 2):
            return True
    except OSError:
        return False


def require_gateway() -> None:
    require(bool(ENDPOINT) and _listening(ENDPOINT), "gateway S3 (ZI_TEST_S3_ENDPOINT)")


def options(bucket: str, *, endpoint: str | None = None, **overrides: Any) -> dict[str, Any]:
    """S3Storage options as the settings build them, for this bucket."""
    values: dict[str, Any] = {
        "bucket": bucket,
        "endpoint_url": ENDPOINT if endpoint is None else endpoint,
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID", ""),
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "region": os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
        "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "connect_timeout": 2,
        "read_timeout": 10,
        "max_attempts": 1,
        "max_memory_size": 2_621_440,
    }
    values.update(overrides)
    return s3_options(**values)


def storage_for(bucket: str, **overrides: Any) -> PortalS3Storage:
    return PortalS3Storage(**options(bucket, **overrides))


def new_bucket_name() -> str:
    return f"{PREFIX}-{uuid.uuid4().hex[:12]}"


def empty_and_remove(storage: PortalS3Storage) -> None:
    client = storage.connection.meta.client
    bucket = storage.bucket_name
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", ()):
            client.delete_object(Bucket=bucket, Key=entry["Key"])
    for upload in client.list_multipart_uploads(Bucket=bucket).get("Uploads", ()):
        client.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
    client.delete_bucket(Bucket=bucket)


def keys(storage: PortalS3Storage, prefix: str = "") -> set[str]:
    client = storage.connection.meta.client
    found: set[str] = set()
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=storage.bucket_name, Prefix=prefix
    ):
        found.update(entry["Key"] for entry in page.get("Contents", ()))
    return found


@contextmanager
def default_storage_on(bucket: str, **overrides: Any) -> Iterator[PortalS3Storage]:
    """The portal's default storage (every FileField) on this bucket, as in production."""
    with override_settings(
        STORAGES={
            "default": {"BACKEND": S3_BACKEND, "OPTIONS": options(bucket, **overrides)},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        storage = storages["default"]
        assert isinstance(storage, PortalS3Storage)
        yield storage


@pytest.fixture
def bucket() -> Iterator[PortalS3Storage]:
    """A fresh, empty bucket on the gateway (removed afterwards)."""
    require_gateway()
    storage = storage_for(new_bucket_name())
    storage.connection.meta.client.create_bucket(Bucket=storage.bucket_name)
    try:
        yield storage
    finally:
        empty_and_remove(storage)


@pytest.fixture
def on_s3(bucket: PortalS3Storage) -> Iterator[PortalS3Storage]:
    """The portal's default storage on a fresh bucket."""
    with default_storage_on(bucket.bucket_name) as storage:
        yield storage


class CuttingProxy:
    """A TCP relay in front of the gateway that cuts the first connection carrying more
    than `cut_after` bytes towards the store (the store failing in the middle of an
    upload); `down` makes it refuse every new connection (the store down)."""

    def __init__(self, cut_after: int) -> None:
        parsed = urlparse(ENDPOINT)
        self.upstream = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.cut_after = cut_after
        self.cuts = 0
        self.down = False
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _addr = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.down:
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, outbound: bool) -> None:
        sent = 0
        try:
            while data := source.recv(65536):
                sent += len(data)
                if outbound and self.cuts == 0 and sent > self.cut_after:
                    self.cuts += 1
                    raise OSError("cut")
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def close(self) -> None:
        self._stop.set()
        self._server.close()
