"""The RKT document (seed 002's layout) through the export flow, signed for the pimpinan."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from documents.models import ExportJob
from documents.pdf import RKT_ANCHOR_PENYETUJU, rkt_pdf
from documents.signing import SIGNATURE_ANCHOR, signature_field, verify_pdf
from evidence.models import RencanaKinerjaTahunan
from tests.conftest import require

pytestmark = pytest.mark.django_db


def _download(client: Client, p: Any, captured: Any) -> tuple[ExportJob, bytes]:
    with captured(execute=True):
        response = client.post(f"/penilaian/{p.code}/ekspor/rkt_pdf/")
    job = ExportJob.objects.get(owner__username=response.wsgi_request.user.get_username())
    assert response.status_code == 302 and job.status == "selesai", job.error
    download = client.get(f"/ekspor/{job.pk}/unduh/")
    assert download["Content-Type"] == "application/pdf"
    return job, b"".join(download.streaming_content)  # type: ignore[attr-defined]


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(_io(data)).pages)


def _io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def test_the_rkt_pdf_has_the_seed_layout_and_a_box_for_each_signer() -> None:
    rkt = RencanaKinerjaTahunan.objects.select_related("unit__instansi").get(
        unit__slug="biro-hp", tahun=2022
    )
    data = rkt_pdf(rkt)
    text = " ".join(_text(data).split())
    for part in (
        "MAHKAMAH KONSTITUSI REPUBLIK INDONESIA",
        "www.mkri.id",
        "RENCANA KINERJA TAHUNAN BIRO HUMAS DAN PROTOKOL",
        "TAHUN 2022",
        "No Sasaran Kegiatan (Output) Indikator Kinerja Target",
        "(1) (2) (3) (4)",
        "Media Monitoring MK 95%",
        "Evaluasi dan Penilaian KIP Skor 75",
        "Jakarta, 28 Juni 2022",
        "Menyetujui,",
        "Sekretaris Jenderal",
        "M. Guntur Hamzah",
        "Kepala Biro Humas dan Protokol,",
        "Heru Setiawan",
        "Digital Signature mk47804060220628123428",
    ):
        assert part in text, part
    assert "DRAF" not in text
    dests = PdfReader(_io(data)).named_destinations
    assert {SIGNATURE_ANCHOR, RKT_ANCHOR_PENYETUJU} <= set(dests)


def test_the_pimpinan_downloads_it_signed_and_the_tim_a_draft(
    login: Callable[[str], Client],
    biro_hp: Any,
    signing_certificate: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job, signed = _download(login("pimpinan.biro-hp"), biro_hp, django_capture_on_commit_callbacks)
    assert job.nama_berkas == "rkt-biro-hp-2022-ditandatangani.pdf"
    result = verify_pdf(signed)
    assert result.valid and result.intact, result
    # Two signers in seed 002's order: the Kepala Biro proposes, the Sekjen approves.
    assert [c.field_name for c in result.signatures] == [
        signature_field(0),
        signature_field(1),
    ]
    assert all(c.intact and c.unchanged_after for c in result.signatures)
    reader = PdfReader(_io(signed))
    fields = reader.get_fields() or {}
    assert set(fields) >= {signature_field(0), signature_field(1)}
    job, draft = _download(login("tim.biro-hp"), biro_hp, django_capture_on_commit_callbacks)
    assert job.nama_berkas == "rkt-biro-hp-2022.pdf"
    assert "DRAF" in _text(draft) and not verify_pdf(draft).valid


def test_pdfsig_reads_the_signature(
    login: Callable[[str], Client],
    biro_hp: Any,
    signing_certificate: Path,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    require(shutil.which("pdfsig") is not None, "pdfsig")
    _job, signed = _download(login("pimpinan.biro-hp"), biro_hp, django_capture_on_commit_callbacks)
    path = tmp_path / "rkt.pdf"
    path.write_bytes(signed)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature #1" in out and "Signature #2" in out
    assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_a_unit_without_rkt_gets_a_clear_message(
    login: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    from lke.models import Penilaian

    p = Penilaian.objects.get(unit__slug="pusat-tik")
    client = login("tim.pusat-tik")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/penilaian/{p.code}/ekspor/rkt_pdf/")
    job = ExportJob.objects.get(penilaian=p)
    assert (job.status, job.error) == ("gagal", "Unit ini belum memiliki RKT tahun ini.")
