from __future__ import annotations

import datetime as dt

import pytest

from evidence.checks.base import GAGAL, LOLOS, PERLU_DICEK
from evidence.checks.dates import (
    allows_previous_year,
    check_dates,
    document_date,
    find_dates,
)


def labels(text: str) -> list[tuple[str, str]]:
    return [(d.label(), d.jenis) for d in find_dates([(1, text)])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rapat tanggal 28 Juni 2022 di aula", ("28 Juni 2022", "tanggal")),
        ("rapat 28-06-2022 pukul 09.00", ("28 Juni 2022", "tanggal")),
        ("diterima 28/06/2022", ("28 Juni 2022", "tanggal")),
        ("dikirim 5.7.2022", ("5 Juli 2022", "tanggal")),
        ("Laporan periode Juni 2022", ("Juni 2022", "bulan")),
        ("pelaksanaan 12 Agt. 2023", ("12 Agustus 2023", "tanggal")),
        ("pelaksanaan 3 Des 2022", ("3 Desember 2022", "tanggal")),
        ("jadwal 1 Pebruari 2021", ("1 Februari 2021", "tanggal")),
        ("Nomor: W20.PAS.PAS.9-UM.01.01-123/2022 hal SK", ("2022", "nomor")),
        ("No. 12/SK/ZI/VI/2022", ("2022", "nomor")),
        ("Kupang, 28 Juni 2022", ("28 Juni 2022", "tanda_tangan")),
        ("Ditetapkan di Kupang pada tanggal 2 Januari 2024", ("2 Januari 2024", "tanda_tangan")),
        ("Kupang, Juni 2022", ("Juni 2022", "tanda_tangan")),
    ],
)
def test_it_reads_the_indonesian_date_formats(text: str, expected: tuple[str, str]) -> None:
    assert labels(text) == [expected]


def test_a_weekday_before_the_comma_is_no_signature() -> None:
    assert labels("pada hari Senin, 3 Juni 2024 bertempat di aula") == [("3 Juni 2024", "tanggal")]


def test_cited_regulations_and_impossible_dates_are_not_dates() -> None:
    text = (
        "Berdasarkan Peraturan Menteri PANRB Nomor 90 Tahun 2021 dan UU No. 28 Tahun 1999, "
        "Tahun Anggaran 2020; tanggal 31-02-2022 tidak ada."
    )
    assert labels(text) == []
    # no day 45: only the month and year are kept
    assert labels("tanggal 45 Juni 2022") == [("Juni 2022", "bulan")]


def test_the_document_date_is_the_signature_then_the_number_then_the_latest() -> None:
    pages = [
        (1, "Nomor: 45/SK/2024. Hasil rapat tanggal 3 Mei 2023 dan 2 Juni 2023."),
        (2, "Kupang, 28 Januari 2024"),
    ]
    doc = document_date(find_dates(pages))
    assert doc is not None and (doc.label(), doc.halaman) == ("28 Januari 2024", 2)
    doc = document_date(find_dates(pages[:1]))
    assert doc is not None and (doc.label(), doc.jenis) == ("2024", "nomor")
    doc = document_date(find_dates([(1, "rapat 3 Mei 2023 dan 2 Juni 2023")]))
    assert doc is not None and doc.label() == "2 Juni 2023"
    assert document_date([]) is None


def test_a_document_dated_outside_the_year_fails_and_cites_the_page() -> None:
    found = check_dates([(1, "isi"), (3, "Kupang, 28 Juni 2019")], tahun=2022, tanggal_efektif=None)
    assert found.status == GAGAL
    assert found.halaman == 3
    assert "28 Juni 2019" in found.reason and "halaman 3" in found.reason
    assert "di luar tahun penilaian 2022" in found.reason


def test_a_year_from_a_number_only_is_perlu_dicek() -> None:
    found = check_dates([(1, "Nomor: 12/SK/2019")], tahun=2022, tanggal_efektif=None)
    assert found.status == PERLU_DICEK and "2019" in found.reason


def test_inside_the_year_passes() -> None:
    found = check_dates([(2, "Kupang, 28 Juni 2022")], tahun=2022, tanggal_efektif=None)
    assert found.status == LOLOS and found.halaman == 2


def test_the_uploaders_date_is_checked_too() -> None:
    pages = [(1, "Kupang, 28 Juni 2022")]
    outside = check_dates(pages, tahun=2022, tanggal_efektif=dt.date(2020, 1, 5))
    assert outside.status == GAGAL and "5 Januari 2020" in outside.reason
    differs = check_dates(pages, tahun=2022, tanggal_efektif=dt.date(2021, 12, 5))
    assert differs.status == GAGAL  # 2021 is outside 2022 when the data dukung is silent
    allowed = check_dates(
        pages, tahun=2022, tanggal_efektif=dt.date(2021, 12, 5), boleh_tahun_lalu=True
    )
    assert allowed.status == PERLU_DICEK and "berbeda tahun" in allowed.reason
    only_typed = check_dates(
        [(1, "tanpa tanggal")], tahun=2022, tanggal_efektif=dt.date(2022, 3, 1)
    )
    assert only_typed.status == LOLOS


def test_the_previous_year_only_where_the_data_dukung_allows_it() -> None:
    pages = [(1, "Kupang, 20 Desember 2021")]
    assert check_dates(pages, tahun=2022, tanggal_efektif=None).status == GAGAL
    assert allows_previous_year(["Laporan kinerja tahun sebelumnya"])
    assert not allows_previous_year(["SK Tim Kerja Pembangunan ZI"])
    found = check_dates(pages, tahun=2022, tanggal_efektif=None, boleh_tahun_lalu=True)
    assert found.status == LOLOS and "2021–2022" in found.reason


def test_no_date_at_all_is_perlu_dicek() -> None:
    found = check_dates([(1, "daftar hadir")], tahun=2022, tanggal_efektif=None)
    assert found.status == PERLU_DICEK
    assert found.reason == "Tidak ditemukan tanggal pada dokumen dan tanggal dokumen tidak diisi."
