"""Hostile and broken uploads are refused with a clear message, and nothing is stored."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import Bukti
from evidence.services import bukti_upload
from evidence.validators import BuktiDitolak
from lke.models import Penilaian, Pertanyaan
from tests.evidence.files import PDF, pdf, png, raw, xlsx

pytestmark = pytest.mark.django_db


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _upload(*files: SimpleUploadedFile) -> list[Bukti]:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    user = get_user_model().objects.get(username="tim.biro-hp")
    return bukti_upload(penilaian=penilaian, pertanyaan=q, files=list(files), user=user)


def _truncated_png() -> bytes:
    data: bytes = png().read()
    return data[:40]


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/padding.bin", b"\0" * (210 * 1024 * 1024))
    return buffer.getvalue()


BAD = [
    (raw("laporan.pdf", b"MZ\x90\x00\x03" + b"\0" * 300), "tidak sesuai dengan ekstensi .pdf"),
    (raw("setup.exe", b"MZ\x90\x00\x03" + b"\0" * 300), "jenis berkas .exe tidak diizinkan"),
    (raw("foto.jpg", PDF), "tidak sesuai dengan ekstensi .jpg"),
    (
        raw("halaman.html", b"<html><script>alert(1)</script></html>"),
        "jenis berkas .html tidak diizinkan",
    ),
    (
        raw("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ".svg tidak diizinkan",
    ),
    (
        raw("gambar.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
        "tidak sesuai dengan ekstensi .png",
    ),
    (
        raw("poliglot.pdf", b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>"),
        "kode HTML/skrip",
    ),
    (raw("kosong.pdf", b""), "berkas kosong"),
    (raw("tanpa-ekstensi", PDF), "(tanpa ekstensi) tidak diizinkan"),
    (raw("..\\..\\windows\\sk.pdf", PDF), "tidak boleh memuat folder"),
    (raw("a" * 200 + ".pdf", PDF), "terlalu panjang"),
    (raw("sk\u202eftp.pdf", PDF), "arah teks tersembunyi"),
    (raw("sk\x07tim.pdf", PDF), "karakter kendali"),
    (raw("rusak.png", _truncated_png()), "gambar rusak"),
    (raw("dokumen.docx", b"PK\x03\x04" + b"\0" * 100), "tidak sesuai dengan ekstensi .docx"),
    (raw("macro.docm", b"PK\x03\x04" + b"\0" * 100), ".docm tidak diizinkan"),
    (raw("arsip.zip", b"PK\x03\x04" + b"\0" * 100), ".zip tidak diizinkan"),
    (raw("skrip.js", b"alert(1)"), ".js tidak diizinkan"),
    (raw("laporan.pdf.exe", b"MZ\x90\x00"), ".exe tidak diizinkan"),
    (raw("data.xlsx", PDF), "tidak sesuai dengan ekstensi .xlsx"),
]


@pytest.mark.parametrize(("upload", "message"), BAD, ids=[b[0].name or "" for b in BAD])
def test_it_refuses_a_bad_file_and_stores_nothing(upload: SimpleUploadedFile, message: str) -> None:
    before_rows, before_files = Bukti.objects.count(), _stored_files()
    with pytest.raises(
        BuktiDitolak, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        _upload(upload)
    assert Bukti.objects.count() == before_rows
    assert _stored_files() == before_files


def test_it_keeps_only_the_base_name_of_a_traversal_attempt() -> None:
    (bukti,) = _upload(raw("../../etc/passwd.pdf", PDF))
    assert bukti.nama_asli == "passwd.pdf"
    assert bukti.berkas.name.startswith(f"bukti/{bukti.penilaian.code}/")
    assert ".." not in bukti.berkas.name


def test_it_refuses_an_oversized_file(settings: object) -> None:
    settings.ZI_UPLOAD_MAX_MB = 1  # type: ignore[attr-defined]
    big = pdf("besar.pdf", PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(BuktiDitolak, match="melebihi batas 1 MB"):
        _upload(big)
    assert not Bukti.objects.exists()


def test_it_refuses_a_zip_bomb_disguised_as_xlsx() -> None:
    with pytest.raises(BuktiDitolak, match="zip bomb"):
        _upload(raw("bom.xlsx", _zip_bomb()))


def test_it_refuses_the_whole_batch_when_one_file_is_bad() -> None:
    before = _stored_files()
    with pytest.raises(BuktiDitolak, match="tidak sesuai"):
        _upload(pdf("baik.pdf"), raw("buruk.pdf", b"MZ\x90\x00" + b"\0" * 300))
    assert not Bukti.objects.exists()
    assert _stored_files() == before


def test_it_refuses_the_same_name_twice_in_one_upload() -> None:
    with pytest.raises(BuktiDitolak, match="nama sama dipilih dua kali"):
        _upload(pdf("sk.pdf"), pdf("SK.pdf"))


def test_it_stores_good_files_under_random_names_with_their_hash() -> None:
    stored = _upload(pdf("SK Tim Kerja.pdf"), png(), xlsx())
    assert [b.tipe_konten for b in stored] == [
        "application/pdf",
        "image/png",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    first = stored[0]
    assert first.nama_asli == "SK Tim Kerja.pdf"
    assert "SK Tim" not in first.berkas.name and first.berkas.name.endswith(".pdf")
    import hashlib

    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.ukuran == len(PDF)


def test_it_leaves_no_row_when_storage_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.files.storage import FileSystemStorage

    def full_disk(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    with pytest.raises(BuktiDitolak, match="gagal disimpan"):
        _upload(pdf())
    assert not Bukti.objects.exists()
