"""Realisasi of the rencana aksi per quarter: the service, its rights, Riwayat, the inline
edit fragments (issue 15 part 1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from evidence.models import RealisasiRencanaAksi, RencanaAksi
from evidence.realisasi import direncanakan, terlambat, triwulan_rencana
from evidence.services import (
    RealisasiDitolak,
    bukti_link_add,
    realisasi_rencana_aksi_save,
)
from lke.models import Pertanyaan, StatusPenilaian
from units.access import unit_access
from units.models import Keanggotaan, Peran, Riwayat

pytestmark = pytest.mark.django_db

OK = {
    "realisasi": "SK tim kerja ditetapkan",
    "progres": 60,
    "status": "berjalan",
    "kendala": "",
    "tindak_lanjut": "",
}


def _row(p: Any, kode: str = "A.I.1.i") -> RencanaAksi:
    row = (
        RencanaAksi.objects.filter(penilaian=p, indikator__kode=kode)
        .select_related("indikator__area", "penilaian__unit")
        .order_by("urutan")
        .first()
    )
    assert row is not None
    return row


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def _save(row: RencanaAksi, user: str = "tim.biro-hp", **kw: Any) -> RealisasiRencanaAksi:
    u = _user(user)
    access = unit_access(u, row.penilaian.unit)
    assert access is not None
    args: dict[str, Any] = {"triwulan": 1, "values": dict(OK), "bukti": [], **kw}
    return realisasi_rencana_aksi_save(row=row, user=u, access=access, **args)


class TestService:
    def test_it_stores_one_row_per_quarter_and_records_riwayat(self, biro_hp: Any) -> None:
        row = _row(biro_hp)
        first = _save(row)
        again = _save(row, values={**OK, "progres": 80}, expected_versi=1)
        assert first.pk == again.pk and again.versi == 2 and again.progres == 80
        _save(row, triwulan=2, values={**OK, "progres": 100, "status": "selesai"})
        assert RealisasiRencanaAksi.objects.filter(rencana_aksi=row).count() == 2
        history = Riwayat.objects.filter(objek="realisasi_rencana_aksi", objek_id=str(row.code))
        assert [h.aksi for h in history.order_by("id")] == ["buat", "ubah", "buat"]
        assert history.order_by("id")[1].perubahan["progres"] == ["60", "80"]
        assert history.first().kode.startswith("A.I.1.i TW")  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"progres": 101}, "Progres harus bilangan bulat antara 0 dan 100"),
            ({"progres": -1}, "Progres harus bilangan bulat antara 0 dan 100"),
            ({"progres": "50"}, "Progres harus bilangan bulat antara 0 dan 100"),
            ({"status": "selesai", "progres": 90}, "Status selesai berarti progres 100%"),
            ({"status": "berjalan", "progres": 100}, "Progres 100% berarti status selesai"),
            ({"status": "belum_mulai", "progres": 10}, "Status belum mulai berarti progres 0%"),
            ({"realisasi": " "}, "Tuliskan realisasi yang sudah dilaksanakan"),
            ({"status": "batal"}, "Status harus belum mulai, sedang berjalan atau selesai"),
        ],
    )
    def test_it_refuses_bad_input_in_indonesian(
        self, biro_hp: Any, values: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(RealisasiDitolak) as exc:
            _save(_row(biro_hp), values={**OK, **values})
        assert message in str(exc.value)
        assert not RealisasiRencanaAksi.objects.exists()

    def test_it_refuses_a_quarter_outside_i_to_iv(self, biro_hp: Any) -> None:
        with pytest.raises(RealisasiDitolak, match="Triwulan harus I, II, III atau IV"):
            _save(_row(biro_hp), triwulan=5)

    def test_it_links_bukti_of_the_same_indikator_only(self, biro_hp: Any) -> None:
        row = _row(biro_hp)
        tim = _user("tim.biro-hp")
        own = bukti_link_add(
            penilaian=biro_hp,
            pertanyaan=Pertanyaan.objects.get(model=biro_hp.model, kode="A.I.1.i.a"),
            url="https://mkri.id/sk-tim",
            judul="SK Tim Kerja ZI",
            user=tim,
        )
        other = bukti_link_add(
            penilaian=biro_hp,
            pertanyaan=Pertanyaan.objects.get(model=biro_hp.model, kode="A.I.2.i.a"),
            url="https://mkri.id/dokumen-lain",
            judul="Dokumen rencana pembangunan",
            user=tim,
        )
        with pytest.raises(RealisasiDitolak, match="bukan bukti terkini indikator ini"):
            _save(row, bukti=[str(own.code), str(other.code)])
        saved = _save(row, bukti=[str(own.code)])
        assert list(saved.bukti.all()) == [own]

    def test_progress_is_cumulative_over_the_quarters(self, biro_hp: Any) -> None:
        row = _row(biro_hp)
        _save(row, triwulan=2, values={**OK, "progres": 60})
        with pytest.raises(
            RealisasiDitolak, match=r"lebih kecil dari progres triwulan sebelumnya \(60%\)"
        ):
            _save(row, triwulan=3, values={**OK, "progres": 40})
        with pytest.raises(
            RealisasiDitolak, match=r"lebih besar dari progres triwulan berikutnya \(60%\)"
        ):
            _save(row, triwulan=1, values={**OK, "progres": 70})
        assert _save(row, triwulan=1, values={**OK, "progres": 30}).progres == 30

    def test_it_refuses_a_stale_version(self, biro_hp: Any) -> None:
        row = _row(biro_hp)
        _save(row)
        with pytest.raises(RealisasiDitolak, match="telah diubah oleh pengguna lain"):
            _save(row, values={**OK, "progres": 70}, expected_versi=0)

    def test_roles_without_the_right_are_refused(self, biro_hp: Any) -> None:
        for name in ("pimpinan.biro-hp", "tpi.mk"):
            with pytest.raises(RealisasiDitolak, match="tidak berhak"):
                _save(_row(biro_hp), user=name)
        assert not Riwayat.objects.filter(objek="realisasi_rencana_aksi").exists()

    def test_an_area_limited_member_edits_only_its_areas(self, biro_hp: Any) -> None:
        tim = _user("tim.biro-hp")
        Keanggotaan.objects.filter(user=tim, unit=biro_hp.unit, peran=Peran.TIM_KERJA).update(
            area_terbatas=[2]
        )
        with pytest.raises(RealisasiDitolak, match="tidak mencakup area 1"):
            _save(_row(biro_hp, "A.I.1.i"))
        assert _save(_row(biro_hp, "A.I.2.i")).progres == 60

    def test_a_final_penilaian_is_closed(self, biro_hp: Any) -> None:
        type(biro_hp).objects.filter(pk=biro_hp.pk).update(status=StatusPenilaian.FINAL)
        with pytest.raises(RealisasiDitolak, match="Penilaian sudah final"):
            _save(_row(biro_hp))


class TestPlanning:
    def test_quarters_come_from_the_months_or_the_jadwal_text(self, biro_hp: Any) -> None:
        row = RencanaAksi(penilaian=biro_hp, bulan_mulai=2, bulan_selesai=7)
        assert triwulan_rencana(row) == [1, 2, 3]
        row = RencanaAksi(penilaian=biro_hp, jadwal="Agustus 2022")
        assert triwulan_rencana(row) == [3] and not direncanakan(row, 4)
        assert triwulan_rencana(RencanaAksi(penilaian=biro_hp, jadwal="-")) == []

    def test_a_row_is_late_when_its_end_passed_without_selesai(self, biro_hp: Any) -> None:
        row = _row(biro_hp)
        RencanaAksi.objects.filter(pk=row.pk).update(bulan_mulai=1, bulan_selesai=3)
        row.refresh_from_db()
        assert terlambat(row, 1) and terlambat(row, 2)
        _save(row, triwulan=2, values={**OK, "progres": 100, "status": "selesai"})
        row = RencanaAksi.objects.prefetch_related("realisasi").get(pk=row.pk)
        assert terlambat(row, 1) and not terlambat(row, 2) and not terlambat(row, 4)


class TestInlineEdit:
    def _url(self, p: Any, row: RencanaAksi, tw: int | None = None) -> str:
        base = f"/penilaian/{p.code}/rencana-aksi/{row.code}/realisasi/"
        return base if tw is None else f"{base}{tw}/"

    def test_the_page_shows_four_quarters_per_row(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        html = (
            login("tim.biro-hp")
            .get(f"/penilaian/{biro_hp.code}/indikator/A.I.1.i/rencana-aksi/")
            .content.decode()
        )
        assert html.count("data-realisasi-row") == 2
        assert html.count('data-isi-realisasi="') == 8 and "data-monev-form" in html

    def test_it_edits_in_place_and_returns_the_row(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        client, row = login("tim.biro-hp"), _row(biro_hp)
        form = client.get(self._url(biro_hp, row, 2), headers={"HX-Request": "true"})
        assert form.status_code == 200 and b"data-realisasi-form" in form.content
        response = client.post(
            self._url(biro_hp, row, 2),
            {"realisasi": "Rapat tim", "progres": "40", "status": "berjalan", "versi": "0"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "data-realisasi-form" not in html and "40%" in html and "Rapat tim" in html
        assert RealisasiRencanaAksi.objects.get(rencana_aksi=row, triwulan=2).progres == 40

    def test_bad_input_comes_back_with_the_message(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        client, row = login("tim.biro-hp"), _row(biro_hp)
        response = client.post(
            self._url(biro_hp, row, 1),
            {"realisasi": "x", "progres": "150", "status": "berjalan"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "antara 0 dan 100" in response.content.decode()
        response = client.post(
            self._url(biro_hp, row, 1),
            {"realisasi": "x", "progres": "90", "status": "selesai"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "Status selesai berarti progres 100%" in response.content.decode()
        assert not RealisasiRencanaAksi.objects.exists()

    def test_a_quarter_outside_i_to_iv_is_not_found(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        response = login("tim.biro-hp").get(self._url(biro_hp, _row(biro_hp), 5))
        assert response.status_code == 404
