"""Derived totals and the zero-denominator policy at the doors of scoring: the service
refuses a typed total, the worksheet shows it computed and read-only, and the worksheet
and the score page show the applied policy (domain.md Scoring rules 8, 9)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from scoring.models import Jawaban, SetJawaban
from scoring.services import JawabanTidakValid, jawaban_save
from tests.workflow import writable

pytestmark = pytest.mark.django_db

LHKPN = "A.II.5.iii.a"
PARTS = {f"{LHKPN}.2": "1", f"{LHKPN}.3": "1", f"{LHKPN}.4": "1", f"{LHKPN}.5": "3"}


def _save(client: Client, penilaian: Any, q: Any, **data: str) -> Any:
    return client.post(f"/penilaian/{penilaian.code}/jawaban/{q.pk}/", data, HTTP_HX_REQUEST="true")


def test_the_service_refuses_a_typed_total(biro_hp: Any, question: Callable[[str], Any]) -> None:
    q = question(LHKPN)
    with pytest.raises(JawabanTidakValid, match="dihitung otomatis"):
        jawaban_save(
            penilaian=biro_hp,
            set_=SetJawaban.MANDIRI,
            pertanyaan=q,
            angka={f"{LHKPN}.1": "3", **PARTS},
            user=None,
        )
    assert not Jawaban.objects.filter(penilaian=biro_hp, pertanyaan=q).exists()


def test_the_rows_alone_score_the_question(biro_hp: Any, question: Callable[[str], Any]) -> None:
    from scoring.services import penilaian_score

    q = question(LHKPN)
    with writable(biro_hp, SetJawaban.TPI):
        jawaban_save(penilaian=biro_hp, set_=SetJawaban.TPI, pertanyaan=q, angka=PARTS, user=None)
    stored = Jawaban.objects.get(penilaian=biro_hp, pertanyaan=q, set=SetJawaban.TPI)
    assert f"{LHKPN}.1" not in stored.angka  # never stored
    report = penilaian_score(biro_hp)
    assert {s.code: s.value for s in report.questions}[LHKPN] == 1


def test_the_worksheet_shows_the_total_computed_and_read_only(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question(LHKPN)
    client = login("tim.biro-hp")
    response = _save(client, biro_hp, q, **{f"angka_{k}": v for k, v in PARTS.items()})
    assert response.status_code == 200
    html = client.get(f"/penilaian/{biro_hp.code}/area/5/").content.decode()
    total = re.search(r'<input[^>]*data-turunan="[^"]*"[^>]*>', html)
    assert total is not None
    tag = total.group(0)
    assert "readonly" in tag and 'value="3"' in tag and "name=" not in tag
    assert f'data-turunan="{LHKPN}.2 {LHKPN}.3 {LHKPN}.4"' in tag


def test_the_worksheet_refuses_a_posted_total(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question(LHKPN)
    data = {f"angka_{k}": v for k, v in PARTS.items()}
    response = _save(login("tim.biro-hp"), biro_hp, q, **data, **{f"angka_{LHKPN}.1": "5"})
    assert response.status_code == 422
    assert "dihitung otomatis" in response.content.decode()
    assert not Jawaban.objects.filter(penilaian=biro_hp, pertanyaan=q).exists()


def test_the_worksheet_shows_the_policy_beside_the_question(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question("A.II.5.ii.a")
    client = login("tim.biro-hp")
    codes = [n.kode for n in q.input.all()]
    _save(client, biro_hp, q, **{f"angka_{c}": "0" for c in codes})
    html = client.get(f"/penilaian/{biro_hp.code}/area/5/").content.decode()
    card = html[html.index('data-kode="A.II.5.ii.a"') :]
    card = card[: card.index("</article>")]
    assert 'data-kebijakan-penyebut-nol="keluar_dari_rerata"' in card
    assert (
        "tidak dapat dihitung: tidak ikut dirata-rata; nilai indikator dari pertanyaan lain" in card
    )


def test_the_score_page_shows_the_applied_policies(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question("A.II.5.ii.a")
    angka = {n.kode: "0" for n in q.input.all()}
    jawaban_save(penilaian=biro_hp, set_=SetJawaban.MANDIRI, pertanyaan=q, angka=angka, user=None)
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/skor/?oleh=mandiri").content
    page = html.decode()
    block = page[page.index("data-tidak-dapat-dihitung") :]
    assert 'data-kode="A.II.5.ii.a"' in block
    assert "tidak dapat dihitung: tidak ikut dirata-rata" in block
    # Its indikator has no other question: the indikator policy (0) applies too.
    assert 'data-kode="A.II.5.ii"' in block
    assert "nilai indikator 0" in block


def test_the_tpi_review_shows_the_total_computed_and_read_only(
    login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
) -> None:
    q = question(LHKPN)
    jawaban_save(penilaian=biro_hp, set_=SetJawaban.MANDIRI, pertanyaan=q, angka=PARTS, user=None)
    biro_hp.status = "reviu_tpi"
    biro_hp.save()
    html = login("tpi.mk").get(f"/penilaian/{biro_hp.code}/reviu/area/5/").content.decode()
    card = html[html.index(f'data-kode="{LHKPN}"') :]
    card = card[: card.index("</article>")]
    assert "Jumlah yang harus melaporkan: 3" in card  # the mandiri answer, computed
    total = re.search(r'<input[^>]*data-turunan="[^"]*"[^>]*>', card)
    assert total is not None and "readonly" in total.group(0) and "name=" not in total.group(0)
    assert f'name="angka_{LHKPN}.1"' not in card


def test_the_worksheet_shows_the_indikator_policy(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/area/5/").content.decode()
    block = html[html.index('id="i-aii5ii"') :]
    block = block[: block.index("</h3>")]
    assert 'data-kebijakan-tanpa-nilai="nol"' in block
    assert "jika tidak ada pertanyaan yang dapat dihitung, nilai indikator 0" in block
