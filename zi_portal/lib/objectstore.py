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

from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_options(
    *,
    bucket: str,
    endpoint_url: str,
    access_key: str,
    secret_key: str,
    region: str,
    addressing_style: str,
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
            signature_version="s3v4",
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
        ),
    }


def is_s3(storage: object) -> bool:
    """Is this storage an S3Storage (or a subclass)?"""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


def bucket_problem(storage: Any) -> str | None:
    """None when the bucket of this S3Storage answers; otherwise why not, in Indonesian."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
    )

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
