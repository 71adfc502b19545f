"""The LKE worksheet as an Excel workbook in the layout of Lampiran III, with live formulas.

Sheets: ``LKE`` (one row per model row, with its code), ``Ringkasan`` (area table and the
predikat checklist), ``Rencana Aksi`` (seed 000's Tabel 1) and ``Bukti`` (one clickable
portal link per evidence item).

Nilai and % are Excel formulas that reproduce ``scoring.engine.score()``: change an
answer in Excel and the score moves. They follow one answer column, ``Jawaban TPI``,
``Jawaban Mandiri`` or ``Jawaban TPN`` (the ``by`` argument), as the sheet's title block
says; the three answer columns stand side by side, and a mandiri or TPN answer that
differs from the TPI's is highlighted. Every text
that comes from users or from the model is written as a string cell, never a formula.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

from evidence.models import Bukti, RencanaAksi
from lke.catatan import CatatanModel, model_notices, unverified_rules
from lke.models import (
    OPSI_PER_JENIS,
    Area,
    Bagian,
    HasilItem,
    Indikator,
    InputNumerik,
    Komponen,
    Penilaian,
    Pertanyaan,
)
from scoring.engine import CAPAIAN_VALUES, OPTION_VALUES, RuleResult
from scoring.models import Jawaban, JawabanHasil, SetJawaban
from scoring.services import MAX_ANGKA, penilaian_score
from zi_portal.lib.spreadsheet import starts_formula
from zi_portal.lib.urls import public_base_url

LKE_SHEET = "LKE"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1

# Names of the workbook's custom properties, checked by the import.
PROP_MODEL = "zi_model"
PROP_PENILAIAN = "zi_penilaian"
# A very hidden, protected sheet: the version of every answer at export time, so the
# import refuses rows a colleague changed since (kind "q" question / "h" hasil, code,
# set, version: Jawaban.versi, or the hasil's diubah_pada in ISO form).
VERSI_SHEET = "_versi"

# LibreOffice renders a number format tagged with a locale using that locale's
# separators, so [$-421] (Indonesian) shows 17,50 whatever the machine's locale; Excel
# uses the user's own separators and ignores the tag for plain numbers.
NUM = "[$-421]0.00"
NUM_INDEKS = "[$-421]0.00##"
PCT = "[$-421]0.00%"
INT = "[$-421]#,##0"

SET_LABEL: dict[str, str] = {
    SetJawaban.MANDIRI: "Mandiri",
    SetJawaban.TPI: "TPI",
    SetJawaban.TPN: "TPN",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float


COLUMNS: tuple[Column, ...] = (
    Column("kode", "Kode", 13),
    Column("n1", "Penilaian", 3),
    Column("n2", "", 3.5),
    Column("n3", "", 3),
    Column("n4", "", 4.5),
    Column("n5", "", 3),
    Column("label", "", 42),
    Column("bobot", "Bobot", 7),
    Column("penjelasan", "Penjelasan", 46),
    Column("pilihan", "Pilihan Jawaban", 10),
    Column("mandiri", "Jawaban Mandiri", 10),
    Column("tpi", "Jawaban TPI", 10),
    Column("tpn", "Jawaban TPN", 10),
    Column("nilai", "Nilai", 8),
    Column("persen", "%", 9),
    Column("catatan_mandiri", "Catatan Mandiri", 24),
    Column("catatan_tpi", "Catatan TPI", 24),
    Column("catatan_tpn", "Catatan TPN", 24),
    Column("bukti", "Bukti", 28),
)
COL: dict[str, int] = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
LETTER: dict[str, str] = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
ANSWER_COLUMN: dict[str, str] = {
    SetJawaban.MANDIRI: "mandiri",
    SetJawaban.TPI: "tpi",
    SetJawaban.TPN: "tpn",
}
CATATAN_COLUMN: dict[str, str] = {
    SetJawaban.MANDIRI: "catatan_mandiri",
    SetJawaban.TPI: "catatan_tpi",
    SetJawaban.TPN: "catatan_tpn",
}
# An answer of the mandiri or TPN column that differs from the TPI's is highlighted
# (conditional formatting: it follows edits made in Excel too).
BEDA_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")

PILIHAN_LABEL = {
    "ya_tidak": "Ya/Tidak",
    "abc": "A/B/C",
    "abcd": "A/B/C/D",
    "abcde": "A/B/C/D/E",
    "persen": "%",
    "input": "Jumlah",
    "indeks": "Nilai (0-4)",
    "capaian": "A/B/C/D/E",
    "tlhp": "% (0-100)",
}

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
SIZE = 9  # table text; the sheets print at reduced scale on A4
PLAIN = Font(size=SIZE)
BOLD = Font(bold=True, size=SIZE)
HEADER_FONT = Font(bold=True, color="FFFFFF", size=SIZE)
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
FILLS = {
    "komponen": PatternFill("solid", fgColor="BDD7EE"),
    "bagian": PatternFill("solid", fgColor="DDEBF7"),
    "area": PatternFill("solid", fgColor="E2EFDA"),
    "total": PatternFill("solid", fgColor="FFE699"),
    "isian": PatternFill("solid", fgColor="FFF9E5"),
}
LINK_FONT = Font(color="0563C1", underline="single", size=SIZE)
# Fonts used row after row are made once: style objects are indexed by identity below.
KODE_FONT = {
    bold: Font(size=8, color="595959", bold=bold) for bold in (False, True)
}  # the code column of the LKE sheet
GREY_FONT = Font(size=8, color="595959")
INPUT_FONT = Font(italic=True, size=SIZE)
UNVERIFIED_FILL = PatternFill("solid", fgColor="FFE699")
SUMMARY_FONT = {bold: Font(bold=bold, size=SIZE) for bold in (False, True)}

MAX_CELL_TEXT = 32_000  # Excel holds at most 32,767 characters per cell.

Progress = Callable[[int], None]


def lke_filename(penilaian: Penilaian, by: str = SetJawaban.TPI) -> str:
    """The download name, e.g. ``LKE-biro-hp-2022-tpi.xlsx``."""
    return f"LKE-{penilaian.unit.slug}-{penilaian.tahun}-{by}.xlsx"


def bukti_url(penilaian: Penilaian, bukti: Bukti) -> str:
    """The portal address of one evidence item (the view checks access)."""
    return f"{public_base_url()}/penilaian/{penilaian.code}/bukti/{bukti.code}/"


def _put(cell: Any, value: object, fmt: str | None = None) -> Any:
    """Write a value into a cell: strings always as text, numbers with an optional format."""
    if isinstance(value, str):
        text_cell(cell, value)
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    return cell


def text_cell(cell: Any, value: object) -> Any:
    """Write ``value`` as a literal string: a leading =, +, -, @ or tab never makes a formula.

    Characters XML cannot hold are dropped; the cell is a string cell (``data_type "s"``)
    and carries Excel's quote prefix, so editing it in Excel keeps it text too.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))[:MAX_CELL_TEXT]
    cell.value = text
    cell.data_type = "s"
    if starts_formula(text):
        cell.quotePrefix = True
    return cell


def number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    return float(value)


def _literal(value: Decimal) -> str:
    """A Decimal as an Excel number literal (always a dot inside formulas)."""
    return format(value.normalize(), "f")


def option_value_formula(answer_ref: str, options: Sequence[str], values: Sequence[Decimal]) -> str:
    """0..1 from an option cell; a blank or unknown option gives 0 (domain.md rule 1, 3)."""
    opts = ",".join(f'"{o}"' for o in options)
    vals = ",".join(_literal(v) for v in values)
    return f"IFERROR(INDEX({{{vals}}},MATCH(TRIM({answer_ref}),{{{opts}}},0)),0)"


ZERO_POLICY_VALUE = {"nilai_penuh": "1", "nilai_nol": "0"}
"""The value a policy gives a zero penyebut; absent: the text (leaves the mean)."""


def persen_formula(
    formula: str, inputs: Sequence[tuple[str, str]], zero_policy: str = "keluar_dari_rerata"
) -> str:
    """The ratio of a % question from its input cells (domain.md rule 2).

    ``inputs`` is (role, cell) per input. A missing input gives "" (unanswered, 0 in the
    mean); a zero penyebut gives the text "tidak dapat dihitung" (leaves the mean);
    penurunan with no violations last year gives 1 when none this year, else 0.
    """
    counted = [ref for role, ref in inputs if role != "info"]

    def total(role: str) -> str:
        refs = [ref for r, ref in inputs if r == role]
        return f"SUM({','.join(refs)})" if refs else "0"

    missing = f"COUNT({','.join(counted)})<{len(counted)}" if counted else "FALSE"
    if formula == "penurunan":
        before, now = total("sebelumnya"), total("sekarang")
        body = f"IF({before}=0,IF({now}=0,1,0),MIN(1,MAX(0,({before}-{now})/{before})))"
    else:
        num, den = total("pembilang"), total("penyebut")
        zero = ZERO_POLICY_VALUE.get(zero_policy, '"tidak dapat dihitung"')
        body = f"IF({den}=0,{zero},MIN(1,MAX(0,{num}/{den})))"
    return f'=IF({missing},"",{body})'


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


@dataclass
class Tree:
    komponen: list[Komponen]
    bagian: dict[int, list[Bagian]]
    areas: dict[tuple[int, int | None], list[Area]]
    indikator: dict[int, list[Indikator]]
    pertanyaan: dict[int, list[Pertanyaan]]
    inputs: dict[int, list[InputNumerik]]
    hasil: dict[int, list[HasilItem]]
    jawaban: dict[tuple[str, int], Jawaban]
    jawaban_hasil: dict[tuple[str, int], JawabanHasil]
    bukti_q: dict[int, list[Bukti]]
    bukti_h: dict[int, list[Bukti]]


def _group(rows: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _load(penilaian: Penilaian) -> Tree:
    model = penilaian.model
    bukti = list(
        Bukti.objects.filter(penilaian=penilaian, aktif=True).order_by("diunggah_pada", "id")
    )
    return Tree(
        komponen=list(Komponen.objects.filter(model=model).order_by("urutan", "id")),
        bagian=_group(
            Bagian.objects.filter(model=model).order_by("urutan", "id"), lambda b: b.komponen_id
        ),
        areas=_group(
            Area.objects.filter(model=model).order_by("urutan", "id"),
            lambda a: (a.komponen_id, a.bagian_id),
        ),
        indikator=_group(
            Indikator.objects.filter(model=model).order_by("urutan", "id"), lambda i: i.area_id
        ),
        pertanyaan=_group(
            Pertanyaan.objects.filter(model=model)
            .prefetch_related("opsi")
            .order_by("urutan", "id"),
            lambda q: q.indikator_id,
        ),
        inputs=_group(
            InputNumerik.objects.filter(model=model).order_by("urutan", "id"),
            lambda n: n.pertanyaan_id,
        ),
        hasil=_group(
            HasilItem.objects.filter(model=model).prefetch_related("opsi").order_by("urutan", "id"),
            lambda h: h.bagian_id,
        ),
        jawaban={(j.set, j.pertanyaan_id): j for j in Jawaban.objects.filter(penilaian=penilaian)},
        jawaban_hasil={
            (j.set, j.hasil_item_id): j for j in JawabanHasil.objects.filter(penilaian=penilaian)
        },
        bukti_q=_group((b for b in bukti if b.pertanyaan_id), lambda b: b.pertanyaan_id),
        bukti_h=_group((b for b in bukti if b.hasil_item_id), lambda b: b.hasil_item_id),
    )


# --------------------------------------------------------------------------------------
# The LKE sheet
# --------------------------------------------------------------------------------------


class _LkeSheet:
    def __init__(self, wb: Workbook, penilaian: Penilaian, tree: Tree, by: str) -> None:
        self.ws = wb.active
        self.ws.title = LKE_SHEET
        self.penilaian = penilaian
        self.tree = tree
        self.by = by
        self.row = FIRST_ROW
        self.cells: dict[str, int] = {}  # node code -> row of its Nilai
        self.area_rows: list[tuple[Area, int]] = []
        self.bukti_rows: dict[int, int] = {}  # bukti pk -> row on the Bukti sheet
        self.validations: dict[str, DataValidation] = {}

    # -- helpers ------------------------------------------------------------------------

    def ref(self, key: str, row: int) -> str:
        return f"{LETTER[key]}{row}"

    def put(self, row: int, key: str, value: object, fmt: str | None = None) -> Any:
        return _put(self.ws.cell(row=row, column=COL[key]), value, fmt)

    def formula(self, row: int, key: str, formula: str, fmt: str | None = None) -> Any:
        cell = self.ws.cell(row=row, column=COL[key])
        cell.value = formula if formula.startswith("=") else f"={formula}"
        if fmt:
            cell.number_format = fmt
        return cell

    def validation(self, name: str, **kwargs: Any) -> DataValidation:
        if name not in self.validations:
            dv = DataValidation(allow_blank=True, showErrorMessage=True, **kwargs)
            self.validations[name] = dv
            self.ws.add_data_validation(dv)
        return self.validations[name]

    def list_validation(self, options: Sequence[str]) -> DataValidation:
        joined = ", ".join(options[:-1]) + f" atau {options[-1]}"
        return self.validation(
            "list:" + ",".join(options),
            type="list",
            formula1='"' + ",".join(options) + '"',
            errorTitle="Jawaban tidak sah",
            error=f"Pilih {joined}.",
            promptTitle="Pilihan jawaban",
            prompt=f"Pilih {'/'.join(options)}.",
            showInputMessage=True,
        )

    def new_row(self, kind: str, code: str, level: int, numbering: str, label: str) -> int:
        row = self.row
        self.row += 1
        self.cells[code] = row
        text_cell(self.ws.cell(row=row, column=COL["kode"]), code)
        if numbering:
            text_cell(self.ws.cell(row=row, column=COL[f"n{level}"]), numbering)
        # The label starts in the column after its number, like the printed worksheet.
        label_col = COL["label"] if level >= 5 else COL[f"n{level + 1}"]
        text_cell(self.ws.cell(row=row, column=label_col), label)
        if label_col != COL["label"]:
            self.ws.merge_cells(
                start_row=row, start_column=label_col, end_row=row, end_column=COL["label"]
            )
        for col in range(1, len(COLUMNS) + 1):
            cell = self.ws.cell(row=row, column=col)
            cell.border = BORDER
            if cell.alignment.horizontal is None:
                cell.alignment = WRAP
            if kind in FILLS:
                cell.fill = FILLS[kind]
            bold = kind in ("komponen", "bagian", "area", "indikator", "total")
            cell.font = BOLD if bold else PLAIN
        self.ws.cell(row=row, column=COL["kode"]).font = KODE_FONT[
            kind in ("komponen", "bagian", "area", "indikator")
        ]
        return row

    def node_totals(self, row: int, bobot: Decimal, children: Sequence[int]) -> None:
        self.put(row, "bobot", number(bobot), NUM)
        refs = ",".join(self.ref("nilai", r) for r in children)
        self.formula(row, "nilai", f"SUM({refs})" if refs else "0", NUM)
        self.percent(row)

    def percent(self, row: int) -> None:
        b, n = self.ref("bobot", row), self.ref("nilai", row)
        self.formula(row, "persen", f'IF({b}=0,"",{n}/{b})', PCT)

    def answer_cell(self, row: int, set_: str) -> Any:
        cell = self.ws.cell(row=row, column=COL[ANSWER_COLUMN[set_]])
        cell.fill = FILLS["isian"]
        cell.alignment = CENTER
        return cell

    def catatan(self, row: int, answers: dict[str, Any]) -> None:
        for set_, answer in answers.items():
            if answer is not None and answer.catatan:
                self.put(row, CATATAN_COLUMN[set_], answer.catatan)

    def bukti(self, row: int, items: Sequence[Bukti]) -> None:
        if not items:
            return
        cell = self.ws.cell(row=row, column=COL["bukti"])
        text_cell(cell, "\n".join(str(b) for b in items))
        cell.font = LINK_FONT
        if len(items) == 1:
            cell.hyperlink = bukti_url(self.penilaian, items[0])
        elif items[0].pk in self.bukti_rows:
            _internal_link(cell, self.bukti_rows[items[0].pk])

    # -- rows ---------------------------------------------------------------------------

    def title(self, model_name: str) -> None:
        ws, p = self.ws, self.penilaian
        text_cell(ws["A1"], "LEMBAR KERJA EVALUASI ZONA INTEGRITAS").font = Font(bold=True, size=14)
        text_cell(ws["A2"], model_name).font = Font(italic=True)
        text_cell(ws["A3"], f"Unit kerja: {p.unit.nama} · Tahun {p.tahun}").font = BOLD
        text_cell(
            ws["A4"],
            f"Nilai dan % dihitung otomatis (rumus Excel) dari kolom Jawaban {SET_LABEL[self.by]}."
            " Ubah jawaban pada kolom berwarna kuning, nilai ikut berubah. Jawaban mandiri atau"
            " TPN yang berbeda dari jawaban TPI diberi warna jingga.",
        )
        stamp = timezone.localtime().strftime("%d-%m-%Y %H:%M")
        text_cell(ws["A5"], f"Diekspor dari Portal ZI pada {stamp}.").font = Font(
            size=8, color="595959"
        )
        for col, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=HEADER_ROW, column=col)
            if column.header:
                text_cell(cell, column.header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(col)].width = column.width
        ws.merge_cells(
            start_row=HEADER_ROW,
            start_column=COL["n1"],
            end_row=HEADER_ROW,
            end_column=COL["label"],
        )

    def write(self, progress: Progress) -> None:
        komponen_rows: list[int] = []
        n = len(self.tree.komponen)
        for index, komponen in enumerate(self.tree.komponen):
            komponen_rows.append(self.write_komponen(komponen))
            progress(10 + 50 * (index + 1) // max(n, 1))
        row = self.new_row("total", "total", 1, "", "NILAI TOTAL")
        total_bobot = sum((k.bobot for k in self.tree.komponen), Decimal(0))
        self.node_totals(row, total_bobot, komponen_rows)

    def write_komponen(self, komponen: Komponen) -> int:
        row = self.new_row("komponen", komponen.kode, 1, komponen.kode, komponen.nama)
        children: list[int] = []
        for bagian in self.tree.bagian.get(komponen.pk, []):
            children.append(self.write_bagian(komponen, bagian))
        for area in self.tree.areas.get((komponen.pk, None), []):
            children.append(self.write_area(area))
        self.node_totals(row, komponen.bobot, children)
        return row

    def write_bagian(self, komponen: Komponen, bagian: Bagian) -> int:
        row = self.new_row("bagian", bagian.kode, 2, bagian.nomor, bagian.nama)
        children = [self.write_area(a) for a in self.tree.areas.get((komponen.pk, bagian.pk), [])]
        children += [self.write_hasil(h) for h in self.tree.hasil.get(bagian.pk, [])]
        self.node_totals(row, bagian.bobot, children)
        return row

    def write_area(self, area: Area) -> int:
        row = self.new_row("area", area.kode, 3, f"{area.nomor}.", area.nama)
        self.area_rows.append((area, row))
        children = [self.write_indikator(i) for i in self.tree.indikator.get(area.pk, [])]
        self.node_totals(row, area.bobot, children)
        return row

    def write_indikator(self, indikator: Indikator) -> int:
        row = self.new_row("indikator", indikator.kode, 4, f"{indikator.nomor}.", indikator.nama)
        values = [self.write_pertanyaan(q) for q in self.tree.pertanyaan.get(indikator.pk, [])]
        self.put(row, "bobot", number(indikator.bobot), NUM)
        refs = ",".join(self.ref("nilai", r) for r in values)
        # domain.md rule 3: mean of the question values x bobot; AVERAGE skips the ""
        # of a "tidak dapat dihitung" question, and when every question is skipped the
        # error becomes 0.
        empty = "1" if indikator.kebijakan_tanpa_nilai == "penuh" else "0"
        mean = f"IFERROR(AVERAGE({refs}),{empty})" if refs else "0"
        self.formula(row, "nilai", f"{mean}*{self.ref('bobot', row)}", NUM)
        self.percent(row)
        return row

    def answers(self, pk: int, hasil: bool = False) -> dict[str, Any]:
        source: dict[tuple[str, int], Any] = self.tree.jawaban_hasil if hasil else self.tree.jawaban
        return {s: source.get((s, pk)) for s in SetJawaban.values}

    def write_pertanyaan(self, q: Pertanyaan) -> int:
        row = self.new_row("pertanyaan", q.kode, 5, f"{q.huruf}.", q.teks)
        self.put(row, "penjelasan", _penjelasan_pertanyaan(q))
        self.put(row, "pilihan", PILIHAN_LABEL[q.jenis]).alignment = CENTER
        answers = self.answers(q.pk)
        self.catatan(row, answers)
        self.bukti(row, self.tree.bukti_q.get(q.pk, []))
        live = self.ref(ANSWER_COLUMN[self.by], row)
        if q.jenis == "persen":
            inputs = self.tree.inputs.get(q.pk, [])
            input_rows = [self.write_input(q, n, answers) for n in inputs]
            self.derived_totals(inputs, input_rows)
            for set_ in SetJawaban.values:
                key = ANSWER_COLUMN[set_]
                refs = [
                    (n.peran, self.ref(key, r)) for n, r in zip(inputs, input_rows, strict=True)
                ]
                cell = self.formula(
                    row, key, persen_formula(q.rumus, refs, q.kebijakan_penyebut_nol), PCT
                )
                cell.alignment = CENTER
            self.formula(row, "nilai", f'IF(ISNUMBER({live}),{live},IF({live}="",0,""))', NUM)
            return row
        options = OPSI_PER_JENIS[q.jenis]
        values = [OPTION_VALUES[q.jenis][o.upper()] for o in options]
        for set_, answer in answers.items():
            cell = self.answer_cell(row, set_)
            if answer is not None and answer.opsi:
                text_cell(cell, answer.opsi)
            self.list_validation(options).add(cell.coordinate)
        self.formula(row, "nilai", option_value_formula(live, options, values), NUM)
        return row

    def write_input(self, q: Pertanyaan, n: InputNumerik, answers: dict[str, Any]) -> int:
        row = self.new_row("input", n.kode, 5, "-", n.teks)
        self.put(row, "pilihan", PILIHAN_LABEL["input"]).alignment = CENTER
        for set_, answer in answers.items():
            cell = self.answer_cell(row, set_)
            raw = (answer.angka or {}).get(n.kode) if answer is not None else None
            if raw not in (None, ""):
                cell.value = number(Decimal(str(raw)))
            cell.number_format = INT
            self.validation(
                "jumlah",
                type="whole",
                operator="between",
                formula1="0",
                formula2=str(int(MAX_ANGKA)),
                errorTitle="Isian tidak sah",
                error="Isi dengan bilangan bulat 0 atau lebih.",
            ).add(cell.coordinate)
        for col in range(1, len(COLUMNS) + 1):
            self.ws.cell(row=row, column=col).font = INPUT_FONT
        return row

    def derived_totals(self, inputs: Sequence[InputNumerik], rows: Sequence[int]) -> None:
        """A total the regulation derives (5.iii) is a SUM of its rows, never typed."""
        row_of = {n.kode: r for n, r in zip(inputs, rows, strict=True)}
        for n, row in zip(inputs, rows, strict=True):
            if not n.turunan_dari:
                continue
            for set_ in SetJawaban.values:
                key = ANSWER_COLUMN[set_]
                parts = ",".join(self.ref(key, row_of[c]) for c in n.turunan_dari if c in row_of)
                cell = self.formula(row, key, f"SUM({parts})", INT)
                cell.fill = PatternFill(fill_type=None)
            self.put(row, "penjelasan", "Dihitung otomatis: jumlah baris di bawahnya.")

    def write_hasil(self, h: HasilItem) -> int:
        row = self.new_row("hasil", h.kode, 3, f"{h.huruf}.", h.nama)
        opsi = list(h.opsi.all())
        self.put(row, "penjelasan", _penjelasan(h.penjelasan, "abcde", opsi))
        self.put(row, "pilihan", PILIHAN_LABEL[h.jenis]).alignment = CENTER
        self.put(row, "bobot", number(h.bobot), NUM)
        answers = self.answers(h.pk, hasil=True)
        self.catatan(row, answers)
        self.bukti(row, self.tree.bukti_h.get(h.pk, []))
        limit = 4 if h.jenis == "indeks" else 100
        for set_, answer in answers.items():
            cell = self.answer_cell(row, set_)
            if h.jenis == "capaian":
                if answer is not None and answer.opsi:
                    text_cell(cell, answer.opsi)
                self.list_validation(tuple(CAPAIAN_VALUES)).add(cell.coordinate)
                continue
            if answer is not None and answer.nilai is not None:
                cell.value = number(answer.nilai)
            cell.number_format = NUM_INDEKS
            self.validation(
                f"hasil:{limit}",
                type="decimal",
                operator="between",
                formula1="0",
                formula2=str(limit),
                errorTitle="Nilai tidak sah",
                error=f"Isi dengan angka antara 0 dan {limit}.",
            ).add(cell.coordinate)
        live, bobot = self.ref(ANSWER_COLUMN[self.by], row), self.ref("bobot", row)
        if h.jenis == "capaian":
            letters = tuple(CAPAIAN_VALUES)
            fraction = option_value_formula(live, letters, [CAPAIAN_VALUES[x] for x in letters])
        else:
            fraction = f"IF(ISNUMBER({live}),MIN({limit},MAX(0,{live}))/{limit},0)"
        self.formula(row, "nilai", f"{fraction}*{bobot}", NUM)
        self.percent(row)
        return row

    def highlight_differences(self) -> None:
        """Mandiri and TPN answers that differ from the TPI's answer, highlighted."""
        last = self.row - 1
        if last < FIRST_ROW:
            return
        tpi = f"${LETTER['tpi']}{FIRST_ROW}"
        for key in ("mandiri", "tpn"):
            cell = f"${LETTER[key]}{FIRST_ROW}"
            self.ws.conditional_formatting.add(
                f"{LETTER[key]}{FIRST_ROW}:{LETTER[key]}{last}",
                FormulaRule(
                    formula=[f'AND({cell}&""<>"",{tpi}&""<>"",{cell}&""<>{tpi}&"")'],
                    fill=BEDA_FILL,
                    stopIfTrue=False,
                ),
            )

    def finish(self) -> None:
        ws = self.ws
        self.highlight_differences()
        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        _autofit_rows(ws, HEADER_ROW, self.row - 1)
        _print_setup(ws, f"A1:{LETTER['bukti']}{self.row - 1}")


def _internal_link(cell: Any, bukti_row: int) -> None:
    """Several evidence items: link to the first of them on the Bukti sheet."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'Bukti'!A{bukti_row}")


def _penjelasan_pertanyaan(q: Pertanyaan) -> str:
    """The question's explanation; a rasio question also states its zero-penyebut policy."""
    text = _penjelasan(q.penjelasan, q.jenis, list(q.opsi.all()))
    if q.rumus == "rasio":
        policy = f"Bila penyebut 0, tidak dapat dihitung: {q.get_kebijakan_penyebut_nol_display()}."
        text = f"{text}\n{policy}" if text else policy
    return text


def _penjelasan(intro: str, jenis: str, opsi: Sequence[Any]) -> str:
    lines = [intro.strip()] if intro.strip() else []
    for o in opsi:
        text = (o.penjelasan or "").strip()
        if not text:
            continue
        lines.append(text if jenis == "ya_tidak" else f"{o.huruf.lower()}. {text}")
    return "\n".join(lines)


def _autofit_rows(ws: Any, first: int, last: int) -> None:
    """Set row heights from the wrapped text, since neither Excel nor LibreOffice does
    it reliably for a generated file."""
    widths: dict[int, float] = {}
    for col in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        widths[col] = dim.width if dim is not None and dim.width else 8.43
    spans: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        width = sum(widths.get(c, 8.43) for c in range(merged.min_col, merged.max_col + 1))
        spans[(merged.min_row, merged.min_col)] = width
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered.add((r, c))
    for row in ws.iter_rows(min_row=first, max_row=last):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or cell.data_type == "f":
                continue
            if (cell.row, cell.column) in covered:
                continue
            width = spans.get((cell.row, cell.column), widths.get(cell.column, 8.43))
            # About 1.4 characters of 9-point text per unit of column width.
            per_line = max(1, int(width * 1.4) - 1)
            count = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
            lines = max(lines, count)
        ws.row_dimensions[row[0].row].height = 11.5 * lines + 2


def _print_setup(ws: Any, area: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.print_area = area
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.right.text = "&A"


# --------------------------------------------------------------------------------------
# Ringkasan
# --------------------------------------------------------------------------------------


def _header(ws: Any, row: int, headers: Sequence[str]) -> None:
    for col, header in enumerate(headers, start=1):
        cell = text_cell(ws.cell(row=row, column=col), header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _cell(ws: Any, row: int, col: int, value: object, fmt: str | None = None) -> Any:
    """A table cell; strings are always text (formulas go through :func:`_formula`)."""
    cell = _put(ws.cell(row=row, column=col), value, fmt)
    cell.border = BORDER
    cell.alignment = WRAP
    cell.font = PLAIN
    return cell


def _formula(ws: Any, row: int, col: int, formula: str, fmt: str | None = None) -> Any:
    cell = _cell(ws, row, col, None, fmt)
    cell.value = f"={formula}"
    return cell


def _ringkasan(
    wb: Workbook,
    sheet: _LkeSheet,
    rules: Sequence[RuleResult],
    notices: Sequence[CatatanModel] = (),
) -> None:
    ws = wb.create_sheet("Ringkasan")
    tree, p = sheet.tree, sheet.penilaian

    def lke(key: str, code: str) -> str:
        return f"{LKE_SHEET}!${LETTER[key]}${sheet.cells[code]}"

    text_cell(ws["A1"], "RINGKASAN NILAI LKE").font = Font(bold=True, size=14)
    text_cell(ws["A2"], f"{p.unit.nama} · Tahun {p.tahun} · {p.model.nama}")
    text_cell(ws["A3"], f"Nilai dihitung dari kolom Jawaban {SET_LABEL[sheet.by]} lembar LKE.")
    pengungkit_ids = {komponen_id for komponen_id, _ in tree.areas}
    bagian = [b for k in tree.komponen if k.pk in pengungkit_ids for b in tree.bagian.get(k.pk, [])]
    nilai_col = 4 + len(bagian)
    widths = [9, 46, 10, *([12] * len(bagian)), 12, 10]
    row = 5
    _header(ws, row, ["No", "Area", "Bobot", *[b.nama.title() for b in bagian], "Nilai", "%"])

    # One row per area number: Pemenuhan + Reform against their summed bobot, the
    # combined area the 90/2021 per-area minimum applies to (domain.md rule 6).
    by_number: dict[int, list[tuple[Area, int]]] = defaultdict(list)
    for area, area_row in sheet.area_rows:
        by_number[area.nomor].append((area, area_row))
    nodes: dict[str, str] = {code: lke("nilai", code) for code in sheet.cells}
    combined_pct: list[str] = []
    for nomor, parts in sorted(by_number.items()):
        row += 1
        _cell(ws, row, 1, f"{nomor}.")
        _cell(ws, row, 2, parts[0][0].nama)
        bobot_col, nilai_letter = LETTER["bobot"], LETTER["nilai"]
        _formula(ws, row, 3, "+".join(f"{LKE_SHEET}!${bobot_col}${r}" for _, r in parts), NUM)
        for col, b in enumerate(bagian, start=4):
            part = [r for a, r in parts if a.bagian_id == b.pk]
            if part:
                _formula(ws, row, col, f"{LKE_SHEET}!${nilai_letter}${part[0]}", NUM)
            else:
                _cell(ws, row, col, None)
        _formula(
            ws, row, nilai_col, "+".join(f"{LKE_SHEET}!${nilai_letter}${r}" for _, r in parts), NUM
        )
        nilai_ref = f"{get_column_letter(nilai_col)}{row}"
        _formula(ws, row, nilai_col + 1, f'IF(C{row}=0,"",{nilai_ref}/C{row})', PCT)
        combined_pct.append(f"{get_column_letter(nilai_col + 1)}{row}")
        nodes.setdefault(f"{parts[0][0].kode.split('.', 1)[0]}.{nomor}", nilai_ref)

    summary: list[tuple[str, str, bool]] = []
    for komponen in tree.komponen:
        summary.append((komponen.kode, komponen.nama, True))
        for group in tree.bagian.get(komponen.pk, []):
            items = tree.hasil.get(group.pk, [])
            if items:
                summary.append((group.kode, group.nama, True))
                summary += [(item.kode, item.nama, False) for item in items]
    summary.append(("total", "NILAI TOTAL", True))
    row += 1
    for code, label, bold in summary:
        row += 1
        _cell(ws, row, 1, "" if code == "total" else code)
        _cell(ws, row, 2, label)
        _formula(ws, row, 3, lke("bobot", code), NUM)
        _formula(ws, row, nilai_col, lke("nilai", code), NUM)
        nilai_ref = f"{get_column_letter(nilai_col)}{row}"
        _formula(ws, row, nilai_col + 1, f'IF(C{row}=0,"",{nilai_ref}/C{row})', PCT)
        for col in range(1, nilai_col + 2):
            cell = ws.cell(row=row, column=col)
            cell.font = SUMMARY_FONT[bold]
            if code in ("A", "B"):
                cell.fill = FILLS["komponen"]
            elif code == "total":
                cell.fill = FILLS["total"]

    # The predikat checklist: every rule of the model with its own pass/fail.
    row += 2
    text_cell(ws.cell(row=row, column=1), "PEMENUHAN SYARAT PREDIKAT").font = BOLD
    row += 1
    _header(ws, row, ["Predikat", "Syarat", "Minimum", "Capaian", "Status"])
    status_cells: dict[str, list[str]] = defaultdict(list)
    unverified = unverified_rules(list(notices))
    for rule in rules:
        row += 1
        _cell(ws, row, 1, rule.predikat)
        if (rule.predikat, rule.label) in unverified:
            _cell(ws, row, 2, f"{rule.label} (belum terverifikasi: lihat CATATAN MODEL)")
        else:
            _cell(ws, row, 2, rule.label)
        # Unrounded values compared with >=; ROUND(…, 9) only absorbs floating-point
        # noise, like the engine's COMPARE_TOLERANCE.
        status = f'IF(ROUND(D{row},9)>=ROUND(C{row},9),"Memenuhi","Belum memenuhi")'
        minimum = rule.required if isinstance(rule.required, Decimal) else Decimal(0)
        if rule.kind in ("total", "pengungkit", "unsur"):
            _cell(ws, row, 3, number(minimum), NUM)
            target = {"total": "total", "pengungkit": "A"}.get(rule.kind, rule.target or "")
            if target in nodes:
                _formula(ws, row, 4, nodes[target], NUM)
            else:
                _cell(ws, row, 4, f"kode {target} tidak ada dalam model")
                status = '"Belum memenuhi"'
        elif rule.kind == "area_persen":
            _cell(ws, row, 3, number(minimum / 100), PCT)
            if combined_pct:
                _formula(ws, row, 4, f"MIN({','.join(combined_pct)})", PCT)
            else:
                _cell(ws, row, 4, "model tidak memiliki area")
                status = '"Memenuhi"'
        else:
            _cell(ws, row, 3, str(rule.required or ""))
            _cell(ws, row, 4, str(rule.actual or "belum ada"))
            status = '"Memenuhi"' if rule.passed else '"Belum memenuhi"'
        _formula(ws, row, 5, status)
        status_cells[rule.predikat.strip().upper()].append(f"E{row}")

    def all_pass(predikat: str) -> str:
        cells = status_cells.get(predikat)
        if not cells:
            return "FALSE"
        return "AND(" + ",".join(f'{c}="Memenuhi"' for c in cells) + ")"

    row += 2
    _cell(ws, row, 2, "KESIMPULAN").font = BOLD
    verdict = f'IF({all_pass("WBBM")},"WBBM",IF({all_pass("WBK")},"WBK","belum memenuhi"))'
    _formula(ws, row, 3, verdict).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
    row = _catatan_model(ws, row, notices, last_col=max(len(widths), 5))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = "5:5"
    _autofit_rows(ws, 5, row)
    _print_setup(ws, f"A1:{get_column_letter(max(len(widths), 5))}{row}")


CATATAN_TINGKAT = {"model": "Model", "aturan": "Ambang predikat", "indikator": "Indikator"}


def _catatan_model(ws: Any, row: int, notices: Sequence[CatatanModel], last_col: int) -> int:
    """The model's notices under the verdict (issue 12 part 8); returns the last row used.

    One row per notice: its kode, the part of the model with its note (merged up to the
    status column) and whether it is unverified.
    """
    if not notices:
        return row
    row += 2
    text_cell(
        ws.cell(row=row, column=1), "CATATAN MODEL: BAGIAN YANG DITURUNKAN ATAU BELUM TERVERIFIKASI"
    ).font = BOLD
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    row += 1
    text_cell(
        ws.cell(row=row, column=1),
        "Bagian model berikut tidak diambil langsung dari naskah peraturan atau belum dapat "
        "dicocokkan dengannya.",
    ).font = PLAIN
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    row += 1
    _header(ws, row, ["Kode", "Bagian model dan catatannya", *[""] * (last_col - 3), "Status"])
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col - 1)
    for notice in notices:
        row += 1
        _cell(ws, row, 1, "" if notice.tingkat == "model" else notice.kode)
        _cell(ws, row, 2, f"{CATATAN_TINGKAT[notice.tingkat]}: {notice.judul}\n{notice.teks}")
        for col in range(3, last_col):
            _cell(ws, row, col, None)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col - 1)
        status = _cell(ws, row, last_col, notice.status)
        if not notice.terverifikasi:
            status.font = BOLD
            status.fill = UNVERIFIED_FILL
    return row


# --------------------------------------------------------------------------------------
# Rencana aksi and bukti
# --------------------------------------------------------------------------------------

RENCANA_AKSI_HEADERS: tuple[tuple[str, float], ...] = (
    ("Kode", 13),
    ("Komponen/Indikator", 30),
    ("Sasaran", 30),
    ("Rencana Aksi", 32),
    ("Rencana Kegiatan yang akan dilaksanakan (langkah-langkah tindak lanjut)", 42),
    ("Bukti", 30),
    ("Rencana Pelaksanaan", 15),
    ("Penanggung Jawab", 20),
    ("Status", 13),
    ("Bukti Terunggah", 26),
)


def format_bobot(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".replace(".", ",")


def _rencana_aksi(
    wb: Workbook, penilaian: Penilaian, bukti_rows: dict[int, int], current: Iterable[Bukti]
) -> None:
    """Seed 000's Tabel 1, grouped by area like the printed table, then the hasil rows.

    `current` is the penilaian's current evidence (already loaded for the LKE sheet).
    """
    ws = wb.create_sheet("Rencana Aksi")
    text_cell(ws["A1"], "RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS").font = Font(bold=True, size=14)
    text_cell(ws["A2"], f"{penilaian.unit.nama.upper()} · TAHUN {penilaian.tahun}").font = BOLD
    header = 4
    width = len(RENCANA_AKSI_HEADERS)
    _header(ws, header, [h for h, _ in RENCANA_AKSI_HEADERS])
    for col, (_, col_width) in enumerate(RENCANA_AKSI_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = col_width
    rows = list(
        RencanaAksi.objects.filter(penilaian=penilaian).select_related(
            "indikator__area", "hasil_item", "penanggung_jawab_user"
        )
    )
    by_row: dict[int, list[Bukti]] = defaultdict(list)
    for b in sorted(current, key=lambda b: b.diunggah_pada, reverse=True):  # newest first
        if b.rencana_aksi_id is not None:
            by_row[b.rencana_aksi_id].append(b)

    def order(ra: RencanaAksi) -> tuple[int, int, int, int, int, int]:
        if ra.indikator is not None:
            area = ra.indikator.area
            return (0, area.nomor, area.urutan, ra.indikator.urutan, ra.urutan, ra.pk)
        urutan = ra.hasil_item.urutan if ra.hasil_item is not None else 0
        return (1, 0, 0, urutan, ra.urutan, ra.pk)

    row = header
    group: object = None
    for ra in sorted(rows, key=order):
        area = ra.indikator.area if ra.indikator is not None else None
        key = area.nomor if area is not None else "hasil"
        if key != group:
            group = key
            row += 1
            title = f"{area.nomor}. {area.nama}" if area is not None else "HASIL"
            text_cell(ws.cell(row=row, column=1), title)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            for col in range(1, width + 1):
                ws.cell(row=row, column=col).font = BOLD
                ws.cell(row=row, column=col).fill = FILLS["area"]
                ws.cell(row=row, column=col).border = BORDER
        row += 1
        node: Any = ra.indikator if ra.indikator is not None else ra.hasil_item
        label = f"{node.nama} ({format_bobot(node.bobot)})"
        if ra.label_sumber and ra.label_sumber.strip() != node.nama:
            label += f"\n[{ra.label_sumber}]"
        pj = ra.penanggung_jawab
        if not pj and ra.penanggung_jawab_user is not None:
            user = ra.penanggung_jawab_user
            pj = user.get_full_name() or user.get_username()
        values = (
            node.kode,
            label,
            ra.sasaran,
            ra.rencana_aksi,
            ra.rencana_kegiatan,
            ra.bukti_direncanakan,
            ra.jadwal,
            pj,
            ra.get_status_display(),
        )
        for col, value in enumerate(values, start=1):
            _cell(ws, row, col, value)
        ws.cell(row=row, column=1).font = GREY_FONT
        uploaded = by_row.get(ra.pk, [])
        link = _cell(ws, row, width, "\n".join(str(b) for b in uploaded))
        if uploaded:
            link.font = LINK_FONT
            if len(uploaded) == 1:
                link.hyperlink = bukti_url(penilaian, uploaded[0])
            elif uploaded[0].pk in bukti_rows:
                _internal_link(link, bukti_rows[uploaded[0].pk])
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.print_title_rows = f"{header}:{header}"
    _autofit_rows(ws, header, row)
    _print_setup(ws, f"A1:{get_column_letter(width)}{row}")


BUKTI_HEADERS: tuple[tuple[str, float], ...] = (
    ("Kode", 14),
    ("Pertanyaan", 50),
    ("Bukti", 40),
    ("Jenis", 9),
    ("Tanggal Dokumen", 13),
    ("Tautan", 60),
)
BUKTI_HEADER_ROW = 4


def answer_versions(penilaian: Penilaian) -> list[tuple[str, str, str, str]]:
    """(kind, code, set, version) of every stored answer and hasil input."""
    rows = [
        ("q", kode, set_, str(versi))
        for kode, set_, versi in Jawaban.objects.filter(penilaian=penilaian).values_list(
            "pertanyaan__kode", "set", "versi"
        )
    ]
    rows += [
        ("h", kode, set_, diubah.isoformat())
        for kode, set_, diubah in JawabanHasil.objects.filter(penilaian=penilaian).values_list(
            "hasil_item__kode", "set", "diubah_pada"
        )
    ]
    return sorted(rows)


def _versi_sheet(wb: Workbook, penilaian: Penilaian) -> None:
    ws = wb.create_sheet(VERSI_SHEET)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    ws.page_setup.orientation = "landscape"  # like every sheet, should it ever be printed
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    for row_number, row in enumerate(
        [("jenis", "kode", "set", "versi"), *answer_versions(penilaian)], start=1
    ):
        for column, value in enumerate(row, start=1):
            _put(ws.cell(row=row_number, column=column), value)


def _bukti_order(tree: Tree) -> list[tuple[str, str, Bukti]]:
    """Every current evidence item in worksheet order: (code, question text, bukti)."""
    result: list[tuple[str, str, Bukti]] = []
    for komponen in tree.komponen:
        groups = tree.bagian.get(komponen.pk, [])
        parents: list[int | None] = [None, *(b.pk for b in groups)]
        for parent in parents:
            for area in tree.areas.get((komponen.pk, parent), []):
                for ind in tree.indikator.get(area.pk, []):
                    for q in tree.pertanyaan.get(ind.pk, []):
                        result += [(q.kode, q.teks, b) for b in tree.bukti_q.get(q.pk, [])]
        for group in groups:
            for h in tree.hasil.get(group.pk, []):
                result += [(h.kode, h.nama, b) for b in tree.bukti_h.get(h.pk, [])]
    return result


def _bukti_sheet(
    wb: Workbook, penilaian: Penilaian, items: Sequence[tuple[str, str, Bukti]]
) -> None:
    ws = wb.create_sheet("Bukti")
    text_cell(ws["A1"], "DAFTAR BUKTI (DATA DUKUNG)").font = Font(bold=True, size=14)
    text_cell(ws["A2"], f"{penilaian.unit.nama} · Tahun {penilaian.tahun}")
    _header(ws, BUKTI_HEADER_ROW, [h for h, _ in BUKTI_HEADERS])
    for col, (_, width) in enumerate(BUKTI_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    row = BUKTI_HEADER_ROW
    for code, question, bukti in items:
        row += 1
        date = bukti.tanggal_efektif.strftime("%d-%m-%Y") if bukti.tanggal_efektif else ""
        url = bukti_url(penilaian, bukti)
        values = (code, question, str(bukti), bukti.get_jenis_display(), date, url)
        for col, value in enumerate(values, start=1):
            _cell(ws, row, col, value)
        link = ws.cell(row=row, column=len(values))
        link.hyperlink = url
        link.font = LINK_FONT
    ws.freeze_panes = ws.cell(row=BUKTI_HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{BUKTI_HEADER_ROW}:{BUKTI_HEADER_ROW}"
    _autofit_rows(ws, BUKTI_HEADER_ROW, row)
    _print_setup(ws, f"A1:{get_column_letter(len(BUKTI_HEADERS))}{row}")


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


class _StylesByIdentity(IndexedList):  # type: ignore[misc]
    """A workbook style table that finds a style object it has seen by its identity.

    openpyxl looks every assigned font, fill, border and alignment up by value, hashing
    the whole object each time; with a few shared style objects assigned to thousands of
    cells that hashing was most of an export's time. The table's contents, and so the
    file, stay exactly the same. Style objects are never mutated here once assigned.
    """

    def __init__(self, iterable: Iterable[Any] = ()) -> None:
        super().__init__(iterable)
        self._seen: dict[int, tuple[Any, int]] = {}  # id -> (object kept alive, index)

    def add(self, value: Any) -> int:
        hit = self._seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        index: int = super().add(value)
        self._seen[id(value)] = (value, index)
        return index


def _index_styles_by_identity(wb: Workbook) -> None:
    for name in ("_fonts", "_fills", "_borders", "_alignments", "_protections"):
        setattr(wb, name, _StylesByIdentity(getattr(wb, name)))


def lke_workbook(
    penilaian: Penilaian, *, by: str = SetJawaban.TPI, progress: Progress | None = None
) -> bytes:
    """The whole LKE of a penilaian as .xlsx bytes.

    Every answer set is written (``Jawaban Mandiri``, ``Jawaban TPI`` and ``Jawaban TPN``,
    each with its catatan); Nilai, % and the Ringkasan follow the ``by`` set through live formulas.
    ``progress`` receives 0..100. Raises ``ValueError`` for an unknown ``by``.
    """
    if by not in SetJawaban.values:
        raise ValueError(f"Set jawaban {by!r} tidak dikenal.")
    report: Progress = progress or (lambda _: None)
    report(0)
    penilaian = Penilaian.objects.select_related("unit", "model").get(pk=penilaian.pk)
    tree = _load(penilaian)
    report(10)
    wb = Workbook()
    _index_styles_by_identity(wb)
    wb.properties.title = f"LKE {penilaian.unit.nama} {penilaian.tahun}"
    wb.properties.creator = "Portal ZI"
    wb.properties.language = "id-ID"
    wb.custom_doc_props.append(StringProperty(name=PROP_MODEL, value=penilaian.model.kode))
    wb.custom_doc_props.append(StringProperty(name=PROP_PENILAIAN, value=str(penilaian.code)))
    # No cached values are written: Excel and LibreOffice compute every formula on open.
    wb.calculation.fullCalcOnLoad = True

    sheet = _LkeSheet(wb, penilaian, tree, by)
    bukti_items = _bukti_order(tree)
    sheet.bukti_rows = {b.pk: BUKTI_HEADER_ROW + i for i, (_, _, b) in enumerate(bukti_items, 1)}
    sheet.title(penilaian.model.nama)
    sheet.write(report)
    sheet.finish()
    # The workbook is Indonesian whatever the language of the request that queued it.
    with translation.override("id"):
        notices = model_notices(penilaian.model)
        _ringkasan(wb, sheet, penilaian_score(penilaian, by).rules, notices)
    report(75)
    _rencana_aksi(wb, penilaian, sheet.bukti_rows, (b for _, _, b in bukti_items))
    _bukti_sheet(wb, penilaian, bukti_items)
    _versi_sheet(wb, penilaian)
    report(90)
    buffer = io.BytesIO()
    wb.save(buffer)
    report(100)
    data: bytes = buffer.getvalue()
    return data
