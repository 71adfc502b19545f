from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from evidence.checks import text
from evidence.checks.text import DOCX, PDF, XLSX, TidakTerbaca, extract, extract_local
from tests.conftest import require
from tests.evidence.checks.helpers import docx_bytes, scan_png, text_pdf


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pdf_text_is_read_page_by_page(tmp_path: Path) -> None:
    path = write(tmp_path, "a.pdf", text_pdf("Halaman pertama surat", "Kupang, 28 Juni 2022"))
    result = extract(path, PDF)
    assert [h.nomor for h in result.halaman] == [1, 2]
    assert "pertama" in result.halaman[0].teks
    assert "28 Juni 2022" in result.halaman[1].teks
    assert not any(h.ocr for h in result.halaman)


def test_pages_beyond_the_limit_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text, "MAX_PAGES", 2)
    path = write(
        tmp_path,
        "a.pdf",
        text_pdf("satu satu satu satu satu", "dua dua dua dua dua dua", "tiga tiga tiga tiga tiga"),
    )
    result = extract_local(path, PDF)
    assert [h.nomor for h in result.halaman] == [1, 2]
    assert result.catatan == ["Hanya 2 halaman pertama yang diperiksa."]


def test_docx_and_xlsx(tmp_path: Path) -> None:
    result = extract(
        write(tmp_path, "a.docx", docx_bytes("Notulen rapat", "Kupang, 3 Mei 2024")), DOCX
    )
    assert [h.nomor for h in result.halaman] == [1]
    assert "Notulen rapat\nKupang, 3 Mei 2024" in result.halaman[0].teks
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rekap"
    sheet.append(["Rekapitulasi LHKPN", 2024])
    workbook.create_sheet("Lain").append(["catatan"])
    workbook.save(tmp_path / "a.xlsx")
    result = extract(tmp_path / "a.xlsx", XLSX)
    assert [(h.nomor, h.teks.splitlines()[0]) for h in result.halaman] == [
        (1, "Rekap"),
        (2, "Lain"),
    ]
    assert "Rekapitulasi LHKPN 2024" in result.halaman[0].teks


@pytest.mark.parametrize(
    ("name", "data", "mime", "reason"),
    [
        (
            "rusak.pdf",
            b"%PDF-1.4\nbukan pdf sungguhan",
            PDF,
            "Berkas PDF rusak atau tidak dapat dibaca.",
        ),
        ("rusak.docx", b"PK\x03\x04rusak", DOCX, "Dokumen Word rusak atau tidak dapat dibuka."),
        ("rusak.xlsx", b"bukan zip", XLSX, "Lembar kerja Excel rusak atau tidak dapat dibuka."),
        (
            "rusak.png",
            b"\x89PNG\r\n\x1a\nrusak",
            "image/png",
            "Gambar rusak atau tidak dapat dibuka.",
        ),
        (
            "lama.doc",
            b"\xd0\xcf\x11\xe0",
            "application/msword",
            "Jenis berkas application/msword belum didukung untuk pemeriksaan isi.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(
    tmp_path: Path, name: str, data: bytes, mime: str, reason: str
) -> None:
    with pytest.raises(TidakTerbaca) as caught:
        extract(write(tmp_path, name, data), mime)
    assert caught.value.reason == reason


def test_the_minimal_pdf_of_the_upload_tests_has_no_pages(tmp_path: Path) -> None:
    from tests.evidence.files import PDF as MINIMAL

    with pytest.raises(TidakTerbaca) as caught:
        extract(write(tmp_path, "a.pdf", MINIMAL), PDF)
    assert "PDF" in caught.value.reason


def test_time_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "a.pdf", text_pdf("isi"))
    with pytest.raises(TidakTerbaca) as caught:
        extract(path, PDF, timeout=0.001)
    assert caught.value.reason == "Pembacaan berkas melebihi batas waktu (0 detik)."


def test_a_scanned_image_is_read_with_ocr(tmp_path: Path) -> None:
    require(text.tesseract_available(), "tesseract dengan data bahasa ind")
    data = scan_png("SURAT KEPUTUSAN KEPALA", "Tim Kerja Zona Integritas", "Kupang, 28 Juni 2022")
    result = extract(write(tmp_path, "scan.png", data), "image/png")
    (page,) = result.halaman
    assert page.ocr and page.nomor == 1
    assert "Zona Integritas" in page.teks and "28 Juni 2022" in page.teks
    assert len(result.phash) == 1 and len(result.phash[0]) == 16


def test_a_pdf_page_without_text_is_rendered_and_read_with_ocr(tmp_path: Path) -> None:
    require(text.tesseract_available(), "tesseract dengan data bahasa ind")
    import io

    from PIL import Image

    image = Image.open(
        io.BytesIO(scan_png("LAPORAN MONITORING DAN EVALUASI", "Kupang, 3 Mei 2024"))
    )
    image.save(tmp_path / "scan.pdf", format="PDF", resolution=200)
    result = extract(tmp_path / "scan.pdf", PDF)
    (page,) = result.halaman
    assert page.ocr and "MONITORING" in page.teks
    assert len(result.phash) == 1
