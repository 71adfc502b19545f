"""Checks on uploaded evidence: what it really is, how it is named, how big it is.

Every refusal is a `BuktiDitolak` with a message for the user in Bahasa Indonesia.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

import magic
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

MAX_NAME_LENGTH = 150
HEAD_BYTES = 8192

_OLE = {"application/CDFV2", "application/x-ole-storage", "application/vnd.ms-office"}
# extension -> MIME types libmagic may report for a genuine file of that kind
ALLOWED: dict[str, set[str]] = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".doc": {"application/msword"} | _OLE,
    ".xls": {"application/vnd.ms-excel"} | _OLE,
    ".ppt": {"application/vnd.ms-powerpoint"} | _OLE,
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    ".odp": {"application/vnd.oasis.opendocument.presentation"},
}
# OOXML files written by some tools are reported as plain zip: accept them only when the
# archive holds the part that makes them that kind of document.
OOXML_MAIN_PART = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
OOXML_MAX_UNCOMPRESSED = 200 * 1024 * 1024
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}
_MARKUP = re.compile(rb"<\s*(html|script|body|iframe|svg|object|embed)\b", re.IGNORECASE)
_BIDI = {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
}


class BuktiDitolak(ValueError):
    pass


def allowed_extensions_text() -> str:
    return "PDF, Word, Excel, PowerPoint, OpenDocument, JPEG, PNG"


def clean_filename(raw: str) -> str:
    """The user's file name without any path, refusing names that could mislead."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name.strip()
    if not name or name in {".", ".."}:
        raise BuktiDitolak("Nama berkas kosong atau tidak sah.")
    if any(ch in _BIDI for ch in name):
        raise BuktiDitolak(
            "Nama berkas mengandung karakter arah teks tersembunyi; ganti nama berkas."
        )
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in name):
        raise BuktiDitolak("Nama berkas mengandung karakter kendali; ganti nama berkas.")
    if len(name) > MAX_NAME_LENGTH:
        raise BuktiDitolak(f"Nama berkas terlalu panjang (maksimal {MAX_NAME_LENGTH} karakter).")
    if raw != name and ("/" in raw or "\\" in raw):
        # A browser sends only the base name; a path here is a tampered request.
        raise BuktiDitolak("Nama berkas tidak boleh memuat folder.")
    return unicodedata.normalize("NFC", name)


def _zip_has_part(upload: UploadedFile, part: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > OOXML_MAX_UNCOMPRESSED:
                raise BuktiDitolak(
                    "Berkas Office terlalu besar setelah diekstrak (kemungkinan zip bomb)."
                )
            return part in {i.filename for i in infos}
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def _check_image(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BuktiDitolak("Berkas gambar rusak atau bukan gambar yang sah.") from exc
    finally:
        upload.seek(0)


def detect_and_validate(upload: UploadedFile, *, max_bytes: int) -> tuple[str, str]:
    """Return (clean file name, detected MIME type) or raise `BuktiDitolak`."""
    name = clean_filename(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise BuktiDitolak(f"{name}: berkas kosong (0 byte).")
    if size > max_bytes:
        megabytes = f"{size / 1048576:.1f}".replace(".", ",")
        raise BuktiDitolak(
            f"{name}: ukuran {megabytes} MB melebihi batas {max_bytes // 1048576} MB."
        )
    extension = PurePosixPath(name).suffix.lower()
    if extension not in ALLOWED:
        raise BuktiDitolak(
            f"{name}: jenis berkas {extension or '(tanpa ekstensi)'} tidak diizinkan. "
            f"Yang diizinkan: {allowed_extensions_text()}."
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = magic.from_buffer(head, mime=True)
    expected = ALLOWED[extension]
    if detected not in expected:
        if not (
            detected == "application/zip"
            and extension in OOXML_MAIN_PART
            and _zip_has_part(upload, OOXML_MAIN_PART[extension])
        ):
            raise BuktiDitolak(
                f"{name}: isi berkas ({detected}) tidak sesuai dengan ekstensi {extension}."
            )
        detected = next(iter(expected))
    elif extension in OOXML_MAIN_PART and not _zip_has_part(upload, OOXML_MAIN_PART[extension]):
        raise BuktiDitolak(f"{name}: berkas {extension} rusak atau tidak lengkap.")
    if _MARKUP.search(head):
        raise BuktiDitolak(f"{name}: berkas memuat kode HTML/skrip dan ditolak.")
    if detected.startswith("image/"):
        _check_image(upload)
    return name, detected
