from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents.exports import export_run, exports_prune
from documents.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_hooks(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on_commit callbacks (the task dispatch) as a real commit would."""
    global _CAPTURE
    _CAPTURE = django_capture_on_commit_callbacks
    return _CAPTURE


_CAPTURE: Any = None


def _start(client: Client, p: Any, jenis: str = "lke_xlsx", **data: str) -> Any:
    with _CAPTURE(execute=True):
        return client.post(f"/penilaian/{p.code}/ekspor/{jenis}/", data)


def test_an_export_runs_and_downloads_through_a_checked_view(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    response = _start(client, biro_hp, oleh="mandiri")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ekspor/{job.pk}/"
    assert (job.status, job.progress, job.params) == ("selesai", 100, {"by": "mandiri"})
    page = client.get(f"/ekspor/{job.pk}/").content.decode()
    assert 'data-status="selesai"' in page and f"/ekspor/{job.pk}/unduh/" in page
    download = client.get(f"/ekspor/{job.pk}/unduh/")
    assert (
        download["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]


def test_the_waiting_page_polls_until_done(login: Callable[[str], Client], biro_hp: Any) -> None:
    from django.contrib.auth import get_user_model

    job = ExportJob.objects.create(
        owner=get_user_model().objects.get(username="tim.biro-hp"),
        penilaian=biro_hp,
        jenis="lke_xlsx",
        kedaluwarsa=timezone.now() + dt.timedelta(days=3),
        status="proses",
        progress=40,
    )
    html = login("tim.biro-hp").get(f"/ekspor/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "40%" in html
    assert login("tim.biro-hp").get(f"/ekspor/{job.pk}/unduh/").status_code == 404


def test_a_job_belongs_to_its_owner(login: Callable[[str], Client], biro_hp: Any) -> None:
    _start(login("tim.biro-hp"), biro_hp)
    job = ExportJob.objects.get()
    for user in ("pimpinan.biro-hp", "tim.pusat-tik"):
        assert login(user).get(f"/ekspor/{job.pk}/unduh/").status_code == 404
        assert login(user).get(f"/ekspor/{job.pk}/").status_code == 404


def test_outsiders_cannot_start_and_get_rejects(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    assert _start(login("tim.pusat-tik"), biro_hp).status_code == 404
    assert (
        login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/ekspor/lke_xlsx/").status_code == 405
    )
    assert _start(login("tim.biro-hp"), biro_hp, jenis="tidak-ada").status_code == 404
    assert not ExportJob.objects.exists()


def test_a_known_failure_is_shown_to_the_user(login: Callable[[str], Client]) -> None:
    from lke.models import Penilaian

    bkkbn = Penilaian.objects.get(unit__slug="bkkbn-sumsel")  # no rencana kerja text in seed 004
    client = login("tim.bkkbn-sumsel")
    _start(client, bkkbn, jenis="rencana_kerja_pdf")
    job = ExportJob.objects.get()
    assert job.status == "gagal"
    assert "belum memiliki teks rencana kerja" in client.get(f"/ekspor/{job.pk}/").content.decode()


def test_running_a_job_again_keeps_one_file(login: Callable[[str], Client], biro_hp: Any) -> None:
    _start(login("tim.biro-hp"), biro_hp)
    job = ExportJob.objects.get()
    first = job.berkas.name
    # As if the worker died after writing: its heartbeat stopped a while ago.
    ExportJob.objects.filter(pk=job.pk).update(
        status="proses", detak=timezone.now() - dt.timedelta(minutes=5)
    )
    again = export_run(str(job.pk))
    assert again is not None and again.status == "selesai" and again.berkas.name != first
    job = again
    folder = Path(settings.MEDIA_ROOT) / "ekspor" / str(job.pk)
    assert [p.name for p in folder.rglob("*") if p.is_file()] == [job.nama_berkas]


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_queue_creates_nothing(
    committed_demo: None, login: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from documents import tasks
    from lke.models import Penilaian

    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")

    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_task, "apply_async", down)
    client = login("tim.biro-hp")
    response = client.post(
        f"/penilaian/{biro_hp.code}/ekspor/lke_xlsx/"
    )  # autocommit: dispatch now
    assert response.status_code == 302 and response["Location"] == f"/penilaian/{biro_hp.code}/"
    assert (
        "Antrean tugas sedang tidak tersedia" in client.get(response["Location"]).content.decode()
    )
    assert not ExportJob.objects.exists()


def test_expired_exports_are_removed_with_their_files(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    _start(login("tim.biro-hp"), biro_hp)
    job = ExportJob.objects.get()
    path = Path(job.berkas.path)
    assert exports_prune() == 0 and path.exists()
    assert exports_prune(now=timezone.now() + dt.timedelta(days=4)) == 1
    assert not path.exists() and not ExportJob.objects.exists()
