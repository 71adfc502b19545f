"""Issue 13 part 6: saving nothing says so and records nothing; clearing is a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from scoring.models import Jawaban
from units.models import Riwayat

pytestmark = pytest.mark.django_db


def _save(client: Client, penilaian: Any, q: Any, **data: str) -> Any:
    return client.post(f"/penilaian/{penilaian.code}/jawaban/{q.pk}/", data, HTTP_HX_REQUEST="true")


def test_saving_with_no_option_chosen_records_nothing(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question("A.I.1.i.a")
    riwayat_before = Riwayat.objects.count()
    response = _save(login("tim.biro-hp"), biro_hp, q, opsi="", catatan="  ", versi="0")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Belum ada jawaban yang dipilih." in html
    assert "Jawaban tersimpan." not in html
    assert not Jawaban.objects.filter(penilaian=biro_hp, pertanyaan=q).exists()
    assert Riwayat.objects.count() == riwayat_before


def test_clearing_an_existing_answer_is_a_recorded_change(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    client = login("tim.biro-hp")
    q = question("A.I.1.i.a")
    assert _save(client, biro_hp, q, opsi="Ya", versi="0").status_code == 200
    response = _save(client, biro_hp, q, opsi="", versi="1")
    assert response.status_code == 200 and "Jawaban tersimpan." in response.content.decode()
    jawaban = Jawaban.objects.get(penilaian=biro_hp, set="mandiri", pertanyaan=q)
    assert jawaban.opsi == "" and jawaban.versi == 2
    last = Riwayat.objects.filter(kode=q.kode).latest("pk")
    assert last.perubahan == {"opsi": ["Ya", ""]}


def test_the_audit_trail_keeps_no_row_for_a_change_that_changed_nothing(biro_hp: Any) -> None:
    from units.audit import riwayat_record

    before = Riwayat.objects.count()
    for aksi in (Riwayat.Aksi.BUAT, Riwayat.Aksi.UBAH):
        assert (
            riwayat_record(
                user=None,
                unit=biro_hp.unit,
                tahun=biro_hp.tahun,
                objek="jawaban_mandiri",
                objek_id=1,
                kode="A.I.1.i.a",
                aksi=aksi,
                perubahan={},
            )
            is None
        )
    assert Riwayat.objects.count() == before
