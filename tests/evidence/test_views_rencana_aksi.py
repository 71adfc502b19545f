from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from evidence.models import RencanaAksi, RencanaKerja, StatusPersetujuan
from lke.models import Penilaian
from units.models import Riwayat

pytestmark = pytest.mark.django_db

ROW = {
    "sasaran": "Terbentuknya tim",
    "rencana_aksi": "Menyusun SK tim kerja",
    "rencana_kegiatan": "Rapat pembentukan",
    "bukti_direncanakan": "SK Tim",
    "bulan_mulai": "1",
    "bulan_selesai": "3",
    "status": "berjalan",
}


def _list_url(p: Any, kode: str = "A.I.1.i") -> str:
    return f"/penilaian/{p.code}/indikator/{kode}/rencana-aksi/"


def _first_row(p: Any) -> RencanaAksi:
    row = (
        RencanaAksi.objects.filter(penilaian=p, indikator__kode="A.I.1.i")
        .order_by("urutan")
        .first()
    )
    assert row is not None
    return row


class TestList:
    def test_it_shows_the_rows_in_tabel_1_columns(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        html = login("tim.biro-hp").get(_list_url(biro_hp)).content.decode()
        assert html.count("data-ra-row") == 2 and "Rencana kegiatan yang akan dilaksanakan" in html

    def test_it_adds_a_row_with_history(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        response = login("tim.biro-hp").post(_list_url(biro_hp), ROW)
        assert response.status_code == 302
        row = RencanaAksi.objects.get(rencana_aksi="Menyusun SK tim kerja")
        assert (row.bulan_mulai, row.bulan_selesai, row.status) == (1, 3, "berjalan")
        assert Riwayat.objects.filter(objek="rencana_aksi", kode="A.I.1.i", aksi="buat").exists()

    def test_it_refuses_an_end_before_the_start(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        response = login("tim.biro-hp").post(
            _list_url(biro_hp), {**ROW, "bulan_mulai": "6", "bulan_selesai": "2"}
        )
        assert (
            response.status_code == 422
            and "tidak boleh sebelum bulan mulai" in response.content.decode()
        )
        assert not RencanaAksi.objects.filter(rencana_aksi="Menyusun SK tim kerja").exists()

    def test_it_refuses_a_penanggung_jawab_outside_the_unit(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        from django.contrib.auth import get_user_model

        outsider = get_user_model().objects.get(username="tim.pusat-tik")
        response = login("tim.biro-hp").post(
            _list_url(biro_hp), {**ROW, "penanggung_jawab_user": str(outsider.pk)}
        )
        assert response.status_code == 422

    def test_it_rejects_put(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        assert login("tim.biro-hp").put(_list_url(biro_hp)).status_code == 405

    def test_it_hides_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert login("tim.pusat-tik").get(_list_url(biro_hp)).status_code == 404

    def test_it_refuses_read_only_roles_with_403(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert login("pimpinan.biro-hp").post(_list_url(biro_hp), ROW).status_code == 403

    def test_it_returns_404_for_an_unknown_indikator(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert login("tim.biro-hp").get(_list_url(biro_hp, "A.I.9.x")).status_code == 404


class TestEdit:
    def test_it_saves_an_edit_inline(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        row = _first_row(biro_hp)
        client = login("tim.biro-hp")
        assert (
            client.get(f"/penilaian/{biro_hp.code}/rencana-aksi/{row.code}/ubah/").status_code
            == 200
        )
        response = client.post(
            f"/penilaian/{biro_hp.code}/rencana-aksi/{row.code}/ubah/",
            {**ROW, "versi": str(row.versi)},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "Menyusun SK tim kerja" in response.content.decode()
        row.refresh_from_db()
        assert row.status == "berjalan" and row.versi == 2

    def test_it_shows_a_conflict_instead_of_overwriting(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        row = _first_row(biro_hp)
        original = row.rencana_aksi
        url = f"/penilaian/{biro_hp.code}/rencana-aksi/{row.code}/ubah/"
        login("admin").post(url, {**ROW, "rencana_aksi": "Versi admin", "versi": str(row.versi)})
        response = login("tim.biro-hp").post(
            url, {**ROW, "rencana_aksi": "Versi tim", "versi": str(row.versi)}
        )
        assert (
            response.status_code == 409 and "diubah oleh pengguna lain" in response.content.decode()
        )
        row.refresh_from_db()
        assert row.rencana_aksi == "Versi admin" != original

    def test_deleting_and_moving(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        first, second = RencanaAksi.objects.filter(
            penilaian=biro_hp, indikator__kode="A.I.1.i"
        ).order_by("urutan")
        client = login("tim.biro-hp")
        client.post(
            f"/penilaian/{biro_hp.code}/rencana-aksi/{second.code}/pindah/", {"arah": "naik"}
        )
        order = list(
            RencanaAksi.objects.filter(penilaian=biro_hp, indikator__kode="A.I.1.i")
            .order_by("urutan")
            .values_list("pk", flat=True)
        )
        assert order == [second.pk, first.pk]
        client.post(f"/penilaian/{biro_hp.code}/rencana-aksi/{first.code}/hapus/")
        assert not RencanaAksi.objects.filter(pk=first.pk).exists()

    def test_a_change_voids_the_approval(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        RencanaKerja.objects.filter(penilaian=biro_hp).update(status=StatusPersetujuan.DISETUJUI)
        row = _first_row(biro_hp)
        login("tim.biro-hp").post(f"/penilaian/{biro_hp.code}/rencana-aksi/{row.code}/hapus/")
        assert RencanaKerja.objects.get(penilaian=biro_hp).status == StatusPersetujuan.PERLU_ULANG

    def test_read_only_and_outsiders(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        row = _first_row(biro_hp)
        base = f"/penilaian/{biro_hp.code}/rencana-aksi/{row.code}"
        assert login("pimpinan.biro-hp").post(f"{base}/hapus/").status_code == 403
        assert login("tim.pusat-tik").post(f"{base}/hapus/").status_code == 404
        assert login("tim.biro-hp").get(f"{base}/hapus/").status_code == 405
        assert RencanaAksi.objects.filter(pk=row.pk).exists()


class TestSalin:
    def test_it_copies_last_years_rows_in_one_action(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        new = Penilaian.objects.create(unit=biro_hp.unit, tahun=2023, model=biro_hp.model)
        response = login("tim.biro-hp").post(f"/penilaian/{new.code}/rencana-aksi/salin/")
        assert response.status_code == 302
        assert new.rencana_aksi.count() == biro_hp.rencana_aksi.count() == 90
        assert set(new.rencana_aksi.values_list("status", flat=True)) == {"belum_mulai"}

    def test_it_says_so_when_there_is_no_previous_year(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        client = login("tim.biro-hp")
        response = client.post(f"/penilaian/{biro_hp.code}/rencana-aksi/salin/", follow=True)
        assert "Belum ada penilaian tahun sebelumnya" in response.content.decode()

    def test_it_refuses_read_only_roles_and_outsiders(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert (
            login("pimpinan.biro-hp")
            .post(f"/penilaian/{biro_hp.code}/rencana-aksi/salin/")
            .status_code
            == 403
        )
        assert (
            login("tim.pusat-tik")
            .post(f"/penilaian/{biro_hp.code}/rencana-aksi/salin/")
            .status_code
            == 404
        )
        assert (
            login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/rencana-aksi/salin/").status_code
            == 405
        )
