"""Issue 11 part 3: an export whose file cannot be written (full disk) leaves nothing
behind and is handed back for its retry; the retry, with space again, makes one file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from documents.exports import export_run
from documents.models import ExportJob
from tests.storage import FullAfter, files_under, tmpfs

pytestmark = pytest.mark.django_db


def _job(penilaian: Any) -> ExportJob:
    return ExportJob.objects.create(
        owner=get_user_model().objects.get(username="tim.biro-hp"),
        penilaian=penilaian,
        jenis="lke_xlsx",
        kedaluwarsa=timezone.now() + dt.timedelta(days=3),
    )


def test_an_export_failing_half_way_leaves_no_file_and_is_retried(
    biro_hp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(biro_hp)
    field = ExportJob._meta.get_field("berkas")
    full = FullAfter(settings.MEDIA_ROOT, 4096)
    monkeypatch.setattr(field, "storage", full)
    with pytest.raises(OSError, match="No space left"):
        export_run(str(job.pk))
    folder = Path(settings.MEDIA_ROOT) / "ekspor" / str(job.pk)
    assert full.failures == 1 and files_under(folder) == []
    job.refresh_from_db()
    assert (job.status, job.percobaan, job.berkas.name) == ("antre", "", "")
    monkeypatch.setattr(field, "storage", FullAfter(settings.MEDIA_ROOT, 10**9))
    export_run(str(job.pk))  # the task's retry, with space again
    job.refresh_from_db()
    assert job.status == "selesai"
    assert [p.name for p in files_under(folder)] == [job.nama_berkas]


def test_on_a_full_tmpfs_an_export_leaves_no_partial_file(biro_hp: Any) -> None:
    job = _job(biro_hp)
    with tmpfs("64k") as media, override_settings(MEDIA_ROOT=media):
        (media / "pengisi").write_bytes(b"\0" * 60_000)  # the disk is nearly full
        with pytest.raises(OSError):
            export_run(str(job.pk))
        assert [p.name for p in files_under(media)] == ["pengisi"]
        (media / "pengisi").unlink()
        export_run(str(job.pk))
        job.refresh_from_db()
        assert job.status == "selesai"
        assert [p.name for p in files_under(media)] == [job.nama_berkas]
