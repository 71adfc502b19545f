"""Every shipped model is a consistent tree (issue 2, deliver 8)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from lke.models import (
    OPSI_PER_JENIS,
    Area,
    AturanPredikat,
    Bagian,
    HasilItem,
    Indikator,
    InputNumerik,
    JenisJawaban,
    Komponen,
    ModelPenilaian,
    Pertanyaan,
)

pytestmark = pytest.mark.django_db
MODELS = ["permenpanrb-90-2021", "permenpanrb-10-2019", "permenpanrb-52-2014"]
AREA_WEIGHTS = {
    "permenpanrb-90-2021": [8, 7, 10, 10, 15, 10],
    "permenpanrb-10-2019": [8, 7, 10, 10, 15, 10],
    "permenpanrb-52-2014": [5, 5, 15, 10, 15, 10],
}

# 10/2019-only questions whose answer scale and option penjelasan no source publishes
# (research note U3); fixtures/lke/permenpanrb-10-2019.yaml explains the assumed scale.
OPTIONS_NOT_PUBLISHED = {
    ("permenpanrb-10-2019", "A.5.iv.a"),
    ("permenpanrb-10-2019", "A.6.i.c"),
    ("permenpanrb-10-2019", "A.6.ii.c"),
}


def _sum(qs: object) -> Decimal:
    return qs.aggregate(s=Sum("bobot"))["s"] or Decimal(0)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kode", MODELS)
def test_it_sums_area_weights_to_the_pengungkit(kode: str) -> None:
    model = ModelPenilaian.objects.get(kode=kode)
    pengungkit = Komponen.objects.get(model=model, kode="A")
    assert pengungkit.bobot == 60
    assert _sum(Area.objects.filter(model=model)) == 60
    combined = [_sum(Area.objects.filter(model=model, nomor=nomor)) for nomor in range(1, 7)]
    assert combined == [Decimal(w) for w in AREA_WEIGHTS[kode]]


@pytest.mark.parametrize("kode", MODELS)
def test_it_sums_indikator_weights_to_their_area(kode: str) -> None:
    for area in Area.objects.filter(model__kode=kode):
        assert _sum(area.indikator.all()) == area.bobot, area.kode


def test_it_splits_90_2021_into_pemenuhan_and_reform_of_30_each() -> None:
    bagian = Bagian.objects.filter(model__kode="permenpanrb-90-2021", komponen__kode="A")
    assert {b.kode: b.bobot for b in bagian} == {"A.I": 30, "A.II": 30}
    for b in bagian:
        assert _sum(b.area.all()) == 30
    for nomor in range(1, 7):
        pemenuhan = Area.objects.get(model__kode="permenpanrb-90-2021", kode=f"A.I.{nomor}")
        reform = Area.objects.get(model__kode="permenpanrb-90-2021", kode=f"A.II.{nomor}")
        assert pemenuhan.bobot == reform.bobot  # each area split 50/50


@pytest.mark.parametrize("kode", MODELS)
def test_it_sums_hasil_to_40(kode: str) -> None:
    model = ModelPenilaian.objects.get(kode=kode)
    assert Komponen.objects.get(model=model, kode="B").bobot == 40
    groups = Bagian.objects.filter(model=model, komponen__kode="B")
    assert _sum(groups) == 40
    for g in groups:
        assert _sum(g.hasil.all()) == g.bobot


@pytest.mark.parametrize("kode", MODELS)
def test_it_gives_every_row_a_unique_code(kode: str) -> None:
    codes: list[str] = []
    for cls in (Komponen, Bagian, Area, Indikator, Pertanyaan, InputNumerik, HasilItem):
        codes += list(cls.objects.filter(model__kode=kode).values_list("kode", flat=True))  # type: ignore[attr-defined]
    assert len(codes) == len(set(codes))
    assert all(c.startswith(("A.", "B.")) or c in {"A", "B"} for c in codes)


@pytest.mark.parametrize("kode", MODELS)
def test_it_gives_every_question_its_answer_type_and_options(kode: str) -> None:
    for q in Pertanyaan.objects.filter(model__kode=kode).prefetch_related("opsi", "input"):
        assert q.jenis in JenisJawaban.values
        assert tuple(o.huruf for o in q.opsi.all()) == OPSI_PER_JENIS[q.jenis], q.kode
        if q.jenis == JenisJawaban.PERSEN:
            assert q.rumus and q.input.count() >= 2, q.kode
            roles = {i.peran for i in q.input.all()}
            assert roles >= {"pembilang", "penyebut"} or roles >= {"sebelumnya", "sekarang"}, q.kode
        else:
            assert not q.rumus and q.input.count() == 0, q.kode
        # A/B/C… options carry their printed penjelasan (except where none is published).
        if q.jenis not in (JenisJawaban.YA_TIDAK, JenisJawaban.PERSEN) and (
            (kode, q.kode) not in OPTIONS_NOT_PUBLISHED
        ):
            assert all(o.penjelasan for o in q.opsi.all()), q.kode


def test_it_transcribes_the_whole_90_2021_lke() -> None:
    model = ModelPenilaian.objects.get(kode="permenpanrb-90-2021")
    assert model.bawaan
    pemenuhan = Pertanyaan.objects.filter(model=model, kode__startswith="A.I.")
    reform = Pertanyaan.objects.filter(model=model, kode__startswith="A.II.")
    assert Indikator.objects.filter(model=model, kode__startswith="A.I.").count() == 25
    assert Indikator.objects.filter(model=model, kode__startswith="A.II.").count() == 17
    assert pemenuhan.count() == 87
    assert reform.count() == 23
    assert reform.filter(jenis=JenisJawaban.PERSEN).count() == 8
    # domain.md: Reform 5.iii is two questions; Pemenuhan 6.v in question order.
    assert list(
        Pertanyaan.objects.filter(model=model, indikator__kode="A.II.5.iii").values_list(
            "kode", flat=True
        )
    ) == ["A.II.5.iii.a", "A.II.5.iii.b"]
    assert "database" in Pertanyaan.objects.get(model=model, kode="A.I.6.v.b").teks.lower()
    disiplin = Pertanyaan.objects.get(model=model, kode="A.II.3.iii.a")
    assert disiplin.rumus == "penurunan"
    assert [i.peran for i in disiplin.input.all()] == ["sebelumnya", "sekarang", "info"]


def test_it_reuses_90_2021_pemenuhan_questions_in_older_models() -> None:
    # 10/2019 carries its own published questions (tests/lke/test_model_10_2019.py).
    for kode in ("permenpanrb-52-2014",):
        for ind in Indikator.objects.filter(model__kode=kode):
            source = Indikator.objects.get(
                model__kode="permenpanrb-90-2021", kode=ind.sumber_pertanyaan
            )
            assert list(ind.pertanyaan.values_list("teks", flat=True)) == list(
                source.pertanyaan.values_list("teks", flat=True)
            )
        assert "memakai ulang" in ModelPenilaian.objects.get(kode=kode).catatan


@pytest.mark.parametrize(
    ("kode", "predikat", "rules"),
    [
        (
            "permenpanrb-90-2021",
            "WBK",
            {
                ("total", None): "75",
                ("pengungkit", None): "40",
                ("area_persen", None): "60",
                ("unsur", "B.I"): "18.25",
                ("unsur", "B.I.a"): "15.75",
                ("unsur", "B.I.b"): "2.5",
                ("unsur", "B.II"): "14",
            },
        ),
        (
            "permenpanrb-90-2021",
            "WBBM",
            {
                ("total", None): "85",
                ("pengungkit", None): "48",
                ("area_persen", None): "75",
                ("unsur", "B.I"): "19.5",
                ("unsur", "B.I.a"): "15.75",
                ("unsur", "B.I.b"): "3.75",
                ("unsur", "B.II"): "15.75",
                ("predikat_sebelumnya", "WBK"): None,
            },
        ),
        (
            "permenpanrb-10-2019",
            "WBK",
            {
                ("total", None): "75",
                ("unsur", "B.I"): "18.25",
                ("unsur", "B.I.a"): "15.75",
                ("unsur", "B.I.b"): "2.5",
            },
        ),
        (
            "permenpanrb-10-2019",
            "WBBM",
            {
                ("total", None): "85",
                ("unsur", "B.I"): "19.5",
                ("unsur", "B.I.a"): "15.75",
                ("unsur", "B.I.b"): "3.75",
                ("unsur", "B.II"): "15.75",
                ("predikat_sebelumnya", "WBK"): None,
            },
        ),
        (
            "permenpanrb-52-2014",
            "WBK",
            {
                ("total", None): "75",
                ("unsur", "B.I"): "18",
                ("unsur", "B.I.a"): "13.5",
                ("unsur", "B.I.b"): "3.5",
            },
        ),
        (
            "permenpanrb-52-2014",
            "WBBM",
            {
                ("total", None): "85",
                ("unsur", "B.I"): "18",
                ("unsur", "B.I.a"): "13.5",
                ("unsur", "B.I.b"): "3.5",
                ("unsur", "B.II"): "16",
                ("predikat_sebelumnya", "WBK"): None,
            },
        ),
    ],
)
def test_it_ships_the_thresholds_of_domain_md(
    kode: str, predikat: str, rules: dict[tuple[str, str | None], str | None]
) -> None:
    actual = {
        (r.jenis, r.target or None): (None if r.minimum is None else r.minimum.normalize())
        for r in AturanPredikat.objects.filter(model__kode=kode, predikat=predikat)
    }
    assert actual == {k: (None if v is None else Decimal(v).normalize()) for k, v in rules.items()}
