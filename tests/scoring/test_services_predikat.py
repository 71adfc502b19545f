"""The WBBM rule "already holds WBK" reads the predikat held in the penilaian's year.

Domain rule 10: re-scoring a 2022 penilaian after the unit won WBK in 2024 must not change
its 2022 verdict.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lke.models import HasilItem, Penilaian, PeranInput, Pertanyaan
from scoring.models import SetJawaban
from scoring.services import answer_set, jawaban_hasil_save, jawaban_save, penilaian_score
from tests.workflow import writable
from units.predikat import predikat_add, predikat_revoke

pytestmark = pytest.mark.django_db


def _best_answers(penilaian: Penilaian) -> None:
    """A WBBM-level TPI answer set: every question at its best value, every hasil full."""
    with writable(penilaian, SetJawaban.TPI):
        _fill_best(penilaian)


def _fill_best(penilaian: Penilaian) -> None:
    for q in Pertanyaan.objects.filter(model=penilaian.model).prefetch_related("input"):
        if q.jenis == "persen":
            angka = {
                n.kode: 7
                for n in q.input.all()
                if n.peran != PeranInput.INFO and not n.turunan_dari
            }
            jawaban_save(
                penilaian=penilaian, set_=SetJawaban.TPI, pertanyaan=q, angka=angka, user=None
            )
        else:
            jawaban_save(
                penilaian=penilaian,
                set_=SetJawaban.TPI,
                pertanyaan=q,
                opsi=q.pilihan[0],
                user=None,
            )
    for h in HasilItem.objects.filter(model=penilaian.model):
        value = {"indeks": "4", "capaian": "A", "tlhp": "100"}[h.jenis]
        jawaban_hasil_save(
            penilaian=penilaian, set_=SetJawaban.TPI, hasil_item=h, value=value, user=None
        )


def _wbbm_rule(penilaian: Penilaian) -> bool:
    report = penilaian_score(penilaian)
    (rule,) = [r for r in report.rules if r.kind == "predikat_sebelumnya"]
    return rule.passed


def test_a_later_wbk_leaves_the_2022_verdict_unchanged(biro_hp: Penilaian) -> None:
    _best_answers(biro_hp)
    assert biro_hp.tahun == 2022
    assert penilaian_score(biro_hp).verdict == "WBK"  # WBBM scores, but WBK not yet held

    predikat_add(biro_hp.unit, predikat="WBK", tahun=2024, sumber="tpn", user=None)
    assert answer_set(biro_hp, SetJawaban.TPI).held_predikat is None
    assert penilaian_score(biro_hp).verdict == "WBK"
    assert not _wbbm_rule(biro_hp)


def test_wbk_held_in_the_year_gives_wbbm_from_either_source(biro_hp: Penilaian) -> None:
    _best_answers(biro_hp)
    row = predikat_add(biro_hp.unit, predikat="WBK", tahun=2021, sumber="mandiri", user=None)
    assert answer_set(biro_hp, SetJawaban.TPI).held_predikat == "WBK"
    assert penilaian_score(biro_hp).verdict == "WBBM"
    assert _wbbm_rule(biro_hp)

    # Revoked in 2022: not held in 2022 any more.
    predikat_revoke(row, pada=dt.date(2022, 5, 1), alasan="Dicabut", user=None)
    assert penilaian_score(biro_hp).verdict == "WBK"
