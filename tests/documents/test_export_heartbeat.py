"""Issue 11 part 4: a running export beats on its row; a sweep re-queues a job whose
heartbeat stopped (a dead worker) whatever the visibility timeout, and the job still ends
with exactly one file, even when the presumed-dead run wakes up and finishes too."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from documents import exports
from documents.exports import Exporter, export_run, exports_requeue_stale
from documents.models import ExportJob
from documents.tasks import export_task
from lke.models import Penilaian
from zi_portal.lib.antrean import AntreanTidakTersedia

pytestmark = pytest.mark.django_db


def _job(penilaian: Any, **fields: Any) -> ExportJob:
    return ExportJob.objects.create(
        owner=get_user_model().objects.get(username="tim.biro-hp"),
        penilaian=penilaian,
        jenis="lke_xlsx",
        kedaluwarsa=timezone.now() + dt.timedelta(days=3),
        **fields,
    )


def _files(job: ExportJob) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "ekspor" / str(job.pk)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _ago(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def test_a_job_of_a_dead_worker_is_requeued_by_the_sweep_and_completes_once(
    biro_hp: Any,
) -> None:
    dead = _job(biro_hp, status="proses", progress=10, percobaan="mati", detak=_ago(90))
    alive = _job(biro_hp, status="proses", progress=10, percobaan="hidup", detak=_ago(5))
    assert exports_requeue_stale() == [str(dead.pk)]  # eager queue: it runs right away
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "selesai" and dead.percobaan not in ("", "mati")
    assert [p.name for p in _files(dead)] == [dead.nama_berkas]
    assert (alive.status, alive.percobaan, _files(alive)) == ("proses", "hidup", [])
    assert exports_requeue_stale() == []  # done: nothing to re-queue twice


def test_a_queued_job_whose_message_was_lost_is_requeued(biro_hp: Any) -> None:
    lost = _job(biro_hp)
    waiting = _job(biro_hp)
    ExportJob.objects.filter(pk=lost.pk).update(
        dibuat_pada=_ago(settings.ZI_EXPORT_QUEUED_STALE_SECONDS + 10)
    )
    assert exports_requeue_stale() == [str(lost.pk)]
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, waiting.status) == ("selesai", "antre")


def test_the_sweep_puts_the_job_back_when_the_queue_is_down(
    biro_hp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = _job(biro_hp, status="proses", progress=10, percobaan="mati", detak=_ago(90))

    def down(task: Any, *args: Any) -> None:
        raise AntreanTidakTersedia("Connection refused")

    monkeypatch.setattr(exports, "enqueue", down)
    assert exports_requeue_stale() == []
    dead.refresh_from_db()
    assert (dead.status, dead.percobaan) == ("proses", "mati")
    assert dead.detak is not None and dead.detak < _ago(80)


def test_a_run_that_wakes_up_after_losing_its_claim_leaves_one_file(
    biro_hp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run stalls (a frozen worker) while the sweep gives its job to a second
    run, which finishes; the first then wakes and tries to finish as well."""
    job = _job(biro_hp)
    real = exports.EXPORTERS["lke_xlsx"]
    calls: list[str] = []

    def stalling(penilaian: Penilaian, params: dict[str, Any], progress: Any) -> Any:
        calls.append("render")
        if len(calls) == 1:  # the first run: its heartbeat stops, another run takes over
            ExportJob.objects.filter(pk=job.pk).update(detak=_ago(120))
            assert exports_requeue_stale() == [str(job.pk)]
            # ...and it wakes up, never calling progress again before finishing
        assert real.render is not None
        return real.render(penilaian, params, lambda value: None)

    monkeypatch.setitem(
        exports.EXPORTERS, "lke_xlsx", Exporter("lke_xlsx", real.permission, stalling)
    )
    export_run(str(job.pk))
    job.refresh_from_db()
    assert calls == ["render", "render"] and job.status == "selesai"
    assert [p.name for p in _files(job)] == [job.nama_berkas]
    assert Path(job.berkas.path) == _files(job)[0]


def test_a_run_that_lost_its_claim_stops_at_its_next_progress(
    biro_hp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(biro_hp)
    real = exports.EXPORTERS["lke_xlsx"]

    def taken_over(penilaian: Penilaian, params: dict[str, Any], progress: Any) -> Any:
        ExportJob.objects.filter(pk=job.pk).update(status="antre", percobaan="", detak=None)
        ExportJob.objects.filter(pk=job.pk).update(status="proses", percobaan="lain")
        progress(50)  # raises: this run no longer owns the job
        raise AssertionError("not reached")

    monkeypatch.setitem(
        exports.EXPORTERS, "lke_xlsx", Exporter("lke_xlsx", real.permission, taken_over)
    )
    export_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.percobaan, _files(job)) == ("proses", "lain", [])


def test_a_duplicate_message_for_a_live_run_makes_no_second_file(
    biro_hp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(biro_hp, status="proses", progress=40, percobaan="hidup", detak=_ago(1))
    # Redelivered while the owner is alive: it looks again later (eagerly: at once, a
    # bounded number of times), touching nothing.
    monkeypatch.setitem(export_task.app.conf, "task_eager_propagates", False)
    result = export_task.apply(args=[str(job.pk)])
    assert (result.state, result.result) == ("SUCCESS", None)
    job.refresh_from_db()
    assert (job.status, job.percobaan, job.progress, _files(job)) == ("proses", "hidup", 40, [])
    finished = _job(biro_hp)
    export_run(str(finished.pk))
    finished.refresh_from_db()
    name = finished.berkas.name
    export_task.apply(args=[str(finished.pk)])  # a second finish of a finished job
    finished.refresh_from_db()
    assert finished.berkas.name == name and len(_files(finished)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_long_silent_render_keeps_beating_and_is_not_requeued(
    committed_demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render that calls no progress for longer than the stale time keeps its claim:
    the heartbeat thread beats for it."""
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    job = _job(biro_hp)
    real = exports.EXPORTERS["lke_xlsx"]
    seen: list[list[str]] = []

    def slow(penilaian: Penilaian, params: dict[str, Any], progress: Any) -> Any:
        time.sleep(3.5)  # silent for longer than ZI_EXPORT_STALE_SECONDS
        seen.append(exports_requeue_stale())
        assert real.render is not None
        return real.render(penilaian, params, progress)

    monkeypatch.setitem(exports.EXPORTERS, "lke_xlsx", Exporter("lke_xlsx", real.permission, slow))
    with override_settings(ZI_EXPORT_HEARTBEAT_SECONDS=1, ZI_EXPORT_STALE_SECONDS=2):
        export_run(str(job.pk))
    job.refresh_from_db()
    assert seen == [[]] and job.status == "selesai"
    assert [p.name for p in _files(job)] == [job.nama_berkas]
