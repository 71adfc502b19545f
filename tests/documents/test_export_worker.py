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
from django.utils import timezone

from documents.models import ExportJob
from lke.models import Penilaian
from tests.conftest import require
from tests.workers import reachable, start_worker


def _worker(queue: str, redis_url: str) -> subprocess.Popen[str]:
    return start_worker(
        queue, redis_url, MEDIA_ROOT=str(settings.MEDIA_ROOT), CELERY_VISIBILITY_TIMEOUT="3"
    )


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
    folder = Path(job.berkas.path).parent
    assert [p.name for p in folder.iterdir()] == [job.nama_berkas]
    assert Path(job.berkas.path).read_bytes().startswith(b"%PDF")
