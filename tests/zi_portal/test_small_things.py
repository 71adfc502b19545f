"""Issue 13 part 8: small things users hit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import RencanaAksi
from lke.models import DataDukung, Penilaian, StatusPenilaian
from zi_portal.lib.dates import nama_bulan
from zi_portal.templatetags.zi import data_dukung_teks, lebar

pytestmark = pytest.mark.django_db


def test_home_shows_the_model_by_its_name_not_its_slug(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    html = login("tim.biro-hp").get("/").content.decode()
    assert f'<td class="small" data-model>{biro_hp.model.nama}</td>' in html
    assert f">{biro_hp.model.kode}<" not in html


def test_the_add_row_form_of_the_rencana_aksi_has_the_keterangan_jadwal(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    url = reverse("evidence:rencana_aksi", args=[biro_hp.code, "A.I.1.i"])
    html = client.get(url).content.decode()
    assert 'name="jadwal"' in html and "Keterangan jadwal" in html
    response = client.post(
        url,
        {
            "rencana_aksi": "Rapat koordinasi",
            "bulan_mulai": "2",
            "bulan_selesai": "3",
            "jadwal": "Setiap Senin pertama",
            "status": "belum_mulai",
        },
    )
    assert response.status_code == 302
    row = RencanaAksi.objects.get(penilaian=biro_hp, rencana_aksi="Rapat koordinasi")
    assert row.jadwal == "Setiap Senin pertama"


def test_the_copy_last_year_button_looks_enabled(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    html = login("tim.biro-hp").get(reverse("scoring:dashboard", args=[biro_hp.code])).content
    assert b'class="btn btn-outline-primary btn-sm" data-salin-rencana-aksi' in html


def test_the_admin_indikator_choice_shows_model_and_label(biro_hp: Any) -> None:
    """Rencana aksi are read-only in the admin (their services record every change), but
    wherever the admin offers an indikator it names its model and label."""
    from django.contrib import admin
    from django.test import RequestFactory

    row = RencanaAksi.objects.filter(penilaian=biro_hp, indikator__isnull=False).first()
    assert row is not None and row.indikator is not None
    model_admin = admin.site._registry[RencanaAksi]
    request = RequestFactory().get("/admin/")
    db_field: Any = RencanaAksi._meta.get_field("indikator")
    field = model_admin.formfield_for_foreignkey(db_field, request)
    assert field is not None
    label = f"{row.indikator.kode} {row.indikator.nama} ({biro_hp.model.nama})"
    assert field.label_from_instance(row.indikator) == label


def test_the_admin_lists_upload_months_by_name(login: Callable[[str], Client]) -> None:
    dd = DataDukung.objects.exclude(bulan=[]).order_by("pk").first()
    assert dd is not None
    html = login("admin").get("/admin/lke/datadukung/", {"q": dd.nama[:40]}).content.decode()
    assert ", ".join(nama_bulan(int(b)) for b in dd.bulan) in html


def test_data_dukung_text_drops_a_first_line_that_only_repeats_the_schedule(
    login: Callable[[str], Client],
) -> None:
    dd = DataDukung.objects.get(unit__slug="rutan-kupang", pertanyaan__kode="A.I.1.iv.c")
    assert dd.nama.startswith("B03, B06, B09, dan B12\n")
    shown = data_dukung_teks(dd)
    assert shown.startswith("a. Dokumen Laporan Pelaksanaan")
    assert "\nB12\n" in shown  # a schedule line inside the text labels its own items: kept
    # A first line naming other months than the schedule is kept too.
    assert data_dukung_teks(DataDukung(nama="B03\nSK tim", bulan=[3, 6])) == "B03\nSK tim"

    penilaian = Penilaian.objects.get(unit__slug="rutan-kupang")
    assert dd.pertanyaan is not None
    nomor = dd.pertanyaan.indikator.area.nomor
    html = (
        login("tim.rutan-kupang")
        .get(reverse("scoring:worksheet", args=[penilaian.code, nomor]))
        .content.decode()
    )
    assert "B03, B06, B09, dan B12<br>" not in html
    assert html.count(f">{dd.jadwal}</span>") >= 1


def test_gap_advisor_items_link_to_their_question_and_end_once_final(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    html = client.get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    advisor = html.split("data-gap-advisor>", 1)[1].split("</ol>", 1)[0]
    worksheet = reverse("scoring:worksheet", args=[biro_hp.code, 1]).rsplit("/1/", 1)[0]
    assert advisor.count(f'href="{worksheet}/') >= 1 and "#q-" in advisor

    Penilaian.objects.filter(pk=biro_hp.pk).update(status=StatusPenilaian.FINAL)
    final = client.get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    assert "data-gap-advisor>" not in final and "data-gap-advisor-final" in final


def test_the_admin_shows_decimals_with_a_comma(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    from lke.models import Indikator

    indikator = Indikator.objects.filter(model=biro_hp.model, bobot=Decimal("0.5")).first()
    assert indikator is not None
    client = login("admin")
    listing = client.get("/admin/lke/indikator/", {"q": indikator.nama[:30]}).content.decode()
    assert ">0,50<" in listing
    # A used version is read-only; an unused one (52/2014) is edited with a decimal comma.
    unused = Indikator.objects.filter(model__kode="permenpanrb-52-2014").order_by("pk").first()
    assert unused is not None
    form = client.get(f"/admin/lke/indikator/{unused.pk}/change/").content.decode()
    assert f'name="bobot" value="{format(unused.bobot, "f").replace(".", ",")}"' in form


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("81.1111"), "81.11"),
        (Decimal("100"), "100"),
        (Decimal("100.00"), "100"),
        (Decimal("60.50"), "60.5"),
        (Decimal("0"), "0"),
        (Decimal("-3"), "0"),
        (Decimal("250"), "100"),
        (0.5, "0.5"),
        (None, "0"),
    ],
)
def test_lebar_is_a_clamped_svg_coordinate_with_a_dot(value: Any, expected: str) -> None:
    assert lebar(value) == expected
