"""Issue 18 part 1: the stored files on a real S3-compatible gateway, and a start that
stops with a clear Indonesian message when the bucket does not answer."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.files.base import ContentFile
from django.http import FileResponse

from tests.s3 import (
    ENDPOINT,
    bucket,
    default_storage_on,
    new_bucket_name,
    require_gateway,
    storage_for,
)
from zi_portal.lib.objectstore import ObjectReader, StoreUnavailable, bucket_problem
from zi_portal.lib.storage import store

__all__ = ["bucket"]
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.s3


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _errors() -> list[str]:
    return [str(e.msg) for e in checks.run_checks(tags=["zi_storage"])]


def test_the_start_up_check_passes_for_a_bucket_that_answers(bucket: Any) -> None:
    with default_storage_on(bucket.bucket_name):
        assert _errors() == []


def test_a_missing_bucket_bad_keys_or_a_dead_endpoint_each_get_their_sentence() -> None:
    require_gateway()
    missing = bucket_problem(storage_for(new_bucket_name()))
    assert missing is not None and "tidak ada" in missing and "AWS_STORAGE_BUCKET_NAME" in missing
    refused = bucket_problem(storage_for(new_bucket_name(), secret_key="salah-sekali"))
    assert refused is not None and "menolak akses" in refused
    dead = bucket_problem(storage_for("h-s3-x", endpoint=_closed_port()))
    assert dead is not None and "tidak dapat dihubungi" in dead
    with default_storage_on(new_bucket_name()):
        (message,) = _errors()
        assert "tidak ada" in message


def _start(command: list[str], bucket_name: str, endpoint: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings.base",
        "DEBUG": "true",
        "AWS_STORAGE_BUCKET_NAME": bucket_name,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "x"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "y"),
        "ZI_STORAGE_CONNECT_TIMEOUT": "1",
        "ZI_STORAGE_MAX_ATTEMPTS": "1",
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "manage.py", "check"],
        # gunicorn loads zi_portal.wsgi in each of its workers.
        [sys.executable, "-c", "import zi_portal.wsgi"],
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zi_portal",
            "worker",
            "--pool=solo",
            "-l",
            "warning",
        ],
    ],
    ids=["runserver-check", "gunicorn-wsgi", "celery-worker"],
)
def test_every_process_stops_at_start_when_the_bucket_does_not_answer(command: list[str]) -> None:
    require_gateway()
    missing = _start(command, new_bucket_name(), ENDPOINT)
    assert missing.returncode != 0
    assert "tidak ada di" in missing.stderr + missing.stdout
    dead = _start(command, "h-s3-x", _closed_port())
    assert dead.returncode != 0
    assert "tidak dapat dihubungi" in dead.stderr + dead.stdout


def test_a_large_file_goes_up_in_parts_and_streams_back_with_its_hash(bucket: Any) -> None:
    data = os.urandom(20 * 1024 * 1024 + 123)
    name = store(bucket, "bukti/uji/besar.bin", ContentFile(data, name="besar.bin"))
    assert bucket.size(name) == len(data)
    head = bucket.connection.meta.client.head_object(Bucket=bucket.bucket_name, Key=name)
    assert "-" in head["ETag"]  # multipart: the ETag of an object put in parts
    with bucket.open(name, "rb") as handle:
        assert isinstance(handle, ObjectReader)
        digest = hashlib.sha256()
        for chunk in handle.chunks(1024 * 1024):
            digest.update(chunk)
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
        handle.seek(len(data) - 100)
        assert handle.read() == data[-100:]
    # The same name again gets a free variant, as on the local disk.
    other = store(bucket, "bukti/uji/besar.bin", ContentFile(b"lain", name="besar.bin"))
    assert other != name and bucket.exists(name) and bucket.exists(other)


def test_a_file_response_over_an_object_has_its_length_and_bytes(bucket: Any) -> None:
    data = os.urandom(3 * 1024 * 1024)
    name = bucket.save("ekspor/uji/a.zip", io.BytesIO(data))
    handle = bucket.open(name, "rb")
    response = FileResponse(handle, as_attachment=True, filename="a.zip")
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data  # type: ignore[arg-type]
    handle.close()  # (response.close() would signal request_finished: no request here)


def test_a_missing_object_is_file_not_found_and_a_dead_store_an_oserror(bucket: Any) -> None:
    with pytest.raises(FileNotFoundError):
        bucket.open("bukti/tidak-ada.pdf", "rb")
    dead = storage_for(bucket.bucket_name, endpoint=_closed_port())
    with pytest.raises(StoreUnavailable):
        dead.save("bukti/x.pdf", ContentFile(b"%PDF-"))
    with pytest.raises(OSError):
        dead.open("bukti/x.pdf", "rb")
    assert not bucket.exists("bukti/x.pdf")
