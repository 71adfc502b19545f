"""The RKT as data: seed 002 as loaded, saving the table, realisasi with bukti, import."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from evidence.models import Bukti, IndikatorKinerja, RealisasiKinerja, RencanaKinerjaTahunan
from evidence.rkt import BarisRkt, RktDitolak, parse_target, realisasi_save, rkt_save
from evidence.rkt_import import rkt_import
from lke.models import Penilaian, StatusPenilaian
from tests.evidence.files import pdf
from units.access import unit_access
from units.models import Riwayat

# A copy of ../shared/seeds/002_bfda040c03e4cee3.txt, so the test runs wherever the repo is.
SEED = Path(__file__).resolve().parents[1] / "data" / "seed-002_bfda040c03e4cee3.txt"


def seed_rows() -> list[tuple[str, str]]:
    """(indikator with its printed number, target) of every table row of seed 002."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 4 and re.match(r"\d+\. ", cells[2]):
            rows.append((cells[2].strip(), cells[3].strip()))
    return rows


def rkt_biro_hp() -> RencanaKinerjaTahunan:
    return RencanaKinerjaTahunan.objects.select_related("unit").get(
        unit__slug="biro-hp", tahun=2022
    )


def indikator(nama_awal: str) -> IndikatorKinerja:
    return IndikatorKinerja.objects.select_related("sasaran__rkt__unit").get(
        sasaran__rkt__unit__slug="biro-hp", nama__startswith=nama_awal
    )


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_parse_target_reads_percent_score_count_and_text() -> None:
    assert parse_target("95%") == ("persen", Decimal(95), "%")
    assert parse_target("Skor 75") == ("skor", Decimal(75), "skor")
    assert parse_target("12 dokumen") == ("jumlah", Decimal(12), "dokumen")
    assert parse_target("2,5") == ("jumlah", Decimal("2.5"), "")
    assert parse_target("Tersusunnya laporan") == ("teks", None, "")


@pytest.mark.django_db
def test_the_demo_rkt_is_seed_002_row_by_row() -> None:
    rkt = rkt_biro_hp()
    loaded = [
        (f"{i.nomor} {i.nama}", i.target_teks)
        for s in rkt.sasaran.order_by("urutan")
        for i in s.indikator.order_by("urutan")
    ]
    assert loaded == seed_rows()
    assert len(loaded) == 19
    assert [
        i.nomor for i in IndikatorKinerja.objects.filter(sasaran__rkt=rkt, sasaran__nomor="3.")
    ].count("7.") == 2
    assert (rkt.kota, str(rkt.tanggal), rkt.penyetuju_nama, rkt.penandatangan_nama) == (
        "Jakarta",
        "2022-06-28",
        "M. Guntur Hamzah",
        "Heru Setiawan",
    )
    assert rkt.id_tanda_tangan == "mk47804060220628123428"
    assert not RealisasiKinerja.objects.filter(indikator__sasaran__rkt=rkt).exists()


@pytest.mark.django_db
def test_saving_the_table_keeps_indikator_and_records_riwayat() -> None:
    rkt = rkt_biro_hp()
    tim = user("tim.biro-hp")
    access = unit_access(tim, rkt.unit)
    first = indikator("Persentase Pelaksanaan Kegiatan Internasional")
    rows = [
        BarisRkt("1.", "Sasaran baru", "1.", first.nama, "97%", code=str(first.code)),
        BarisRkt("", "", "2.", "Indikator baru", "Skor 80"),
    ]
    saved = rkt_save(
        unit=rkt.unit,
        tahun=2022,
        header={},
        rows=rows,
        user=tim,
        access=access,
        expected_versi=rkt.versi,
    )
    kept = IndikatorKinerja.objects.get(pk=first.pk)
    assert (kept.target_teks, kept.target_angka, kept.sasaran.teks) == (
        "97%",
        Decimal(97),
        "Sasaran baru",
    )
    assert IndikatorKinerja.objects.filter(sasaran__rkt=saved).count() == 2
    record = Riwayat.objects.filter(objek="rkt", unit=rkt.unit).latest("waktu")
    assert record.user == tim and record.aksi == Riwayat.Aksi.UBAH
    assert any("Indikator baru" in k for k in record.perubahan)


@pytest.mark.django_db
def test_bad_rows_are_refused_with_every_reason_and_nothing_changes() -> None:
    rkt = rkt_biro_hp()
    before = list(
        IndikatorKinerja.objects.filter(sasaran__rkt=rkt).values_list("pk", "target_teks")
    )
    rows = [BarisRkt("1.", "", "1.", "Tanpa sasaran", ""), BarisRkt("", "S", "2.", "", "95%")]
    with pytest.raises(RktDitolak) as exc:
        rkt_save(unit=rkt.unit, tahun=2022, header={}, rows=rows, user=None)
    assert "Baris 1: sasaran kegiatan belum diisi." in exc.value.messages
    assert "Baris 1: target belum diisi." in exc.value.messages
    assert "Baris 2: indikator kinerja belum diisi." in exc.value.messages
    after = list(IndikatorKinerja.objects.filter(sasaran__rkt=rkt).values_list("pk", "target_teks"))
    assert after == before


@pytest.mark.django_db
def test_realisasi_with_bukti_goes_through_the_bukti_model() -> None:
    tim = user("tim.biro-hp")
    target = indikator("Media Monitoring MK")
    access = unit_access(tim, target.sasaran.rkt.unit)
    row = realisasi_save(
        indikator=target,
        triwulan=2,
        nilai="96,5",
        files=[pdf("monitoring.pdf")],
        user=tim,
        access=access,
    )
    assert row is not None and row.nilai == Decimal("96.5")
    bukti = Bukti.objects.get(realisasi=row)
    assert bukti.hasil_item is not None and bukti.hasil_item.kode == "B.I.b"
    assert bukti.pertanyaan is None and bukti.penilaian.tahun == 2022
    assert Riwayat.objects.filter(objek="realisasi_kinerja", objek_id=str(target.code)).exists()
    assert Riwayat.objects.filter(objek="bukti", kode="B.I.b").exists()


@pytest.mark.django_db
def test_realisasi_refuses_bad_input_a_zi_indikator_and_a_final_year() -> None:
    tim = user("tim.biro-hp")
    target = indikator("Media Monitoring MK")
    access = unit_access(tim, target.sasaran.rkt.unit)
    with pytest.raises(RktDitolak, match="bukan angka"):
        realisasi_save(indikator=target, triwulan=1, nilai="banyak", user=tim, access=access)
    with pytest.raises(RktDitolak, match="mengikuti nilai ZI"):
        realisasi_save(
            indikator=indikator("Nilai pembangunan Zona"),
            triwulan=1,
            nilai="80",
            user=tim,
            access=access,
        )
    pimpinan = user("pimpinan.biro-hp")
    with pytest.raises(RktDitolak, match="tim kerja"):
        realisasi_save(
            indikator=target,
            triwulan=1,
            nilai="90",
            user=pimpinan,
            access=unit_access(pimpinan, target.sasaran.rkt.unit),
        )
    Penilaian.objects.filter(unit__slug="biro-hp", tahun=2022).update(status=StatusPenilaian.FINAL)
    with pytest.raises(RktDitolak, match="sudah final"):
        realisasi_save(indikator=target, triwulan=1, nilai="90", user=tim, access=access)
    assert not RealisasiKinerja.objects.filter(indikator=target).exists()


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["No", "Sasaran Kegiatan (Output)", "Indikator Kinerja", "Target", "Kinerja utama"])
    ws.append(["(1)", "(2)", "(3)", "(4)", ""])
    for r in rows:
        ws.append(r)
    ws["D3"].number_format = "0%"
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        "rkt.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.mark.django_db
def test_excel_import_reads_the_seed_layout_and_keeps_realisasi() -> None:
    tim = user("tim.biro-hp")
    rkt = rkt_biro_hp()
    access = unit_access(tim, rkt.unit)
    media = indikator("Media Monitoring MK")
    realisasi_save(indikator=media, triwulan=1, nilai="90", user=tim, access=access)
    upload = _xlsx(
        [
            ["2.", media.sasaran.teks, "5. Media Monitoring MK", 0.95, "ya"],
            ["", "", "6. Evaluasi dan Penilaian KIP", "Skor 75", "tidak"],
        ]
    )
    saved = rkt_import(unit=rkt.unit, tahun=2022, upload=upload, user=tim, access=access)
    rows = list(IndikatorKinerja.objects.filter(sasaran__rkt=saved).order_by("urutan"))
    assert [(i.nomor, i.nama, i.target_teks, i.utama) for i in rows] == [
        ("5.", "Media Monitoring MK", "95%", True),
        ("6.", "Evaluasi dan Penilaian KIP", "Skor 75", False),
    ]
    assert rows[0].pk == media.pk and rows[0].realisasi.count() == 1


@pytest.mark.django_db
def test_excel_import_names_the_row_of_each_error() -> None:
    tim = user("tim.biro-hp")
    rkt = rkt_biro_hp()
    upload = _xlsx([["1.", "S", "1. Indikator", "95%", "mungkin"]])
    with pytest.raises(RktDitolak) as exc:
        rkt_import(
            unit=rkt.unit, tahun=2022, upload=upload, user=tim, access=unit_access(tim, rkt.unit)
        )
    assert exc.value.messages == ["Baris 3: isi “ya” atau “tidak”, bukan “mungkin”."]
    assert IndikatorKinerja.objects.filter(sasaran__rkt=rkt).count() == 19
