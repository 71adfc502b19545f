"""Issue 11 part 1: approval and signing as one recoverable process.

An approval is *disetujui, menunggu tanda tangan* until its signed document exists;
failures that may pass are retried with backoff, ones that will not (an unreadable
certificate) stop as *penandatanganan gagal* with the reason and a *coba lagi* action; a
sweep queues approvals left waiting; an older signed PDF is never shown as current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from documents import rencana_kerja as services_rencana_kerja
from documents.models import DokumenTertandatangan
from documents.rencana_kerja import rencana_kerja_sign_sweep
from documents.signing import verify_pdf
from documents.tasks import sign_rencana_kerja_task
from evidence.models import RencanaKerja, StatusPersetujuan, StatusTandaTangan
from lke.models import Penilaian
from units.models import Notifikasi

pytestmark = pytest.mark.django_db


def _url(p: Any) -> str:
    return f"/penilaian/{p.code}/rencana-kerja/"


@pytest.fixture
def tik(signing_certificate: Any) -> Penilaian:
    penilaian = Penilaian.objects.get(unit__slug="pusat-tik")
    RencanaKerja.objects.filter(penilaian=penilaian).update(status=StatusPersetujuan.DIAJUKAN)
    return penilaian


def _approve(client: Client, penilaian: Penilaian, capture: Any) -> RencanaKerja:
    with capture(execute=True):
        assert client.post(_url(penilaian), {"aksi": "setujui"}).status_code == 302
    return RencanaKerja.objects.get(penilaian=penilaian)


def test_a_wrong_passphrase_stops_as_gagal_then_coba_lagi_signs_it(
    login: Callable[[str], Client], tik: Penilaian, django_capture_on_commit_callbacks: Any
) -> None:
    pimpinan, admin = login("pimpinan.pusat-tik"), login("admin")
    with override_settings(ZI_SIGNING_P12_PASSPHRASE="salah"):
        rk = _approve(pimpinan, tik, django_capture_on_commit_callbacks)
    assert rk.status == StatusPersetujuan.DISETUJUI
    assert rk.status_tanda_tangan == StatusTandaTangan.GAGAL
    assert "frasa sandi" in rk.galat_tanda_tangan
    assert not rk.dokumen.exists()
    for client, username in ((pimpinan, "pimpinan.pusat-tik"), (admin, "admin")):
        page = client.get(_url(tik)).content.decode()
        assert 'data-tanda-tangan="gagal"' in page and "Penandatanganan gagal" in page
        assert "frasa sandi" in page and "data-tandatangani-ulang" in page
        assert Notifikasi.objects.filter(user__username=username, pesan__contains="gagal").exists()
    # Fixed (the right passphrase is configured again): coba lagi signs it.
    with django_capture_on_commit_callbacks(execute=True):
        assert pimpinan.post(_url(tik), {"aksi": "tandatangani"}).status_code == 302
    rk.refresh_from_db()
    assert rk.status_tanda_tangan == StatusTandaTangan.SELESAI and rk.galat_tanda_tangan == ""
    dokumen = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    assert verify_pdf(dokumen.berkas.read()).valid
    page = pimpinan.get(_url(tik)).content.decode()
    assert "data-dokumen-terkini" in page and f"/verifikasi/{dokumen.code}/" in page
    assert "data-tandatangani-ulang" not in page


def _fail_render_once(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    from documents.pdf import rencana_kerja_pdf as real

    def render(*args: Any, **kwargs: Any) -> bytes:
        calls.append("render")
        if len(calls) == 1:
            raise RuntimeError("WeasyPrint: gagal merender (sementara)")
        return real(*args, **kwargs)

    monkeypatch.setattr(services_rencana_kerja, "rencana_kerja_pdf", render)


def _fail_storage_once(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    storage = DokumenTertandatangan._meta.get_field("berkas").storage
    real = storage.save

    def save(*args: Any, **kwargs: Any) -> str:
        calls.append("save")
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(storage, "save", save)


@pytest.mark.parametrize("failure", [_fail_render_once, _fail_storage_once])
def test_a_failure_that_may_pass_is_retried_and_then_signs(
    tik: Penilaian, monkeypatch: pytest.MonkeyPatch, failure: Callable[..., None]
) -> None:
    rk = RencanaKerja.objects.get(penilaian=tik)
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status=StatusPersetujuan.DISETUJUI,
        status_tanda_tangan=StatusTandaTangan.MENUNGGU,
        disetujui_oleh=rk.penilaian.unit.keanggotaan.get(peran="pimpinan").user,
        disetujui_pada=timezone.now(),
    )
    calls: list[str] = []
    failure(monkeypatch, calls)
    retries: list[Any] = []
    real_retry = sign_rencana_kerja_task.retry

    def spy_retry(*args: Any, **kwargs: Any) -> Any:
        retries.append(kwargs.get("countdown"))
        return real_retry(*args, **kwargs)

    monkeypatch.setattr(sign_rencana_kerja_task, "retry", spy_retry)
    # In-process, without propagation, Celery runs the scheduled retry at once.
    result = sign_rencana_kerja_task.apply(args=(rk.pk,), throw=False)
    assert len(calls) == 2 and len(retries) == 1 and retries[0] and retries[0] > 0  # backoff
    rk.refresh_from_db()
    assert rk.status_tanda_tangan == StatusTandaTangan.SELESAI
    dokumen = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    assert result.get() == str(dokumen.code)


def test_the_sweep_queues_an_approval_left_without_its_document(tik: Penilaian) -> None:
    rk = RencanaKerja.objects.get(penilaian=tik)
    long_ago = timezone.now() - dt.timedelta(minutes=settings.ZI_SIGN_SWEEP_MINUTES + 1)
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status=StatusPersetujuan.DISETUJUI,
        status_tanda_tangan=StatusTandaTangan.MENUNGGU,
        disetujui_oleh=rk.penilaian.unit.keanggotaan.get(peran="pimpinan").user,
        disetujui_pada=long_ago,
        updated_at=long_ago,
    )
    assert not rk.dokumen.exists()
    assert rencana_kerja_sign_sweep() == 1
    rk.refresh_from_db()
    assert rk.status_tanda_tangan == StatusTandaTangan.SELESAI
    assert DokumenTertandatangan.objects.filter(rencana_kerja=rk, aktif=True).count() == 1
    assert rencana_kerja_sign_sweep() == 0  # nothing left waiting
    assert "sign-sweep" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["sign-sweep"]["task"] == "documents.sign_sweep"


def test_the_sweep_leaves_fresh_and_failed_approvals_alone(tik: Penilaian) -> None:
    rk = RencanaKerja.objects.get(penilaian=tik)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status=StatusPersetujuan.DISETUJUI,
        status_tanda_tangan=StatusTandaTangan.GAGAL,
        updated_at=long_ago,
    )
    assert rencana_kerja_sign_sweep() == 0
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status_tanda_tangan=StatusTandaTangan.MENUNGGU, updated_at=timezone.now()
    )
    assert rencana_kerja_sign_sweep() == 0


def test_an_older_signed_pdf_is_never_shown_as_the_current_one(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    rk = RencanaKerja.objects.get(penilaian=biro_hp)
    old = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    client = login("pimpinan.biro-hp")
    page = client.get(_url(biro_hp)).content.decode()
    current = page.split("data-dokumen-terkini", 1)[1].split("</ul>", 1)[0]
    assert str(old.code) in current
    # A new approval waiting for its signature: the earlier PDF is an older version.
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status_tanda_tangan=StatusTandaTangan.MENUNGGU, disetujui_pada=timezone.now()
    )
    page = client.get(_url(biro_hp)).content.decode()
    assert 'data-tanda-tangan="menunggu"' in page and "menunggu tanda tangan" in page
    assert "data-dokumen-unduh" not in page
    older = page.split("data-dokumen-lama", 1)[1].split("</ul>", 1)[0]
    assert str(old.code) in older and "versi lama" in older
    # Changed after the approval: still no current signed document.
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status=StatusPersetujuan.PERLU_ULANG, status_tanda_tangan=StatusTandaTangan.BELUM
    )
    page = client.get(_url(biro_hp)).content.decode()
    assert "data-dokumen-unduh" not in page and str(old.code) in page.split("data-dokumen-lama")[1]


def test_the_sweep_command_queues_what_waits(tik: Penilaian) -> None:
    from io import StringIO

    from django.core.management import call_command

    rk = RencanaKerja.objects.get(penilaian=tik)
    RencanaKerja.objects.filter(pk=rk.pk).update(
        status=StatusPersetujuan.DISETUJUI,
        status_tanda_tangan=StatusTandaTangan.MENUNGGU,
        disetujui_oleh=rk.penilaian.unit.keanggotaan.get(peran="pimpinan").user,
        disetujui_pada=timezone.now(),
    )
    out = StringIO()
    call_command("rencana_kerja_sign_sweep", "--semua", stdout=out)
    assert "1 penandatanganan diantrekan kembali" in out.getvalue()
    rk.refresh_from_db()
    assert rk.status_tanda_tangan == StatusTandaTangan.SELESAI
