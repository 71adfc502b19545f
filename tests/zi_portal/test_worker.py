"""A task travels through the real Redis broker to a real worker process and back."""

from __future__ import annotations

import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from lke.models import Penilaian
from tests.conftest import require
from tests.workers import reachable, start_worker


@pytest.mark.broker
@pytest.mark.django_db
def test_it_runs_a_task_on_a_real_worker_through_redis() -> None:
    redis_url = settings.ZI_TEST_REDIS_URL
    require(bool(redis_url), "Redis (REDIS_URL)")
    require(reachable(redis_url), f"Redis di {redis_url}")
    queue = f"zi-test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, redis_url)
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    try:
        result = client.send_task("zi_portal.worker_health", queue=queue).get(timeout=90)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert result["pid"] == worker.pid, output
    assert result["database"] == connection.vendor
    assert result["penilaian"] == Penilaian.objects.count() == 4
