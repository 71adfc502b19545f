"""Issue 11 part 2: a broker (and result store) that is down, on a real closed port.

Celery talks to redis://127.0.0.1:1 with the Redis transport (not memory://) and the
project's timeouts: every enqueue answers within 2 s with AntreanTidakTersedia, leaves
no row, and pages that do not enqueue never touch the broker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis.connection
from django.contrib.auth import get_user_model
from django.test import Client

from documents.exports import export_start
from documents.models import ExportJob
from evidence.models import RencanaKerja, StatusPersetujuan, StatusTandaTangan
from lke.models import Penilaian
from zi_portal.celery import app
from zi_portal.lib.antrean import AntreanTidakTersedia, enqueue
from zi_portal.tasks import worker_health

CLOSED = "redis://127.0.0.1:1/0"


def _reset_connections() -> None:
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app._backend_cache = None
    app._local.backend = None


@pytest.fixture
def queue_down() -> Iterator[None]:
    """The project's Celery app, not eager, pointed at a port where nothing listens."""
    changed = {"broker_url": CLOSED, "result_backend": CLOSED, "task_always_eager": False}
    saved = {key: app.conf[key] for key in changed}
    app.conf.update(changed)
    _reset_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_connections()


@pytest.fixture
def broker_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to open a Redis connection."""
    calls: list[str] = []
    connect: Any = redis.connection.AbstractConnection.connect

    def spy(self: Any) -> None:
        calls.append(f"{getattr(self, 'host', '?')}:{getattr(self, 'port', '?')}")
        connect(self)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", spy)
    return calls


@pytest.mark.django_db(transaction=True)
def test_export_start_fails_fast_and_leaves_no_job(
    committed_demo: None, queue_down: None, broker_calls: list[str]
) -> None:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    user = get_user_model().objects.get(username="tim.biro-hp")
    started = time.monotonic()
    with pytest.raises(AntreanTidakTersedia, match="Antrean tugas sedang tidak tersedia"):
        export_start(user=user, penilaian=penilaian, jenis="lke_xlsx", params={})
    assert time.monotonic() - started < 2
    assert broker_calls  # it really went to the (closed) broker
    assert not ExportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_with_a_result_fails_fast_on_the_result_store(
    committed_demo: None, queue_down: None
) -> None:
    # worker_health keeps its result: the result store is asked first (Celery's default
    # retry policy made this a RuntimeError after 19 s).
    started = time.monotonic()
    with pytest.raises(AntreanTidakTersedia):
        enqueue(worker_health)
    assert time.monotonic() - started < 2


@pytest.mark.django_db(transaction=True)
def test_the_export_page_answers_a_clear_message_and_home_never_waits(
    committed_demo: None,
    queue_down: None,
    broker_calls: list[str],
    login: Callable[[str], Client],
) -> None:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    client = login("tim.biro-hp")
    for _ in range(2):
        response = client.post(f"/penilaian/{penilaian.code}/ekspor/lke_xlsx/")
        assert response.status_code == 302
        assert response["Location"] == f"/penilaian/{penilaian.code}/"
    assert not ExportJob.objects.exists()
    broker_calls.clear()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Antrean tugas sedang tidak tersedia" in page.content.decode()
    assert client.get("/").status_code == 200
    assert broker_calls == []  # pages that do not enqueue never touch the broker


@pytest.mark.django_db(transaction=True)
def test_an_approval_stands_and_offers_to_queue_the_signing_again(
    committed_demo: None, queue_down: None, login: Callable[[str], Client]
) -> None:
    penilaian = Penilaian.objects.get(unit__slug="pusat-tik")
    rk = RencanaKerja.objects.get(penilaian=penilaian)
    RencanaKerja.objects.filter(pk=rk.pk).update(status=StatusPersetujuan.DIAJUKAN)
    client = login("pimpinan.pusat-tik")
    url = f"/penilaian/{penilaian.code}/rencana-kerja/"
    response = client.post(url, {"aksi": "setujui"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "penandatanganan belum dapat diantrekan" in page
    assert "data-tandatangani-ulang" in page
    rk.refresh_from_db()
    assert rk.status == StatusPersetujuan.DISETUJUI
    # Recorded as waiting for its signature (the sweep queues it once the queue is back),
    # and no earlier PDF is offered as the current one.
    assert rk.status_tanda_tangan == StatusTandaTangan.MENUNGGU
    assert 'data-tanda-tangan="menunggu"' in page and "data-dokumen-unduh" not in page
    again = client.post(url, {"aksi": "tandatangani"})
    assert again.status_code == 302
    assert "penandatanganan belum dapat diantrekan" in client.get(url).content.decode()
