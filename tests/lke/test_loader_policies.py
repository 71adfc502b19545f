"""The loader reads derived totals (`turunan_dari`) and the zero-denominator policies as
model data (domain.md Scoring rules 8, 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lke.loader import LoaderError, lke_model_load
from lke.models import Indikator, InputNumerik, ModelPenilaian, Pertanyaan
from tests.lke.test_loader import _small_model, _write

pytestmark = pytest.mark.django_db

MODEL = "permenpanrb-90-2021"


def test_the_5iii_totals_are_derived_from_the_rows_under_them() -> None:
    for q in ("A.II.5.iii.a", "A.II.5.iii.b"):
        total = InputNumerik.objects.get(model__kode=MODEL, kode=f"{q}.1")
        assert total.teks.startswith("Jumlah yang harus melaporkan")
        assert total.turunan_dari == [f"{q}.2", f"{q}.3", f"{q}.4"]
    assert InputNumerik.objects.exclude(turunan_dari=[]).count() == 2


def test_todays_policies_are_the_default_of_every_question_and_indikator() -> None:
    assert set(Pertanyaan.objects.values_list("kebijakan_penyebut_nol", flat=True)) == {
        "keluar_dari_rerata"
    }
    assert set(Indikator.objects.values_list("kebijakan_tanpa_nilai", flat=True)) == {"nol"}


def _persen(**changes: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "jenis": "persen",
        "opsi": [],
        "rumus": "rasio",
        "input": [
            {"teks": "Jumlah", "peran": "info", "turunan_dari": [2, 3]},
            {"teks": "x", "peran": "penyebut"},
            {"teks": "y", "peran": "penyebut"},
            {"teks": "sudah", "peran": "pembilang"},
        ],
    }
    question.update(changes)
    return question


def test_it_loads_a_policy_and_a_derived_total(tmp_path: Path) -> None:
    data = _small_model(**_persen(kebijakan_penyebut_nol="nilai_penuh"))
    data["komponen"][0]["area"][0]["indikator"][0]["kebijakan_tanpa_nilai"] = "penuh"  # type: ignore[index]
    model = lke_model_load(path=_write(tmp_path, data))
    q = Pertanyaan.objects.get(model=model)
    assert q.kebijakan_penyebut_nol == "nilai_penuh"
    assert q.indikator.kebijakan_tanpa_nilai == "penuh"
    assert InputNumerik.objects.get(model=model, kode="A.1.i.a.1").turunan_dari == [
        "A.1.i.a.2",
        "A.1.i.a.3",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kebijakan_penyebut_nol": "abaikan"}, "kebijakan_penyebut_nol 'abaikan' tidak dikenal"),
        (
            {
                "input": [
                    {"teks": "J", "peran": "info", "turunan_dari": [1]},
                    {"teks": "x", "peran": "penyebut"},
                    {"teks": "s", "peran": "pembilang"},
                ]
            },
            "turunan_dari 1 bukan isian lain",
        ),
        (
            {
                "input": [
                    {"teks": "J", "peran": "info", "turunan_dari": [9]},
                    {"teks": "x", "peran": "penyebut"},
                    {"teks": "s", "peran": "pembilang"},
                ]
            },
            "turunan_dari 9 bukan isian lain",
        ),
    ],
)
def test_it_refuses_an_unknown_policy_or_a_bad_total(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(LoaderError, match=message):
        lke_model_load(path=_write(tmp_path, _small_model(**_persen(**change))))
    assert not ModelPenilaian.objects.filter(kode="uji-model").exists()
