"""Issue 12 parts 8 and 9: the score page shows the whole LKE and the model's uncertainty.

Every level (komponen, bagian, area, indikator; hasil sub-komponen and unsur) with bobot,
nilai and % of both sets, as `lke_score --json` computes them; threshold lines only where
the model has a rule; the notes of derived or unverified parts of the model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lke.catatan import model_notices
from lke.models import (
    AturanPredikat,
    HasilItem,
    ModelPenilaian,
    Penilaian,
    Pertanyaan,
    StatusPenilaian,
)
from scoring.models import Jawaban, SetJawaban, SnapshotSkor
from scoring.services import jawaban_hasil_save, jawaban_save, penilaian_score, report_json
from tests.workflow import writable
from units.models import UnitKerja
from zi_portal.lib.numbers import format_id, format_persen

pytestmark = pytest.mark.django_db

FIGURE = re.compile(
    r'data-set="(mandiri|tpi)" data-(nilai|persen)><span class="visually-hidden">[^<]*</span>'
    r"([^<]*)<"
)


def _answer_both_sets(penilaian: Penilaian) -> None:
    """Different answers in the two sets, so each figure tells them apart."""
    questions = Pertanyaan.objects.filter(model=penilaian.model).prefetch_related("input")
    for set_, shift in ((SetJawaban.MANDIRI, 0), (SetJawaban.TPI, 1)):
        with writable(penilaian, set_):
            for n, q in enumerate(questions.order_by("indikator__area__urutan", "urutan")):
                catatan = "beda" if set_ == SetJawaban.TPI else ""
                if q.jenis == "persen":
                    angka = {
                        i.kode: 4 if i.peran in ("penyebut", "sebelumnya") else 3 - shift
                        for i in q.input.all()
                        if not i.turunan_dari
                    }
                    jawaban_save(
                        penilaian=penilaian,
                        set_=set_,
                        pertanyaan=q,
                        angka=angka,
                        catatan=catatan,
                        user=None,
                    )
                else:
                    opsi = q.pilihan[(n + shift * (n % 3 == 0)) % len(q.pilihan)]
                    jawaban_save(
                        penilaian=penilaian,
                        set_=set_,
                        pertanyaan=q,
                        opsi=opsi,
                        catatan=catatan,
                        user=None,
                    )
            for h in HasilItem.objects.filter(model=penilaian.model):
                value = {"indeks": "3,62" if shift else "3,7", "capaian": "B", "tlhp": "80"}
                jawaban_hasil_save(
                    penilaian=penilaian, set_=set_, hasil_item=h, value=value[h.jenis], user=None
                )


def _lke_score(penilaian: Penilaian, by: str) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "lke_score", unit=penilaian.unit.slug, year=penilaian.tahun, by=by, json=True, stdout=out
    )
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def _node_figures(html: str, code: str) -> dict[tuple[str, str], str]:
    """The four figures of the tree row of `code` (its own row, not its children's)."""
    start = html.index(f'data-node="{code}"')
    end = html.find('data-node="', start + 1)
    row = html[start : end if end > 0 else None]
    figures = FIGURE.findall(row)
    assert len(figures) == 4, code
    return {(s, kind): text for s, kind, text in figures}


def _expected(value: float | None, persen: bool = False) -> str:
    if value is None:
        return "–"
    number = Decimal(str(value))
    return format_persen(number) if persen else format_id(number)


def test_every_level_shows_the_figures_of_lke_score_for_both_sets(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    _answer_both_sets(biro_hp)
    html = login("tpi.mk").get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    # The two sets of a penilaian the TPN has not evaluated (tests/scoring/test_tpn.py).
    data = {by: _lke_score(biro_hp, by) for by in (SetJawaban.MANDIRI, SetJawaban.TPI)}
    tpi = data[SetJawaban.TPI]
    assert data[SetJawaban.MANDIRI]["total"] != tpi["total"]  # the sets differ
    levels = ("bagian", "areas", "indikator", "hasil_groups", "hasil_items")
    codes = [n["code"] for level in levels for n in tpi[level]]
    assert len([c for c in codes if c.count(".") == 3]) == 42  # every 90/2021 indikator
    assert {"A.I", "A.II", "A.I.1", "A.II.6", "B.I", "B.I.b", "B.II.a"} <= set(codes)
    for by, report in data.items():
        nodes = {n["code"]: n for level in levels for n in report[level]}
        for code, node in nodes.items():
            shown = _node_figures(html, code)
            assert shown[(by, "nilai")] == _expected(node["nilai"]), (by, code)
            assert shown[(by, "persen")] == _expected(node["persen"], persen=True), (by, code)
        for code, key in (("total", "total"), ("A", "pengungkit"), ("B", "hasil")):
            assert _node_figures(html, code)[(by, "nilai")] == _expected(report[key])
    # Komponen and total: % of their bobot, from the unrounded nilai.
    assert _node_figures(html, "A")[("tpi", "persen")] == format_persen(
        Decimal(str(tpi["pengungkit"])) * 100 / 60
    )
    # Levels nest: komponen > bagian > area > indikator, each a <details> but the indikator.
    tree = html[html.index('data-node="A"') : html.index('data-node="B"')]
    assert tree.index('data-node="A.I"') < tree.index('data-node="A.I.1"')
    assert tree.index('data-node="A.I.1"') < tree.index('data-node="A.I.1.i"')
    assert '<details class="lke-node lke-area" data-node="A.II.5">' in html
    assert '<div class="lke-node lke-indikator" data-node="A.II.5.iii">' in html


def test_an_indikator_links_to_its_place_on_the_worksheet(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    client = login("tim.biro-hp")
    html = client.get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    row = html[html.index('data-node="A.II.5.iii"') :][:1500]
    url = reverse("scoring:worksheet", args=[biro_hp.code, 5])
    assert f'href="{url}#i-aii5iii"' in row
    worksheet = client.get(url).content.decode()
    assert 'id="i-aii5iii"' in worksheet


def test_a_final_penilaian_shows_the_frozen_figures(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    _answer_both_sets(biro_hp)
    for set_ in (SetJawaban.MANDIRI, SetJawaban.TPI):  # as penilaian_finalize freezes them
        report = penilaian_score(biro_hp, set_)
        SnapshotSkor.objects.create(
            penilaian=biro_hp,
            set=set_,
            total=report.total.nilai,
            predikat=report.verdict,
            laporan=report_json(report, penilaian=biro_hp, by=set_),
            final=True,
        )
    frozen = _lke_score(biro_hp, SetJawaban.TPI)
    q = Pertanyaan.objects.get(model=biro_hp.model, kode="A.I.1.i.a")
    current = Jawaban.objects.get(penilaian=biro_hp, set=SetJawaban.TPI, pertanyaan=q).opsi
    with writable(biro_hp, SetJawaban.TPI):
        jawaban_save(
            penilaian=biro_hp,
            set_=SetJawaban.TPI,
            pertanyaan=q,
            opsi=next(o for o in q.pilihan if o != current),
            catatan="diubah setelah final",
            user=None,
        )
    Penilaian.objects.filter(pk=biro_hp.pk).update(status=StatusPenilaian.FINAL)
    assert _lke_score(biro_hp, SetJawaban.TPI)["indikator"][0] != frozen["indikator"][0]
    html = login("tpi.mk").get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    for node in (frozen["indikator"][0], frozen["areas"][0], frozen["bagian"][0]):
        assert _node_figures(html, node["code"])[("tpi", "nilai")] == _expected(node["nilai"])
    assert _node_figures(html, "A")[("tpi", "nilai")] == _expected(frozen["pengungkit"])


def _lines(fragment: str) -> list[tuple[str, str]]:
    return re.findall(r'data-garis="(\w+)" data-persen="([\d.]+)"', fragment)


def _area_table(html: str) -> str:
    return html[html.index("data-area-table") : html.index("data-lke-tree")]


def test_the_90_2021_thresholds_come_from_its_rules(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    html = login("tim.biro-hp").get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    areas = _area_table(html)
    assert _lines(areas) == [("WBK", "60"), ("WBBM", "75")] * 6
    assert "Setiap area pengungkit ≥ 60 % dari bobotnya" in areas
    assert "data-tanpa-garis" not in areas
    row = html[html.index('data-node="total"') :]
    assert _lines(row[: row.index("</svg>")]) == [("WBK", "75"), ("WBBM", "85")]
    row = html[html.index('data-node="B.I"') :]
    # 18,25 and 19,50 of a bobot 22,50.
    assert _lines(row[: row.index("</svg>")]) == [("WBK", "81.11"), ("WBBM", "86.67")]
    # A Pemenuhan or Reform part of an area has no rule of its own: no line.
    row = html[html.index('data-node="A.I.1"') :]
    assert _lines(row[: row.index("</svg>")]) == []


def test_a_model_without_a_per_area_rule_draws_no_area_line(
    login: Callable[[str], Client],
) -> None:
    bkkbn = Penilaian.objects.get(unit__slug="bkkbn-sumsel", tahun=2020)
    assert bkkbn.model.kode == "permenpanrb-10-2019"
    html = login("tim.bkkbn-sumsel").get(reverse("scoring:skor", args=[bkkbn.code])).content
    page = html.decode()
    areas = _area_table(page)
    assert areas.count("<tr data-area=") == 6
    assert _lines(areas) == [] and "data-tanpa-garis" in areas
    assert "60" not in "".join(re.findall(r'x1="([^"]*)"', areas))
    row = page[page.index('data-node="total"') :]
    assert _lines(row[: row.index("</svg>")]) == [("WBK", "75"), ("WBBM", "85")]
    # 10/2019 has no bagian: komponen > area > indikator.
    assert 'data-node="A.1"' in page and 'data-node="A.I"' not in page


def test_a_rule_added_to_an_unused_model_moves_the_lines(
    login: Callable[[str], Client],
) -> None:
    """52/2014 has no per-area rule; give the unused model one, and the page draws it."""
    model = ModelPenilaian.objects.get(kode="permenpanrb-52-2014")
    AturanPredikat.objects.create(
        model=model,
        predikat="WBK",
        jenis="area_persen",
        label="Setiap area ≥ 55 % dari bobotnya (uji)",
        minimum=Decimal("55"),
        urutan=9,
    )
    unit = UnitKerja.objects.get(slug="biro-hp")
    penilaian = Penilaian.objects.create(unit=unit, tahun=2015, model=model)
    html = login("tim.biro-hp").get(reverse("scoring:skor", args=[penilaian.code])).content
    page = html.decode()
    assert _lines(_area_table(page)) == [("WBK", "55")] * 6
    row = page[page.index('data-node="B.II"') :]
    assert _lines(row[: row.index("</svg>")]) == [("WBBM", "80")]  # 16 of 20


def test_unverified_and_derived_parts_show_as_notices(
    login: Callable[[str], Client],
) -> None:
    bkkbn = Penilaian.objects.get(unit__slug="bkkbn-sumsel", tahun=2020)
    page = (
        login("tpi.bkkbn").get(reverse("scoring:skor", args=[bkkbn.code]) + "?oleh=tpi").content
    ).decode()
    block = page[page.index("data-catatan-model") :]
    assert block.count('data-catatan="aturan"') == 10
    assert block.count('data-terverifikasi="tidak"') == 9
    assert "Catatan riset U1: ambang 10/2019 belum terverifikasi." in block
    assert 'data-catatan="model"' in block and "BELUM TERVERIFIKASI" in block
    assert block.count('data-catatan="indikator"') == 23
    # The predikat checklist marks each unverified rule.
    rules = page[page.index("data-rules") : page.index("data-gap-advisor")]
    assert rules.count("data-belum-terverifikasi") == 9
    # An indikator row of the tree links to its note, which exists on the page.
    row = page[page.index('data-node="A.5.iv"') :][:1500]
    assert 'href="#catatan-indikator-A-5-iv"' in row
    assert 'id="catatan-indikator-A-5-iv"' in block and "U3" in block


def test_a_verified_model_shows_only_its_own_note(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    page = login("tim.biro-hp").get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    block = page[page.index("data-catatan-model") :]
    assert block.count("data-catatan=") == 1 and 'data-catatan="model"' in block
    assert "data-belum-terverifikasi" not in page and "catatan model</a>" not in page


def test_the_52_2014_reused_questions_are_named(db: None) -> None:
    notices = model_notices(ModelPenilaian.objects.get(kode="permenpanrb-52-2014"))
    indikator = [n for n in notices if n.tingkat == "indikator"]
    assert len(indikator) == 23
    assert indikator[0].kode == "A.1.i"
    assert "memakai ulang indikator A.I.1.i PermenPANRB 90/2021" in indikator[0].teks


def test_the_tree_and_notices_read_in_english_when_chosen(
    login: Callable[[str], Client],
) -> None:
    client = login("tim.bkkbn-sumsel")
    client.cookies["django_language"] = "en"
    bkkbn = Penilaian.objects.get(unit__slug="bkkbn-sumsel", tahun=2020)
    page = client.get(reverse("scoring:skor", args=[bkkbn.code])).content.decode()
    assert "LKE in detail: components, parts, areas, indicators" in page
    assert "Model notes: parts that are derived or not verified" in page
    assert "This model sets no minimum per area; no threshold line is drawn." in page
    assert ">worksheet</a>" in page and "Rincian LKE" not in page


def test_every_gap_advisor_item_opens_its_question_on_the_worksheet(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    _answer_both_sets(biro_hp)
    client = login("tim.biro-hp")
    html = client.get(reverse("scoring:skor", args=[biro_hp.code])).content.decode()
    advisor = html.split("data-gap-advisor>", 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'href="([^"#]+)#q-(\d+)">([^<]+)</a>', advisor)
    assert len(links) == 15
    for url, pk, kode in links:
        q = Pertanyaan.objects.select_related("indikator__area").get(pk=pk)
        assert q.kode == kode
        assert url == reverse("scoring:worksheet", args=[biro_hp.code, q.indikator.area.nomor])
        assert f'id="q-{pk}"' in client.get(url).content.decode()
