from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from scoring.models import Jawaban, Reviu, StatusReviu
from units.models import Keanggotaan, Riwayat

pytestmark = pytest.mark.django_db


def _save(client: Client, penilaian: Any, q: Any, **data: str) -> Any:
    return client.post(f"/penilaian/{penilaian.code}/jawaban/{q.pk}/", data, HTTP_HX_REQUEST="true")


class TestDashboard:
    def test_it_shows_progress_per_area(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/").content.decode()
        assert 'data-area-progress="1"' in html and 'data-area-progress="6"' in html
        assert 'data-figure="rencana-aksi">12<' in html  # area 1 rows of Tabel 1

    def test_it_rejects_post(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        assert login("tim.biro-hp").post(f"/penilaian/{biro_hp.code}/").status_code == 405

    def test_it_hides_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert login("tim.pusat-tik").get(f"/penilaian/{biro_hp.code}/").status_code == 404

    def test_it_shows_pimpinan_without_edit_buttons(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        html = login("pimpinan.biro-hp").get(f"/penilaian/{biro_hp.code}/").content.decode()
        assert "Ajukan ke TPI" not in html

    def test_it_lists_overdue_uploads_from_the_schedule(
        self, login: Callable[[str], Client]
    ) -> None:
        from lke.models import Penilaian

        rutan = Penilaian.objects.get(unit__slug="rutan-kupang")
        html = login("tim.rutan-kupang").get(f"/penilaian/{rutan.code}/").content.decode()
        assert "Terlambat (" in html and "A.I.1.i.a" in html  # due B03 2024, nothing uploaded


class TestWorksheet:
    def test_it_shows_questions_with_every_option_penjelasan(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/area/1/").content.decode()
        assert 'data-kode="A.I.1.i.a"' in html and 'data-kode="A.II.1.i.a"' in html
        assert "Jika dengan prosedur/mekanisme yang jelas" in html

    def test_it_rejects_post(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        assert login("tim.biro-hp").post(f"/penilaian/{biro_hp.code}/area/1/").status_code == 405

    def test_it_hides_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert (
            login("tim.rutan-kupang").get(f"/penilaian/{biro_hp.code}/area/1/").status_code == 404
        )

    def test_it_returns_404_for_an_unknown_area(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/area/9/").status_code == 404

    def test_it_is_read_only_for_pimpinan(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        html = login("pimpinan.biro-hp").get(f"/penilaian/{biro_hp.code}/area/1/").content.decode()
        assert "Simpan jawaban" not in html


class TestJawaban:
    def test_it_saves_an_option_with_history(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.b")
        response = _save(
            login("tim.biro-hp"), biro_hp, q, opsi="B", catatan="Dipilih rapat", versi="0"
        )
        assert response.status_code == 200 and "Jawaban tersimpan" in response.content.decode()
        j = Jawaban.objects.get(penilaian=biro_hp, set="mandiri", pertanyaan=q)
        assert (j.opsi, j.catatan, j.versi) == ("B", "Dipilih rapat", 1)
        entry = Riwayat.objects.get(objek="jawaban_mandiri", kode="A.I.1.i.b")
        assert entry.perubahan["opsi"] == ["", "B"] and entry.user is not None

    def test_it_saves_numeric_inputs(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.II.1.i.a")
        response = _save(
            login("tim.biro-hp"),
            biro_hp,
            q,
            **{"angka_A.II.1.i.a.1": "5", "angka_A.II.1.i.a.2": "4", "versi": "0"},
        )
        assert response.status_code == 200
        assert Jawaban.objects.get(pertanyaan=q, set="mandiri").angka == {
            "A.II.1.i.a.1": "5",
            "A.II.1.i.a.2": "4",
        }

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"opsi": "F"}, "“F” bukan pilihan jawaban"),
            ({"opsi": "Ya"}, "bukan pilihan jawaban"),
            ({"angka_A.I.1.i.b.1": "3"}, "dijawab dengan opsi, bukan angka"),
        ],
    )
    def test_it_refuses_bad_input_and_keeps_what_was_typed(
        self,
        login: Callable[[str], Client],
        biro_hp: Any,
        question: Any,
        data: dict[str, str],
        message: str,
    ) -> None:
        q = question("A.I.1.i.b")
        response = _save(
            login("tim.biro-hp"), biro_hp, q, catatan="teks yang diketik", versi="0", **data
        )
        html = response.content.decode()
        assert response.status_code == 422 and message in html
        assert "teks yang diketik" in html
        assert not Jawaban.objects.filter(pertanyaan=q).exists()

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("-3", "tidak boleh negatif"),
            ("1.5", "bukan bilangan bulat"),
            ("abc", "bukan bilangan bulat"),
            ("99999999999", "terlalu besar"),
        ],
    )
    def test_it_refuses_bad_numbers(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any, value: str, message: str
    ) -> None:
        q = question("A.II.3.iii.a")
        response = _save(
            login("tim.biro-hp"), biro_hp, q, **{"angka_A.II.3.iii.a.1": value, "versi": "0"}
        )
        assert response.status_code == 422 and message in response.content.decode()
        assert f'value="{value}"' in response.content.decode()

    def test_it_refuses_inputs_of_another_question(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.II.3.iii.a")
        response = _save(
            login("tim.biro-hp"), biro_hp, q, **{"angka_A.II.1.i.a.1": "4", "versi": "0"}
        )
        assert (
            response.status_code == 422
            and "bukan bagian dari pertanyaan" in response.content.decode()
        )

    def test_it_shows_a_conflict_instead_of_overwriting(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.b")
        first, second = login("tim.biro-hp"), login("admin")
        assert _save(first, biro_hp, q, opsi="A", versi="0").status_code == 200
        response = _save(second, biro_hp, q, opsi="C", catatan="versi kedua", versi="0")
        html = response.content.decode()
        assert (
            response.status_code == 409
            and "diubah oleh pengguna lain" in html
            and "versi kedua" in html
        )
        assert Jawaban.objects.get(pertanyaan=q, set="mandiri").opsi == "A"
        assert 'name="versi" value="1"' in html  # saving again deliberately overwrites
        assert _save(second, biro_hp, q, opsi="C", versi="1").status_code == 200

    def test_it_rejects_get(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        assert (
            login("tim.biro-hp")
            .get(f"/penilaian/{biro_hp.code}/jawaban/{question('A.I.1.i.a').pk}/")
            .status_code
            == 405
        )

    def test_it_hides_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        assert (
            _save(login("tim.pusat-tik"), biro_hp, question("A.I.1.i.a"), opsi="Ya").status_code
            == 404
        )

    def test_it_refuses_read_only_roles_with_403(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        assert (
            _save(login("pimpinan.biro-hp"), biro_hp, question("A.I.1.i.a"), opsi="Ya").status_code
            == 403
        )
        assert _save(login("tpi.mk"), biro_hp, question("A.I.1.i.a"), opsi="Ya").status_code == 403

    def test_it_limits_tim_kerja_to_their_areas(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        Keanggotaan.objects.filter(user__username="tim.biro-hp").update(area_terbatas=[2])
        client = login("tim.biro-hp")
        assert _save(client, biro_hp, question("A.I.1.i.a"), opsi="Ya").status_code == 403
        assert _save(client, biro_hp, question("A.I.2.i.a"), opsi="A", versi="0").status_code == 200

    def test_it_refuses_a_question_of_another_model(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        from lke.models import Pertanyaan

        other = Pertanyaan.objects.get(model__kode="permenpanrb-10-2019", kode="A.1.i.a")
        assert _save(login("tim.biro-hp"), biro_hp, other, opsi="Ya").status_code == 404


class TestAjukan:
    def test_it_lists_what_is_missing_then_submits(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        client = login("tim.biro-hp")
        html = client.get(f"/penilaian/{biro_hp.code}/ajukan/").content.decode()
        assert 'data-count="belum-dijawab">110<' in html and 'data-count="tanpa-bukti">110<' in html
        assert client.post(f"/penilaian/{biro_hp.code}/ajukan/", {}).status_code == 302
        biro_hp.refresh_from_db()
        assert biro_hp.status == "pengisian"  # no confirmation ticked
        client.post(f"/penilaian/{biro_hp.code}/ajukan/", {"konfirmasi": "ya"})
        biro_hp.refresh_from_db()
        assert biro_hp.status == "reviu_tpi"

    def test_it_makes_the_worksheet_read_only_except_returned_items(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        biro_hp.status = "reviu_tpi"
        biro_hp.save()
        client = login("tim.biro-hp")
        assert _save(client, biro_hp, question("A.I.1.i.a"), opsi="Ya").status_code == 403
        Reviu.objects.create(
            penilaian=biro_hp,
            pertanyaan=question("A.I.1.i.a"),
            status=StatusReviu.PERLU_PERBAIKAN,
            catatan="SK belum ditandatangani",
        )
        assert (
            _save(client, biro_hp, question("A.I.1.i.a"), opsi="Ya", versi="0").status_code == 200
        )
        client.post(f"/penilaian/{biro_hp.code}/ajukan/", {"konfirmasi": "ya"})
        assert Reviu.objects.get(penilaian=biro_hp).status == StatusReviu.DIPERBAIKI
        assert (
            _save(client, biro_hp, question("A.I.1.i.a"), opsi="Tidak", versi="1").status_code
            == 403
        )

    def test_it_rejects_put(self, login: Callable[[str], Client], biro_hp: Any) -> None:
        assert login("tim.biro-hp").put(f"/penilaian/{biro_hp.code}/ajukan/").status_code == 405

    def test_it_hides_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert login("tim.pusat-tik").get(f"/penilaian/{biro_hp.code}/ajukan/").status_code == 404

    def test_it_refuses_read_only_roles_with_403(
        self, login: Callable[[str], Client], biro_hp: Any
    ) -> None:
        assert (
            login("pimpinan.biro-hp").get(f"/penilaian/{biro_hp.code}/ajukan/").status_code == 403
        )
