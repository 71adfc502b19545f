"""Importing a filled LKE worksheet: round trip, changes, errors with row numbers, all or
nothing, refused files, and the two management commands."""

from __future__ import annotations

import io
import shutil
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from documents import xlsx_import
from documents.xlsx_export import LKE_SHEET, lke_workbook
from documents.xlsx_import import ImportGagal, lke_import
from lke.models import StatusPenilaian
from scoring.models import Jawaban, JawabanHasil, SetJawaban
from scoring.services import JawabanTidakValid, answer_set, jawaban_save
from tests.conftest import require
from tests.documents.test_xlsx_export import (
    fill,
    header,
    load,
    penilaian_of,
    rows_by_code,
    set_numbers,
    soffice_recalculate,
)
from tests.workflow import put_status
from units.models import Riwayat

pytestmark = pytest.mark.django_db


def snapshot(penilaian: Any) -> dict[str, Any]:
    """Both answer sets with their catatan, for before/after comparisons."""
    result: dict[str, Any] = {}
    for set_ in SetJawaban.values:
        answers = answer_set(penilaian, set_)
        result[set_] = (dict(answers.options), dict(answers.numbers), dict(answers.hasil))
        result[f"{set_}-catatan"] = {
            **dict(
                Jawaban.objects.filter(penilaian=penilaian, set=set_).values_list(
                    "pertanyaan__kode", "catatan"
                )
            ),
            **dict(
                JawabanHasil.objects.filter(penilaian=penilaian, set=set_).values_list(
                    "hasil_item__kode", "catatan"
                )
            ),
        }
    return result


def edited(data: bytes, column: str, values: dict[str, Any]) -> bytes:
    """The exported file with some cells of one column changed, as a user would."""
    wb = load(data)
    ws = wb[LKE_SHEET]
    cols, rows = header(ws), rows_by_code(ws)
    for code, value in values.items():
        ws.cell(row=rows[code], column=cols[column]).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(data: bytes, code: str) -> int:
    return rows_by_code(load(data)[LKE_SHEET])[code]


@pytest.fixture
def filled() -> Any:
    penilaian = penilaian_of("biro-hp")
    fill(penilaian, SetJawaban.MANDIRI, 31, catatan=True)
    fill(penilaian, SetJawaban.TPI, 32, catatan=True)
    set_numbers(penilaian, SetJawaban.TPI, {"A.II.1.i.a.1": 0, "A.II.1.i.a.2": 0})
    return penilaian


# --------------------------------------------------------------------------------------
# Round trip and changes
# --------------------------------------------------------------------------------------


def test_export_then_import_leaves_every_answer_unchanged(filled):
    before = snapshot(filled)
    history = Riwayat.objects.count()
    data = lke_workbook(filled)
    # The TPN's column is read only once final (tests/documents/test_xlsx_tpn.py).
    for by in (SetJawaban.MANDIRI, SetJawaban.TPI):
        result = lke_import(filled, data, by=by, user=None)
        assert result.changed == 0
        assert result.baris == len(rows_by_code(load(data)[LKE_SHEET]))
    assert snapshot(filled) == before
    assert Riwayat.objects.count() == history


def test_round_trip_through_libreoffice_leaves_every_answer_unchanged(filled, tmp_path):
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    before = snapshot(filled)
    path = tmp_path / "lke.xlsx"
    path.write_bytes(lke_workbook(filled, by=SetJawaban.MANDIRI))
    [saved] = soffice_recalculate([path], tmp_path / "lo")
    for by in (SetJawaban.MANDIRI, SetJawaban.TPI):
        assert lke_import(filled, saved.read_bytes(), by=by, user=None).changed == 0
    assert snapshot(filled) == before


def test_import_writes_the_changed_answers_with_history(filled, django_user_model):
    user = django_user_model.objects.get(username="tpi.mk")
    data = edited(
        lke_workbook(filled),
        "Jawaban TPI",
        {
            "A.I.1.i.a": "tidak",  # options are matched case-insensitively
            "A.I.1.i.b": "",  # emptied: the answer is removed
            "A.II.1.i.a.1": 10,
            "A.II.1.i.a.2": "7",
            "B.I.a": "3,25",  # a decimal comma typed as text
            "B.I.b": "c",
        },
    )
    data = edited(
        data,
        "Catatan TPI",
        {"A.I.1.i.a": "Bukti SK belum ditandatangani.", "A.II.1.i.a": "Sesuai laporan."},
    )
    before = snapshot(filled)
    put_status(filled, StatusPenilaian.REVIU_TPI)
    result = lke_import(filled, data, by=SetJawaban.TPI, user=user)
    after = snapshot(filled)
    options, numbers, hasil = after["tpi"]
    assert options["A.I.1.i.a"] == "Tidak" and "A.I.1.i.b" not in options
    assert numbers["A.II.1.i.a.1"] == 10 and numbers["A.II.1.i.a.2"] == 7
    assert hasil["B.I.a"] == Decimal("3.25") and hasil["B.I.b"] == "C"
    assert after["tpi-catatan"]["A.I.1.i.a"] == "Bukti SK belum ditandatangani."
    assert after["mandiri"] == before["mandiri"]
    # A.I.1.i.a (its catatan changed) and A.II.1.i.a always change; A.I.1.i.b only if
    # it had an answer before.
    assert result.jawaban == 2 + ("A.I.1.i.b" in before["tpi"][0])
    old_hasil = before["tpi"][2]
    assert result.hasil == (old_hasil.get("B.I.a") != Decimal("3.25")) + (
        old_hasil.get("B.I.b") != "C"
    )
    assert Riwayat.objects.filter(user=user, kode="A.I.1.i.a", objek="jawaban_tpi").exists()


def test_mandiri_import_reads_only_the_mandiri_columns(filled):
    data = edited(lke_workbook(filled), "Jawaban Mandiri", {"A.I.1.i.a": "Ya"})
    data = edited(data, "Jawaban TPI", {"A.I.1.i.a": "Tidak"})
    before = snapshot(filled)
    lke_import(filled, data, by=SetJawaban.MANDIRI, user=None)
    after = snapshot(filled)
    assert after["mandiri"][0]["A.I.1.i.a"] == "Ya"
    assert after["tpi"] == before["tpi"]


# --------------------------------------------------------------------------------------
# Errors: every row reported, nothing written
# --------------------------------------------------------------------------------------


def test_every_error_is_reported_with_its_row_and_nothing_is_written(filled):
    data = lke_workbook(filled)
    bad = {
        "A.I.1.ii.b": "F",
        "A.I.1.i.a": "Mungkin",
        "A.II.1.i.a.1": -3,
        "A.II.1.i.a.2": 2.5,
        "A.II.1.i.b.1": "banyak",
        "A.II.4.i.a.1": 2_000_000_000,
        "A.II.1.i.b": 0.5,  # a % question: computed, not typed
        "B.I.a": 5,
        "B.II.a": "tinggi",
        "B.I.b": "F",
        "A.I.1": "A",  # a structural row has no answer
        "A.I.2.i.a": "=1+1",  # a formula is not an answer
    }
    data = edited(data, "Jawaban TPI", {"A.I.2.i.b": "A", **bad})
    wb = load(data)
    ws = wb[LKE_SHEET]
    rows = rows_by_code(ws)
    unknown = rows["A.I.3.i"]
    ws.cell(row=unknown, column=1).value = "A.I.9.z"
    dup = rows["A.I.3.i.a"]
    ws.cell(row=dup, column=1).value = "A.I.2.i.c"
    buffer = io.BytesIO()
    wb.save(buffer)
    before = snapshot(filled)
    with pytest.raises(ImportGagal) as caught:
        lke_import(filled, buffer.getvalue(), by=SetJawaban.TPI, user=None)
    errors = caught.value.errors
    expected = {
        "A.I.1.ii.b": "“F” bukan pilihan jawaban (A/B/C).",
        "A.I.1.i.a": "“Mungkin” bukan pilihan jawaban (Ya/Tidak).",
        "A.II.1.i.a.1": "jumlah tidak boleh negatif.",
        "A.II.1.i.a.2": "harus bilangan bulat",
        "A.II.1.i.b.1": "“banyak” bukan angka.",
        "A.II.4.i.a.1": "angka terlalu besar",
        "A.II.1.i.b": "dihitung dari isian jumlah",
        "B.I.a": "nilai harus antara 0 dan 4.",
        "B.II.a": "“tinggi” bukan angka.",
        "B.I.b": "“F” bukan pilihan jawaban (A/B/C/D/E).",
        "A.I.1": "baris ini tidak diisi jawaban",
        "A.I.2.i.a": "berisi rumus",
    }
    for code, message in expected.items():
        prefix = f"Baris {rows[code]} ({code}): "
        assert any(e.startswith(prefix) and message in e for e in errors), (code, errors)
    assert f"Baris {unknown} (A.I.9.z): kode tidak dikenal dalam model permenpanrb-90-2021." in (
        errors
    )
    assert f"Baris {dup} (A.I.2.i.c): kode ini sudah ada di baris {rows['A.I.2.i.c']}." in errors
    assert len(errors) == len(expected) + 2
    # The valid change in the same file (A.I.2.i.b) is not written either.
    assert snapshot(filled) == before


def test_row_errors_are_in_the_active_language(filled):
    data = edited(lke_workbook(filled), "Jawaban TPI", {"A.I.1.i.a": "Mungkin", "B.I.a": 5})
    option, value = row_of(data, "A.I.1.i.a"), row_of(data, "B.I.a")
    expected = {
        "id": [
            f"Baris {option} (A.I.1.i.a): “Mungkin” bukan pilihan jawaban (Ya/Tidak).",
            f"Baris {value} (B.I.a): nilai harus antara 0 dan 4.",
        ],
        "en": [
            f"Row {option} (A.I.1.i.a): “Mungkin” is not an answer option (Ya/Tidak).",
            f"Row {value} (B.I.a): the value must be between 0 and 4.",
        ],
    }
    for language, errors in expected.items():
        with translation.override(language), pytest.raises(ImportGagal) as caught:
            lke_import(filled, data, by=SetJawaban.TPI, user=None)
        assert sorted(caught.value.errors) == sorted(errors), language
    with translation.override("en"), pytest.raises(ImportGagal) as caught:
        lke_import(filled, b"bukan xlsx", by=SetJawaban.TPI, user=None)
    assert caught.value.errors == [
        "The file is not an Excel worksheet (.xlsx). Save it as “Excel Workbook (.xlsx)” and "
        "upload it again."
    ]


def test_an_error_inside_the_write_rolls_everything_back(filled, monkeypatch):
    data = edited(lke_workbook(filled), "Jawaban TPI", {"A.I.1.i.a": "Ya", "A.I.1.i.b": "C"})
    before = snapshot(filled)
    real = jawaban_save
    calls = []

    def failing(**kwargs: Any) -> Any:
        calls.append(kwargs["pertanyaan"].kode)
        if len(calls) == 2:
            raise JawabanTidakValid("Jawaban ini ditolak.")
        return real(**kwargs)

    monkeypatch.setattr("documents.xlsx_import.jawaban_save", failing)
    data = edited(data, "Jawaban TPI", {"A.I.1.i.a": "Tidak", "A.I.1.i.b": "A"})
    data = edited(data, "Catatan TPI", {"A.I.1.i.a": "Catatan.", "A.I.1.i.b": "Catatan."})
    put_status(filled, StatusPenilaian.REVIU_TPI)
    with pytest.raises(ImportGagal) as caught:
        lke_import(filled, data, by=SetJawaban.TPI, user=None)
    assert caught.value.errors[0].endswith("Jawaban ini ditolak.")
    assert len(calls) == 2
    assert snapshot(filled) == before


def test_area_limited_member_cannot_change_other_areas(filled):
    options = snapshot(filled)["mandiri"][0]
    other = {
        code: "Tidak" if options.get(code) == "Ya" else "Ya" for code in ("A.I.1.i.a", "A.I.1.ii.a")
    }
    own = {"A.I.2.i.a": "D" if options.get("A.I.2.i.a") != "D" else "A"}
    data = edited(lke_workbook(filled), "Jawaban Mandiri", {**other, **own})
    with pytest.raises(ImportGagal) as caught:
        lke_import(filled, data, by=SetJawaban.MANDIRI, user=None, allowed_areas={2})
    assert caught.value.errors == [
        f"Baris {row_of(data, code)} ({code}): Anda tidak berwenang mengubah jawaban area 1."
        for code in other
    ]
    data = edited(lke_workbook(filled), "Jawaban Mandiri", own)
    result = lke_import(filled, data, by=SetJawaban.MANDIRI, user=None, allowed_areas={2})
    assert result.jawaban == 1


# --------------------------------------------------------------------------------------
# Refused files
# --------------------------------------------------------------------------------------


def _error(penilaian: Any, data: Any, by: str = SetJawaban.TPI) -> list[str]:
    with pytest.raises(ImportGagal) as caught:
        lke_import(penilaian, data, by=by, user=None)
    return caught.value.errors


def test_refuses_files_that_are_not_xlsx():
    penilaian = penilaian_of("biro-hp")
    for data in (b"", b"Kode;Jawaban TPI\nA.I.1.i.a;Ya\n", b"\xd0\xcf\x11\xe0" + b"\0" * 600):
        [message] = _error(penilaian, data)
        assert "bukan lembar kerja Excel (.xlsx)" in message
    # A zip that is not a workbook.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "halo")
    [message] = _error(penilaian, buffer.getvalue())
    assert "bukan lembar kerja Excel (.xlsx)" in message


def test_refuses_a_workbook_that_declares_entities():
    penilaian = penilaian_of("biro-hp")
    source = zipfile.ZipFile(io.BytesIO(lke_workbook(penilaian)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = content.partition(b"?>")
                content = head + b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + rest
            archive.writestr(item, content)
    [message] = _error(penilaian, buffer.getvalue())
    assert message.startswith("Berkas ditolak: berisi deklarasi DTD")


def test_accepts_an_uploaded_file():
    penilaian = penilaian_of("biro-hp")
    upload = SimpleUploadedFile("lke.xlsx", lke_workbook(penilaian))
    upload.read(10)  # a view may have peeked at it already
    assert lke_import(penilaian, upload, by=SetJawaban.TPI, user=None).changed == 0


def test_refuses_files_that_are_too_large(monkeypatch):
    penilaian = penilaian_of("biro-hp")
    data = lke_workbook(penilaian)
    monkeypatch.setattr(xlsx_import, "MAX_BYTES", len(data) - 1)
    [message] = _error(penilaian, data)
    assert message.startswith("Berkas terlalu besar")
    [message] = _error(penilaian, io.BytesIO(data))
    assert message.startswith("Berkas terlalu besar")


def test_refuses_workbooks_without_the_sheet_or_the_columns():
    penilaian = penilaian_of("biro-hp")
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    buffer = io.BytesIO()
    wb.save(buffer)
    [message] = _error(penilaian, buffer.getvalue())
    assert message.startswith("Lembar “LKE” tidak ditemukan")

    wb = load(lke_workbook(penilaian))
    ws = wb[LKE_SHEET]
    cols = header(ws)
    ws.cell(row=6, column=cols["Jawaban TPI"]).value = "Jawaban"
    buffer = io.BytesIO()
    wb.save(buffer)
    assert _error(penilaian, buffer.getvalue()) == [
        "Kolom “Jawaban TPI” tidak ditemukan pada lembar “LKE”."
    ]
    # The mandiri column is still there, so a mandiri import works.
    assert lke_import(penilaian, buffer.getvalue(), by="mandiri", user=None).changed == 0


def test_refuses_another_penilaian_or_model_and_a_final_penilaian():
    biro, tik, bkkbn = (
        penilaian_of("biro-hp"),
        penilaian_of("pusat-tik"),
        penilaian_of("bkkbn-sumsel"),
    )
    [message] = _error(tik, lke_workbook(biro))
    assert message.startswith("Berkas ini diekspor dari penilaian lain")
    assert "Biro" not in message
    [message] = _error(bkkbn, lke_workbook(biro))
    assert "model permenpanrb-90-2021" in message
    put_status(biro, StatusPenilaian.FINAL)
    [message] = _error(biro, lke_workbook(biro))
    assert "sudah final" in message
    assert _error(tik, lke_workbook(tik), by="pimpinan")[0].startswith("Set jawaban")


# --------------------------------------------------------------------------------------
# Management commands
# --------------------------------------------------------------------------------------


def test_export_and_import_commands(filled, tmp_path):
    path = tmp_path / "lke.xlsx"
    out = io.StringIO()
    call_command(
        "lke_export", unit="biro-hp", year=2022, output=str(path), by="mandiri", stdout=out
    )
    assert path.exists() and "ditulis ke" in out.getvalue()
    path.write_bytes(edited(path.read_bytes(), "Jawaban Mandiri", {"A.I.1.i.a": "Tidak"}))
    out = io.StringIO()
    call_command(
        "lke_import",
        str(path),
        unit="biro-hp",
        year=2022,
        by="mandiri",
        user="tim.biro-hp",
        stdout=out,
    )
    assert "selesai" in out.getvalue()
    assert snapshot(filled)["mandiri"][0]["A.I.1.i.a"] == "Tidak"

    path.write_bytes(edited(path.read_bytes(), "Jawaban Mandiri", {"A.I.1.i.a": "X"}))
    with pytest.raises(CommandError) as caught:
        call_command(
            "lke_import", str(path), unit="biro-hp", year=2022, by="mandiri", user="tim.biro-hp"
        )
    row = row_of(path.read_bytes(), "A.I.1.i.a")
    assert "tidak ada jawaban yang disimpan" in str(caught.value)
    assert f"Baris {row} (A.I.1.i.a): “X” bukan pilihan jawaban (Ya/Tidak)." in str(caught.value)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("lke_export", unit="biro-hp", year=1999, output=str(path))
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command(
            "lke_import",
            str(tmp_path / "tidak-ada.xlsx"),
            unit="biro-hp",
            year=2022,
            by="tpi",
            user="tpi.mk",
        )
