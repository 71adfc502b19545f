"""Issue 18 part 3: `storage_migrate --to s3` moves the demo data (signed rencana kerja,
bukti of several kinds and sizes, an export) from the disk to a real bucket, verifies
every SHA-256, is safe to re-run, deletes from the disk only with --delete-source, and
afterwards the same rows serve from the bucket."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from documents.models import DokumenTertandatangan, ExportJob
from evidence.models import Bukti
from evidence.services import bukti_upload
from tests.evidence.files import pdf, png, xlsx
from tests.s3 import bucket, default_storage_on
from tests.storage import random_bytes
from zi_portal.lib.objectstore import is_s3
from zi_portal.storage_migrate import MARKER, stored_files

__all__ = ["bucket"]
pytestmark = [pytest.mark.django_db, pytest.mark.s3]
DISK = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _sha(storage: Any, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@pytest.fixture
def on_disk(
    biro_hp: Any,
    question: Callable[[str], Any],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> Iterator[dict[str, str]]:
    """The demo data on a local disk of its own (MEDIA_ROOT), plus bukti and one export:
    name -> SHA-256."""
    loaded = storages["default"]  # the session's storage (a bucket in CI's S3 leg)
    if not is_s3(loaded):
        loaded = FileSystemStorage(location=str(settings.MEDIA_ROOT))
    disk = FileSystemStorage(location=str(tmp_path))
    with override_settings(STORAGES=DISK, MEDIA_ROOT=tmp_path):
        for item in stored_files():  # the demo's signed PDF, wherever it was written
            if not disk.exists(item.name):
                with loaded.open(item.name, "rb") as handle:
                    assert disk.save(item.name, File(handle, name=item.name)) == item.name
        user = get_user_model().objects.get(username="tim.biro-hp")
        bukti_upload(
            penilaian=biro_hp,
            pertanyaan=question("A.I.1.i.a"),
            files=[pdf("sk.pdf"), png("foto.png"), xlsx("rekap.xlsx")],
            user=user,
        )
        big = random_bytes(9 * 1024 * 1024)  # above the 8 MiB multipart threshold
        bukti_upload(
            penilaian=biro_hp,
            pertanyaan=question("A.I.1.ii.a"),
            files=[pdf("besar.pdf", b"%PDF-1.4\n" + big + b"\n%%EOF\n")],
            user=user,
        )
        client = Client()
        client.force_login(get_user_model().objects.get(username="tpi.mk"))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/penilaian/{biro_hp.code}/ekspor/lke_xlsx/")
        assert ExportJob.objects.get().berkas
        files = {item.name: _sha(disk, item.name) for item in stored_files()}
        assert DokumenTertandatangan.objects.exists()
        assert Bukti.objects.filter(berkas__gt="").count() >= 4
        assert len(files) >= 6
        yield files


def test_the_demo_data_moves_with_every_hash_verified(
    on_disk: dict[str, str], bucket: Any, login: Callable[[str], Client]
) -> None:
    disk = FileSystemStorage(location=str(settings.MEDIA_ROOT))
    with default_storage_on(bucket.bucket_name):
        out = io.StringIO()
        call_command("storage_migrate", "--to", "s3", "-v", "2", stdout=out)
        text = out.getvalue()
        assert f"{len(on_disk)} berkas: {len(on_disk)} disalin" in text
        assert "0 bermasalah" in text and "AWS_STORAGE_BUCKET_NAME=" in text
        for name, sha in on_disk.items():
            assert _sha(bucket, name) == sha, name  # every object, the very same bytes
            assert disk.exists(name)  # nothing deleted without --delete-source
        for row in Bukti.objects.exclude(berkas=""):
            assert _sha(bucket, row.berkas.name) == row.sha256
        dokumen = DokumenTertandatangan.objects.get()
        assert _sha(bucket, dokumen.berkas.name) == dokumen.sha256
        with bucket.open(MARKER, "rb") as handle:
            marker = json.loads(handle.read())
        assert marker["berkas"] == len(on_disk) and marker["sha256"] == on_disk

        again = io.StringIO()
        call_command("storage_migrate", "--to", "s3", stdout=again)
        assert f"0 disalin (0,0 MB), {len(on_disk)} sudah ada" in again.getvalue()

        # The switch: the same rows now serve from the bucket through the rights-checked view.
        row = Bukti.objects.get(nama_asli="besar.pdf")
        response = login("tim.biro-hp").get(
            f"/penilaian/{row.penilaian.code}/bukti/{row.code}/?unduh=1"
        )
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert hashlib.sha256(body).hexdigest() == row.sha256
        assert response["Content-Length"] == str(row.ukuran)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "besar.pdf" in response["Content-Disposition"]

        call_command("storage_migrate", "--to", "s3", "--delete-source", stdout=io.StringIO())
        assert not any(disk.exists(name) for name in on_disk)
        final = io.StringIO()
        call_command("storage_migrate", "--to", "s3", stdout=final)  # disk empty: still fine
        assert f"{len(on_disk)} sudah ada" in final.getvalue()


def test_a_file_that_differs_from_its_row_stops_the_switch(
    on_disk: dict[str, str], bucket: Any
) -> None:
    disk = FileSystemStorage(location=str(settings.MEDIA_ROOT))
    row = Bukti.objects.exclude(berkas="").order_by("pk").first()
    assert row is not None
    disk.delete(row.berkas.name)
    disk.save(row.berkas.name, ContentFile(b"%PDF-rusak"))
    with default_storage_on(bucket.bucket_name):
        err = io.StringIO()
        with pytest.raises(CommandError, match="tanda migrasi tidak ditulis"):
            call_command(
                "storage_migrate", "--to", "s3", "--delete-source", stdout=io.StringIO(), stderr=err
            )
        assert row.berkas.name in err.getvalue() and "tidak cocok" in err.getvalue()
        assert not bucket.exists(MARKER) and not bucket.exists(row.berkas.name)
    assert all(disk.exists(name) for name in on_disk)  # --delete-source did nothing


def test_without_a_bucket_the_command_says_what_to_set() -> None:
    with override_settings(STORAGES=DISK), pytest.raises(CommandError, match="AWS_STORAGE"):
        call_command("storage_migrate", "--to", "s3")
