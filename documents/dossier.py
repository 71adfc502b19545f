"""The evidence dossier of a penilaian: one ZIP the evaluators can go through offline.

Layout, under one root folder (`berkas-bukti-<unit>-<tahun>/`): a folder per area and
indikator (for the hasil items: per bagian and item), every current bukti file under a
readable name (`A.I.1.ii.a - SK Tim Kerja.pdf`), the links as a list
(`Daftar tautan.csv`) and an index as PDF and CSV (`Indeks bukti.*`: code, question,
file, SHA-256, uploader, date, TPI review status).

The archive is a generator of chunks (zipstream-ng): each file is read from storage as a
stream and hashed while it passes, and the index, written last, records the hash of the
bytes actually in the archive. Memory stays flat whatever the size of the dossier.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

from django.core.files.base import File
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream

from documents.pdf import html_pdf
from evidence.models import Bukti, JenisBukti
from lke.models import Penilaian
from scoring.models import Reviu, StatusReviu
from zi_portal.lib.dates import tanggal_indonesia
from zi_portal.lib.numbers import format_id
from zi_portal.lib.spreadsheet import csv_safe
from zi_portal.lib.urls import public_base_url

Progress = Callable[[int], None]

CHUNK = 1 << 20
INDEX_NAME = "Indeks bukti"
LINKS_NAME = "Daftar tautan.csv"
# Already compressed: stored as they are (deflating them again costs time, saves nothing).
STORED_SUFFIXES = frozenset(
    [
        ".pdf",
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".heic",
        ".zip",
        ".rar",
        ".7z",
        ".gz",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".mp4",
        ".mov",
        ".mp3",
        ".m4a",
    ]
)
FOLDER_MAX = 50
FILE_MAX = 90

# What Windows (and zip readers extracting on it) refuse in a name.
_SEPARATORS = re.compile(r"[/\\|:]")
_FORBIDDEN = re.compile(r'[<>"?*\x00-\x1f\x7f]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)


def safe_name(text: str, max_length: int = FILE_MAX) -> str:
    """One path component valid on Windows, macOS and Linux and inside a ZIP.

    Separators become `-`, other forbidden characters go, whitespace collapses, leading
    and trailing dots and spaces go (Windows drops them), reserved device names (`CON`,
    `LPT1.txt`) get a leading `_`, and the result is at most `max_length` characters.
    """
    text = unicodedata.normalize("NFC", text)
    text = _FORBIDDEN.sub("", _SEPARATORS.sub("-", " ".join(text.split())))
    text = " ".join(text.split())[:max_length].strip(" .")
    if not text:
        return "_"
    if text.split(".", 1)[0].strip().upper() in _RESERVED:
        text = ("_" + text)[:max_length]
    return text


def _suffix(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


@dataclass
class Entri:
    """One current bukti of the dossier, with where it goes and what was written."""

    bukti: Bukti
    kode: str
    pertanyaan: str
    folder: tuple[str, str]
    status_reviu: str
    arcname: str = ""  # path in the archive (files)
    sha256: str = ""  # of the bytes written to the archive
    ukuran: int = 0
    hilang: bool = False  # the stored file could not be read

    @property
    def is_file(self) -> bool:
        return self.bukti.jenis == JenisBukti.FILE

    @property
    def pengunggah(self) -> str:
        user = self.bukti.diunggah_oleh
        return str(user.get_full_name() or user.get_username())

    @property
    def diunggah_pada(self) -> str:
        return timezone.localtime(self.bukti.diunggah_pada).strftime("%Y-%m-%d %H:%M")

    @property
    def tanggal_unggah(self) -> str:
        """As printed in the index PDF: `1 Desember 2026 20.35`."""
        local = timezone.localtime(self.bukti.diunggah_pada)
        return f"{tanggal_indonesia(local.date())} {local:%H.%M}"

    @property
    def sesuai_unggahan(self) -> str:
        """Does the archived file still have the hash recorded at upload?"""
        if not self.is_file or self.hilang:
            return ""
        if not self.bukti.sha256:
            return "-"
        return "ya" if self.bukti.sha256 == self.sha256 else "TIDAK"

    @property
    def tempat(self) -> str:
        """Where to find it: the path inside the root folder, or the link."""
        if not self.is_file:
            return self.bukti.url
        if self.hilang:
            return self.bukti.nama_asli
        return self.arcname.split("/", 1)[1]

    @property
    def keterangan(self) -> str:
        if self.hilang:
            return "Berkas tidak ditemukan di penyimpanan"
        if self.sesuai_unggahan == "TIDAK":
            return "Isi berkas berbeda dari saat diunggah"
        return ""


def dossier_root(penilaian: Penilaian) -> str:
    return safe_name(f"berkas-bukti-{penilaian.unit.slug}-{penilaian.tahun}")


def dossier_filename(penilaian: Penilaian) -> str:
    return f"{dossier_root(penilaian)}.zip"


def dossier_entries(penilaian: Penilaian) -> list[Entri]:
    """Every current bukti (files and links) in catalogue order, files named uniquely."""
    rows = (
        Bukti.objects.filter(penilaian=penilaian, aktif=True)
        .filter(Q(pertanyaan__isnull=False) | Q(hasil_item__isnull=False))
        .select_related(
            "diunggah_oleh",
            "pertanyaan__indikator__area__bagian",
            "pertanyaan__indikator__area__komponen",
            "hasil_item__bagian__komponen",
        )
        .order_by("diunggah_pada", "id")
    )
    reviu = dict(Reviu.objects.filter(penilaian=penilaian).values_list("pertanyaan_id", "status"))
    keyed: list[tuple[tuple[int, ...], Entri]] = []
    for bukti in rows:
        if bukti.pertanyaan is not None:
            q = bukti.pertanyaan
            ind = q.indikator
            area = ind.area
            key = (
                area.komponen.urutan,
                area.bagian.urutan if area.bagian else 0,
                area.urutan,
                ind.urutan,
                q.urutan,
                q.pk,
            )
            status = reviu.get(q.pk)
            entri = Entri(
                bukti=bukti,
                kode=q.kode,
                pertanyaan=q.teks,
                folder=(f"{area.kode} {area.nama}", f"{ind.kode} {ind.nama}"),
                status_reviu=str(StatusReviu(status).label) if status else "Belum direviu",
            )
        else:
            assert bukti.hasil_item is not None
            item = bukti.hasil_item
            bagian = item.bagian
            key = (bagian.komponen.urutan, bagian.urutan, 0, item.urutan, 0, item.pk)
            entri = Entri(
                bukti=bukti,
                kode=item.kode,
                pertanyaan=item.nama,
                folder=(f"{bagian.kode} {bagian.nama}", f"{item.kode} {item.nama}"),
                status_reviu="-",  # the TPI reviews questions, not hasil items
            )
        keyed.append((key, entri))
    keyed.sort(key=lambda pair: pair[0])  # stable: upload order within a question
    entries = [entri for _key, entri in keyed]
    _assign_names(penilaian, entries)
    return entries


def _assign_names(penilaian: Penilaian, entries: Iterable[Entri]) -> None:
    root = dossier_root(penilaian)
    taken = {f"{root}/{INDEX_NAME}.pdf".casefold(), f"{root}/{INDEX_NAME}.csv".casefold()}
    taken.add(f"{root}/{LINKS_NAME}".casefold())
    for entri in entries:
        if not entri.is_file:
            continue
        bukti = entri.bukti
        suffix = _suffix(bukti.nama_asli) or _suffix(bukti.berkas.name or "")
        title = (bukti.judul or "").strip() or PurePosixPath(bukti.nama_asli).stem
        if suffix and title.lower().endswith(suffix):
            title = title[: -len(suffix)]
        folder = "/".join(safe_name(part, FOLDER_MAX) for part in entri.folder)
        stem = f"{entri.kode} - {title.strip()}" if title.strip() else entri.kode
        number = 1
        while True:
            extra = f" ({number})" if number > 1 else ""
            name = safe_name(stem, FILE_MAX - len(extra) - len(suffix)) + extra + suffix
            path = f"{root}/{folder}/{name}"
            # Windows and macOS compare names without case: `A.pdf` and `a.PDF` collide.
            if path.casefold() not in taken:
                break
            number += 1
        taken.add(path.casefold())
        entri.arcname = path


def _read(entri: Entri, handle: File, done: Callable[[int], None]) -> Iterator[bytes]:  # type: ignore[type-arg]
    """The stored file, chunk by chunk, hashed on the way."""
    digest = hashlib.sha256()
    size = 0
    with handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            done(len(chunk))
            yield chunk
    entri.sha256 = digest.hexdigest()
    entri.ukuran = size


def dossier_stream(penilaian: Penilaian, progress: Progress | None = None) -> Iterator[bytes]:
    """The ZIP as chunks; `progress` gets 0..99 by bytes of evidence read.

    Each file is queued only when the previous one is written, so at most one file is
    open; the index, the links list and the index PDF come last.
    """
    report = progress or (lambda _value: None)
    entries = dossier_entries(penilaian)
    total = sum(e.bukti.ukuran for e in entries if e.is_file) or 1
    read = 0
    last = -1

    def done(size: int) -> None:
        nonlocal read, last
        read += size
        value = min(95, read * 95 // total)
        if value != last:
            last = value
            report(value)

    archive = ZipStream(compress_type=ZIP_STORED)
    root = dossier_root(penilaian)
    for entri in entries:
        if not entri.is_file:
            continue
        field = entri.bukti.berkas
        try:
            handle = field.storage.open(field.name, "rb")
        except OSError:  # missing from storage: listed in the index, not in the archive
            entri.hilang = True
            continue
        suffix = PurePosixPath(entri.arcname).suffix.lower()
        archive.add(
            _read(entri, handle, done),
            entri.arcname,
            size=entri.bukti.ukuran or None,
            compress_type=ZIP_STORED if suffix in STORED_SUFFIXES else ZIP_DEFLATED,
        )
        yield from archive.all_files()
    archive.add(index_csv(entries), f"{root}/{INDEX_NAME}.csv", compress_type=ZIP_DEFLATED)
    archive.add(links_csv(entries), f"{root}/{LINKS_NAME}", compress_type=ZIP_DEFLATED)
    report(96)
    archive.add(index_pdf(penilaian, entries), f"{root}/{INDEX_NAME}.pdf")
    yield from archive.finalize()
    report(99)


INDEX_HEADER = (
    "kode",
    "pertanyaan",
    "jenis",
    "berkas_atau_tautan",
    "sha256",
    "ukuran_byte",
    "sesuai_saat_unggah",
    "diunggah_oleh",
    "diunggah_pada",
    "status_reviu_tpi",
    "keterangan",
)


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # Every cell through csv_safe: titles, names and URLs are user input.
        writer.writerow([csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8


def index_csv(entries: Iterable[Entri]) -> bytes:
    return _csv(
        [
            INDEX_HEADER,
            *(
                (
                    e.kode,
                    e.pertanyaan,
                    "berkas" if e.is_file else "tautan",
                    e.tempat,
                    e.sha256,
                    e.ukuran if e.is_file and not e.hilang else "",
                    e.sesuai_unggahan,
                    e.pengunggah,
                    e.diunggah_pada,
                    e.status_reviu,
                    e.keterangan,
                )
                for e in entries
            ),
        ]
    )


def links_csv(entries: Iterable[Entri]) -> bytes:
    return _csv(
        [
            ("kode", "pertanyaan", "judul", "tautan", "diunggah_oleh", "diunggah_pada"),
            *(
                (e.kode, e.pertanyaan, e.bukti.judul, e.bukti.url, e.pengunggah, e.diunggah_pada)
                for e in entries
                if not e.is_file
            ),
        ]
    )


def _ukuran_teks(size: int) -> str:
    if size < 10**6:
        return f"{format_id(Decimal(size) / 10**3, 1)} kB"
    return f"{format_id(Decimal(size) / 10**6, 1)} MB"


def index_pdf(penilaian: Penilaian, entries: list[Entri]) -> bytes:
    return html_pdf(index_html(penilaian, entries))


def index_html(penilaian: Penilaian, entries: list[Entri]) -> str:
    """The print HTML of the index PDF (templates/documents/pdf/berkas_bukti.html)."""
    files = [e for e in entries if e.is_file]
    base = public_base_url()
    return render_to_string(
        "documents/pdf/berkas_bukti.html",
        {
            "penilaian": penilaian,
            "unit": penilaian.unit,
            "instansi": penilaian.unit.instansi,
            "entries": entries,
            "jumlah_berkas": format_id(len(files), 0),
            "jumlah_tautan": format_id(len(entries) - len(files), 0),
            "ukuran": _ukuran_teks(sum(e.ukuran for e in files)),
            "dibuat": tanggal_indonesia(timezone.localdate()),
            "alamat": f"{base}/penilaian/{penilaian.code}/",
        },
    )
