"""A worker killed in the middle of an export: the job is redelivered and completes."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from documents import exports
from documents.exports import exports_requeue_stale
from documents.models import ExportJob
from lke.models import Penilaian
from tests.conftest import require
from tests.workers import reachable, start_worker

# Short heartbeat timings, the same in this process (the sweep) and in the workers.
BEAT = {"ZI_EXPORT_HEARTBEAT_SECONDS": "1", "ZI_EXPORT_STALE_SECONDS": "3"}


def _worker(queue: str, redis_url: str, visibility: str = "3") -> subprocess.Popen[str]:
    return start_worker(
        queue,
        redis_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        CELERY_VISIBILITY_TIMEOUT=visibility,
        **BEAT,
    )


def _files(job: ExportJob) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "ekspor" / str(job.pk)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _wait_for(job: ExportJob, statuses: set[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job.status
        time.sleep(0.05)
    return job.status


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_the_job_to_be_retried_and_completed(committed_demo: None) -> None:
    redis_url = settings.ZI_TEST_REDIS_URL
    require(bool(redis_url) and reachable(redis_url), "Redis (REDIS_URL)")
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    job = ExportJob.objects.create(
        owner=get_user_model().objects.get(username="tim.biro-hp"),
        penilaian=penilaian,
        jenis="rencana_kerja_pdf",
        kedaluwarsa=timezone.now() + dt.timedelta(days=3),
    )
    queue = f"zi-test-{uuid.uuid4().hex[:8]}"
    first = _worker(queue, redis_url)
    Celery(broker=redis_url, backend=redis_url, set_as_current=False).send_task(
        "documents.export", args=[str(job.pk)], queue=queue
    )
    try:
        assert _wait_for(job, {"proses", "selesai"}, 60) == "proses", first.stdout
        first.send_signal(signal.SIGKILL)  # mid-render: the message stays unacknowledged
        first.wait(timeout=30)
        job.refresh_from_db()
        assert job.status == "proses" and not job.berkas
        second = _worker(queue, redis_url)
        try:
            assert _wait_for(job, {"selesai", "gagal"}, 90) == "selesai"
        finally:
            second.terminate()
            second.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert _files(job) == [Path(job.berkas.path)]
    assert Path(job.berkas.path).read_bytes().startswith(b"%PDF")


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_requeues_the_job_of_a_killed_worker_long_before_the_visibility_timeout(
    committed_demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11 part 4: the worker is SIGKILLed mid-render; its message would come back
    only after the visibility timeout (20 min here), but the heartbeat stops, the sweep
    re-queues the job, another worker completes it, and there is one file."""
    redis_url = settings.ZI_TEST_REDIS_URL
    require(bool(redis_url) and reachable(redis_url), "Redis (REDIS_URL)")
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    job = ExportJob.objects.create(
        owner=get_user_model().objects.get(username="tim.biro-hp"),
        penilaian=penilaian,
        jenis="rencana_kerja_pdf",
        kedaluwarsa=timezone.now() + dt.timedelta(days=3),
    )
    queue = f"zi-test-{uuid.uuid4().hex[:8]}"
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    # The sweep's message goes to this test's queue, through the real broker.
    monkeypatch.setattr(
        exports,
        "enqueue",
        lambda task, *args: client.send_task(task.name, args=list(args), queue=queue),
    )
    first = _worker(queue, redis_url, visibility="1200")
    client.send_task("documents.export", args=[str(job.pk)], queue=queue)
    second = None
    try:
        assert _wait_for(job, {"proses", "selesai"}, 60) == "proses", first.stdout
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        killed = time.monotonic()
        second = _worker(queue, redis_url, visibility="1200")
        with override_settings(ZI_EXPORT_STALE_SECONDS=int(BEAT["ZI_EXPORT_STALE_SECONDS"])):
            assert exports_requeue_stale() == []  # the heartbeat is still fresh
            requeued: list[str] = []
            while not requeued and time.monotonic() - killed < 30:
                time.sleep(0.5)
                requeued = exports_requeue_stale()
        assert requeued == [str(job.pk)]
        assert _wait_for(job, {"selesai", "gagal"}, 90) == "selesai"
        assert time.monotonic() - killed < 120
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.communicate(timeout=30)
    assert _files(job) == [Path(job.berkas.path)]
    assert Path(job.berkas.path).read_bytes().startswith(b"%PDF")
