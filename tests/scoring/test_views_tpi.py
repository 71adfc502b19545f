from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from lke.models import HasilItem, Pertanyaan
from scoring.models import Jawaban, Reviu, SnapshotSkor
from scoring.services import jawaban_save
from scoring.workflow import penilaian_submit
from tests.workflow import review_everything
from units.access import unit_access
from units.models import Notifikasi, Riwayat

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(biro_hp: Any, question: Any) -> Any:
    from django.contrib.auth import get_user_model

    tim = get_user_model().objects.get(username="tim.biro-hp")
    jawaban_save(
        penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.1.i.a"), opsi="Ya", user=tim
    )
    jawaban_save(
        penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.1.i.b"), opsi="A", user=tim
    )
    access = unit_access(tim, biro_hp.unit)
    assert access is not None
    penilaian_submit(penilaian=biro_hp, user=tim, access=access)
    return biro_hp


def _reviu(client: Client, p: Any, q: Any, **data: str) -> Any:
    return client.post(
        f"/penilaian/{p.code}/reviu/{q.pk}/", {"versi": "0", **data}, HTTP_HX_REQUEST="true"
    )


class TestAntrean:
    def test_it_lists_submitted_penilaian_of_covered_units(
        self, login: Callable[[str], Client], submitted: Any
    ) -> None:
        html = login("tpi.mk").get("/tpi/").content.decode()
        assert 'data-penilaian="biro-hp-2022"' in html and "pusat-tik" not in html  # not submitted

    def test_it_shows_nothing_to_other_instansi_tpi(
        self, login: Callable[[str], Client], submitted: Any
    ) -> None:
        assert (
            'data-penilaian="biro-hp-2022"' not in login("tpi.bkkbn").get("/tpi/").content.decode()
        )

    def test_it_rejects_post(self, login: Callable[[str], Client]) -> None:
        assert login("tpi.mk").post("/tpi/").status_code == 405


class TestReviu:
    def test_it_accepts_an_item_with_the_same_answer(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        response = _reviu(
            login("tpi.mk"), submitted, question("A.I.1.i.a"), opsi="Ya", status="diterima"
        )
        assert response.status_code == 200
        assert Reviu.objects.get(pertanyaan=question("A.I.1.i.a")).status == "diterima"
        assert Jawaban.objects.get(set="tpi", pertanyaan=question("A.I.1.i.a")).opsi == "Ya"

    def test_it_requires_a_catatan_when_the_answer_differs(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.b")
        response = _reviu(login("tpi.mk"), submitted, q, opsi="B", status="diterima")
        assert (
            response.status_code == 422
            and "berbeda dari jawaban mandiri" in response.content.decode()
        )
        assert not Jawaban.objects.filter(set="tpi", pertanyaan=q).exists()  # all or nothing
        assert (
            _reviu(
                login("tpi.mk"),
                submitted,
                q,
                opsi="B",
                status="diterima",
                catatan="Mekanisme tidak terdokumentasi",
            ).status_code
            == 200
        )

    def test_returning_needs_a_catatan_and_reaches_the_tim_kerja(
        self,
        login: Callable[[str], Client],
        submitted: Any,
        question: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        q = question("A.I.1.i.a")
        tpi = login("tpi.mk")
        assert _reviu(tpi, submitted, q, opsi="Ya", status="perlu_perbaikan").status_code == 422
        with django_capture_on_commit_callbacks(execute=True):
            response = _reviu(
                tpi,
                submitted,
                q,
                opsi="Ya",
                status="perlu_perbaikan",
                catatan="SK belum ditandatangani",
            )
        assert response.status_code == 200
        assert Notifikasi.objects.filter(
            user__username="tim.biro-hp", pesan__contains="mengembalikan"
        ).exists()
        tim = login("tim.biro-hp")
        saved = tim.post(
            f"/penilaian/{submitted.code}/jawaban/{q.pk}/",
            {"opsi": "Ya", "catatan": "SK sudah ditandatangani", "versi": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert saved.status_code == 200
        tim.post(f"/penilaian/{submitted.code}/ajukan/", {"konfirmasi": "ya"})
        assert Reviu.objects.get(pertanyaan=q).status == "diperbaiki"
        html = tpi.get(f"/penilaian/{submitted.code}/reviu/area/1/").content.decode()
        assert "Sudah diperbaiki, menunggu reviu" in html and "SK sudah ditandatangani" in html

    def test_it_shows_the_history_on_the_question(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.b")
        tpi = login("tpi.mk")
        _reviu(tpi, submitted, q, opsi="C", status="diterima", catatan="Tanpa mekanisme")
        html = tpi.get(f"/penilaian/{submitted.code}/reviu/area/1/").content.decode()
        assert "jawaban TPI: Catatan “” → “Tanpa mekanisme”; Jawaban “” → “C”" in html
        assert "reviu TPI: Catatan “” → “Tanpa mekanisme”; Status “” → “Diterima”" in html
        assert Riwayat.objects.filter(kode="A.I.1.i.b", objek="reviu").exists()

    def test_outsiders_and_read_only_roles(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.a")
        assert (
            _reviu(login("tpi.kemenkumham"), submitted, q, opsi="Ya", status="diterima").status_code
            == 404
        )
        assert (
            _reviu(login("tim.biro-hp"), submitted, q, opsi="Ya", status="diterima").status_code
            == 403
        )
        assert (
            _reviu(
                login("pimpinan.biro-hp"), submitted, q, opsi="Ya", status="diterima"
            ).status_code
            == 403
        )
        assert login("tpi.mk").get(f"/penilaian/{submitted.code}/reviu/{q.pk}/").status_code == 405


class TestHasil:
    def _post(self, client: Client, p: Any, values: list[str]) -> Any:
        items = HasilItem.objects.filter(model=p.model).order_by("bagian__urutan", "urutan")
        return client.post(
            f"/penilaian/{p.code}/hasil/",
            {f"hasil_{h.pk}": v for h, v in zip(items, values, strict=True)},
        )

    def test_it_stores_the_hasil_inputs(
        self, login: Callable[[str], Client], submitted: Any
    ) -> None:
        assert self._post(login("tpi.mk"), submitted, ["3,62", "B", "3,45"]).status_code == 302
        assert sorted(
            str(v) for v in submitted.jawaban_hasil.values_list("nilai", flat=True) if v is not None
        ) == ["3.4500", "3.6200"]

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            (["4,5", "B", "3"], "antara 0 dan 4"),
            (["3", "F", "3"], "pilih A, B, C, D atau E"),
            (["x", "A", "3"], "bukan angka"),
        ],
    )
    def test_it_refuses_bad_values_and_writes_nothing(
        self, login: Callable[[str], Client], submitted: Any, values: list[str], message: str
    ) -> None:
        response = self._post(login("tpi.mk"), submitted, values)
        assert response.status_code == 422 and message in response.content.decode()
        assert not submitted.jawaban_hasil.exists()

    def test_read_only_and_outsiders(self, login: Callable[[str], Client], submitted: Any) -> None:
        assert login("tim.biro-hp").get(f"/penilaian/{submitted.code}/hasil/").status_code == 403
        assert login("tpi.bkkbn").get(f"/penilaian/{submitted.code}/hasil/").status_code == 404


class TestSkorDanFinal:
    def test_the_score_page_agrees_with_lke_score(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        tpi = login("tpi.mk")
        _reviu(tpi, submitted, question("A.I.1.i.a"), opsi="Ya", status="diterima")
        TestHasil()._post(tpi, submitted, ["3,62", "B", "3,45"])
        out = StringIO()
        call_command("lke_score", unit="biro-hp", year=2022, by="tpi", json=True, stdout=out)
        data = json.loads(out.getvalue())
        html = tpi.get(f"/penilaian/{submitted.code}/skor/?oleh=tpi").content.decode()
        from decimal import Decimal

        from zi_portal.lib.numbers import format_id

        assert f"data-nilai-total>{format_id(Decimal(str(data['total'])))}<" in html
        assert data["total"] == pytest.approx(0.25 + 17.5 * 3.62 / 4 + 3.75 + 17.5 * 3.45 / 4)
        assert "kurang" in html and "data-gap-advisor" in html

    def test_finalizing_freezes_snapshots_and_notifies(
        self,
        login: Callable[[str], Client],
        submitted: Any,
        question: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        tpi = login("tpi.mk")
        from django.contrib.auth import get_user_model

        review_everything(submitted, get_user_model().objects.get(username="tpi.mk"))
        get_user_model().objects.filter(username="pimpinan.biro-hp").update(
            email="kepala.biro@mkri.id"
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = tpi.post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == "final"
        snaps = SnapshotSkor.objects.filter(penilaian=submitted, final=True)
        assert set(snaps.values_list("set", flat=True)) == {"mandiri", "tpi"}
        assert (
            Notifikasi.objects.filter(
                user__username__in=["pimpinan.biro-hp", "tim.biro-hp"],
                pesan__contains="memfinalkan",
            ).count()
            == 2
        )
        assert [m.to for m in mail.outbox] == [["kepala.biro@mkri.id"]]
        # Later edits (e.g. by an admin) never move the frozen score.
        Jawaban.objects.filter(set="tpi", pertanyaan=question("A.I.1.i.a")).update(opsi="Tidak")
        html = tpi.get(f"/penilaian/{submitted.code}/skor/?oleh=tpi").content.decode()
        assert "snapshot yang dibekukan" in html
        assert (
            f"data-nilai-total>{snaps.get(set='tpi').laporan['total']:.2f}".replace(".", ",")
            in html
        )

    def test_it_refuses_to_finalize_with_returned_items(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        tpi = login("tpi.mk")
        from django.contrib.auth import get_user_model

        review_everything(submitted, get_user_model().objects.get(username="tpi.mk"))
        _reviu(
            tpi,
            submitted,
            question("A.I.1.i.a"),
            opsi="Ya",
            status="perlu_perbaikan",
            catatan="Lengkapi",
            versi="1",
        )
        response = tpi.post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
        html = response.content.decode()
        assert response.status_code == 409
        assert 'data-blocking="1"' in html
        assert "Dikembalikan ke tim kerja dan belum diajukan ulang." in html
        q = question("A.I.1.i.a")
        assert f'href="/penilaian/{submitted.code}/reviu/area/1/#r-{q.pk}"' in html
        submitted.refresh_from_db()
        assert submitted.status == "reviu_tpi"
        assert not SnapshotSkor.objects.filter(penilaian=submitted).exists()

    def test_it_refuses_to_finalize_unreviewed_questions_listing_each(
        self, login: Callable[[str], Client], submitted: Any, question: Any
    ) -> None:
        """Biro HP 2022 with 2 of its 110 questions reviewed: 108 questions and the 3
        hasil inputs block, each listed with a link; nothing changes."""
        tpi = login("tpi.mk")
        _reviu(tpi, submitted, question("A.I.1.i.a"), opsi="Ya", status="diterima")
        _reviu(tpi, submitted, question("A.I.1.i.b"), opsi="A", status="diterima")
        history = Riwayat.objects.count()
        response = tpi.post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
        html = response.content.decode()
        n_questions = Pertanyaan.objects.filter(model=submitted.model).count()
        assert n_questions == 110
        assert response.status_code == 409
        assert f'data-blocking="{n_questions - 2 + 3}"' in html
        assert html.count("Belum direviu TPI.") == n_questions - 2
        assert 'data-kode="A.I.1.i.a"' not in html.split("data-blocking")[1]
        assert "Nilai hasil" in html and f"/penilaian/{submitted.code}/hasil/#h-" in html
        submitted.refresh_from_db()
        assert submitted.status == "reviu_tpi"
        assert Riwayat.objects.count() == history
        # The score page lists the same items before the TPI tries.
        skor = tpi.get(f"/penilaian/{submitted.code}/skor/").content.decode()
        assert f'data-blocking="{n_questions - 2 + 3}"' in skor

    def test_only_the_tpi_finalizes(self, login: Callable[[str], Client], submitted: Any) -> None:
        assert (
            login("tim.biro-hp")
            .post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
            .status_code
            == 403
        )
        assert (
            login("pimpinan.biro-hp")
            .post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
            .status_code
            == 403
        )
        assert (
            login("tpi.bkkbn")
            .post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
            .status_code
            == 404
        )
        assert login("tpi.mk").get(f"/penilaian/{submitted.code}/final/").status_code == 405

    def test_the_score_page_is_visible_to_the_unit_and_hidden_from_others(
        self, login: Callable[[str], Client], submitted: Any
    ) -> None:
        assert (
            login("pimpinan.biro-hp").get(f"/penilaian/{submitted.code}/skor/").status_code == 200
        )
        assert login("tim.pusat-tik").get(f"/penilaian/{submitted.code}/skor/").status_code == 404
        assert login("tim.biro-hp").post(f"/penilaian/{submitted.code}/skor/").status_code == 405
