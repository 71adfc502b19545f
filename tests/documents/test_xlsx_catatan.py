"""Issue 12 part 8: the Ringkasan sheet of the LKE export names the model's derived and
unverified parts, as the score page does."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from documents.xlsx_export import lke_workbook
from lke.models import Penilaian

pytestmark = pytest.mark.django_db


def _ringkasan(slug: str) -> Any:
    penilaian = Penilaian.objects.get(unit__slug=slug)
    return openpyxl.load_workbook(io.BytesIO(lke_workbook(penilaian)))["Ringkasan"]


def _catatan_rows(ws: Any) -> list[tuple[Any, ...]]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if str(row[0] or "").startswith("CATATAN MODEL"))
    assert rows[start + 2][0] == "Kode"  # the header
    return [row for row in rows[start + 3 :] if any(row)]


def test_the_10_2019_ringkasan_lists_its_unverified_thresholds_and_sources() -> None:
    ws = _ringkasan("bkkbn-sumsel")
    rows = _catatan_rows(ws)
    status = [row[-1] for row in rows]
    assert status.count("Belum terverifikasi") == 9
    assert status.count("Sumber") == 1 + 23  # the WBBM "already WBK" rule, every indikator
    assert status[0] == "Catatan" and "BELUM TERVERIFIKASI (catatan riset U1)" in rows[0][1]
    unverified = [row for row in rows if row[-1] == "Belum terverifikasi"]
    assert unverified[0][0] == "WBK"
    assert unverified[0][1].startswith("Ambang predikat: WBK: Nilai total ≥ 75,00\n")
    assert "Catatan riset U1" in unverified[0][1]
    indikator = {row[0]: row[1] for row in rows if row[0] and row[0].startswith("A.")}
    assert "U3" in indikator["A.5.iv"] and indikator["A.1.i"].startswith("Indikator: ")
    # The predikat checklist above points at the notes for each unverified rule.
    checklist = [
        str(row[1])
        for row in ws.iter_rows(values_only=True)
        if row[0] in ("WBK", "WBBM") and not str(row[1]).startswith("Ambang predikat")
    ]
    assert len(checklist) == 10
    assert sum("(belum terverifikasi: lihat CATATAN MODEL)" in label for label in checklist) == 9
    # The notes are text, merged up to the status column, never formulas.
    cell = next(c for c in ws["B"] if str(c.value or "").startswith("Ambang predikat"))
    assert cell.data_type == "s"
    assert any(
        r.min_row == cell.row and r.min_col == 2 and r.max_col == ws.max_column - 1
        for r in ws.merged_cells.ranges
    )


def test_the_90_2021_ringkasan_has_only_the_model_note() -> None:
    rows = _catatan_rows(_ringkasan("biro-hp"))
    assert [row[-1] for row in rows] == ["Catatan"]
    assert "Ambang per area (60 % / 75 %)" in rows[0][1]


def test_the_notes_stay_indonesian_when_the_export_runs_in_english() -> None:
    with translation.override("en"):
        rows = _catatan_rows(_ringkasan("bkkbn-sumsel"))
    assert [row[-1] for row in rows].count("Belum terverifikasi") == 9
