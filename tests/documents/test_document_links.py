"""Links in documents follow ZI_PUBLIC_BASE_URL, or in development the served address.

A document started while the portal is served on port 8123 must never point at port
8000 (zi_portal.lib.urls.public_base_url, ExportJob.alamat_publik).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from documents.models import DokumenTertandatangan, ExportJob
from evidence.models import RencanaKerja
from evidence.services import bukti_upload
from tests.evidence.files import pdf
from zi_portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SERVED = "http://127.0.0.1:8123"


@pytest.fixture
def development(settings: Any) -> Any:
    """Development without ZI_PUBLIC_BASE_URL set: the default is port 8000."""
    settings.ZI_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.ZI_PUBLIC_BASE_URL_FROM_REQUEST = True
    return settings


def served_on_8123(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1:8123")
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def pdf_links(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as doc:
        return [
            str(annot.A.URI)
            for page in doc.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]


def _dossier(client: Client, penilaian: Any, capture: Any) -> tuple[ExportJob, bytes]:
    with capture(execute=True):
        client.post(f"/penilaian/{penilaian.code}/ekspor/berkas_bukti_zip/")
    job = ExportJob.objects.get()
    body = b"".join(client.get(f"/ekspor/{job.pk}/unduh/").streaming_content)  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(body))
    return job, archive.read("berkas-bukti-biro-hp-2022/Indeks bukti.pdf")


def test_in_development_a_document_follows_the_address_it_was_started_at(
    development: Any, biro_hp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job, index = _dossier(
        served_on_8123("tim.biro-hp"), biro_hp, django_capture_on_commit_callbacks
    )
    assert job.alamat_publik == SERVED
    assert pdf_links(index) == [f"{SERVED}/penilaian/{biro_hp.code}/"]  # the footer


def test_a_set_public_address_is_used_as_is(
    settings: Any, biro_hp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ZI_PUBLIC_BASE_URL = "https://zi.example.go.id"
    settings.ZI_PUBLIC_BASE_URL_FROM_REQUEST = False
    _job, index = _dossier(
        served_on_8123("tim.biro-hp"), biro_hp, django_capture_on_commit_callbacks
    )
    assert pdf_links(index) == [f"https://zi.example.go.id/penilaian/{biro_hp.code}/"]


def test_the_lke_workbook_links_its_evidence_at_the_served_address(
    development: Any,
    biro_hp: Any,
    question: Callable[[str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    (bukti,) = bukti_upload(
        penilaian=biro_hp, pertanyaan=question("A.I.1.i.a"), files=[pdf()], user=tim
    )
    client = served_on_8123("tim.biro-hp")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/penilaian/{biro_hp.code}/ekspor/lke_xlsx/", {"oleh": "mandiri"})
    job = ExportJob.objects.get()
    body = b"".join(client.get(f"/ekspor/{job.pk}/unduh/").streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(body))
    links = {
        c.hyperlink.target for ws in book for row in ws.iter_rows() for c in row if c.hyperlink
    }
    assert f"{SERVED}/penilaian/{biro_hp.code}/bukti/{bukti.code}/" in links
    assert not any(":8000" in link for link in links)


def test_the_qr_code_of_an_approval_points_at_the_served_address(
    development: Any,
    signing_certificate: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from lke.models import Penilaian

    tik = Penilaian.objects.get(unit__slug="pusat-tik")
    url = f"/penilaian/{tik.code}/rencana-kerja/"
    with django_capture_on_commit_callbacks(execute=True):
        served_on_8123("tim.pusat-tik").post(url, {"aksi": "ajukan"})
    with django_capture_on_commit_callbacks(execute=True):
        served_on_8123("pimpinan.pusat-tik").post(url, {"aksi": "setujui", "catatan": ""})
    rk = RencanaKerja.objects.get(penilaian=tik)
    dokumen = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    data = dokumen.berkas.read()
    assert f"{SERVED}/verifikasi/{dokumen.code}/" in pdf_links(data)
    assert b"127.0.0.1:8000" not in data


def test_without_a_request_the_setting_is_used(development: Any) -> None:
    from zi_portal.lib.urls import links_from, public_base_url

    assert public_base_url() == "http://127.0.0.1:8000"
    with links_from(SERVED + "/"):
        assert public_base_url() == SERVED
    assert public_base_url() == "http://127.0.0.1:8000"
