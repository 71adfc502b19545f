"""The recap of an instansi and year as an Excel workbook (the instansi page's table).

One row per penilaian, the figures of `scoring.rekap` (final snapshots, or the live
score of a penilaian in progress), unrounded numbers formatted with two decimals.
Every text from users is a string cell, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from scoring.rekap import Filter, rekap_baris, rekap_refresh, rekap_rows
from units.models import Instansi
from zi_portal.lib.dates import tanggal_indonesia
from zi_portal.lib.spreadsheet import starts_formula

HEADERS = (
    ("Unit kerja", 44),
    ("Status", 14),
    ("Nilai mandiri", 12),
    ("Nilai TPI", 12),
    ("Nilai TPN", 12),
    ("Hasil (TPI)", 16),
    ("Kurang ke WBK", 13),
    ("Kurang ke WBBM", 14),
    ("Area di bawah minimum", 22),
    ("Pertanyaan berbukti", 12),
    ("Jumlah pertanyaan", 12),
    ("Cakupan bukti (%)", 12),
    ("Temuan pemeriksaan terbuka", 14),
    ("Siap", 8),
    ("Tabel 5 WBK", 14),
    ("Tabel 5 WBBM", 14),
    ("Riwayat predikat", 30),
    ("Sumber nilai", 14),
)
NUMBER = "0.00"
CHUNK = 200


TEXT_COLUMNS = (1, 2, 6, 9, 14, 15, 16, 17, 18)


def _as_text(ws: Any, row: int) -> None:
    """User and model text stays a string cell, never a formula (as the LKE workbook)."""
    for col in TEXT_COLUMNS:
        cell = ws.cell(row=row, column=col)
        if cell.value is None:
            continue
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(cell.value))
        cell.data_type = "s"
        if starts_formula(cell.value):
            cell.quotePrefix = True


def instansi_filename(instansi: Instansi, tahun: int) -> str:
    return f"rekap-{instansi.kode}-{tahun}.xlsx"


def instansi_workbook(
    instansi: Instansi,
    tahun: int,
    f: Filter | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    rekap_refresh(instansi, tahun)
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append([f"Rekap unit kerja {instansi.nama} tahun {tahun}"])
    _as_text(ws, 1)
    ws["A1"].font = Font(bold=True, size=13)
    now = timezone.localtime()
    ws.append([f"Dibuat {tanggal_indonesia(now.date())} pukul {now:%H.%M}"])
    ws.append([])
    ws.append([h for h, _ in HEADERS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, (_, width) in enumerate(HEADERS, start=1):
        ws.cell(row=4, column=col).font = bold
        ws.cell(row=4, column=col).fill = fill
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B5"
    ids = list(rekap_rows(instansi, tahun, f).values_list("pk", flat=True))
    order = {pk: i for i, pk in enumerate(ids)}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = sorted(rekap_rows(instansi, tahun).filter(pk__in=chunk), key=lambda p: order[p.pk])
        for r in rekap_baris(rows):
            k: dict[str, Any] = r.rekap
            p = r.penilaian
            ws.append(
                [
                    p.unit.nama,
                    str(p.get_status_display()),
                    k.get("total_mandiri"),
                    k.get("total_tpi"),
                    k.get("total_tpn"),
                    k.get("verdict", ""),
                    k.get("gap_wbk"),
                    k.get("gap_wbbm"),
                    ", ".join(k.get("area_kurang", [])),
                    r.n_berbukti,
                    r.n_pertanyaan,
                    r.cakupan,
                    r.n_temuan,
                    "ya" if r.siap else "tidak",
                    r.tabel5_wbk,
                    r.tabel5_wbbm,
                    "; ".join(
                        f"{h.get_predikat_display()} {h.tahun}"
                        + (f" (dicabut {h.dicabut_pada.year})" if h.dicabut_pada else "")
                        for h in r.predikat
                    ),
                    "snapshot final" if k.get("sumber") == "final" else "nilai sementara",
                ]
            )
            _as_text(ws, ws.max_row)
            for col in (3, 4, 5, 7, 8, 12):
                ws.cell(row=ws.max_row, column=col).number_format = NUMBER
        if progress is not None and ids:
            progress(min(95, int(100 * (start + len(chunk)) / len(ids))))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
