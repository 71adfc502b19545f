from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from documents.pdf import format_bobot, rencana_kerja_html, rencana_kerja_pdf, teks_html
from documents.signing import SIGNATURE_ANCHOR, waktu_indonesia
from evidence.models import RencanaAksi, RencanaKerja
from evidence.persetujuan import RK_CHAPTER_FIELDS
from zi_portal.lib.dates import tanggal_indonesia

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines (and words at hyphens)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def biro_hp(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    """Biro HP 2022 rendered once: the PDF, its pages' text and the rows of Tabel 1."""
    with django_db_blocker.unblock():
        rk = RencanaKerja.objects.select_related("penilaian__unit").get(
            penilaian__unit__slug="biro-hp", penilaian__tahun=2022
        )
        rows = list(RencanaAksi.objects.filter(penilaian=rk.penilaian).order_by("urutan", "id"))
        pdf = rencana_kerja_pdf(rk)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() or "" for page in reader.pages]
    return {"rk": rk, "rows": rows, "pdf": pdf, "reader": reader, "pages": pages}


def test_it_prints_every_section_of_the_rencana_kerja(biro_hp: dict[str, Any]) -> None:
    text = " ".join(" ".join(biro_hp["pages"]).split())
    for heading in (
        "MAHKAMAH KONSTITUSI",
        "BIRO HUBUNGAN MASYARAKAT DAN PROTOKOL",
        "TAHUN 2022",
        "KATA PENGANTAR",
        "DAFTAR ISI",
        "DAFTAR TABEL",
        "BAB I PENDAHULUAN",
        "A. LATAR BELAKANG",
        "B. MAKSUD DAN TUJUAN",
        "C. PENGERTIAN UMUM",
        "BAB II RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS",
        "TABEL 1 RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS",
        "BAB III PENUTUP",
    ):
        assert heading in text, heading
    rk = biro_hp["rk"]
    squashed = squash(text)
    for field in RK_CHAPTER_FIELDS:
        value: str = getattr(rk, field)
        assert value, field
        # Skip a leading list marker: markers are positioned apart from their text.
        assert squash(value)[3:63] in squashed, field
        assert squash(value)[-50:] in squashed, field


def test_it_prints_every_row_of_tabel_1(biro_hp: dict[str, Any]) -> None:
    rows: list[RencanaAksi] = biro_hp["rows"]
    assert len(rows) == 90
    # Tabel 1 pages are the landscape ones.
    reader: PdfReader = biro_hp["reader"]
    tabel = squash(
        " ".join(
            text
            for page, text in zip(reader.pages, biro_hp["pages"], strict=True)
            if page.mediabox.width > page.mediabox.height
        )
    )
    for row in rows:
        start = row.rencana_aksi or row.sasaran
        assert squash(start[:50]) in tabel, (row.urutan, start[:50])
        if row.bukti_direncanakan:
            assert squash(row.bukti_direncanakan[:40]) in tabel, (row.urutan, "bukti")
        if row.jadwal:
            assert squash(row.jadwal) in tabel, (row.urutan, "jadwal")


def test_tabel_1_is_grouped_per_area_with_merged_indikator_cells(
    biro_hp: dict[str, Any],
) -> None:
    text = " ".join(" ".join(biro_hp["pages"]).split())
    # Area headers with their combined weight (Pemenuhan + Reform, 90/2021), hasil last.
    headers = [
        "A. KOMPONEN PENGUNGKIT (60)",
        "I. MANAJEMEN PERUBAHAN (8)",
        "II. PENATAAN TATALAKSANA (7)",
        "III. PENATAAN SISTEM MANAJEMEN SDM APARATUR (10)",
        "IV. PENGUATAN AKUNTABILITAS (10)",
        "V. PENGUATAN PENGAWASAN (15)",
        "VI. PENINGKATAN KUALITAS PELAYANAN PUBLIK (10)",
        "B. KOMPONEN HASIL (40)",
    ]
    tabel_start = text.index("TABEL 1 RENCANA AKSI")
    positions = [text.index(h, tabel_start) for h in headers]
    assert positions == sorted(positions)
    # One KOMPONEN/INDIKATOR cell per indikator, its weight with a decimal comma.
    assert text.count("Penyusunan Tim Kerja (0,5)") == 1
    assert text.count("Perubahan pola pikir dan budaya kerja (1,5)") == 1
    assert "Nilai Survey Persepsi Korupsi (Survei Eksternal) (17,5)" in text
    # The Reform indikator sits in area V, after the Pemenuhan ones.
    assert text.index("Penyampaian Laporan Harta Kekayaan (2)") > text.index(
        "V. PENGUATAN PENGAWASAN (15)"
    )


def test_pages_are_numbered_and_tabel_1_is_landscape_with_repeated_header(
    biro_hp: dict[str, Any],
) -> None:
    reader: PdfReader = biro_hp["reader"]
    pages: list[str] = biro_hp["pages"]
    total = len(pages)
    landscape = 0
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), start=1):
        assert f"Halaman {number} dari {total}" in text
        if page.mediabox.width > page.mediabox.height:
            landscape += 1
            assert "KOMPONEN/INDIKATOR" in text and "RENCANA AKSI" in text
            assert "Rencana Kegiatan yang akan dilaksanakan" in " ".join(text.split())
        else:
            assert page.mediabox.height / page.mediabox.width == pytest.approx(297 / 210, 0.01)
    assert landscape >= 10
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height


def test_the_daftar_isi_gives_the_right_page_numbers(biro_hp: dict[str, Any]) -> None:
    pages: list[str] = biro_hp["pages"]
    toc_index = next(i for i, text in enumerate(pages) if "DAFTAR ISI" in text and "SAMPUL" in text)
    toc = pages[toc_index]

    def listed(label: str) -> int:
        match = re.search(re.escape(label) + r"\s*\.{3,}\s*(\d+)", toc)
        assert match, label
        return int(match.group(1))

    def first_page_with(needle: str) -> int:
        return next(
            number
            for number, text in enumerate(pages, start=1)
            if number > toc_index + 1 and needle in " ".join(text.split())
        )

    assert listed("KATA PENGANTAR") == 2
    assert listed("DAFTAR ISI") == toc_index + 1
    assert listed("BAB I PENDAHULUAN") == first_page_with("BAB I PENDAHULUAN")
    assert listed("BAB III PENUTUP") == len(pages) == first_page_with("BAB III PENUTUP")
    assert listed("Tabel 1 Rencana Aksi Pembangunan Zona Integritas") == first_page_with(
        "TABEL 1 RENCANA AKSI"
    )
    assert listed("B. KOMPONEN HASIL") == first_page_with("B. KOMPONEN HASIL (40)")


def test_the_last_page_carries_the_signature_block_of_seed_002(biro_hp: dict[str, Any]) -> None:
    last = " ".join(biro_hp["pages"][-1].split())
    assert "Jakarta, 28 Juni 2022" in last
    assert "Menyetujui," in last
    assert "Kepala Biro Hubungan Masyarakat dan Protokol," in last
    assert last.index("Menyetujui,") < last.index("Heru Setiawan")
    # The blank box for the electronic signature is a named destination on that page.
    reader: PdfReader = biro_hp["reader"]
    dest = reader.named_destinations[SIGNATURE_ANCHOR]
    assert reader.get_destination_page_number(dest) == len(reader.pages) - 1


def test_it_prints_nip_and_verification_link_when_given(db: None) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    rk.penandatangan_nip = "197001012000031001"
    html = rencana_kerja_html(rk, verification_url="http://testserver/verifikasi/abc/")
    assert "NIP 197001012000031001" in html
    assert 'href="http://testserver/verifikasi/abc/"' in html


def test_user_text_is_escaped_in_the_print_html(db: None) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    rk.latar_belakang = 'Teks <script>alert("x")</script> & <img src=x>'
    rk.penandatangan_nama = "<b>Nama</b>"
    html = rencana_kerja_html(rk)
    assert "<script>alert" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Nama&lt;/b&gt;" in html


def test_an_empty_rencana_kerja_still_renders(db: None) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    for field in ("kata_pengantar", "latar_belakang", "penutup", "kota", "penandatangan_nama"):
        setattr(rk, field, "")
    rk.tanggal = None
    html = rencana_kerja_html(rk)
    assert "Belum diisi." in html
    assert ".................... 2022" in html


def test_teks_html_turns_numbered_lines_into_items_and_headings() -> None:
    html = teks_html(
        "Paragraf pembuka.\n\nI. KOMPONEN PENGUNGKIT\n\n1. Satu\n  a) Anak\n2. Dua\nlanjutan",
        subjudul=True,
    )
    assert '<h3 class="subjudul">I. KOMPONEN PENGUNGKIT</h3>' in html
    assert '<p class="alinea">Paragraf pembuka.</p>' in html
    assert 'tingkat-1"><span class="penanda">1.</span><span class="isi">Satu' in html
    assert 'tingkat-2"><span class="penanda">a)</span>' in html
    assert "Dua<br>lanjutan" in html


def test_indonesian_dates_and_weights_do_not_depend_on_the_machine_locale() -> None:
    assert tanggal_indonesia(dt.date(2022, 6, 28)) == "28 Juni 2022"
    assert tanggal_indonesia(dt.date(2024, 2, 1)) == "1 Februari 2024"
    moment = dt.datetime(2022, 6, 28, 5, 34, 28, tzinfo=dt.UTC)
    assert waktu_indonesia(moment) == "28 Juni 2022 pukul 12.34.28 WIB"
    assert [format_bobot(Decimal(v)) for v in ("1.5000", "0.2500", "17.50", "8.0000", "10")] == [
        "1,5",
        "0,25",
        "17,5",
        "8",
        "10",
    ]
