"""The LKE workbook and the regulation's derived totals and zero-denominator policies:
5.iii "Jumlah yang harus melaporkan" is a SUM formula, an imported total that differs from
its rows is refused with its row number, and each rasio question states its policy."""

from __future__ import annotations

from typing import Any

import pytest

from documents.xlsx_export import LKE_SHEET, lke_workbook
from documents.xlsx_import import ImportGagal, lke_import
from lke.models import Indikator, Pertanyaan
from scoring.models import Jawaban, SetJawaban
from scoring.services import jawaban_save
from tests.documents.test_xlsx_export import header, load, penilaian_of, rows_by_code
from tests.documents.test_xlsx_import import edited
from tests.workflow import writable

pytestmark = pytest.mark.django_db

Q = "A.II.5.iii.a"
PARTS = {f"{Q}.2": "1", f"{Q}.3": "1", f"{Q}.4": "1", f"{Q}.5": "2"}


@pytest.fixture
def biro() -> Any:
    penilaian = penilaian_of("biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode=Q)
    for set_ in SetJawaban.values:
        with writable(penilaian, set_):
            jawaban_save(penilaian=penilaian, set_=set_, pertanyaan=q, angka=PARTS, user=None)
    return penilaian


def test_the_total_is_a_sum_formula_of_its_rows(biro: Any) -> None:
    ws = load(lke_workbook(biro))[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    for column in ("Jawaban Mandiri", "Jawaban TPI"):
        col = cols[column]
        letter = ws.cell(row=1, column=col).column_letter
        parts = ",".join(f"{letter}{rows[f'{Q}.{i}']}" for i in (2, 3, 4))
        assert ws.cell(row=rows[f"{Q}.1"], column=col).value == f"=SUM({parts})"


def test_each_rasio_question_states_its_zero_policy(biro: Any) -> None:
    ws = load(lke_workbook(biro))[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    text = ws.cell(row=rows["A.II.5.ii.a"], column=cols["Penjelasan"]).value
    assert "Bila penyebut 0, tidak dapat dihitung: tidak ikut dirata-rata" in text


def test_a_changed_policy_changes_the_formulas(biro: Any) -> None:
    Pertanyaan.objects.filter(model=biro.model, kode="A.II.5.ii.a").update(
        kebijakan_penyebut_nol="nilai_penuh"
    )
    Indikator.objects.filter(model=biro.model, kode="A.II.5.ii").update(
        kebijakan_tanpa_nilai="penuh"
    )
    ws = load(lke_workbook(biro))[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    answer = ws.cell(row=rows["A.II.5.ii.a"], column=cols["Jawaban TPI"]).value
    assert "=0,1,MIN(1" in answer and "tidak dapat dihitung" not in answer
    nilai = ws.cell(row=rows["A.II.5.ii"], column=cols["Nilai"]).value
    assert "),1)*" in nilai
    assert (
        "dinilai penuh (100%)" in ws.cell(row=rows["A.II.5.ii.a"], column=cols["Penjelasan"]).value
    )


def test_an_export_imports_back_unchanged(biro: Any) -> None:
    data = lke_workbook(biro)
    for by in SetJawaban.values:
        with writable(biro, by):
            assert lke_import(biro, data, by=by, user=None).changed == 0


def test_a_total_that_differs_from_its_rows_is_refused_with_its_row(biro: Any) -> None:
    data = edited(lke_workbook(biro), "Jawaban TPI", {f"{Q}.1": 5})
    row = rows_by_code(load(data)[LKE_SHEET])[f"{Q}.1"]
    before = list(Jawaban.objects.filter(penilaian=biro).values_list("angka", flat=True))
    with writable(biro, SetJawaban.TPI), pytest.raises(ImportGagal) as caught:
        lke_import(biro, data, by=SetJawaban.TPI, user=None)
    [error] = caught.value.errors
    assert error.startswith(f"Baris {row} ({Q}.1): Jumlah yang harus melaporkan dihitung")
    assert "(3)" in error and "berisi 5" in error
    assert list(Jawaban.objects.filter(penilaian=biro).values_list("angka", flat=True)) == before


def test_a_typed_total_alone_is_refused(biro: Any) -> None:
    # The rows emptied and only the total typed: it differs from its (empty) rows.
    data = edited(
        lke_workbook(biro),
        "Jawaban TPI",
        {f"{Q}.1": 3, f"{Q}.2": None, f"{Q}.3": None, f"{Q}.4": None},
    )
    with (
        writable(biro, SetJawaban.TPI),
        pytest.raises(ImportGagal, match=r"dihitung dari baris di bawahnya \(0\)"),
    ):
        lke_import(biro, data, by=SetJawaban.TPI, user=None)


def test_a_typed_total_equal_to_its_rows_passes_and_is_not_stored(biro: Any) -> None:
    data = edited(lke_workbook(biro), "Jawaban TPI", {f"{Q}.1": 4, f"{Q}.2": 2})
    # The TPI answer now differs from the mandiri one: the TPI says why (domain rule 7).
    data = edited(data, "Catatan TPI", {Q: "Dua pejabat wajib lapor di baris 2."})
    with writable(biro, SetJawaban.TPI):
        result = lke_import(biro, data, by=SetJawaban.TPI, user=None)
    assert result.changed == 1
    stored = Jawaban.objects.get(penilaian=biro, set=SetJawaban.TPI, pertanyaan__kode=Q).angka
    assert stored == {**PARTS, f"{Q}.2": "2"}
