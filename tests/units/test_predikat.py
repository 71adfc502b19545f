"""Predikat history of a unit (issue 12 part 2): the held-in-year selector and its writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from units.models import PredikatUnit, Riwayat, UnitKerja
from units.predikat import predikat_add, predikat_held, predikat_history, predikat_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit() -> UnitKerja:
    return UnitKerja.objects.get(slug="biro-hp")


@pytest.fixture
def admin_user():  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username="admin")


def test_demo_units_hold_no_predikat(unit: UnitKerja) -> None:
    # The seeds state no predikat for any demo unit: nothing is invented.
    assert not PredikatUnit.objects.exists()
    assert predikat_held(unit, 2022) is None
    assert predikat_history(unit) == []


def test_a_row_counts_from_its_year_on(unit: UnitKerja, admin_user) -> None:  # type: ignore[no-untyped-def]
    predikat_add(unit, predikat="WBK", tahun=2024, sumber=PredikatUnit.Sumber.TPN, user=admin_user)
    assert predikat_held(unit, 2023) is None
    assert predikat_held(unit, 2024) == "WBK"
    assert predikat_held(unit, 2030) == "WBK"


def test_both_sources_count_and_the_highest_wins(unit: UnitKerja, admin_user) -> None:  # type: ignore[no-untyped-def]
    predikat_add(
        unit, predikat="WBK", tahun=2021, sumber=PredikatUnit.Sumber.MANDIRI, user=admin_user
    )
    predikat_add(unit, predikat="WBBM", tahun=2023, sumber=PredikatUnit.Sumber.TPN, user=admin_user)
    assert predikat_held(unit, 2021) == "WBK"
    assert predikat_held(unit, 2022) == "WBK"
    assert predikat_held(unit, 2023) == "WBBM"


def test_a_revocation_ends_the_predikat_from_its_year(unit: UnitKerja, admin_user) -> None:  # type: ignore[no-untyped-def]
    row = predikat_add(
        unit, predikat="WBK", tahun=2021, sumber=PredikatUnit.Sumber.TPN, user=admin_user
    )
    predikat_revoke(row, pada=dt.date(2023, 3, 1), alasan="Pelanggaran integritas", user=None)
    assert predikat_held(unit, 2022) == "WBK"
    assert predikat_held(unit, 2023) is None
    assert predikat_held(unit, 2025) is None


def test_a_revocation_needs_a_reason_and_a_date_after_the_year(unit: UnitKerja) -> None:
    row = predikat_add(unit, predikat="WBK", tahun=2022, sumber="tpn", user=None)
    with pytest.raises(ValidationError):
        predikat_revoke(row, pada=dt.date(2023, 1, 1), alasan="  ", user=None)
    with pytest.raises(ValidationError):
        predikat_revoke(row, pada=dt.date(2021, 1, 1), alasan="salah", user=None)
    row.refresh_from_db()
    assert row.dicabut_pada is None
    assert predikat_held(unit, 2024) == "WBK"


def test_an_unknown_predikat_or_source_is_refused(unit: UnitKerja) -> None:
    with pytest.raises(ValidationError):
        predikat_add(unit, predikat="ZI", tahun=2022, sumber="tpn", user=None)
    with pytest.raises(ValidationError):
        predikat_add(unit, predikat="WBK", tahun=2022, sumber="kpk", user=None)
    assert not PredikatUnit.objects.exists()


def test_adding_and_revoking_are_recorded_in_riwayat(unit: UnitKerja, admin_user) -> None:  # type: ignore[no-untyped-def]
    row = predikat_add(
        unit,
        predikat="WBK",
        tahun=2022,
        sumber=PredikatUnit.Sumber.TPN,
        nomor_sk="SK/123/2022",
        tanggal_sk=dt.date(2022, 12, 10),
        user=admin_user,
    )
    predikat_revoke(row, pada=dt.date(2024, 2, 1), alasan="Dicabut TPN", user=admin_user)
    records = list(Riwayat.objects.filter(objek="predikat", unit=unit).order_by("id"))
    assert [r.aksi for r in records] == [Riwayat.Aksi.BUAT, Riwayat.Aksi.UBAH]
    assert all(r.user == admin_user for r in records)
    assert all(r.tahun is None for r in records)  # unit data: on every year's Riwayat page
    assert records[0].perubahan["nomor_sk"] == ["", "SK/123/2022"]
    assert records[0].perubahan["sumber"] == ["", "TPN Kementerian PANRB"]
    assert records[1].perubahan["dicabut_pada"] == ["", "2024-02-01"]
    assert records[1].perubahan["alasan_pencabutan"] == ["", "Dicabut TPN"]


def test_the_admin_saves_and_deletes_through_the_service(unit: UnitKerja) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post(
        "/admin/units/predikatunit/add/",
        {
            "unit": unit.pk,
            "predikat": "WBK",
            "tahun": "2022",
            "sumber": "mandiri",
            "nomor_sk": "",
            "tanggal_sk": "",
            "dicabut_pada": "",
            "alasan_pencabutan": "",
            "catatan": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    row = PredikatUnit.objects.get(unit=unit)
    assert Riwayat.objects.filter(objek="predikat", objek_id=str(row.pk), aksi="buat").exists()
    response = client.post(f"/admin/units/predikatunit/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not PredikatUnit.objects.exists()
    assert Riwayat.objects.filter(objek="predikat", objek_id=str(row.pk), aksi="hapus").exists()


def test_the_dashboard_shows_the_history(unit: UnitKerja, login) -> None:  # type: ignore[no-untyped-def]
    from lke.models import Penilaian

    penilaian = Penilaian.objects.get(unit=unit)
    client = login("tim.biro-hp")
    page = client.get(f"/penilaian/{penilaian.code}/").content.decode()
    assert "data-predikat-riwayat" in page and "Belum ada predikat." in page
    predikat_add(unit, predikat="WBK", tahun=2024, sumber="tpn", nomor_sk="SK-9", user=None)
    page = client.get(f"/penilaian/{penilaian.code}/").content.decode()
    assert 'data-predikat="WBK-2024"' in page and "SK-9" in page
    # Held from 2024: not in this 2022 penilaian's year.
    assert "<strong data-predikat-tahun-ini>belum ada</strong>" in page


def test_the_tpi_enters_and_revokes_a_predikat_from_the_dashboard(unit: UnitKerja, login) -> None:  # type: ignore[no-untyped-def]
    from lke.models import Penilaian

    penilaian = Penilaian.objects.get(unit=unit)
    url = f"/penilaian/{penilaian.code}/predikat/"
    tpi = login("tpi.mk")
    assert "data-predikat-tambah" in tpi.get(f"/penilaian/{penilaian.code}/").content.decode()
    data = {"aksi": "tambah", "predikat": "WBK", "tahun": "2021", "sumber": "tpn"}
    response = tpi.post(url, {**data, "nomor_sk": "SK-1", "tanggal_sk": "2021-12-10"})
    assert response.status_code == 302
    row = PredikatUnit.objects.get(unit=unit)
    assert (row.tahun, row.nomor_sk, row.tanggal_sk) == (2021, "SK-1", dt.date(2021, 12, 10))
    record = Riwayat.objects.get(objek="predikat", aksi="buat")
    assert record.user is not None and record.user.username == "tpi.mk"

    # The same row twice is refused with a message; nothing changes.
    page = tpi.post(url, data, follow=True).content.decode()
    assert "Predikat tidak disimpan" in page
    assert PredikatUnit.objects.count() == 1

    tpi.post(url, {"aksi": "cabut", "id": row.pk, "dicabut_pada": "2023-01-05", "alasan": "x"})
    assert predikat_held(unit, 2023) is None and predikat_held(unit, 2022) == "WBK"


def test_the_tim_kerja_sees_the_history_but_cannot_enter_it(unit: UnitKerja, login) -> None:  # type: ignore[no-untyped-def]
    from lke.models import Penilaian

    penilaian = Penilaian.objects.get(unit=unit)
    tim = login("tim.biro-hp")
    page = tim.get(f"/penilaian/{penilaian.code}/").content.decode()
    assert "data-predikat-riwayat" in page and "data-predikat-tambah" not in page
    data = {"aksi": "tambah", "predikat": "WBK", "tahun": "2021", "sumber": "tpn"}
    assert tim.post(f"/penilaian/{penilaian.code}/predikat/", data).status_code == 403
    assert not PredikatUnit.objects.exists()
