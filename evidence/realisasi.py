"""Reading the realisasi of the rencana aksi per quarter (selectors; the writer is
`evidence.services.realisasi_rencana_aksi_save`).

A row is *planned* in a quarter when its months (bulan_mulai..bulan_selesai, or the
months its jadwal text names when those are empty) overlap the quarter; it is *late* at
the end of a quarter when it was planned to finish by then and its latest realisasi up
to that quarter is not *selesai* with progres 100 %.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.models import RealisasiRencanaAksi, RencanaAksi, StatusRencanaAksi
from zi_portal.lib.dates import BULAN

NAMA_TRIWULAN = ("I", "II", "III", "IV")
_BULAN_RE = re.compile(r"\b(" + "|".join(BULAN) + r")\b", re.IGNORECASE)


def bulan_triwulan(triwulan: int) -> tuple[int, int]:
    """The first and last month of a quarter (I: 1-3 ... IV: 10-12)."""
    return 3 * triwulan - 2, 3 * triwulan


def bulan_rencana(row: RencanaAksi) -> tuple[int, int] | None:
    """The planned months of a row: its bulan fields, else the months its jadwal names."""
    mulai, selesai = row.bulan_mulai, row.bulan_selesai
    if mulai or selesai:
        return (mulai or selesai or 1), (selesai or mulai or 12)
    named = [BULAN.index(m.capitalize()) + 1 for m in _BULAN_RE.findall(row.jadwal or "")]
    if not named:
        return None
    return min(named), max(named)


def direncanakan(row: RencanaAksi, triwulan: int) -> bool:
    months = bulan_rencana(row)
    if months is None:
        return False
    awal, akhir = bulan_triwulan(triwulan)
    return months[0] <= akhir and months[1] >= awal


def triwulan_rencana(row: RencanaAksi) -> list[int]:
    return [t for t in (1, 2, 3, 4) if direncanakan(row, t)]


def realisasi_per_triwulan(row: RencanaAksi) -> dict[int, RealisasiRencanaAksi]:
    """The row's realisasi by quarter (uses a prefetched `realisasi` when there is one)."""
    return {r.triwulan: r for r in row.realisasi.all()}


def realisasi_sampai(row: RencanaAksi, triwulan: int) -> RealisasiRencanaAksi | None:
    """The latest realisasi of the row at or before `triwulan` (progress is cumulative)."""
    by = realisasi_per_triwulan(row)
    for t in range(triwulan, 0, -1):
        if t in by:
            return by[t]
    return None


def terlambat(row: RencanaAksi, triwulan: int) -> bool:
    months = bulan_rencana(row)
    if months is None or months[1] > bulan_triwulan(triwulan)[1]:
        return False
    latest = realisasi_sampai(row, triwulan)
    return latest is None or latest.status != StatusRencanaAksi.SELESAI or latest.progres < 100


@dataclass(frozen=True)
class SelTriwulan:
    """One quarter of a row on the rencana aksi page."""

    nomor: int
    nama: str
    direncanakan: bool
    realisasi: RealisasiRencanaAksi | None
    terlambat: bool


def sel_triwulan(row: RencanaAksi) -> list[SelTriwulan]:
    by = realisasi_per_triwulan(row)
    return [
        SelTriwulan(t, NAMA_TRIWULAN[t - 1], direncanakan(row, t), by.get(t), terlambat(row, t))
        for t in (1, 2, 3, 4)
    ]
