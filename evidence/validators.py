"""Checks on uploaded evidence: what it really is, how it is named, how big it is.

Every refusal is a `BuktiDitolak` with a message for the user, in the active language.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

import magic
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
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
# Every zip-based format accepted (OOXML and OpenDocument) is checked before anything
# reads it: entry count, total inflated size, and the inflation ratio of large entries.
ZIP_BASED = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}
ARCHIVE_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ARCHIVE_MAX_ENTRIES = 10_000
ARCHIVE_MAX_RATIO = 100  # inflated / compressed, for entries above ARCHIVE_RATIO_FROM
ARCHIVE_RATIO_FROM = 1024 * 1024
# The markup scan reads the whole file in chunks; a tag split between two chunks is
# caught by carrying the end of the previous chunk over.
SCAN_CHUNK = 64 * 1024
SCAN_OVERLAP = 64
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
        raise BuktiDitolak(_("Nama berkas kosong atau tidak sah."))
    if any(ch in _BIDI for ch in name):
        raise BuktiDitolak(
            _("Nama berkas mengandung karakter arah teks tersembunyi; ganti nama berkas.")
        )
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in name):
        raise BuktiDitolak(_("Nama berkas mengandung karakter kendali; ganti nama berkas."))
    if len(name) > MAX_NAME_LENGTH:
        raise BuktiDitolak(
            _("Nama berkas terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_NAME_LENGTH}
        )
    if raw != name and ("/" in raw or "\\" in raw):
        # A browser sends only the base name; a path here is a tampered request.
        raise BuktiDitolak(_("Nama berkas tidak boleh memuat folder."))
    return unicodedata.normalize("NFC", name)


def _zip_has_part(upload: UploadedFile, part: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _check_archive_entries(infos)
            return part in {i.filename for i in infos}
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def _check_archive_entries(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb by its directory: too many entries, too much inflated data, or
    an entry that inflates far more than documents do. (Python's zipfile never inflates
    an entry beyond its declared size, so the declared sizes bound every later read.)"""
    bomb = _("Berkas Office terlalu besar setelah diekstrak (kemungkinan zip bomb).")
    if len(infos) > ARCHIVE_MAX_ENTRIES:
        raise BuktiDitolak(bomb)
    if sum(i.file_size for i in infos) > ARCHIVE_MAX_UNCOMPRESSED:
        raise BuktiDitolak(bomb)
    for info in infos:
        if info.file_size > ARCHIVE_RATIO_FROM and info.file_size > ARCHIVE_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise BuktiDitolak(bomb)


def _check_archive(upload: UploadedFile, name: str, extension: str) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_archive_entries(archive.infolist())
    except zipfile.BadZipFile as exc:
        raise BuktiDitolak(
            _("%(nama)s: berkas %(ekstensi)s rusak atau tidak lengkap.")
            % {"nama": name, "ekstensi": extension}
        ) from exc
    finally:
        upload.seek(0)


def _has_markup(upload: UploadedFile) -> bool:
    """Markup anywhere in the file, read in chunks (memory stays flat)."""
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(SCAN_CHUNK):
            if _MARKUP.search(tail + chunk):
                return True
            tail = chunk[-SCAN_OVERLAP:]
        return False
    finally:
        upload.seek(0)


def _check_image(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BuktiDitolak(_("Berkas gambar rusak atau bukan gambar yang sah.")) from exc
    finally:
        upload.seek(0)


def detect_and_validate(upload: UploadedFile, *, max_bytes: int) -> tuple[str, str]:
    """Return (clean file name, detected MIME type) or raise `BuktiDitolak`."""
    name = clean_filename(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise BuktiDitolak(_("%(nama)s: berkas kosong (0 byte).") % {"nama": name})
    if size > max_bytes:
        # "20,5" in Indonesian, "20.5" in English: the active language's decimal separator.
        megabytes = number_format(round(size / 1048576, 1), decimal_pos=1)
        raise BuktiDitolak(
            _("%(nama)s: ukuran %(ukuran)s MB melebihi batas %(batas)d MB.")
            % {"nama": name, "ukuran": megabytes, "batas": max_bytes // 1048576}
        )
    extension = PurePosixPath(name).suffix.lower()
    if extension not in ALLOWED:
        raise BuktiDitolak(
            _("%(nama)s: jenis berkas %(ekstensi)s tidak diizinkan. Yang diizinkan: %(daftar)s.")
            % {
                "nama": name,
                "ekstensi": extension or _("(tanpa ekstensi)"),
                "daftar": allowed_extensions_text(),
            }
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
                _("%(nama)s: isi berkas (%(jenis)s) tidak sesuai dengan ekstensi %(ekstensi)s.")
                % {"nama": name, "jenis": detected, "ekstensi": extension}
            )
        detected = next(iter(expected))
    elif extension in OOXML_MAIN_PART and not _zip_has_part(upload, OOXML_MAIN_PART[extension]):
        raise BuktiDitolak(
            _("%(nama)s: berkas %(ekstensi)s rusak atau tidak lengkap.")
            % {"nama": name, "ekstensi": extension}
        )
    if extension in ZIP_BASED:
        _check_archive(upload, name, extension)
    if _has_markup(upload):
        raise BuktiDitolak(
            _("%(nama)s: berkas memuat kode HTML/skrip dan ditolak.") % {"nama": name}
        )
    if detected.startswith("image/"):
        _check_image(upload)
    return name, detected
