"""How the Riwayat page shows a stored change: labels, not keys (issue 13 part 7).

`Riwayat.perubahan` keeps the raw values ({"status": ["diterima", "perlu_perbaikan"]},
{"nilai_tpi": ["", "3.62"]}, {"tanggal": ["", "2022-06-28"]}); the CSV export keeps them so,
this module turns them into what a reader expects: "Perlu perbaikan", "3,62", "28 Juni 2022".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from evidence.models import JenisBukti, StatusPersetujuan, StatusRencanaAksi
from lke.models import StatusPenilaian
from scoring.models import StatusReviu
from units.models import Peran
from zi_portal.lib.dates import nama_bulan, tanggal_indonesia
from zi_portal.lib.numbers import format_id

_DECIMAL = re.compile(r"-?\d+\.\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
# Fields written by people: shown as typed, never reformatted.
_FREE_TEXT = {
    "catatan",
    "catatan_pimpinan",
    "judul",
    "rencana_aksi",
    "rencana_kegiatan",
    "kendala",
    "tindak_lanjut",
    "bukti",
}
_MONTH_FIELDS = {"bulan_mulai", "bulan_selesai", "bulan"}
_CHOICES: tuple[type[models.TextChoices], ...] = (
    StatusReviu,
    StatusPenilaian,
    StatusPersetujuan,
    StatusRencanaAksi,
    JenisBukti,
    Peran,
)


def _field_labels() -> dict[str, str]:
    return {
        "opsi": _("Jawaban"),
        "angka": _("Angka"),
        "catatan": _("Catatan"),
        "status": _("Status"),
        "nilai": _("Nilai"),
        "nilai_tpi": _("Nilai TPI"),
        "hasil": _("Hasil"),
        "peran": _("Peran"),
        "jadwal": _("Keterangan jadwal"),
        "bulan_mulai": _("Bulan mulai"),
        "bulan_selesai": _("Bulan selesai"),
        "penanggung_jawab": _("Penanggung jawab"),
        "penanggung_jawab_user_id": _("Penanggung jawab (akun)"),
        "tanggal": _("Tanggal"),
        "saran_portal": _("Saran portal (capaian kinerja)"),
        "realisasi": _("Realisasi"),
        "progres": _("Progres (%)"),
        "kendala": _("Kendala"),
        "tindak_lanjut": _("Tindak lanjut"),
        "bukti": _("Bukti"),
        "tercapai": _("Tercapai"),
        "diajukan_ulang": _("Diajukan ulang"),
        "disalin_dari": _("Disalin dari tahun"),
        "keanggotaan": _("Keanggotaan"),
    }


@dataclass(frozen=True)
class Perubahan:
    field: str
    old: str
    new: str


def _choice_label(value: str) -> str | None:
    for choices in _CHOICES:
        if value in choices.values:
            return str(choices(value).label)
    return None


def value_label(field: str, value: Any) -> str:
    """One stored value as the page shows it."""
    text = "" if value is None else str(value).strip()
    if not text or field in _FREE_TEXT:
        return text
    if field in _MONTH_FIELDS and text.isdigit() and 1 <= int(text) <= 12:
        return nama_bulan(int(text))
    if field == "status" or field.endswith("_status") or field == "peran":
        label = _choice_label(text)
        if label is not None:
            return label
    if "_" in text and (label := _choice_label(text)) is not None:
        return label
    if _DATE.fullmatch(text):
        try:
            return tanggal_indonesia(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if _DATETIME.fullmatch(text):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        return f"{tanggal_indonesia(moment.date())} {moment:%H.%M}"
    if _DECIMAL.fullmatch(text):
        return _decimal(text)
    if field == "angka":
        # "a=5.5, b=4" -> "a=5,5, b=4"
        return re.sub(r"(?<==)-?\d+\.\d+", lambda m: _decimal(m.group(0)), text)
    return text


def _decimal(text: str) -> str:
    places = len(text.partition(".")[2])
    return format_id(Decimal(text), places)


def field_label(field: str) -> str:
    label = _field_labels().get(field)
    if label is not None:
        return label
    return field.replace("_", " ").capitalize()


def perubahan_rows(perubahan: dict[str, Any] | None) -> list[Perubahan]:
    rows = []
    for field, change in sorted((perubahan or {}).items()):
        old, new = [*change, "", ""][:2] if isinstance(change, list) else ("", change)
        rows.append(Perubahan(field_label(field), value_label(field, old), value_label(field, new)))
    return rows
