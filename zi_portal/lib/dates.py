"""Indonesian dates as official documents write them ("28 Juni 2022"), independent of the
machine's locale."""

from __future__ import annotations

import datetime as dt

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def nama_bulan(month: int) -> str:
    return BULAN[month - 1]


def tanggal_indonesia(value: dt.date) -> str:
    return f"{value.day} {nama_bulan(value.month)} {value.year}"
