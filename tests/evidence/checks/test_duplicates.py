from __future__ import annotations

import hashlib
from pathlib import Path

from evidence.checks.base import GAGAL, LOLOS, PERLU_DICEK
from evidence.checks.duplicates import Jejak, check_duplicates, distance, image_words
from evidence.checks.text import extract, tesseract_available
from tests.conftest import require
from tests.evidence.checks.helpers import photo, scan_png


def _phash(tmp_path: Path, name: str, data: bytes) -> str:
    import imagehash
    from PIL import Image

    (tmp_path / name).write_bytes(data)
    with Image.open(tmp_path / name) as image:
        return str(imagehash.phash(image.convert("L")))


def test_same_file_in_another_unit_fails_and_names_the_place() -> None:
    this = Jejak(1, unit_id=1, tempat="Rutan 2024, pertanyaan A.I.1.i.a (sk.pdf)", sha256="ab" * 32)
    other = Jejak(
        2, unit_id=2, tempat="Biro HP 2022, pertanyaan A.I.1.i.a (sk.pdf)", sha256="ab" * 32
    )
    found = check_duplicates(this, [this, other])
    assert found.status == GAGAL
    assert found.reason == (
        "Bukti yang sama dipakai unit kerja lain: Biro HP 2022, pertanyaan A.I.1.i.a (sk.pdf): "
        "berkas sama (SHA-256)."
    )
    assert found.detail == {"sama_dengan": [2]}


def test_same_file_in_the_same_unit_is_perlu_dicek() -> None:
    this = Jejak(1, 1, "Rutan 2024, pertanyaan A.I.1.i.a (sk.pdf)", sha256="ab" * 32)
    other = Jejak(2, 1, "Rutan 2023, pertanyaan A.I.1.i.a (sk.pdf)", sha256="ab" * 32)
    found = check_duplicates(this, [other])
    assert found.status == PERLU_DICEK and "Rutan 2023" in found.reason
    assert check_duplicates(this, [Jejak(3, 1, "x", sha256="cd" * 32)]).status == LOLOS


def test_a_re_encoded_photo_is_near_identical_and_another_is_not(tmp_path: Path) -> None:
    a = _phash(tmp_path, "a.png", photo(1))
    b = _phash(tmp_path, "b.jpg", photo(1, fmt="JPEG", scale=0.8))
    c = _phash(tmp_path, "c.png", photo(2))
    assert distance(a, b) <= 8 < distance(a, c)
    this = Jejak(1, 1, "di sini", phash=(a,))
    found = check_duplicates(
        this, [Jejak(2, 1, "di sana", phash=(b,)), Jejak(3, 1, "lain", phash=(c,))]
    )
    assert found.status == PERLU_DICEK
    assert "di sana: gambar hampir identik" in found.reason and "lain" not in found.reason


def test_scans_of_different_texts_are_not_duplicates(tmp_path: Path) -> None:
    require(tesseract_available(), "tesseract dengan data bahasa ind")
    pages: dict[str, Jejak] = {}
    for name, lines in {
        "a.png": ["SURAT KEPUTUSAN TIM KERJA", "Zona Integritas menuju WBK", "Kupang, 3 Mei 2024"],
        "b.png": [
            "LAPORAN MONITORING EVALUASI",
            "Rencana aksi triwulan kedua",
            "Kupang, 9 Juli 2024",
        ],
        "c.jpg": ["SURAT KEPUTUSAN TIM KERJA", "Zona Integritas menuju WBK", "Kupang, 3 Mei 2024"],
    }.items():
        data = scan_png(
            *lines,
            fmt="JPEG" if name.endswith("jpg") else "PNG",
            scale=0.9 if name.endswith("jpg") else 1,
        )
        (tmp_path / name).write_bytes(data)
        result = extract(tmp_path / name, "image/jpeg" if name.endswith("jpg") else "image/png")
        halaman = [{"nomor": h.nomor, "teks": h.teks, "ocr": h.ocr} for h in result.halaman]
        pages[name] = Jejak(
            len(pages) + 1,
            1,
            name,
            hashlib.sha256(data).hexdigest(),
            tuple(result.phash),
            kata=image_words(halaman),
        )
    found = check_duplicates(pages["a.png"], list(pages.values()))
    assert found.detail["sama_dengan"] == [pages["c.jpg"].bukti_id]
    assert check_duplicates(pages["b.png"], list(pages.values())).status == LOLOS
