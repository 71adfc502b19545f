"""Dates in Indonesian text: "28 Juni 2022", "28-06-2022", "Juni 2022", "Nomor .../2022".

`find_dates(pages)` returns every date it finds with its page and a snippet, and how
strong a sign of the document's own date it is: a full date (day, month, year) is
`tanggal`, a month and year is `bulan`, a letter or decree number ending in a year is
`nomor`. Years cited in references to regulations ("Peraturan Menteri PANRB Nomor 90
Tahun 2021") are not the document's date and are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from evidence.checks.base import GAGAL, LOLOS, PERLU_DICEK, TANGGAL, Temuan
from zi_portal.lib.dates import BULAN as NAMA_BULAN

BULAN: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agust": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    # English month names appear in scans and exported forms
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}
MIN_YEAR, MAX_YEAR = 1990, 2100

_MONTHS = "|".join(sorted(BULAN, key=len, reverse=True))
_YEAR = r"((?:19|20)\d{2})"
FULL_NAMED = re.compile(
    rf"\b(\d{{1,2}})\s*(?:-|\s)\s*({_MONTHS})\.?\s*(?:-|\s)\s*{_YEAR}\b", re.IGNORECASE
)
FULL_NUMERIC = re.compile(rf"\b(\d{{1,2}})\s?([-/.])\s?(\d{{1,2}})\s?\2\s?{_YEAR}\b")
MONTH_YEAR = re.compile(rf"\b({_MONTHS})\.?\s+{_YEAR}\b", re.IGNORECASE)
# "Nomor: W20.PAS.PAS.9-UM.01.01-123/2022", "No. 12/SK/ZI/VI/2022"
NOMOR = re.compile(
    rf"\b(?:nomor|no)\s*[.:]?\s*[:]?\s*([A-Z0-9][\w.\-/ ]{{0,80}}?/\s?{_YEAR})\b",
    re.IGNORECASE,
)
# "Nomor 90 Tahun 2021", "UU No. 28 Tahun 1999", "Tahun Anggaran 2020": references
REFERENCE = re.compile(
    rf"\b(?:nomor|no\.?)\s*\d+[A-Z]?\s+tahun\s+{_YEAR}\b|\btahun\s+anggaran\s+{_YEAR}\b",
    re.IGNORECASE,
)

# "Kupang, 28 Juni 2022", "Ditetapkan di Jakarta pada tanggal 5 Juli 2022": a signature
SIGNATURE = re.compile(
    r"(?:\b(?!(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu)\b)[A-Z][A-Za-z]+"
    r"(?: [A-Z][A-Za-z]+)?,\s*|\bpada\s+tanggal\s*:?\s*|\btanggal\s+ditetapkan\s*:?\s*)$"
)
# the document's own date first: its signature, then its letter number's year (the year
# it was issued), then any full date (often one it cites), then a month and year
STRENGTH = {"tanda_tangan": 4, "nomor": 3, "tanggal": 2, "bulan": 1}


@dataclass(frozen=True)
class Tanggal:
    tahun: int
    bulan: int | None
    hari: int | None
    jenis: str  # "tanda_tangan", "tanggal", "bulan" or "nomor"
    halaman: int
    cuplikan: str

    @property
    def tanggal(self) -> dt.date | None:
        if self.bulan and self.hari:
            return dt.date(self.tahun, self.bulan, self.hari)
        return None

    def label(self) -> str:
        """The date as Indonesians write it: "28 Juni 2022", "Juni 2022", "2022"."""
        if self.bulan and self.hari:
            return f"{self.hari} {NAMA_BULAN[self.bulan - 1]} {self.tahun}"
        if self.bulan:
            return f"{NAMA_BULAN[self.bulan - 1]} {self.tahun}"
        return str(self.tahun)


def format_tanggal(value: dt.date) -> str:
    return f"{value.day} {NAMA_BULAN[value.month - 1]} {value.year}"


def _valid(year: int, month: int, day: int | None) -> bool:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return False
    if day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return " ".join(text[left:right].split())


def find_dates(pages: Iterable[tuple[int, str]]) -> list[Tanggal]:
    found: list[Tanggal] = []
    for number, text in pages:
        taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in REFERENCE.finditer(text)]

        def free(start: int, end: int, taken: list[tuple[int, int]] = taken) -> bool:
            return all(end <= a or start >= b for a, b in taken)

        def signed(start: int, text: str = text) -> bool:
            return bool(SIGNATURE.search(text[max(0, start - 60) : start]))

        def add(
            match: re.Match[str],
            year: int,
            month: int | None,
            day: int | None,
            kind: str,
            *,
            text: str = text,
            number: int = number,
            taken: list[tuple[int, int]] = taken,
        ) -> None:
            taken.append((match.start(), match.end()))
            found.append(Tanggal(year, month, day, kind, number, _snippet(text, *match.span())))

        for m in FULL_NAMED.finditer(text):
            day, month, year = int(m[1]), BULAN[m[2].lower()], int(m[3])
            if free(*m.span()) and _valid(year, month, day):
                add(m, year, month, day, "tanda_tangan" if signed(m.start()) else "tanggal")
        for m in FULL_NUMERIC.finditer(text):
            day, month, year = int(m[1]), int(m[3]), int(m[4])
            if free(*m.span()) and _valid(year, month, day):
                add(m, year, month, day, "tanda_tangan" if signed(m.start()) else "tanggal")
        for m in NOMOR.finditer(text):
            year = int(m[2])
            if free(*m.span()) and MIN_YEAR <= year <= MAX_YEAR:
                add(m, year, None, None, "nomor")
        for m in MONTH_YEAR.finditer(text):
            month, year = BULAN[m[1].lower()], int(m[2])
            if free(*m.span()) and _valid(year, month, None):
                add(m, year, month, None, "tanda_tangan" if signed(m.start()) else "bulan")
    return found


def document_date(dates: list[Tanggal]) -> Tanggal | None:
    """The best guess of the document's own date: the latest of its strongest kind.

    A signature's date first ("Kupang, 28 Juni 2022"); then the year closing a letter or
    decree number (the year it was issued); then the latest full date (a document is
    written after the dates it cites); then a month and year.
    """
    if not dates:
        return None
    best = max(STRENGTH[d.jenis] for d in dates)
    strongest = [d for d in dates if STRENGTH[d.jenis] == best]
    return max(strongest, key=lambda d: (d.tahun, d.bulan or 0, d.hari or 0, -d.halaman))


# Data dukung that may be from the year before (a decree still in force, last year's
# report): their text says so with one of these phrases.
PREVIOUS_YEAR = re.compile(
    r"tahun sebelumnya|tahun lalu|tahun terakhir|tahun n\s?-\s?1|periode sebelumnya|"
    r"yang masih berlaku",
    re.IGNORECASE,
)


def allows_previous_year(data_dukung: Iterable[str]) -> bool:
    return any(PREVIOUS_YEAR.search(text) for text in data_dukung)


def check_dates(
    pages: Iterable[tuple[int, str]],
    *,
    tahun: int,
    tanggal_efektif: dt.date | None,
    boleh_tahun_lalu: bool = False,
) -> Temuan:
    allowed = {tahun, tahun - 1} if boleh_tahun_lalu else {tahun}
    span = f"{tahun - 1}–{tahun}" if boleh_tahun_lalu else str(tahun)
    dates = find_dates(pages)
    doc = document_date(dates)
    detail: dict[str, object] = {
        "tanggal_ditemukan": [
            {"tanggal": d.label(), "jenis": d.jenis, "halaman": d.halaman} for d in dates[:20]
        ],
        "tahun_diizinkan": sorted(allowed),
    }
    if doc is not None:
        detail["tanggal_dokumen"] = doc.label()
    typed = format_tanggal(tanggal_efektif) if tanggal_efektif else ""
    if tanggal_efektif is not None and tanggal_efektif.year not in allowed:
        return Temuan(
            TANGGAL,
            GAGAL,
            f"Tanggal dokumen yang diisi pengunggah ({typed}) di luar tahun penilaian {span}.",
            halaman=doc.halaman if doc else None,
            detail=detail,
        )
    if doc is None:
        if tanggal_efektif is not None:
            return Temuan(
                TANGGAL,
                LOLOS,
                f"Tanggal yang diisi pengunggah ({typed}) dalam tahun penilaian {span}; "
                "tidak ditemukan tanggal pada isi dokumen.",
                detail=detail,
            )
        return Temuan(
            TANGGAL,
            PERLU_DICEK,
            "Tidak ditemukan tanggal pada dokumen dan tanggal dokumen tidak diisi.",
            detail=detail,
        )
    where = f"halaman {doc.halaman}: “{doc.cuplikan}”"
    if doc.tahun not in allowed:
        if doc.jenis in {"tanda_tangan", "tanggal"}:
            return Temuan(
                TANGGAL,
                GAGAL,
                f"Dokumen bertanggal {doc.label()} ({where}), di luar tahun penilaian {span}.",
                halaman=doc.halaman,
                detail=detail,
            )
        return Temuan(
            TANGGAL,
            PERLU_DICEK,
            f"Dokumen tampaknya dari {doc.label()} ({where}), di luar tahun penilaian {span}.",
            halaman=doc.halaman,
            detail=detail,
        )
    if tanggal_efektif is not None and tanggal_efektif.year != doc.tahun:
        return Temuan(
            TANGGAL,
            PERLU_DICEK,
            f"Tanggal yang diisi pengunggah ({typed}) berbeda tahun dengan tanggal pada "
            f"dokumen ({doc.label()}, {where}).",
            halaman=doc.halaman,
            detail=detail,
        )
    return Temuan(
        TANGGAL,
        LOLOS,
        f"Dokumen bertanggal {doc.label()} ({where}), dalam tahun penilaian {span}.",
        halaman=doc.halaman,
        detail=detail,
    )
