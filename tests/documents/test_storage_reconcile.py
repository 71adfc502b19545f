"""Issue 11 part 3: the reconciliation reports files without a row and rows without a
file, and removes orphan files older than the configured age (storage API only)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from documents.storage_reconcile import FOLDERS, file_fields, storage_reconcile
from evidence.services import bukti_upload
from tests.evidence.files import pdf
from zi_portal.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(biro_hp: Any, question: Any) -> dict[str, str]:
    user = get_user_model().objects.get(username="tim.biro-hp")
    kept, lost = bukti_upload(
        penilaian=biro_hp,
        pertanyaan=question("A.I.1.i.a"),
        files=[pdf("simpan.pdf"), pdf("hilang.pdf")],
        user=user,
    )
    default_storage.delete(lost.berkas.name)  # a row whose file is gone
    orphan = default_storage.save(f"bukti/{biro_hp.code}/yatim.pdf", ContentFile(b"%PDF-"))
    stray = default_storage.save("ekspor/tanpa-baris/x/a.xlsx", ContentFile(b"PK"))
    return {"kept": kept.berkas.name, "lost": lost.berkas.name, "orphan": orphan, "stray": stray}


def test_it_reports_both_ways_and_deletes_nothing_by_default(world: dict[str, str]) -> None:
    result = storage_reconcile(now=timezone.now() + dt.timedelta(days=30))
    assert {world["orphan"], world["stray"]} <= set(result.orphans)
    assert world["kept"] not in result.orphans
    assert [m[2] for m in result.missing] == [world["lost"]]
    assert result.removed == []
    assert default_storage.exists(world["orphan"])


def test_only_orphans_older_than_the_age_are_removed(world: dict[str, str]) -> None:
    young = storage_reconcile(delete_orphans=True)  # written just now: maybe in flight
    assert young.removed == [] and default_storage.exists(world["orphan"])
    later = timezone.now() + dt.timedelta(hours=settings.ZI_ORPHAN_MAX_AGE_HOURS + 1)
    old = storage_reconcile(delete_orphans=True, now=later)
    assert {world["orphan"], world["stray"]} <= set(old.removed)
    assert not default_storage.exists(world["orphan"])
    assert not default_storage.exists(world["stray"])
    assert default_storage.exists(world["kept"])  # referenced files always stay
    assert storage_reconcile(now=later).orphans == []


def test_the_command_reports_and_deletes_with_an_explicit_age(world: dict[str, str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("storage_reconcile", stdout=out, stderr=err)
    text = out.getvalue()
    assert f"yatim\t{world['orphan']}" in text and f"\t{world['lost']}" in text
    assert "baris tanpa berkas" in text and "hilang" in err.getvalue()
    out = io.StringIO()
    call_command("storage_reconcile", "--delete-orphans", "--older-than", "0", stdout=out)
    assert f"dihapus\t{world['orphan']}" in out.getvalue()
    assert not default_storage.exists(world["orphan"])


def test_beat_runs_the_sweeps() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    by_task = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert by_task["documents.storage_reconcile"] == settings.ZI_STORAGE_RECONCILE_SECONDS
    assert float(by_task["documents.requeue_stale_exports"]) <= 60  # type: ignore[arg-type]
    app.loader.import_default_modules()
    assert set(by_task) <= set(app.tasks)


def test_every_file_field_has_its_folder() -> None:
    assert {f"{model._meta.label}.{f.name}" for model, f in file_fields()} == set(FOLDERS)
