"""Issue 13 part 7: the Riwayat page shows labels, Indonesian numbers and dates, no empty rows,
and its link is on every penilaian page for TPI and admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lke.models import Indikator
from scoring.riwayat_display import Perubahan, perubahan_rows
from units.models import Riwayat
from zi_portal.lib.dates import BULAN

pytestmark = pytest.mark.django_db


@translation.override("id")
def test_stored_keys_become_labels_numbers_and_dates() -> None:
    rows = perubahan_rows(
        {
            "status": ["diterima", "perlu_perbaikan"],
            "nilai_tpi": ["", "3.62"],
            "tanggal": ["", "2022-06-28"],
            "bulan_mulai": ["1", "3"],
            "angka": ["a=5.5, b=4", "a=6, b=4"],
            "catatan": ["versi 1.2", "perlu_perbaikan"],
            "rencana_kegiatan": ["", "Rapat"],
        }
    )
    assert rows == [
        Perubahan("Angka", "a=5,5, b=4", "a=6, b=4"),
        Perubahan("Bulan mulai", "Januari", "Maret"),
        # Typed text stays as typed.
        Perubahan("Catatan", "versi 1.2", "perlu_perbaikan"),
        Perubahan("Nilai TPI", "", "3,62"),
        Perubahan("Rencana kegiatan", "", "Rapat"),
        Perubahan("Status", "Diterima", "Perlu perbaikan"),
        Perubahan("Tanggal", "", "28 Juni 2022"),
    ]


def _record(biro_hp: Any, perubahan: dict[str, list[str]], kode: str) -> None:
    Riwayat.objects.create(
        unit=biro_hp.unit,
        tahun=biro_hp.tahun,
        objek="reviu",
        objek_id="1",
        kode=kode,
        aksi=Riwayat.Aksi.UBAH,
        perubahan=perubahan,
    )


def test_the_page_shows_labels_and_hides_rows_that_changed_nothing(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    _record(biro_hp, {"status": ["diterima", "perlu_perbaikan"]}, "A.I.1.i.a")
    _record(biro_hp, {"nilai_tpi": ["", "3.62"]}, "A.I.1.i.b")
    # An empty change, as older versions recorded on a save of nothing.
    _record(biro_hp, {}, "A.I.9.kosong")
    html = login("tpi.mk").get(reverse("scoring:riwayat", args=[biro_hp.code])).content.decode()
    assert "“Diterima” → “Perlu perbaikan”" in html
    assert "perlu_perbaikan" not in html
    assert "“” → “3,62”" in html and "3.62" not in html
    assert "A.I.9.kosong" not in html
    assert any(f" {m} " in html for m in BULAN)


@pytest.mark.parametrize("username", ["tpi.mk", "admin"])
def test_the_riwayat_link_is_on_every_penilaian_page_for_tpi_and_admin(
    username: str, login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login(username)
    code = biro_hp.code
    indikator = Indikator.objects.filter(area__model=biro_hp.model).order_by("pk")[0]
    urls = [
        reverse("scoring:dashboard", args=[code]),
        reverse("scoring:worksheet", args=[code, 1]),
        reverse("scoring:skor", args=[code]),
        reverse("scoring:reviu", args=[code, 1]),
        reverse("scoring:hasil", args=[code]),
        reverse("evidence:rencana_aksi", args=[code, indikator.kode]),
        reverse("documents:rencana_kerja", args=[code]),
    ]
    link = f'href="{reverse("scoring:riwayat", args=[code])}" data-riwayat-link'
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count(link) == 1, url


def test_the_riwayat_link_is_not_shown_to_the_tim_kerja(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    html = login("tim.biro-hp").get(reverse("scoring:dashboard", args=[biro_hp.code])).content
    assert b"data-riwayat-link" not in html
