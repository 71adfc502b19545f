"""Issue 11 part 5: one submission of the bukti form makes one set of bukti, whatever the
number of clicks, retries or concurrent posts (a random key per rendered form)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from evidence import services
from evidence.models import Bukti
from evidence.services import bukti_link_add, bukti_upload
from tests.evidence.files import pdf, png
from units.models import Riwayat

pytestmark = pytest.mark.django_db
KEY = "kunci-uji-0123456789ab"


def _url(penilaian: Any, q: Any) -> str:
    return f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/"


def test_the_worksheet_form_carries_a_fresh_key_per_render(
    login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    response = client.post(
        _url(biro_hp, q), {"berkas": [pdf()], "kunci": KEY}, HTTP_HX_REQUEST="true"
    )
    keys = re.findall(r'name="kunci" value="([^"]+)" data-kunci-kirim', response.content.decode())
    assert keys and KEY not in keys  # the form shown after a save has a new key


def test_a_form_submitted_twice_makes_its_bukti_once(
    login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    for _ in range(3):  # a double click and a browser retry
        response = client.post(
            _url(biro_hp, q),
            {"berkas": [pdf(), png()], "kunci": KEY},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "2 berkas bukti tersimpan" in response.content.decode()
    assert Bukti.objects.filter(pertanyaan=q, penilaian=biro_hp).count() == 2
    assert Riwayat.objects.filter(objek="bukti", kode="A.I.1.i.a").count() == 2
    # Another rendering of the form (another key) is another submission.
    client.post(_url(biro_hp, q), {"berkas": [pdf()], "kunci": KEY + "x"}, HTTP_HX_REQUEST="true")
    assert Bukti.objects.filter(pertanyaan=q, penilaian=biro_hp).count() == 3


def test_a_link_submitted_twice_is_stored_once(
    login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    data = {"url": "https://example.org/sk-tim", "judul": "SK Tim", "kunci": KEY}
    for _ in range(2):
        assert client.post(_url(biro_hp, q), data, HTTP_HX_REQUEST="true").status_code == 200
    assert Bukti.objects.filter(pertanyaan=q, url="https://example.org/sk-tim").count() == 1


def test_a_concurrent_twin_loses_at_the_database_and_gets_the_first_bukti(
    biro_hp: Any, question: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = question("A.I.1.i.a")
    user = get_user_model().objects.get(username="tim.biro-hp")
    (first,) = bukti_upload(penilaian=biro_hp, pertanyaan=q, files=[pdf()], user=user, kunci=KEY)
    # The twin looked before the first committed: it saw nothing and inserts too.
    calls: list[int] = []
    real = services._submitted

    def not_yet(penilaian: Any, kunci: str) -> list[Bukti]:
        calls.append(1)
        return [] if len(calls) == 1 else real(penilaian, kunci)

    monkeypatch.setattr(services, "_submitted", not_yet)
    twin = bukti_upload(penilaian=biro_hp, pertanyaan=q, files=[pdf()], user=user, kunci=KEY)
    assert [b.pk for b in twin] == [first.pk]
    assert Bukti.objects.filter(pertanyaan=q, penilaian=biro_hp).count() == 1
    calls.clear()
    link = bukti_link_add(
        penilaian=biro_hp,
        pertanyaan=q,
        url="https://example.org/x",
        judul="",
        user=user,
        kunci=KEY + "l",
    )
    calls.clear()
    again = bukti_link_add(
        penilaian=biro_hp,
        pertanyaan=q,
        url="https://example.org/x",
        judul="",
        user=user,
        kunci=KEY + "l",
    )
    assert again.pk == link.pk
