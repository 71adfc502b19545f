"""Issue 13 part 8 in the admin: every Indikator choice, filter and display names its
model and label; upload months are month names in the data dukung forms; decimals are
written 0,50."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client, RequestFactory

from evidence.models import RencanaAksi
from lke.admin import indikator_label
from lke.models import DataDukung, Indikator, Pertanyaan
from zi_portal.lib.dates import nama_bulan

pytestmark = pytest.mark.django_db


def _indikator_fks(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.related_model is Indikator
    ]


def test_every_admin_indikator_choice_names_its_model_and_label() -> None:
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="admin")
    indikator = Indikator.objects.select_related("model").order_by("pk").first()
    assert indikator is not None
    expected = f"{indikator.kode} {indikator.nama} ({indikator.model.nama})"
    assert len(indikator.nama) <= 48  # not cut: the label in full
    seen = set()
    for model, model_admin in admin.site._registry.items():
        inlines = [i(model, admin.site) for i in model_admin.inlines]
        for owner in (model_admin, *inlines):
            for fk in _indikator_fks(owner.model):
                field = owner.formfield_for_foreignkey(fk, request)
                assert field is not None, owner
                assert field.label_from_instance(indikator) == expected, owner
                seen.add(owner.model._meta.label)
    assert seen >= {"lke.Pertanyaan", "evidence.RencanaAksi"}


def test_the_pertanyaan_change_form_offers_indikator_with_model_and_label(
    login: Callable[[str], Client],
) -> None:
    q = Pertanyaan.objects.filter(model__kode="permenpanrb-52-2014").order_by("pk").first()
    assert q is not None
    html = login("admin").get(f"/admin/lke/pertanyaan/{q.pk}/change/").content.decode()
    label = indikator_label(q.indikator, short=True)
    assert label.endswith(f"({q.model.nama})")
    option = f'<option value="{q.indikator_id}" selected>{label}</option>'
    assert option in html


def test_the_rencana_aksi_list_filter_and_row_name_the_indikator_fully(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    row = (
        RencanaAksi.objects.filter(penilaian=biro_hp, indikator__isnull=False)
        .exclude(bulan_mulai=None)
        .exclude(bulan_selesai=None)
        .first()
    )
    assert row is not None and row.indikator is not None
    assert row.bulan_mulai is not None and row.bulan_selesai is not None
    label = indikator_label(row.indikator)
    assert f"({biro_hp.model.nama})" in label
    client = login("admin")
    listing = client.get("/admin/evidence/rencanaaksi/").content.decode()
    assert f'<td class="field-indikator_lengkap">{label}</td>' in listing  # the column
    assert f'indikator__id__exact={row.indikator_id}"' in listing  # the filter
    assert f">{indikator_label(row.indikator, short=True)}</a>" in listing
    change = client.get(f"/admin/evidence/rencanaaksi/{row.pk}/change/").content.decode()
    assert change.count(f'<div class="readonly">{label}</div>') == 1  # shown once
    # Months by name, as the portal writes them.
    assert f'<div class="readonly">{nama_bulan(row.bulan_mulai)}</div>' in change
    assert f'<div class="readonly">{nama_bulan(row.bulan_selesai)}</div>' in change


def test_an_editable_data_dukung_offers_its_months_by_name(
    login: Callable[[str], Client],
) -> None:
    own = DataDukung.objects.filter(unit__slug="rutan-kupang").exclude(bulan=[]).first()
    assert own is not None
    client = login("admin")
    url = f"/admin/lke/datadukung/{own.pk}/change/"
    html = client.get(url).content.decode()
    for n in range(1, 13):
        checked = " checked" if n in [int(b) for b in own.bulan] else ""
        assert f'value="{n}"' in html and f"{nama_bulan(n)}</label>" in html
        assert (f'name="bulan" value="{n}"' + checked) in html.replace(
            f' id="id_bulan_{n - 1}"', ""
        ), n
    response = client.get(url)
    form = response.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "bulan"}
    data["pertanyaan"] = own.pertanyaan_id
    data["hasil_item"] = ""
    data["unit"] = own.unit_id
    data["bulan"] = ["6", "12"]
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.bulan == [6, 12]


def test_a_read_only_data_dukung_shows_its_months_by_name(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    # Set-up: a data dukung row of the used 90/2021 version itself (the demo's scheduled
    # rows are the units' own, which stay editable).
    pertanyaan = Pertanyaan.objects.filter(model=biro_hp.model).order_by("pk").first()
    assert pertanyaan is not None
    # bulk_create: past the version guard's pre_save signal.
    DataDukung.objects.bulk_create(
        [DataDukung(pertanyaan=pertanyaan, nama="SK Tim Kerja", bulan=[3, 9])]
    )
    dd = DataDukung.objects.get(pertanyaan=pertanyaan, nama="SK Tim Kerja")
    names = ", ".join(nama_bulan(int(b)) for b in dd.bulan)
    client = login("admin")
    html = client.get(f"/admin/lke/datadukung/{dd.pk}/change/").content.decode()
    assert f'<div class="readonly">{names}</div>' in html
    assert str(dd.bulan) not in html
    # The same in the data dukung rows of its (read-only) pertanyaan.
    inline = client.get(f"/admin/lke/pertanyaan/{dd.pertanyaan_id}/change/").content.decode()
    assert f"<p>{names}</p>" in inline and str(dd.bulan) not in inline


def test_a_used_indikator_shows_its_weight_with_a_comma(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    indikator = Indikator.objects.filter(model=biro_hp.model, bobot="0.5").first()
    assert indikator is not None
    html = login("admin").get(f"/admin/lke/indikator/{indikator.pk}/change/").content.decode()
    assert '<div class="readonly">0,50</div>' in html
    assert "0.50" not in html and "0,5000" not in html
