"""The LKE workbook: layout, validation, injection safety, and formulas that agree with
the engine when LibreOffice really evaluates them."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from documents.xlsx_export import HEADER_ROW, LKE_SHEET, lke_filename, lke_workbook
from evidence.models import Bukti, JenisBukti, RencanaAksi
from lke.models import (
    Area,
    Bagian,
    HasilItem,
    Indikator,
    InputNumerik,
    Komponen,
    Penilaian,
    Pertanyaan,
)
from scoring.engine import ScoreReport
from scoring.models import SetJawaban
from scoring.services import jawaban_hasil_save, jawaban_save, penilaian_score
from tests.conftest import require
from tests.workflow import writable
from units.models import PredikatUnit

pytestmark = pytest.mark.django_db

INJECTIONS = ('=HYPERLINK("http://x","klik")', "+62 811", "-1+2", "@SUM(A1)", "\t=1+1")


# --------------------------------------------------------------------------------------
# Helpers shared with test_xlsx_import
# --------------------------------------------------------------------------------------


def penilaian_of(slug: str) -> Penilaian:
    return Penilaian.objects.select_related("unit", "model").get(unit__slug=slug)


def fill(penilaian: Penilaian, set_: str, seed: int, *, catatan: bool = False) -> None:
    """A random but valid answer set: options (some blank), inputs (some missing), hasil."""
    with writable(penilaian, set_):
        _fill(penilaian, set_, seed, catatan=catatan)


def _fill(penilaian: Penilaian, set_: str, seed: int, *, catatan: bool = False) -> None:
    rnd = random.Random(seed)
    questions = Pertanyaan.objects.filter(model=penilaian.model).prefetch_related("input")
    for q in questions.order_by("id"):
        note = rnd.choice(INJECTIONS) + " catatan" if catatan and rnd.random() < 0.3 else ""
        if q.jenis == "persen":
            angka = {
                n.kode: rnd.choice([0, 1, 2, 3, 5, 8, 13])
                for n in q.input.all()
                if not n.turunan_dari
            }
            if rnd.random() < 0.15:
                angka.pop(next(iter(angka)))
            jawaban_save(
                penilaian=penilaian, set_=set_, pertanyaan=q, angka=angka, catatan=note, user=None
            )
        else:
            opsi = rnd.choice((*q.pilihan, ""))
            jawaban_save(
                penilaian=penilaian, set_=set_, pertanyaan=q, opsi=opsi, catatan=note, user=None
            )
    for h in HasilItem.objects.filter(model=penilaian.model):
        value = {
            "indeks": rnd.choice(["3.58", "4", "0", "2.7525", "3.2", ""]),
            "capaian": rnd.choice(["A", "B", "C", "D", "E", ""]),
            "tlhp": rnd.choice(["87.5", "100", "0", "33.3333", ""]),
        }[h.jenis]
        jawaban_hasil_save(
            penilaian=penilaian,
            set_=set_,
            hasil_item=h,
            value=value,
            catatan="catatan hasil" if catatan else "",
            user=None,
        )


def set_numbers(penilaian: Penilaian, set_: str, numbers: Mapping[str, int | None]) -> None:
    """Overwrite the inputs of the questions these input codes belong to."""
    by_question: dict[Pertanyaan, dict[str, int]] = {}
    for code, value in numbers.items():
        n = InputNumerik.objects.select_related("pertanyaan").get(model=penilaian.model, kode=code)
        answers = by_question.setdefault(n.pertanyaan, {})
        if value is not None:
            answers[code] = value
    with writable(penilaian, set_):
        for q, angka in by_question.items():
            jawaban_save(penilaian=penilaian, set_=set_, pertanyaan=q, angka=angka, user=None)


def best_answers(penilaian: Penilaian, set_: str) -> None:
    with writable(penilaian, set_):
        _best_answers(penilaian, set_)


def _best_answers(penilaian: Penilaian, set_: str) -> None:
    for q in Pertanyaan.objects.filter(model=penilaian.model).prefetch_related("input"):
        if q.jenis == "persen":
            angka = {n.kode: 7 for n in q.input.all() if not n.turunan_dari}
            jawaban_save(penilaian=penilaian, set_=set_, pertanyaan=q, angka=angka, user=None)
        else:
            jawaban_save(penilaian=penilaian, set_=set_, pertanyaan=q, opsi=q.pilihan[0], user=None)
    for h in HasilItem.objects.filter(model=penilaian.model):
        value = {"indeks": "4", "capaian": "A", "tlhp": "100"}[h.jenis]
        jawaban_hasil_save(penilaian=penilaian, set_=set_, hasil_item=h, value=value, user=None)


def load(data: bytes, **kwargs: Any) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data), **kwargs)


def header(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER_ROW] if c.value}


def rows_by_code(ws: Any) -> dict[str, int]:
    return {
        ws.cell(row=r, column=1).value: r
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value
    }


def model_codes(penilaian: Penilaian) -> set[str]:
    codes = {"total"}
    for node in (Komponen, Bagian, Area, Indikator, Pertanyaan, InputNumerik, HasilItem):
        codes.update(node.objects.filter(model=penilaian.model).values_list("kode", flat=True))
    return codes


def soffice_recalculate(files: list[Path], out: Path) -> list[Path]:
    """Open and save each workbook with LibreOffice, which computes every formula."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    profile = Path(tempfile.gettempdir()) / f"lo-profile-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = [out / f.name for f in files]
    missing = [p for p in converted if not p.exists()]
    assert not missing, f"LibreOffice tidak menghasilkan {missing}"
    return converted


# --------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------


def test_lke_sheet_has_one_row_per_model_row_with_its_code():
    penilaian = penilaian_of("biro-hp")
    wb = load(lke_workbook(penilaian))
    assert wb.sheetnames[:3] == ["LKE", "Ringkasan", "Rencana Aksi"]
    ws = wb[LKE_SHEET]
    cols = header(ws)
    for name in ("Kode", "Penilaian", "Bobot", "Penjelasan", "Pilihan Jawaban"):
        assert name in cols
    for name in ("Jawaban Mandiri", "Jawaban TPI", "Nilai", "%", "Catatan TPI", "Bukti"):
        assert name in cols
    codes = [ws.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert len(codes) == len(set(codes))
    assert set(codes) == model_codes(penilaian)
    rows = rows_by_code(ws)
    assert rows["A"] < rows["A.I"] < rows["A.I.1"] < rows["A.I.1.i"] < rows["A.I.1.i.a"]
    # The numeric inputs follow their question, in printed order.
    assert rows["A.II.1.i.a"] < rows["A.II.1.i.a.1"] < rows["A.II.1.i.a.2"] < rows["A.II.1.i.b"]
    row = rows["A.I.1.i.a"]
    assert ws.cell(row=row, column=cols["Pilihan Jawaban"]).value == "Ya/Tidak"
    assert ws.cell(row=rows["A.I.1.i"], column=cols["Bobot"]).value == 0.5


def test_older_model_without_bagian_exports_too():
    penilaian = penilaian_of("bkkbn-sumsel")
    ws = load(lke_workbook(penilaian))[LKE_SHEET]
    assert set(rows_by_code(ws)) == model_codes(penilaian)


def test_answer_cells_carry_dropdown_of_the_allowed_options():
    penilaian = penilaian_of("biro-hp")
    fill(penilaian, SetJawaban.TPI, 3)
    ws = load(lke_workbook(penilaian))[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    lists = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for cell in rng.cells:
                lists[cell] = (dv.type, dv.formula1, dv.formula2)
    for code, expected in (
        ("A.I.1.i.a", '"Ya,Tidak"'),
        ("A.I.1.i.b", '"A,B,C"'),
        ("A.I.1.iii.a", '"A,B,C,D"'),
        ("A.I.2.i.b", '"A,B,C,D,E"'),
        ("B.I.b", '"A,B,C,D,E"'),
    ):
        for name in ("Jawaban Mandiri", "Jawaban TPI"):
            assert lists[(rows[code], cols[name])] == ("list", expected, None), code
    assert lists[(rows["A.II.1.i.a.1"], cols["Jawaban TPI"])] == ("whole", "0", "1000000000")
    assert lists[(rows["B.I.a"], cols["Jawaban TPI"])] == ("decimal", "0", "4")


def test_formulas_follow_the_chosen_answer_column():
    penilaian = penilaian_of("biro-hp")
    for by, column in ((SetJawaban.TPI, "Jawaban TPI"), (SetJawaban.MANDIRI, "Jawaban Mandiri")):
        ws = load(lke_workbook(penilaian, by=by))[LKE_SHEET]
        cols, rows = header(ws), rows_by_code(ws)
        letter = openpyxl.utils.get_column_letter(cols[column])
        formula = ws.cell(row=rows["A.I.1.i.b"], column=cols["Nilai"]).value
        assert formula.startswith("=") and f"TRIM({letter}{rows['A.I.1.i.b']})" in formula
        assert f"Jawaban {'TPI' if by == 'tpi' else 'Mandiri'}" in ws["A4"].value
    assert lke_filename(penilaian, "tpi") == "LKE-biro-hp-2022-tpi.xlsx"


def test_decimal_display_frozen_header_and_a4_landscape_print():
    wb = load(lke_workbook(penilaian_of("biro-hp")))
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    nilai = ws.cell(row=rows["A.I.1.i"], column=cols["Nilai"])
    persen = ws.cell(row=rows["A.I.1.i"], column=cols["%"])
    assert nilai.number_format.endswith("0.00") and persen.number_format.endswith("0.00%")
    # Numbers are numbers (the locale shows the comma), never text.
    assert ws.cell(row=rows["A.I.1.i"], column=cols["Bobot"]).data_type == "n"
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.print_title_rows
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_progress_is_reported_up_to_100():
    seen: list[int] = []
    lke_workbook(penilaian_of("pusat-tik"), progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)


def test_rencana_aksi_sheet_has_the_columns_of_tabel_1():
    penilaian = penilaian_of("biro-hp")
    ws = load(lke_workbook(penilaian))["Rencana Aksi"]
    headers = [c.value for c in ws[4]]
    assert headers[1:9] == [
        "Komponen/Indikator",
        "Sasaran",
        "Rencana Aksi",
        "Rencana Kegiatan yang akan dilaksanakan (langkah-langkah tindak lanjut)",
        "Bukti",
        "Rencana Pelaksanaan",
        "Penanggung Jawab",
        "Status",
    ]
    codes = [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)]
    data_rows = [c for c in codes if c and c[:2] in ("A.", "B.")]
    assert len(data_rows) == RencanaAksi.objects.filter(penilaian=penilaian).count()
    first = RencanaAksi.objects.filter(penilaian=penilaian, indikator__kode="A.I.1.i").first()
    assert first is not None
    texts = {ws.cell(row=r, column=4).value for r in range(5, ws.max_row + 1)}
    assert first.rencana_aksi in texts


def test_user_text_never_becomes_a_formula():
    penilaian = penilaian_of("biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    persen = Pertanyaan.objects.get(model=penilaian.model, kode="A.II.1.i.a")
    for set_, text in ((SetJawaban.MANDIRI, INJECTIONS[0]), (SetJawaban.TPI, INJECTIONS[1])):
        with writable(penilaian, set_):
            jawaban_save(
                penilaian=penilaian, set_=set_, pertanyaan=q, opsi="Ya", catatan=text, user=None
            )
    with writable(penilaian, SetJawaban.TPI):
        jawaban_save(
            penilaian=penilaian,
            set_=SetJawaban.TPI,
            pertanyaan=persen,
            angka={"A.II.1.i.a.1": 2},
            catatan=INJECTIONS[4],
            user=None,
        )
    ra = RencanaAksi.objects.filter(penilaian=penilaian).first()
    assert ra is not None
    ra.sasaran, ra.rencana_aksi, ra.rencana_kegiatan = INJECTIONS[2], INJECTIONS[3], INJECTIONS[0]
    ra.bukti_direncanakan, ra.jadwal, ra.penanggung_jawab = INJECTIONS[4], "=1", "@pj"
    ra.label_sumber = "-label"
    ra.save()

    wb = load(lke_workbook(penilaian))
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    cells = [
        (ws.cell(row=rows["A.I.1.i.a"], column=cols["Catatan Mandiri"]), INJECTIONS[0]),
        (ws.cell(row=rows["A.I.1.i.a"], column=cols["Catatan TPI"]), INJECTIONS[1]),
        # The answer service strips a catatan: "\t=1+1" is stored as "=1+1".
        (ws.cell(row=rows["A.II.1.i.a"], column=cols["Catatan TPI"]), INJECTIONS[4].strip()),
    ]
    sheet = wb["Rencana Aksi"]
    found = {
        sheet.cell(row=r, column=c).value: sheet.cell(row=r, column=c)
        for r in range(5, sheet.max_row + 1)
        for c in range(1, 11)
    }
    for text in (INJECTIONS[0], *INJECTIONS[2:], "=1", "@pj"):
        assert text in found, text
        cells.append((found[text], text))
    for cell, text in cells:
        assert cell.data_type == "s", (cell.coordinate, text)
        assert cell.value == text
    # Excel's quote prefix keeps them text even when a user edits the cell.
    for cell, text in cells:
        assert cell.quotePrefix, text


def test_evidence_links_point_into_the_portal():
    penilaian = penilaian_of("biro-hp")
    user = get_user_model().objects.get(username="tim.biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    many = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.ii.a")
    one = Bukti.objects.create(
        penilaian=penilaian,
        pertanyaan=q,
        jenis=JenisBukti.TAUTAN,
        url="https://example.org/sk.pdf",
        judul="=SK Tim",
        diunggah_oleh=user,
    )
    two = [
        Bukti.objects.create(
            penilaian=penilaian,
            pertanyaan=many,
            jenis=JenisBukti.TAUTAN,
            url=f"https://example.org/{n}.pdf",
            judul=f"Dokumen {n}",
            diunggah_oleh=user,
        )
        for n in (1, 2)
    ]
    wb = load(lke_workbook(penilaian))
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    cell = ws.cell(row=rows["A.I.1.i.a"], column=cols["Bukti"])
    base = settings.ZI_PUBLIC_BASE_URL
    assert cell.hyperlink.target == f"{base}/penilaian/{penilaian.code}/bukti/{one.code}/"
    assert cell.value == "=SK Tim" and cell.data_type == "s"
    several = ws.cell(row=rows["A.I.1.ii.a"], column=cols["Bukti"])
    assert several.value == "Dokumen 1\nDokumen 2"
    assert several.hyperlink.location.startswith("'Bukti'!A")
    bukti = wb["Bukti"]
    links = {
        bukti.cell(row=r, column=6).hyperlink.target
        for r in range(5, bukti.max_row + 1)
        if bukti.cell(row=r, column=6).hyperlink
    }
    assert links == {f"{base}/penilaian/{penilaian.code}/bukti/{b.code}/" for b in [one, *two]}


# --------------------------------------------------------------------------------------
# Formulas evaluated by LibreOffice against the engine
# --------------------------------------------------------------------------------------


def _close(actual: Any, expected: Decimal | None, what: str) -> str | None:
    if expected is None:
        return None if actual in (None, "") else f"{what}: {actual!r} != kosong"
    if not isinstance(actual, int | float) or abs(Decimal(str(actual)) - expected) > Decimal(
        "1e-9"
    ):
        return f"{what}: Excel {actual!r} != engine {expected}"
    return None


def compare_with_engine(path: Path, report: ScoreReport) -> list[str]:
    """Every node's Nilai and %, every question value, every rule and the verdict."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    problems: list[str | None] = []

    def check(code: str, nilai: Decimal | None, persen: Decimal | None = None) -> None:
        row = rows[code]
        problems.append(_close(ws.cell(row=row, column=cols["Nilai"]).value, nilai, code))
        if persen is not None:
            value = ws.cell(row=row, column=cols["%"]).value
            problems.append(_close(value, persen / 100, f"{code} %"))

    nodes: tuple[Any, ...] = (
        *report.indikator,
        *report.areas,
        *report.bagian,
        *report.hasil_items,
        *report.hasil_groups,
        report.pengungkit,
        report.hasil,
        report.total,
    )
    for node in nodes:
        check(node.code, node.nilai, node.persen)
    for q in report.questions:
        if q.status == "tidak dapat dihitung" and q.value is None:
            check(q.code, None)
        else:
            check(q.code, q.value if q.value is not None else Decimal(0))
    summary = wb["Ringkasan"]
    statuses: list[str] = []
    verdict = None
    for r in range(1, summary.max_row + 1):
        if summary.cell(row=r, column=2).value == "KESIMPULAN":
            verdict = summary.cell(row=r, column=3).value
        if summary.cell(row=r, column=5).value in ("Memenuhi", "Belum memenuhi"):
            statuses.append(summary.cell(row=r, column=5).value)
    expected = ["Memenuhi" if rule.passed else "Belum memenuhi" for rule in report.rules]
    if statuses != expected:
        problems.append(f"aturan: Excel {statuses} != engine {expected}")
    if verdict != report.verdict:
        problems.append(f"kesimpulan: Excel {verdict!r} != engine {report.verdict!r}")
    return [p for p in problems if p]


EDGE_A = {
    # Reform 1.i: both questions "tidak dapat dihitung" -> the indikator is 0.
    "A.II.1.i.a.1": 0,
    "A.II.1.i.a.2": 3,
    "A.II.1.i.b.1": 0,
    "A.II.1.i.b.2": 0,
    # Disiplin with no violations last year and none this year -> 1.
    "A.II.3.iii.a.1": 0,
    "A.II.3.iii.a.2": 0,
    "A.II.3.iii.a.3": 4,
    # More reached than planned: clamped to 1.
    "A.II.4.i.a.1": 3,
    "A.II.4.i.a.2": 5,
    # One question of 6.i leaves the mean, the option question stays.
    "A.II.6.i.b.1": 0,
    "A.II.6.i.b.2": 0,
    # LHKPN: three penyebut rows summed (the total, row .1, is derived: never typed).
    "A.II.5.iii.a.2": 1,
    "A.II.5.iii.a.3": 4,
    "A.II.5.iii.a.4": 2,
    "A.II.5.iii.a.5": 6,
}
EDGE_B = {
    # Disiplin: P = 0 but violations this year -> 0; the other disiplin input missing.
    "A.II.3.iii.a.1": 0,
    "A.II.3.iii.a.2": 2,
    # Only one of the two inputs filled -> unanswered -> 0 in the mean.
    "A.II.1.i.a.1": 4,
    "A.II.1.i.a.2": None,
    # Capaian kinerja: no sasaran at all -> "tidak dapat dihitung", alone in its indikator.
    "A.II.4.i.a.1": 0,
    "A.II.4.i.a.2": 0,
}


def test_formulas_agree_with_the_engine_when_evaluated(tmp_path):
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    biro, bkkbn = penilaian_of("biro-hp"), penilaian_of("bkkbn-sumsel")
    scenarios: list[tuple[str, Penilaian, str]] = []

    def export(name: str, penilaian: Penilaian, by: str) -> None:
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(lke_workbook(penilaian, by=by))
        scenarios.append((name, penilaian, by))
        reports[name] = penilaian_score(penilaian, by)

    reports: dict[str, ScoreReport] = {}
    export("kosong", biro, SetJawaban.TPI)
    fill(biro, SetJawaban.MANDIRI, 11)
    export("mandiri", biro, SetJawaban.MANDIRI)
    fill(biro, SetJawaban.TPI, 12)
    set_numbers(biro, SetJawaban.TPI, EDGE_A)
    export("tpi-a", biro, SetJawaban.TPI)
    set_numbers(biro, SetJawaban.TPI, EDGE_B)
    export("tpi-b", biro, SetJawaban.TPI)
    fill(bkkbn, SetJawaban.TPI, 13)
    export("model-10-2019", bkkbn, SetJawaban.TPI)
    best_answers(biro, SetJawaban.TPI)
    PredikatUnit.objects.create(
        unit=biro.unit, predikat="WBK", tahun=biro.tahun, sumber=PredikatUnit.Sumber.TPN
    )
    export("wbbm", biro, SetJawaban.TPI)
    assert reports["wbbm"].verdict == "WBBM"
    assert reports["tpi-a"].nilai_of("A.II.1.i") == 0
    statuses = {q.code: q.status for q in reports["tpi-a"].questions}
    assert statuses["A.II.6.i.b"] == "tidak dapat dihitung"
    values = {name: {q.code: q.value for q in reports[name].questions} for name in reports}
    assert values["tpi-a"]["A.II.3.iii.a"] == 1 and values["tpi-b"]["A.II.3.iii.a"] == 0
    assert values["tpi-a"]["A.II.4.i.a"] == 1

    out = tmp_path / "dihitung"
    converted = soffice_recalculate([tmp_path / f"{name}.xlsx" for name, _, _ in scenarios], out)
    failures = {
        name: problems
        for (name, _, _), path in zip(scenarios, converted, strict=True)
        if (problems := compare_with_engine(path, reports[name]))
    }
    assert not failures, failures
    # Negative control: the comparison does notice a different answer set.
    assert compare_with_engine(converted[1], reports["tpi-a"])


def test_changing_an_answer_in_excel_moves_the_score(tmp_path):
    """Edit the exported file like a user would; LibreOffice's result equals the engine's
    on the same answers saved through the portal."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    penilaian = penilaian_of("pusat-tik")
    fill(penilaian, SetJawaban.TPI, 21)
    wb = load(lke_workbook(penilaian, by=SetJawaban.TPI))
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    edits = {"A.I.1.i.a": "Tidak", "A.I.1.iii.a": "C", "A.II.3.iii.a.1": 0, "B.I.a": 2.5}
    for code, value in edits.items():
        ws.cell(row=rows[code], column=cols["Jawaban TPI"]).value = value
    path = tmp_path / "diubah.xlsx"
    wb.save(path)
    q = {
        c: Pertanyaan.objects.get(model=penilaian.model, kode=c)
        for c in ("A.I.1.i.a", "A.I.1.iii.a")
    }
    with writable(penilaian, "tpi"):
        jawaban_save(
            penilaian=penilaian, set_="tpi", pertanyaan=q["A.I.1.i.a"], opsi="Tidak", user=None
        )
        jawaban_save(
            penilaian=penilaian, set_="tpi", pertanyaan=q["A.I.1.iii.a"], opsi="C", user=None
        )
        disiplin = Pertanyaan.objects.get(model=penilaian.model, kode="A.II.3.iii.a")
        current = penilaian.jawaban.get(set="tpi", pertanyaan=disiplin).angka
        jawaban_save(
            penilaian=penilaian,
            set_="tpi",
            pertanyaan=disiplin,
            angka={**current, "A.II.3.iii.a.1": 0},
            user=None,
        )
        ipak = HasilItem.objects.get(model=penilaian.model, kode="B.I.a")
        jawaban_hasil_save(penilaian=penilaian, set_="tpi", hasil_item=ipak, value="2.5", user=None)
    [converted] = soffice_recalculate([path], tmp_path / "dihitung")
    assert compare_with_engine(converted, penilaian_score(penilaian, "tpi")) == []
