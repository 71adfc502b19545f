"""The RKT editor page (the seed's table layout), the Excel door and the realisasi door."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import IndikatorKinerja, RealisasiKinerja, RencanaKinerjaTahunan

pytestmark = pytest.mark.django_db


def _form_data(page: Any) -> dict[str, Any]:
    """The editor's initial values as a browser would post them back."""
    ctx = page.context
    data: dict[str, Any] = {}
    formset = ctx["formset"]
    data.update({f"baris-{k}": v for k, v in formset.management_form.initial.items()})
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value
    for name in ctx["kepala"].fields:
        value = ctx["kepala"].initial.get(name)
        data[name] = "" if value is None else value
    return data


def test_the_editor_shows_the_rkt_and_saves_a_changed_target_and_a_new_row(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    url = reverse("evidence:rkt_ubah", args=[biro_hp.code])
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 22  # 19 indikator + 3 empty rows
    data = _form_data(page)
    data["baris-3-target"] = "98%"  # 2.1 Persentase diseminasi putusan MK
    data.update(
        {
            "baris-19-nomor": "9.",
            "baris-19-indikator": "Indikator baru",
            "baris-19-target": "3 dokumen",
            "baris-19-utama": "on",
        }
    )
    data.pop("baris-19-berorientasi_hasil")  # unticked in the browser
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    rkt = RencanaKinerjaTahunan.objects.get(unit=biro_hp.unit, tahun=2022)
    changed = IndikatorKinerja.objects.get(
        sasaran__rkt=rkt, nama="Persentase diseminasi putusan MK di media Elektronik"
    )
    assert changed.target_teks == "98%"
    new = IndikatorKinerja.objects.get(sasaran__rkt=rkt, nama="Indikator baru")
    assert (new.sasaran.nomor, new.jenis_target, new.satuan, new.berorientasi_hasil) == (
        "3.",
        "jumlah",
        "dokumen",
        False,
    )
    assert IndikatorKinerja.objects.filter(sasaran__rkt=rkt).count() == 20
    assert rkt.versi == 2


def test_a_stale_editor_is_refused_and_nothing_changes(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    url = reverse("evidence:rkt_ubah", args=[biro_hp.code])
    data = _form_data(client.get(url))
    RencanaKinerjaTahunan.objects.filter(unit=biro_hp.unit).update(versi=5)
    data["baris-0-target"] = "99%"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    assert not IndikatorKinerja.objects.filter(target_teks="99%").exists()


def test_a_realisasi_is_entered_from_the_rkt_page(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    client = login("tim.biro-hp")
    media = IndikatorKinerja.objects.get(
        sasaran__rkt__unit=biro_hp.unit, nama="Media Monitoring MK"
    )
    url = reverse("evidence:rkt_realisasi", args=[biro_hp.code, media.code])
    response = client.post(url, {"triwulan": "3", "nilai": "94,5"}, follow=True)
    assert RealisasiKinerja.objects.get(indikator=media, triwulan=3).nilai == 94.5
    assert "99,47%" in response.content.decode()  # 94,5 ÷ 95, half-up
    bad = client.post(url, {"triwulan": "3", "nilai": "sembilan"}, follow=True)
    assert "“sembilan” bukan angka." in bad.content.decode()
    assert RealisasiKinerja.objects.get(indikator=media, triwulan=3).nilai == 94.5


def test_an_excel_file_replaces_the_table_from_the_editor(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    from tests.evidence.test_rkt import _xlsx

    client = login("tim.biro-hp")
    upload = _xlsx([["1.", "Sasaran dari Excel", "1. Indikator dari Excel", 0.9, "ya"]])
    response = client.post(
        reverse("evidence:rkt_impor", args=[biro_hp.code]), {"berkas": upload}, follow=True
    )
    assert "1 indikator kinerja diimpor dari Excel." in response.content.decode()
    (only,) = IndikatorKinerja.objects.filter(sasaran__rkt__unit=biro_hp.unit)
    assert (only.nomor, only.nama, only.target_teks) == ("1.", "Indikator dari Excel", "90%")
