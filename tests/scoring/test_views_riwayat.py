from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from scoring.services import jawaban_save
from units.models import Keanggotaan, Riwayat, UnitKerja

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(biro_hp: Any, question: Any) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    jawaban_save(
        penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.1.i.a"), opsi="Ya", user=tim
    )
    jawaban_save(
        penilaian=biro_hp,
        set_="mandiri",
        pertanyaan=question("A.I.1.i.a"),
        opsi="Tidak",
        catatan='=HYPERLINK("x")',
        user=tim,
    )
    jawaban_save(
        penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.2.i.a"), opsi="B", user=tim
    )


def _url(p: Any) -> str:
    return f"/penilaian/{p.code}/riwayat/"


def test_it_lists_who_changed_what_with_filters(
    login: Callable[[str], Client], biro_hp: Any, changes: None
) -> None:
    client = login("tpi.mk")
    html = client.get(_url(biro_hp)).content.decode()
    assert "“Ya” → “Tidak”" in html and "A.I.2.i.a" in html
    filtered = client.get(_url(biro_hp), {"kode": "A.I.1", "oleh": "tim.biro-hp"}).content.decode()
    assert "A.I.1.i.a" in filtered and "A.I.2.i.a" not in filtered
    assert (
        "tidak sah" in client.get(_url(biro_hp), {"dari": "kemarin"}, follow=True).content.decode()
    )


def test_it_exports_csv_with_formulas_neutralised(
    login: Callable[[str], Client], biro_hp: Any, changes: None
) -> None:
    response = login("admin").get(_url(biro_hp), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0] == ["waktu", "oleh", "jenis_data", "kode", "aksi", "kolom", "lama", "baru"]
    catatan = next(r for r in rows if r[5] == "catatan")
    assert catatan[7] == '\'=HYPERLINK("x")'


def test_only_tpi_and_admin_see_it(login: Callable[[str], Client], biro_hp: Any) -> None:
    assert login("tim.biro-hp").get(_url(biro_hp)).status_code == 403
    assert login("pimpinan.biro-hp").get(_url(biro_hp)).status_code == 403
    assert login("tim.rutan-kupang").get(_url(biro_hp)).status_code == 404
    assert login("tpi.mk").post(_url(biro_hp)).status_code == 405


def test_membership_changes_in_the_admin_are_recorded(login: Callable[[str], Client]) -> None:
    admin = login("admin")
    unit = UnitKerja.objects.get(slug="biro-hp")
    user = get_user_model().objects.get(username="tim.pusat-tik")
    response = admin.post(
        "/admin/units/keanggotaan/add/",
        {
            "user": user.pk,
            "peran": "tim_kerja",
            "unit": unit.pk,
            "area_terbatas": "[2]",
            "jabatan": "",
            "nip": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Keanggotaan.objects.get(user=user, unit=unit)
    entry = Riwayat.objects.get(objek="keanggotaan", kode="tim.pusat-tik", aksi="buat")
    assert entry.unit == unit and "area 2" in entry.perubahan["keanggotaan"][1]
    admin.post(f"/admin/units/keanggotaan/{member.pk}/delete/", {"post": "yes"})
    assert Riwayat.objects.filter(objek="keanggotaan", kode="tim.pusat-tik", aksi="hapus").exists()
