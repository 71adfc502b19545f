"""Issue 15 part 3: the TPI's LHE (documents.lhe) of a final TPI score.

Biro HP 2022 is walked through the workflow: the tim kerja answers and submits, the TPI
returns one question (the tim kerja corrects and resubmits it, the TPI then accepts it),
answers one question differently from the mandiri answer with a catatan, reviews the
rest and finalizes. The LHE is read back with pdfminer.six, verified with pyHanko and
poppler's pdfsig, and checked for PDF/A.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from pdfminer.high_level import extract_text

from documents.lhe import lhe_data, lhe_html, lhe_pdf_bytes, lhe_sign
from documents.models import DokumenTertandatangan, ExportJob, JenisDokumen
from documents.pdf import html_pdf
from documents.signing import (
    TPI_SIGNATURE_FIELD,
    ensure_dev_certificate,
    tpi_p12_path,
    verify_pdf,
)
from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import StatusReviu
from scoring.services import jawaban_save
from scoring.workflow import penilaian_finalize, penilaian_reopen, penilaian_submit, reviu_save
from tests.documents.test_pdf_archival import PDFAID, assert_archival
from tests.documents.test_verifikasi_pdfsig import page_signatures, pdfsig
from tests.workflow import review_everything
from units.access import unit_access

pytestmark = pytest.mark.django_db

RETURNED = "A.I.1.i.a"
DIFFERENT = "A.I.1.i.b"
CATATAN_KEMBALI = "SK Tim Kerja belum ditandatangani pimpinan."
CATATAN_MANDIRI = "Sosialisasi dilaksanakan tiga kali, lihat notulen."
CATATAN_TPI = "Notulen hanya untuk satu kegiatan; jawaban diturunkan."


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def access_of(username: str, penilaian: Penilaian) -> Any:
    access = unit_access(user(username), penilaian.unit)
    assert access is not None
    return access


@pytest.fixture
def tpi_certificate(signing_certificate: Path) -> Path:
    path = tpi_p12_path()
    ensure_dev_certificate(
        path, settings.ZI_SIGNING_P12_PASSPHRASE, common_name="Tim Penilai Internal Uji"
    )
    return path


@pytest.fixture
def final(biro_hp: Penilaian, question: Callable[[str], Pertanyaan]) -> Penilaian:
    tim, tpi = user("tim.biro-hp"), user("tpi.mk")
    returned, different = question(RETURNED), question(DIFFERENT)
    jawaban_save(penilaian=biro_hp, set_="mandiri", pertanyaan=returned, opsi="Ya", user=tim)
    jawaban_save(
        penilaian=biro_hp,
        set_="mandiri",
        pertanyaan=different,
        opsi="A",
        catatan=CATATAN_MANDIRI,
        user=tim,
    )
    penilaian_submit(penilaian=biro_hp, user=tim, access=access_of("tim.biro-hp", biro_hp))
    reviu_save(
        penilaian=biro_hp,
        pertanyaan=returned,
        opsi="Ya",
        angka={},
        status=StatusReviu.PERLU_PERBAIKAN,
        catatan=CATATAN_KEMBALI,
        user=tpi,
        expected_versi=0,
    )
    jawaban_save(penilaian=biro_hp, set_="mandiri", pertanyaan=returned, opsi="Tidak", user=tim)
    penilaian_submit(penilaian=biro_hp, user=tim, access=access_of("tim.biro-hp", biro_hp))
    reviu_save(
        penilaian=biro_hp,
        pertanyaan=different,
        opsi="C",
        angka={},
        status=StatusReviu.DITERIMA,
        catatan=CATATAN_TPI,
        user=tpi,
        expected_versi=0,
    )
    review_everything(biro_hp, tpi)
    penilaian_finalize(penilaian=biro_hp, user=tpi)
    biro_hp.refresh_from_db()
    assert biro_hp.status == StatusPenilaian.FINAL
    return biro_hp


def _text(data: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(data)).split())


def test_the_lhe_reports_the_final_tpi_score(final: Penilaian) -> None:
    data = lhe_data(final)
    resmi = data.laporan["tpi"]
    # The summary's last row is the total, per column (mandiri, TPI).
    total = data.ringkasan[-1]
    assert total.kode == "total" and total.bobot == "100"
    assert total.nilai[1] == f"{resmi['total']:.2f}".replace(".", ",")
    assert data.predikat == (data.laporan["mandiri"]["verdict"], resmi["verdict"])
    # Area rows combine Pemenuhan and Reform against the full weight.
    area_1 = next(r for r in data.area if r.tingkat == "area")
    assert area_1.kode == "A.1" and area_1.bobot == "8"
    # The returned question was corrected to the TPI's view: no difference is left there.
    assert DIFFERENT in {r.kode for r in data.perbedaan}
    assert RETURNED not in {r.kode for r in data.perbedaan}
    diff = next(r for r in data.perbedaan if r.kode == DIFFERENT)
    assert [(c.jawaban, c.catatan) for c in diff.sel] == [
        ("A", CATATAN_MANDIRI),
        ("C", CATATAN_TPI),
    ]
    (kembali,) = data.pengembalian
    assert (kembali.kode, kembali.catatan, kembali.status_akhir) == (
        RETURNED,
        CATATAN_KEMBALI,
        StatusReviu.DITERIMA,
    )
    assert [e.perubahan["opsi"] for e in kembali.perbaikan] == [["Ya", "Tidak"]]
    failing = [a for a in data.aturan if not a.memenuhi]
    assert failing and all(a.kekurangan for a in failing)
    assert all(a.kekurangan.startswith("kurang") for a in failing if a.predikat == "WBK")
    assert data.saran and data.saran[0].tambahan


def test_the_signed_lhe_reads_verifies_and_is_archival(
    final: Penilaian, tpi_certificate: Path, tmp_path: Path
) -> None:
    pdf = lhe_pdf_bytes(final)
    text = _text(pdf)
    for part in (
        "MAHKAMAH KONSTITUSI",
        "TIM PENILAI INTERNAL",
        "LAPORAN HASIL EVALUASI INTERNAL",
        "BIRO HUBUNGAN MASYARAKAT DAN PROTOKOL",
        "TAHUN 2022",
        "I. Ringkasan Nilai",
        "II. Nilai per Area dan Indikator",
        "III. Syarat Predikat dan Kekurangannya",
        "IV. Perbedaan Jawaban Penilaian Mandiri dan TPI",
        "V. Butir yang Dikembalikan TPI dan Penyelesaiannya",
        "VI. Rekomendasi",
        CATATAN_MANDIRI,
        CATATAN_TPI,
        CATATAN_KEMBALI,
        "Nilai total",
        "TPI Mahkamah Konstitusi",  # the finalizing TPI user signs
        "/verifikasi/",
    ):
        assert part in text, part
    assert "kurang" in text and "tidak memenuhi" in text
    result = verify_pdf(pdf)
    assert result.valid and result.development, result.summary
    assert [c.field_name for c in result.signatures] == [TPI_SIGNATURE_FIELD]
    assert result.signatures[0].signer_name == "Tim Penilai Internal Uji"
    # The rendering is PDF/A-3b and tagged; the signature is an incremental update that
    # keeps the first revision's identification (as the rencana kerja's, test_pdf_archival).
    assert_archival(html_pdf(lhe_html(lhe_data(final), verification_url="http://x/")), tmp_path)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        assert meta[f"{PDFAID}part"] == "3" and meta[f"{PDFAID}conformance"] == "B"
        assert "/OutputIntents" in doc.Root and "/StructTreeRoot" in doc.Root
        assert str(doc.Root.Lang) == "id"
    dokumen = DokumenTertandatangan.objects.get(jenis=JenisDokumen.LHE, snapshot__penilaian=final)
    assert dokumen.berlaku and f"/verifikasi/{dokumen.code}/" in text
    # One final score, one LHE: asked again, the same registered file.
    assert lhe_pdf_bytes(final) == pdf
    assert DokumenTertandatangan.objects.filter(jenis=JenisDokumen.LHE).count() == 1


@override_settings(ZI_TRUST_DEV_CA=False, ZI_TRUST_ROOTS=[])
def test_the_verification_page_lists_the_lhe_signature_as_pdfsig_judges_it(
    final: Penilaian, tpi_certificate: Path, client: Client, tmp_path: Path
) -> None:
    dokumen = lhe_sign(final)
    with dokumen.berkas.open("rb") as handle:
        data = handle.read()
    expected = pdfsig(data, tmp_path)
    assert [s["intact"] for s in expected] == [True]
    html = client.get(f"/verifikasi/{dokumen.code}/").content.decode()
    assert "Laporan Hasil Evaluasi Internal Zona Integritas (TPI) 2022" in html
    shown = page_signatures(html)
    assert [s["name"] for s in shown] == [s["name"] for s in expected]
    assert [s["intact"] for s in shown] == [s["intact"] for s in expected]
    assert [s["trusted"] == "ya" for s in shown] == [s["trusted"] for s in expected] == [False]
    # Reopened, the LHE is kept on record but no longer in force.
    penilaian_reopen(penilaian=final, user=user("admin"), alasan="Uji buka kembali")
    html = client.get(f"/verifikasi/{dokumen.code}/").content.decode()
    assert "penilaian dibuka kembali" in html


def test_the_command_writes_the_lhe_or_says_why_not(
    final: Penilaian, tpi_certificate: Path, tmp_path: Path
) -> None:
    out = io.StringIO()
    target = tmp_path / "lhe.pdf"
    call_command("lhe_pdf", unit="biro-hp", year=2022, output=str(target), stdout=out)
    assert "LHE bertanda tangan elektronik TPI" in out.getvalue()
    assert verify_pdf(target.read_bytes()).valid
    with pytest.raises(CommandError, match="belum memiliki nilai TPI final"):
        call_command("lhe_pdf", unit="pusat-tik", year=2022, output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("lhe_pdf", unit="biro-hp", year=1999, output=str(tmp_path / "x.pdf"))


def test_only_who_sees_the_tpi_result_gets_it_through_the_export_flow(
    final: Penilaian,
    tpi_certificate: Path,
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = f"/penilaian/{final.code}/ekspor/lhe_pdf/"
    assert login("tim.biro-hp").post(url).status_code == 403
    assert login("tim.rutan-kupang").post(url).status_code == 404
    downloads = []
    for username in ("pimpinan.biro-hp", "tpi.mk", "pimpinan.mk", "admin"):
        client = login(username)
        page = client.get(f"/penilaian/{final.code}/skor/").content.decode()
        assert "data-lhe" in page, username
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        job = ExportJob.objects.filter(owner__username=username).latest("dibuat_pada")
        assert response.status_code == 302 and job.status == "selesai", job.error
        assert job.nama_berkas == "lhe-biro-hp-2022-ditandatangani.pdf"
        download = client.get(f"/ekspor/{job.pk}/unduh/")
        assert download["Content-Type"] == "application/pdf"
        downloads.append(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert len(set(downloads)) == 1  # the one registered LHE
    assert (
        "data-lhe"
        not in login("tim.biro-hp").get(f"/penilaian/{final.code}/skor/").content.decode()
    )


def test_before_the_final_score_the_start_is_refused_with_a_clear_message(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    client = login("pimpinan.biro-hp")
    response = client.post(f"/penilaian/{biro_hp.code}/ekspor/lhe_pdf/", follow=True)
    assert "belum memiliki nilai TPI final" in response.content.decode()
    assert not ExportJob.objects.filter(penilaian=biro_hp).exists()
    assert "data-lhe" not in client.get(f"/penilaian/{biro_hp.code}/skor/").content.decode()


def test_a_finished_lhe_job_is_not_served_to_who_lost_the_right(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    """The download re-checks the exporter's permission, not only the job's owner: a
    pimpinan who became tim kerja no longer gets the TPI result."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from units.models import Keanggotaan, Peran

    owner = user("pimpinan.biro-hp")
    job = ExportJob(
        owner=owner,
        penilaian=biro_hp,
        jenis="lhe_pdf",
        status="selesai",
        progress=100,
        nama_berkas="lhe.pdf",
        selesai_pada=timezone.now(),
        kedaluwarsa=timezone.now() + dt.timedelta(days=1),
    )
    job.berkas.save("lhe.pdf", ContentFile(b"%PDF-1.7 uji"), save=False)
    job.save()
    client = login("pimpinan.biro-hp")
    assert client.get(f"/ekspor/{job.pk}/unduh/").status_code == 200
    Keanggotaan.objects.filter(user=owner, unit=biro_hp.unit).update(peran=Peran.TIM_KERJA)
    assert client.get(f"/ekspor/{job.pk}/unduh/").status_code == 403
    assert client.get(f"/ekspor/{job.pk}/").status_code == 403


def test_once_the_tpn_has_evaluated_the_lhe_shows_it_as_a_third_column(
    final: Penilaian,
) -> None:
    """Issue 16 part 3: mandiri, TPI and TPN side by side, every difference listed."""
    from scoring.models import Jawaban, SetJawaban
    from scoring.tpn import tpn_tetapkan
    from tests.documents.test_xlsx_export import best_answers

    assert [label for _s, label in lhe_data(final).kolom] == ["Mandiri", "TPI"]
    best_answers(final, SetJawaban.TPN)
    Jawaban.objects.filter(penilaian=final, set=SetJawaban.TPN, pertanyaan__kode=DIFFERENT).update(
        opsi="B", catatan="Catatan TPN"
    )
    tpn_tetapkan(penilaian=final, user=user("tpi.mk"), access=None)
    data = lhe_data(final)
    assert [label for _s, label in data.kolom] == ["Mandiri", "TPI", "TPN"]
    total = data.ringkasan[-1]
    assert len(total.nilai) == 3 and total.nilai[
        1
    ] == f"{data.laporan['tpi']['total']:.2f}".replace(".", ",")
    diff = next(r for r in data.perbedaan if r.kode == DIFFERENT)
    assert [(c.jawaban, c.catatan) for c in diff.sel] == [
        ("A", CATATAN_MANDIRI),
        ("C", CATATAN_TPI),
        ("B", "Catatan TPN"),
    ]
    html = lhe_html(data)
    assert '<th class="angka">TPN</th>' in html and "Mandiri, TPI dan TPN" in html
