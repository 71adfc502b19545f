"""The LKE import is a door like the others: workflow stage, area limits of the importer,
the TPI's catatan rule, and stale rows (answers changed since the export)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from documents.xlsx_export import VERSI_SHEET, lke_workbook
from documents.xlsx_import import ImportGagal, lke_import
from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, Reviu, SetJawaban, StatusReviu
from scoring.services import jawaban_save
from scoring.workflow import penilaian_submit
from tests.documents.test_xlsx_import import edited, row_of, snapshot
from tests.workflow import put_status
from units.access import unit_access
from units.models import Keanggotaan, Riwayat

pytestmark = pytest.mark.django_db


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def access_of(username: str, penilaian: Penilaian) -> Any:
    access = unit_access(user(username), penilaian.unit)
    assert access is not None
    return access


def q(penilaian: Penilaian, kode: str) -> Pertanyaan:
    return Pertanyaan.objects.select_related("indikator__area").get(
        model=penilaian.model, kode=kode
    )


@pytest.fixture
def under_review(biro_hp: Penilaian) -> Penilaian:
    tim = user("tim.biro-hp")
    for kode, opsi in (("A.I.1.i.a", "Ya"), ("A.I.1.i.b", "A")):
        jawaban_save(
            penilaian=biro_hp, set_="mandiri", pertanyaan=q(biro_hp, kode), opsi=opsi, user=tim
        )
    penilaian_submit(penilaian=biro_hp, user=tim, access=access_of("tim.biro-hp", biro_hp))
    return biro_hp


def test_the_export_carries_every_answer_version_in_a_hidden_sheet(under_review: Penilaian) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(lke_workbook(under_review)))
    ws = wb[VERSI_SHEET]
    assert ws.sheet_state == "veryHidden" and ws.protection.sheet
    rows = {(r[0], r[1], r[2]): r[3] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[("q", "A.I.1.i.a", "mandiri")] == "1"


def test_mandiri_cli_import_during_reviu_exits_non_zero_and_writes_nothing(
    under_review: Penilaian, tmp_path: Any
) -> None:
    path = tmp_path / "lke.xlsx"
    path.write_bytes(edited(lke_workbook(under_review), "Jawaban Mandiri", {"A.I.1.i.a": "Tidak"}))
    before, history = snapshot(under_review), Riwayat.objects.count()
    with pytest.raises(CommandError, match="sedang direviu TPI"):
        call_command(
            "lke_import",
            str(path),
            unit="biro-hp",
            year=2022,
            by="mandiri",
            user="tim.biro-hp",
            stdout=io.StringIO(),
        )
    assert snapshot(under_review) == before and Riwayat.objects.count() == history


def test_mandiri_import_during_reviu_changes_only_returned_items(under_review: Penilaian) -> None:
    Reviu.objects.create(
        penilaian=under_review,
        pertanyaan=q(under_review, "A.I.1.i.a"),
        status=StatusReviu.PERLU_PERBAIKAN,
        catatan="Perbaiki",
    )
    data = lke_workbook(under_review)
    refused = edited(data, "Jawaban Mandiri", {"A.I.1.i.a": "Tidak", "A.I.1.i.b": "B"})
    with pytest.raises(ImportGagal) as caught:
        lke_import(
            under_review,
            refused,
            by="mandiri",
            user=user("tim.biro-hp"),
            access=access_of("tim.biro-hp", under_review),
        )
    [error] = caught.value.errors
    assert error.startswith(f"Baris {row_of(data, 'A.I.1.i.b')} (A.I.1.i.b)")
    assert "dikembalikan TPI" in error
    assert Jawaban.objects.get(set="mandiri", pertanyaan__kode="A.I.1.i.a").opsi == "Ya"
    allowed = edited(data, "Jawaban Mandiri", {"A.I.1.i.a": "Tidak"})
    result = lke_import(
        under_review,
        allowed,
        by="mandiri",
        user=user("tim.biro-hp"),
        access=access_of("tim.biro-hp", under_review),
    )
    assert result.jawaban == 1
    assert Jawaban.objects.get(set="mandiri", pertanyaan__kode="A.I.1.i.a").opsi == "Tidak"


def test_a_tpi_answer_that_differs_needs_a_catatan_in_the_import_too(
    under_review: Penilaian,
) -> None:
    data = edited(
        lke_workbook(under_review), "Jawaban TPI", {"A.I.1.i.a": "Tidak", "A.I.1.i.b": "A"}
    )
    with pytest.raises(ImportGagal) as caught:
        lke_import(
            under_review,
            data,
            by="tpi",
            user=user("tpi.mk"),
            access=access_of("tpi.mk", under_review),
        )
    [error] = caught.value.errors  # A.I.1.i.b equals the mandiri answer: no catatan needed
    assert "(A.I.1.i.a)" in error and "berbeda dari jawaban mandiri" in error
    assert not Jawaban.objects.filter(penilaian=under_review, set="tpi").exists()
    data = edited(data, "Catatan TPI", {"A.I.1.i.a": "SK belum ditandatangani."})
    assert (
        lke_import(
            under_review,
            data,
            by="tpi",
            user=user("tpi.mk"),
            access=access_of("tpi.mk", under_review),
        ).jawaban
        == 2
    )


def test_a_row_changed_since_the_export_is_refused_naming_who_and_when(
    under_review: Penilaian,
) -> None:
    put_status(under_review, StatusPenilaian.PENGISIAN)
    old_workbook = lke_workbook(under_review)
    colleague = user("tim.biro-hp")
    colleague.first_name, colleague.last_name = "Sari", "Dewi"
    colleague.save()
    jawaban_save(
        penilaian=under_review,
        set_="mandiri",
        pertanyaan=q(under_review, "A.I.1.i.a"),
        opsi="Tidak",
        catatan="Diperbarui setelah rapat",
        user=colleague,
    )
    # Whoever imports the old workbook (even untouched) must not undo the newer answer.
    data = edited(old_workbook, "Jawaban Mandiri", {"A.I.1.i.b": "B"})
    with pytest.raises(ImportGagal) as caught:
        lke_import(under_review, data, by="mandiri", user=user("admin"))
    [error] = caught.value.errors
    assert error.startswith(f"Baris {row_of(data, 'A.I.1.i.a')} (A.I.1.i.a)")
    assert "diubah oleh Sari Dewi pada" in error and "Ekspor ulang" in error
    saved = Jawaban.objects.get(set="mandiri", pertanyaan__kode="A.I.1.i.a")
    assert (saved.opsi, saved.catatan) == ("Tidak", "Diperbarui setelah rapat")
    assert Jawaban.objects.get(set="mandiri", pertanyaan__kode="A.I.1.i.b").opsi == "A"


def test_the_importers_area_limits_apply(biro_hp: Penilaian) -> None:
    Keanggotaan.objects.filter(user__username="tim.biro-hp").update(area_terbatas=[2])
    data = edited(lke_workbook(biro_hp), "Jawaban Mandiri", {"A.I.1.i.a": "Ya"})
    with pytest.raises(ImportGagal) as caught:
        lke_import(
            biro_hp,
            data,
            by="mandiri",
            user=user("tim.biro-hp"),
            access=access_of("tim.biro-hp", biro_hp),
        )
    assert "tidak berwenang mengubah jawaban area 1" in caught.value.errors[0]
    assert not Jawaban.objects.filter(penilaian=biro_hp).exists()


def test_the_cli_needs_a_user_with_a_role_in_the_unit(biro_hp: Penilaian, tmp_path: Any) -> None:
    path = tmp_path / "lke.xlsx"
    path.write_bytes(lke_workbook(biro_hp))
    with pytest.raises(CommandError, match="--user"):
        call_command("lke_import", str(path), unit="biro-hp", year=2022, by="mandiri")
    with pytest.raises(CommandError, match="tidak memiliki peran"):
        call_command(
            "lke_import", str(path), unit="biro-hp", year=2022, by="mandiri", user="tim.pusat-tik"
        )
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command(
            "lke_import", str(path), unit="biro-hp", year=2022, by="mandiri", user="tidak-ada"
        )


def test_the_web_import_refuses_mandiri_during_reviu(login: Any, under_review: Penilaian) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = edited(lke_workbook(under_review), "Jawaban Mandiri", {"A.I.1.i.a": "Tidak"})
    response = login("tim.biro-hp").post(
        f"/penilaian/{under_review.code}/impor/",
        {"oleh": SetJawaban.MANDIRI, "berkas": SimpleUploadedFile("lke.xlsx", data)},
    )
    assert response.status_code == 422 and "sedang direviu TPI" in response.content.decode()
    assert Jawaban.objects.get(set="mandiri", pertanyaan__kode="A.I.1.i.a").opsi == "Ya"
