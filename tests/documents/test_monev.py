"""The laporan monev triwulan (issue 15 part 2): through the export flow as PDF and Word,
the quarter snapshots of the mandiri score, and the command."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from pdfminer.high_level import extract_text

from documents.models import ExportJob
from evidence.models import RencanaAksi
from evidence.services import bukti_link_add, realisasi_rencana_aksi_save
from lke.models import Pertanyaan, StatusPenilaian
from scoring.models import SetJawaban, SnapshotSkor
from scoring.services import snapshot_triwulan
from tests.documents.test_pdf_archival import DC, assert_archival
from units.access import unit_access

pytestmark = pytest.mark.django_db


def _enter(p: Any) -> RencanaAksi:
    """A realisasi of triwulan II with a bukti, on the first row of A.I.1.i (planned 1-3)."""
    tim = get_user_model().objects.get(username="tim.biro-hp")
    row = (
        RencanaAksi.objects.filter(penilaian=p, indikator__kode="A.I.1.i")
        .select_related("indikator__area", "penilaian__unit")
        .order_by("urutan")
        .first()
    )
    assert row is not None
    RencanaAksi.objects.filter(pk=row.pk).update(bulan_mulai=4, bulan_selesai=6, jadwal="")
    row.refresh_from_db()
    bukti = bukti_link_add(
        penilaian=p,
        pertanyaan=Pertanyaan.objects.get(model=p.model, kode="A.I.1.i.a"),
        url="https://mkri.id/sk-tim-kerja",
        judul="SK Tim Kerja Zona Integritas",
        user=tim,
    )
    access = unit_access(tim, p.unit)
    assert access is not None
    realisasi_rencana_aksi_save(
        row=row,
        triwulan=2,
        values={
            "realisasi": "Rapat pembentukan tim kerja dilaksanakan",
            "progres": 75,
            "status": "berjalan",
            "kendala": "Jadwal pimpinan padat",
            "tindak_lanjut": "Penetapan SK pada bulan Juli",
        },
        bukti=[str(bukti.code)],
        user=tim,
        access=access,
    )
    return row


def _job(client: Client, p: Any, jenis: str, triwulan: str, captured: Any) -> tuple[Any, bytes]:
    with captured(execute=True):
        response = client.post(f"/penilaian/{p.code}/ekspor/{jenis}/", {"triwulan": triwulan})
    job = ExportJob.objects.filter(jenis=jenis).latest("dibuat_pada")
    assert response.status_code == 302 and response["Location"] == f"/ekspor/{job.pk}/"
    assert job.status == "selesai", job.error
    page = client.get(f"/ekspor/{job.pk}/")
    assert page.status_code == 200
    download = client.get(f"/ekspor/{job.pk}/unduh/")
    return download, b"".join(download.streaming_content)  # type: ignore[attr-defined]


def test_the_pdf_lists_the_quarter_realisasi_bukti_and_late_rows(
    login: Callable[[str], Client],
    biro_hp: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    _enter(biro_hp)
    download, data = _job(
        login("tim.biro-hp"), biro_hp, "monev_pdf", "2", django_capture_on_commit_callbacks
    )
    assert download["Content-Type"] == "application/pdf"
    text = " ".join(extract_text(io.BytesIO(data)).split())
    assert "LAPORAN MONITORING DAN EVALUASI TRIWULAN II" in text
    assert "Periode April–Juni 2022" in text
    assert "Rapat pembentukan tim kerja dilaksanakan" in text
    assert "75% – Sedang berjalan" in text and "Terlambat" in text
    assert "SK Tim Kerja Zona Integritas" in text and "Jadwal pimpinan padat" in text
    assert "Area 1. MANAJEMEN PERUBAHAN" in text
    assert "tidak ada snapshot triwulan sebelumnya" in text
    assert b"<svg" not in data  # the chart is drawn, not left as markup
    xmp = assert_archival(data, tmp_path)  # PDF/A-3b, tagged, fonts of the chart embedded
    assert xmp[f"{DC}title"].startswith("LAPORAN MONITORING DAN EVALUASI TRIWULAN II")


def test_the_docx_has_the_same_content_and_a_chart_per_area(
    login: Callable[[str], Client], biro_hp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _enter(biro_hp)
    download, data = _job(
        login("tim.biro-hp"), biro_hp, "monev_docx", "2", django_capture_on_commit_callbacks
    )
    assert download["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(data))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "LAPORAN MONITORING DAN EVALUASI TRIWULAN II" in paragraphs
    assert "Rapat pembentukan tim kerja dilaksanakan" in cells
    assert "75% – Sedang berjalan (terlambat)" in cells
    assert "A.I.1.i.a SK Tim Kerja Zona Integritas" in cells
    assert "Tindak lanjut: Penetapan SK pada bulan Juli" in cells
    areas = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert len(document.inline_shapes) == len(areas) - 1  # every area has a chart


def test_the_change_is_measured_against_the_previous_quarter_snapshot(biro_hp: Any) -> None:
    first, before = snapshot_triwulan(penilaian=biro_hp, triwulan=1)
    assert first is not None and before is None and first.triwulan == 1 and not first.final
    SnapshotSkor.objects.filter(pk=first.pk).update(total="12.50000000")
    second, before = snapshot_triwulan(penilaian=biro_hp, triwulan=2)
    assert before is not None and before.pk == first.pk and second is not None
    # An earlier quarter is read, not recorded again, once a later one exists.
    again, _ = snapshot_triwulan(penilaian=biro_hp, triwulan=1)
    assert again is not None and again.pk == first.pk
    assert SnapshotSkor.objects.filter(penilaian=biro_hp, set=SetJawaban.MANDIRI).count() == 2
    type(biro_hp).objects.filter(pk=biro_hp.pk).update(status=StatusPenilaian.FINAL)
    biro_hp.refresh_from_db()
    third, before = snapshot_triwulan(penilaian=biro_hp, triwulan=3)
    assert third is None and before is not None and before.pk == second.pk


def test_a_missing_quarter_is_refused_without_a_job(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    response = client.post(f"/penilaian/{biro_hp.code}/ekspor/monev_pdf/", {"triwulan": "5"})
    assert response.status_code == 302 and not ExportJob.objects.exists()
    assert "Pilih triwulan I, II, III atau IV" in client.get(response["Location"]).content.decode()


def test_the_command_writes_pdf_or_docx_from_the_suffix(biro_hp: Any, tmp_path: Path) -> None:
    _enter(biro_hp)
    out = io.StringIO()
    target = tmp_path / "monev.docx"
    call_command(
        "laporan_monev", unit="biro-hp", year="2022", triwulan="2", output=str(target), stdout=out
    )
    assert "Laporan monev triwulan II" in out.getvalue()
    cells = "\n".join(
        c.text for t in docx.Document(str(target)).tables for r in t.rows for c in r.cells
    )
    assert "Rapat pembentukan tim kerja dilaksanakan" in cells
    pdf = tmp_path / "monev.pdf"
    call_command(
        "laporan_monev", unit="biro-hp", year="2022", triwulan="2", output=str(pdf), stdout=out
    )
    assert "TRIWULAN II" in extract_text(str(pdf))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"triwulan": "5"}, "Triwulan '5' tidak dikenal"),
        ({"output": "laporan.txt"}, "Akhiran berkas '.txt' tidak dikenal"),
        ({"unit": "tidak-ada"}, "tidak ditemukan"),
        ({"year": "dua ribu"}, "bukan angka tahun"),
        ({"output": "/tidak/ada/laporan.pdf"}, "tidak ada"),
    ],
)
def test_the_command_explains_bad_input(
    biro_hp: Any, tmp_path: Path, options: dict[str, str], message: str
) -> None:
    args = {
        "unit": "biro-hp",
        "year": "2022",
        "triwulan": "1",
        "output": str(tmp_path / "monev.pdf"),
        **options,
    }
    if args["output"] == "laporan.txt":
        args["output"] = str(tmp_path / "laporan.txt")
    with pytest.raises(CommandError, match=message):
        call_command("laporan_monev", **args)
