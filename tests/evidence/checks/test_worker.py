"""The checks of an uploaded bukti run in a real Celery worker, through Redis (CI)."""

from __future__ import annotations

import time
import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from evidence.models import TeksBukti, TemuanBukti
from evidence.services import bukti_upload
from lke.models import Penilaian, Pertanyaan
from tests.conftest import require
from tests.evidence.checks.helpers import text_pdf
from tests.workers import reachable, start_worker

SK_2019 = (
    "SURAT KEPUTUSAN KEPALA BIRO HUMAS DAN PROTOKOL\n"
    "Tentang Tim Kerja Pembangunan Zona Integritas\n"
    "Jakarta, 28 Juni 2019\nKepala Biro"
)


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_the_worker_finds_the_date_of_a_2019_pdf_under_a_2022_question(
    committed_demo: None,
) -> None:
    redis_url = settings.ZI_TEST_REDIS_URL
    require(bool(redis_url) and reachable(redis_url), "Redis (REDIS_URL)")
    penilaian = Penilaian.objects.get(unit__slug="biro-hp", tahun=2022)
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    upload = SimpleUploadedFile("sk-tim-2019.pdf", text_pdf(SK_2019), "application/pdf")
    # Nothing runs in-process here: the worker alone reads the file.
    with override_settings(ZI_BUKTI_CHECKS=False):
        (bukti,) = bukti_upload(
            penilaian=penilaian,
            pertanyaan=q,
            files=[upload],
            user=get_user_model().objects.get(username="tim.biro-hp"),
        )
    assert not TeksBukti.objects.filter(bukti=bukti).exists()

    queue = f"zi-test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, redis_url, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    try:
        Celery(broker=redis_url, backend=redis_url, set_as_current=False).send_task(
            "evidence.bukti_periksa", args=[bukti.pk], queue=queue
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if TemuanBukti.objects.filter(bukti=bukti, jenis="tanggal").exists():
                break
            assert worker.poll() is None, "the worker stopped"
            time.sleep(0.2)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    date = TemuanBukti.objects.filter(bukti=bukti, jenis="tanggal").first()
    assert date is not None, output
    assert date.status == "gagal" and "28 Juni 2019" in date.alasan
    assert date.halaman == 1
    assert TeksBukti.objects.get(bukti=bukti).status == "terbaca"
