"""The surat pengajuan evaluasi + SPTJM + Lampiran through the export flow, signed by the
pimpinan instansi (5/2024 Bab II A, Gambar 6 and 7)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from documents.models import DokumenTertandatangan, ExportJob
from documents.pengusulan import ANCHOR_SPTJM, ANCHOR_SURAT, pengusulan_pdf
from documents.signing import signature_field, verify_pdf
from lke.models import Penilaian
from scoring.models import Pengusulan, StatusPengusulan
from scoring.pengusulan import pengusulan_simpan
from tests.conftest import require
from tests.scoring.test_pengusulan import URL, user
from tests.workflow import finalize_reaching_wbk
from units.access import instansi_access
from units.models import Instansi, Riwayat

pytestmark = pytest.mark.django_db
DOKUMEN = "/instansi/mk/2022/pengusulan/dokumen/"


def _text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.fixture
def draf(biro_hp: Penilaian, signing_certificate: Path) -> Pengusulan:
    """Biro HP 2022 final through the workflow (TPI result Menuju WBK, its LHE can be
    made), proposed by the TPI."""
    from django.conf import settings

    from documents.signing import ensure_dev_certificate, tpi_p12_path

    ensure_dev_certificate(
        tpi_p12_path(), settings.ZI_SIGNING_P12_PASSPHRASE, common_name="Tim Penilai Internal Uji"
    )
    snapshot = finalize_reaching_wbk(biro_hp, user("tpi.mk"))
    assert snapshot.predikat == "WBK", snapshot.predikat
    mk = Instansi.objects.get(kode="mk")
    tpi = user("tpi.mk")
    return pengusulan_simpan(
        instansi=mk,
        tahun=2022,
        usulan=[(str(biro_hp.code), "WBK")],
        surat={
            "nomor_surat": "45/PR.05/05/2022",
            "tempat": "Jakarta",
            "alamat_instansi": "Jl. Medan Merdeka Barat No. 6, Jakarta Pusat",
            "tembusan": "Ketua Mahkamah Konstitusi",
        },
        user=tpi,
        access=instansi_access(tpi, mk),
    )


def _run(client: Client, captured: Any, aksi: str) -> tuple[ExportJob, bytes]:
    with captured(execute=True):
        response = client.post(DOKUMEN, {"aksi": aksi})
    assert response.status_code == 302, response
    job = ExportJob.objects.order_by("-dibuat_pada").first()
    assert job is not None and job.status == "selesai", job and job.error
    page = client.get(f"/ekspor/{job.pk}/")
    assert page.status_code == 200 and "Pengusulan ke TPN" in page.content.decode()
    download = client.get(f"/ekspor/{job.pk}/unduh/")
    return job, b"".join(download.streaming_content)  # type: ignore[attr-defined]


def test_the_letter_follows_gambar_6_and_7_with_the_lampiran(draf: Pengusulan) -> None:
    data = pengusulan_pdf(draf, draf=True)
    text = _text(data)
    for part in (
        "MAHKAMAH KONSTITUSI",
        "Nomor : 45/PR.05/05/2022",
        "Hal : Pengajuan Unit kerja/satuan kerja Berpredikat Menuju Wilayah Bebas dari Korupsi",
        "Cq. Deputi Bidang Reformasi Birokrasi, Akuntabilitas Aparatur, dan Pengawasan",
        "Nomor 5 Tahun 2024 tentang Perubahan atas Peraturan Menteri",
        "Birokrasi Bersih dan Melayani di Instansi Pemerintah, kami telah melakukan upaya "
        "pembangunan Zona Integritas di Mahkamah Konstitusi",
        "Lampiran : 2 (dua) berkas",
        "laporan hasil evaluasi tahun 2022 oleh Tim Penilaian Internal (TPI) ZI",
        "Biro Hubungan Masyarakat dan Protokol/ Menuju WBK",
        "kami mohon agar Tim Penilai Nasional dapat melakukan evaluasi",
        "M. Guntur Hamzah",
        "Tembusan: Ketua Mahkamah Konstitusi",
        "Lampiran 1: Surat Pernyataan Tanggung Jawab Mutlak (SPTJM)",
        "Lampiran 2: Biro Hubungan Masyarakat dan Protokol (Menuju WBK)",
        "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK (SPTJM) KEBENARAN DATA PENDUKUNG",
        "sejumlah 1 (satu) unit kerja/satuan kerja",
        "Data dukung pengungkit telah sesuai dengan kondisi yang sebenarnya",
        "Alamat : Jl. Medan Merdeka Barat No. 6, Jakarta Pusat",
        "Yang membuat pernyataan",
        "Daftar periksa syarat pengusulan (Tabel 5)",
        "Nilai total TPI 94,92",
        "C. Laporan Hasil Evaluasi (LHE) TPI unit ini",
        "LAPORAN HASIL EVALUASI",
        "Opini BPK",
        "DRAF",
    ):
        assert part in text, part
    assert {ANCHOR_SURAT, ANCHOR_SPTJM} <= set(PdfReader(io.BytesIO(data)).named_destinations)


def test_anyone_who_sees_it_gets_a_draft_only_the_pimpinan_instansi_signs(
    login: Callable[[str], Client],
    draf: Pengusulan,
    signing_certificate: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    tpi = login("tpi.mk")
    job, data = _run(tpi, django_capture_on_commit_callbacks, "draf")
    assert job.nama_berkas == "pengusulan-tpn-mk-2022-draf.pdf" and job.pengusulan == draf
    assert "DRAF" in _text(data) and not verify_pdf(data).signed
    assert tpi.post(DOKUMEN, {"aksi": "tandatangani"}).status_code == 403
    assert login("admin").post(DOKUMEN, {"aksi": "tandatangani"}).status_code == 403
    assert login("tim.biro-hp").post(DOKUMEN, {"aksi": "draf"}).status_code == 404

    job, signed = _run(login("pimpinan.mk"), django_capture_on_commit_callbacks, "tandatangani")
    assert job.nama_berkas == "pengusulan-tpn-mk-2022-ditandatangani.pdf"
    result = verify_pdf(signed)
    assert result.valid and result.intact, result.summary
    assert [c.field_name for c in result.signatures] == [signature_field(0), signature_field(1)]
    assert "DRAF" not in _text(signed)
    draf.refresh_from_db()
    assert draf.status == StatusPengusulan.DITANDATANGANI
    assert draf.ditandatangani_oleh == user("pimpinan.mk")
    dokumen = DokumenTertandatangan.objects.get(pengusulan=draf)
    assert dokumen.nama_penandatangan == "M. Guntur Hamzah"
    assert Riwayat.objects.filter(
        objek="pengusulan", perubahan__status__1="ditandatangani"
    ).exists()
    # The public verification page lists both signatures and the proposed unit.
    page = Client().get(f"/verifikasi/{dokumen.code}/").content.decode()
    assert 'data-dokumen="pengusulan"' in page and "Biro Hubungan Masyarakat dan Protokol" in page
    assert 'data-tanda-tangan-ke="1"' in page and 'data-tanda-tangan-ke="2"' in page
    # The signed PDF is downloadable from the pengusulan page; the draf is locked.
    body = login("tpi.mk").get(URL).content.decode()
    assert "data-dokumen-ttd" in body and "data-kirim" in body and "data-simpan" not in body
    again = login("pimpinan.mk").post(DOKUMEN, {"aksi": "tandatangani"}, follow=True)
    assert "Pengusulan ini sudah ditandatangani." in again.content.decode()
    unduh = login("tpi.mk").get(f"{DOKUMEN}{dokumen.code}/")
    assert unduh.status_code == 200 and unduh["Content-Type"] == "application/pdf"


def test_pdfsig_reads_both_signatures(
    login: Callable[[str], Client],
    draf: Pengusulan,
    signing_certificate: Path,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    require(shutil.which("pdfsig") is not None, "pdfsig")
    _job, signed = _run(login("pimpinan.mk"), django_capture_on_commit_callbacks, "tandatangani")
    path = tmp_path / "pengusulan.pdf"
    path.write_bytes(signed)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_nothing_to_sign_without_units(
    login: Callable[[str], Client], draf: Pengusulan, biro_hp: Penilaian
) -> None:
    draf.units.all().delete()
    response = login("pimpinan.mk").post(DOKUMEN, {"aksi": "tandatangani"}, follow=True)
    assert "Pilih paling sedikit satu unit kerja yang diusulkan." in response.content.decode()
    assert not ExportJob.objects.filter(pengusulan=draf).exists()


def test_the_command_writes_the_draft_and_the_signed_letter(
    draf: Pengusulan, signing_certificate: Path, tmp_path: Path
) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="belum memilih unit"):
        call_command("pengusulan_tpn", instansi="mk", year=2021, output=str(tmp_path))
    out = StringIO()
    call_command("pengusulan_tpn", instansi="mk", year=2022, output=str(tmp_path), stdout=out)
    assert (tmp_path / "pengusulan-tpn-mk-2022-draf.pdf").exists()
    call_command(
        "pengusulan_tpn",
        instansi="mk",
        year=2022,
        output=str(tmp_path),
        tandatangani=True,
        stdout=out,
    )
    signed = (tmp_path / "pengusulan-tpn-mk-2022-ditandatangani.pdf").read_bytes()
    assert len(verify_pdf(signed).signatures) == 2
    draf.refresh_from_db()
    assert draf.status == StatusPengusulan.DITANDATANGANI
    with pytest.raises(CommandError, match="sudah ditandatangani"):
        call_command(
            "pengusulan_tpn", instansi="mk", year=2022, output=str(tmp_path), tandatangani=True
        )


def test_the_letter_is_pdf_a_3b_and_tagged(draf: Pengusulan, tmp_path: Path) -> None:
    from tests.documents.test_pdf_archival import DC, assert_archival

    # Without the appended LHE pages: those carry the TPI's flattened signature stamp,
    # whose text font (pyHanko's standard Courier) is not embedded.
    xmp = assert_archival(pengusulan_pdf(draf, with_lhe=False), tmp_path)
    assert xmp[f"{DC}title"] == (
        "Surat Pengajuan Evaluasi Zona Integritas Mahkamah Konstitusi Tahun 2022"
    )
