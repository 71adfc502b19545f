"""Answer errors speak the user's language: Indonesian by default, English when chosen.

The services translate when they raise (gettext, not gettext_lazy), so the message is a
plain string in the language active for the request that caused it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from scoring.services import JawabanTidakValid, clean_angka, jawaban_hasil_save, jawaban_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "“Z” bukan pilihan jawaban pertanyaan A.I.1.i.a (Ya/Tidak)."),
        ("en", "“Z” is not an answer option of question A.I.1.i.a (Ya/Tidak)."),
    ],
)
def test_an_invalid_option_is_refused_in_the_active_language(
    biro_hp: Any, question: Callable[[str], Any], language: str, expected: str
) -> None:
    with translation.override(language), pytest.raises(JawabanTidakValid) as caught:
        jawaban_save(
            penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.1.i.a"), opsi="Z", user=None
        )
    message = caught.value.args[0]
    assert type(message) is str  # translated when raised, not a lazy proxy
    assert str(caught.value) == expected


def test_the_message_keeps_the_language_it_was_raised_in(
    biro_hp: Any, question: Callable[[str], Any]
) -> None:
    with translation.override("en"), pytest.raises(JawabanTidakValid) as caught:
        jawaban_save(
            penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.1.i.a"), opsi="Z", user=None
        )
    with translation.override("id"):
        assert str(caught.value).startswith("“Z” is not an answer option")


@pytest.mark.parametrize(
    ("language", "negative", "too_long"),
    [
        ("id", "jumlah tidak boleh negatif.", "Catatan terlalu panjang (maksimal 5.000 karakter)."),
        ("en", "a count cannot be negative.", "The note is too long (at most 5,000 characters)."),
    ],
)
def test_number_and_note_errors_follow_the_language(
    biro_hp: Any, question: Callable[[str], Any], language: str, negative: str, too_long: str
) -> None:
    q = question("A.II.1.i.a")  # a % question answered with counts
    kode, label = next((n.kode, n.teks) for n in q.input.all())
    with translation.override(language):
        with pytest.raises(JawabanTidakValid) as caught:
            clean_angka(q, {kode: "-3"})
        assert str(caught.value) == f"{label}: {negative}"
        with pytest.raises(JawabanTidakValid) as caught:
            jawaban_save(
                penilaian=biro_hp,
                set_="mandiri",
                pertanyaan=question("A.I.1.i.a"),
                opsi="Ya",
                catatan="x" * 5001,
                user=None,
            )
        assert str(caught.value) == too_long


def test_a_hasil_error_follows_the_language(biro_hp: Any) -> None:
    item = biro_hp.model.hasilitem_set.get(jenis="indeks", kode="B.I.a")
    with translation.override("en"), pytest.raises(JawabanTidakValid) as caught:
        jawaban_hasil_save(penilaian=biro_hp, set_="tpi", hasil_item=item, value="5", user=None)
    assert str(caught.value) == f"{item.nama}: the value must be between 0 and 4."


def _save(client: Client, penilaian: Any, q: Any, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        f"/penilaian/{penilaian.code}/jawaban/{q.pk}/",
        {"opsi": "Z", "versi": "0"},
        headers={"HX-Request": "true", **(headers or {})},
    )


def test_the_worksheet_fragment_shows_the_error_in_the_chosen_language(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    # The browser's Accept-Language is ignored (zi_portal.middleware): Indonesian first.
    response = _save(client, biro_hp, q, headers={"Accept-Language": "en-US"})
    assert response.status_code == 422
    assert "“Z” bukan pilihan jawaban pertanyaan A.I.1.i.a" in html.unescape(
        response.content.decode()
    )
    client.cookies["django_language"] = "en"  # what the portal's language selector sets
    response = _save(client, biro_hp, q)
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "“Z” is not an answer option of question A.I.1.i.a (Ya/Tidak)." in page
    assert "bukan pilihan jawaban" not in page
