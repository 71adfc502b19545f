"""The LKE worksheet with the TPN's column (issue 16 part 3): exported beside the
mandiri and TPI columns with differences highlighted, and imported back as the TPN's
result only once the TPI's score is final."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from documents.xlsx_export import LKE_SHEET, lke_workbook
from documents.xlsx_import import ImportGagal, lke_import
from lke.models import StatusPenilaian
from scoring.models import Jawaban, JawabanHasil, SetJawaban
from tests.documents.test_xlsx_export import fill, header, load, penilaian_of, rows_by_code
from tests.workflow import put_status
from units.access import unit_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def final() -> Any:
    penilaian = penilaian_of("biro-hp")
    fill(penilaian, SetJawaban.MANDIRI, 41)
    fill(penilaian, SetJawaban.TPI, 42)
    put_status(penilaian, StatusPenilaian.FINAL)
    return penilaian


def _with_tpn(data: bytes, values: dict[str, Any]) -> bytes:
    wb = load(data)
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    for code, value in values.items():
        ws.cell(row=rows[code], column=cols["Jawaban TPN"]).value = value
    ws.cell(row=rows["A.I.1.i.a"], column=cols["Catatan TPN"]).value = "Desk evaluation TPN"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_three_answer_columns_stand_side_by_side(final):
    ws = load(lke_workbook(final))[LKE_SHEET]
    cols = header(ws)
    assert cols["Jawaban TPI"] + 1 == cols["Jawaban TPN"] == cols["Nilai"] - 1
    assert cols["Catatan TPI"] + 1 == cols["Catatan TPN"]
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert any(r.startswith("K") for r in ranges) and any(r.startswith("M") for r in ranges)


def test_a_tpn_worksheet_imports_as_the_tpn_set(final):
    tpi = get_user_model().objects.get(username="tpi.mk")
    data = _with_tpn(
        lke_workbook(final, by=SetJawaban.TPN),
        {
            "A.I.1.i.a": "ya",
            "A.II.1.i.a.1": 9,
            "A.II.1.i.a.2": 10,
            "B.I.a": 3.5,
        },
    )
    result = lke_import(
        final, data, by=SetJawaban.TPN, user=tpi, access=unit_access(tpi, final.unit)
    )
    assert (result.jawaban, result.hasil) == (2, 1)
    stored = {
        j.pertanyaan.kode: (j.opsi, j.angka, j.catatan)
        for j in Jawaban.objects.filter(penilaian=final, set=SetJawaban.TPN).select_related(
            "pertanyaan"
        )
    }
    assert stored["A.I.1.i.a"] == ("Ya", {}, "Desk evaluation TPN")
    assert stored["A.II.1.i.a"][1] == {"A.II.1.i.a.1": "9", "A.II.1.i.a.2": "10"}
    assert (
        JawabanHasil.objects.get(
            penilaian=final, set=SetJawaban.TPN, hasil_item__kode="B.I.a"
        ).nilai
        == 3.5
    )
    # the export shows the TPN's answers in its column
    ws = load(lke_workbook(final))[LKE_SHEET]
    assert (
        ws.cell(row=rows_by_code(ws)["A.I.1.i.a"], column=header(ws)["Jawaban TPN"]).value == "Ya"
    )


def test_a_tpn_worksheet_is_refused_before_the_final_and_for_the_tim_kerja(final):
    data = _with_tpn(lke_workbook(final), {"A.I.1.i.a": "Ya"})
    tim = get_user_model().objects.get(username="tim.biro-hp")
    with pytest.raises(ImportGagal) as refused:
        lke_import(final, data, by=SetJawaban.TPN, user=tim, access=unit_access(tim, final.unit))
    assert "admin atau TPI" in refused.value.errors[0]
    put_status(final, StatusPenilaian.REVIU_TPI)
    with pytest.raises(ImportGagal) as refused:
        lke_import(final, data, by=SetJawaban.TPN, user=None)
    assert refused.value.errors == ["Jawaban TPN hanya dapat diisi setelah nilai TPI final."]
    assert not Jawaban.objects.filter(penilaian=final, set=SetJawaban.TPN).exists()


def test_the_commands_take_by_tpn(final, tmp_path):
    out = tmp_path / "lke.xlsx"
    call_command("lke_export", unit="biro-hp", year=2022, output=str(out), by="tpn")
    filled = tmp_path / "tpn.xlsx"
    filled.write_bytes(_with_tpn(out.read_bytes(), {"A.I.1.i.a": "Tidak"}))
    call_command("lke_import", str(filled), unit="biro-hp", year=2022, by="tpn", user="admin")
    assert (
        Jawaban.objects.get(penilaian=final, set=SetJawaban.TPN, pertanyaan__kode="A.I.1.i.a").opsi
        == "Tidak"
    )
