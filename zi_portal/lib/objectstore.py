"""S3-compatible object storage for the stored files (issue 18).

With `AWS_STORAGE_BUCKET_NAME` set, the settings point `STORAGES["default"]` at
django-storages' `S3Storage` with the options built here; every stored file (bukti,
versions, exports, signed PDFs) goes through the storage API, so no other code changes.

`bucket_problem` asks the bucket once (HEAD bucket) and turns what can go wrong into one
Indonesian sentence; the start-up check (`zi_portal.checks`) calls it for runserver,
gunicorn (`zi_portal.wsgi`) and the Celery worker (`zi_portal.celery`), so a wrong
endpoint, a missing bucket or bad keys stop the start instead of the first upload.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import File
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

S3_BACKEND = "zi_portal.lib.objectstore.PortalS3Storage"
T = TypeVar("T")


class StoreUnavailable(OSError):
    """The object store did not do what was asked (down, timeout, refused, 5xx).

    An `OSError`, as a failing disk is: every write path of the portal already answers an
    OSError with a clear message and leaves nothing behind (`zi_portal.lib.storage.store`),
    exports retry on it, so the same code holds on S3.
    """


@contextmanager
def _translated(action: str, name: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            raise FileNotFoundError(f"{name} tidak ada di penyimpanan objek") from exc
        raise StoreUnavailable(f"penyimpanan objek menolak {action} {name}: {exc}") from exc
    except BotoCoreError as exc:
        raise StoreUnavailable(f"penyimpanan objek gagal ({action} {name}): {exc}") from exc


def _call(action: str, name: str, run: Callable[[], T]) -> T:
    with _translated(action, name):
        return run()


class PortalS3File(S3File):  # type: ignore[misc]
    """S3File (the write mode: multipart parts) whose failures are OSErrors."""

    def write(self, content: Any) -> int:
        return int(_call("menulis", self.name, lambda: super(PortalS3File, self).write(content)))

    def close(self) -> None:
        _call("menutup", self.name, super().close)


class ObjectReader(File):  # type: ignore[type-arg]
    """A stored object opened for reading, streamed from the store as it is read.

    django-storages' S3File downloads the whole object before the first byte; this one
    sends one GET on opening (a missing object is FileNotFoundError, as on disk) and
    hands out the body as it arrives, so a download, a hash or a ZIP entry holds one
    chunk in memory whatever the file's size. Seeking is positional only: a read that
    does not start where the body stands sends a ranged GET, so `FileResponse` learns
    the length by seeking to the end and back, as it does for a file on disk, without
    a second request.
    """

    def __init__(self, storage: S3Storage, key: str, name: str) -> None:
        self._storage = storage
        self._key = key
        self._pos = 0
        self._closed = False
        self.name = name
        self.mode = "rb"
        # One request: the GET answers "not found" as HEAD would, and gives the length.
        self._body: Any = None
        self._body_pos = 0
        self._size = 0
        response = self._get(0)
        self._size = int(response["ContentLength"])

    @property
    def size(self) -> int:
        return self._size

    @property
    def closed(self) -> bool:
        return self._closed

    def readable(self) -> bool:
        return not self._closed

    def seekable(self) -> bool:
        return not self._closed

    def writable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # Positional only: the body is dropped (and a ranged GET sent) at the next read,
        # and only when it is not where that read starts.
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        if self._closed:
            raise ValueError("I/O operation on closed file.")
        if self._pos >= self._size or size == 0:
            return b""
        if self._body is None or self._body_pos != self._pos:
            self._drop_body()
            self._get(self._pos)
        want = None if size is None or size < 0 else size
        data: bytes = _call("membaca", self._key, lambda: self._body.read(want))
        self._pos += len(data)
        self._body_pos = self._pos
        return data

    def _get(self, start: int) -> Any:
        extra = {"Range": f"bytes={start}-"} if start else {}
        response = _call(
            "membaca",
            self._key,
            lambda: self._storage.connection.meta.client.get_object(
                Bucket=self._storage.bucket_name, Key=self._key, **extra
            ),
        )
        self._body, self._body_pos = response["Body"], start
        return response

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(self.DEFAULT_CHUNK_SIZE):
            yield chunk

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> ObjectReader:
        if mode and "w" in mode:
            raise ValueError("Berkas objek hanya dapat dibuka untuk dibaca.")
        self._closed = False
        self.seek(0)
        return self

    def _drop_body(self) -> None:
        if self._body is not None:
            with contextlib.suppress(Exception):
                self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        self._closed = True


class PortalS3Storage(S3Storage):  # type: ignore[misc]
    """django-storages' S3Storage whose failures are OSErrors (`StoreUnavailable`), a
    missing object `FileNotFoundError`, as on the local disk."""

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        key = self._normalize_name(clean_name(name))
        if "w" not in mode and "a" not in mode and "+" not in mode:
            return ObjectReader(self, key, name)
        return _call("membuka", name, lambda: PortalS3File(key, mode, self))

    def _save(self, name: str, content: Any) -> str:
        temporary = getattr(content, "temporary_file_path", None)
        if callable(temporary) and not self.gzip:
            # A large upload Django already spooled to a temporary file: s3transfer reads
            # each part from that file as it sends it, instead of copying every part into
            # memory first as it does for a file object (memory flat in file size).
            cleaned = clean_name(name)
            key = self._normalize_name(cleaned)
            params = self._get_write_parameters(key, content)
            _call(
                "menyimpan",
                name,
                lambda: self.bucket.Object(key).upload_file(
                    temporary(), ExtraArgs=params, Config=self.transfer_config
                ),
            )
            return str(cleaned)
        return str(
            _call("menyimpan", name, lambda: super(PortalS3Storage, self)._save(name, content))
        )

    def delete(self, name: str) -> None:
        _call("menghapus", name, lambda: super(PortalS3Storage, self).delete(name))

    def exists(self, name: str) -> bool:
        return bool(_call("memeriksa", name, lambda: super(PortalS3Storage, self).exists(name)))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return _call("mendaftar", path, lambda: super(PortalS3Storage, self).listdir(path))  # type: ignore[no-any-return]

    def size(self, name: str) -> int:
        return int(_call("mengukur", name, lambda: super(PortalS3Storage, self).size(name)))

    def get_modified_time(self, name: str) -> Any:
        return _call(
            "membaca waktu", name, lambda: super(PortalS3Storage, self).get_modified_time(name)
        )


def s3_options(
    *,
    bucket: str,
    endpoint_url: str,
    access_key: str,
    secret_key: str,
    region: str,
    addressing_style: str,
    signature_version: str,
    connect_timeout: float,
    read_timeout: float,
    max_attempts: int,
    max_memory_size: int,
) -> dict[str, Any]:
    """The OPTIONS of `S3Storage` for one bucket.

    - `file_overwrite=False`: a name clash gets a free variant, as on the local disk
      (`zi_portal.lib.storage.store` relies on `get_available_name`);
    - `max_memory_size`: a file opened for reading is buffered in memory only up to this
      size and spills to a temporary file beyond it, so memory stays flat in file size;
    - `querystring_auth`: stored files never leave through bucket URLs, only through the
      rights-checked views; URLs, where asked, are short-lived signed ones;
    - short connect/read timeouts and few retries, so a store that is down answers the
      request within seconds with a clear message.
    """
    from boto3.s3.transfer import TransferConfig
    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "max_memory_size": max_memory_size,
        "client_config": Config(
            s3={"addressing_style": addressing_style or "auto"},
            signature_version=signature_version or "s3v4",
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": max_attempts, "mode": "standard"},
        ),
        # Large files go up in 8 MiB parts (multipart), a few at a time: memory per upload
        # is bounded by the parts in flight, not by the file.
        "transfer_config": TransferConfig(
            multipart_threshold=8 * 1024 * 1024,
            multipart_chunksize=8 * 1024 * 1024,
            max_concurrency=2,
        ),
    }


def is_s3(storage: object) -> bool:
    """Is this storage an S3Storage (or a subclass)?"""
    return isinstance(storage, S3Storage)


def bucket_problem(storage: Any) -> str | None:
    """None when the bucket of this S3Storage answers; otherwise why not, in Indonesian."""
    from botocore.exceptions import EndpointConnectionError, NoCredentialsError

    bucket = storage.bucket_name
    endpoint = storage.endpoint_url or "AWS S3"
    try:
        storage.connection.meta.client.head_bucket(Bucket=bucket)
    except NoCredentialsError:
        return (
            f"Penyimpanan objek {endpoint}: kunci akses belum diisi. Isi AWS_ACCESS_KEY_ID "
            "dan AWS_SECRET_ACCESS_KEY."
        )
    except EndpointConnectionError:
        return (
            f"Penyimpanan objek tidak dapat dihubungi di {endpoint}. Periksa "
            "AWS_S3_ENDPOINT_URL dan apakah gateway S3 berjalan."
        )
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in {"404", "NoSuchBucket", "NotFound"} or status == 404:
            return (
                f"Bucket {bucket!r} tidak ada di {endpoint}. Buat bucket itu dahulu atau "
                "perbaiki AWS_STORAGE_BUCKET_NAME."
            )
        if code in {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"} or (
            status in {401, 403}
        ):
            return (
                f"Penyimpanan objek {endpoint} menolak akses ke bucket {bucket!r}: periksa "
                "AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY (dan hak pengguna atas bucket)."
            )
        return (
            f"Penyimpanan objek {endpoint} menjawab galat untuk bucket {bucket!r}: "
            f"{code or status}."
        )
    except (BotoCoreError, ValueError) as exc:
        return (
            f"Penyimpanan objek {endpoint} tidak dapat dipakai: {exc}. Periksa "
            "AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME dan AWS_S3_ADDRESSING_STYLE."
        )
    return None


def abort_stale_uploads(storage: Any, *, older_than: dt.datetime) -> list[str]:
    """Abort the bucket's multipart uploads started before `older_than`; their keys."""
    client = storage.connection.meta.client
    aborted: list[str] = []
    with _translated("mendaftar unggahan", storage.bucket_name):
        for page in client.get_paginator("list_multipart_uploads").paginate(
            Bucket=storage.bucket_name
        ):
            for upload in page.get("Uploads", ()):
                if upload["Initiated"] >= older_than:
                    continue  # maybe still going
                client.abort_multipart_upload(
                    Bucket=storage.bucket_name, Key=upload["Key"], UploadId=upload["UploadId"]
                )
                aborted.append(str(upload["Key"]))
    return aborted
