from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lke.loader import LoaderError, lke_model_load, lke_models_load_all
from lke.models import Indikator, ModelPenilaian, Opsi, Pertanyaan

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[int, str, str]]:
    return list(Pertanyaan.objects.order_by("pk").values_list("pk", "kode", "teks"))


def test_it_loads_again_without_changing_anything() -> None:
    before = (_snapshot(), Opsi.objects.count(), Indikator.objects.count())
    lke_models_load_all()
    assert (_snapshot(), Opsi.objects.count(), Indikator.objects.count()) == before


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _small_model(**changes: object) -> dict[str, object]:
    question: dict[str, Any] = {
        "kode": "a",
        "teks": "Unit kerja telah membentuk tim",
        "jenis": "ya_tidak",
        "opsi": [
            {"huruf": "Ya", "penjelasan": "Ya, jika ..."},
            {"huruf": "Tidak", "penjelasan": ""},
        ],
    }
    question.update(changes)
    area = {
        "nomor": 1,
        "nama": "MANAJEMEN PERUBAHAN",
        "bobot": "60",
        "indikator": [{"kode": "i", "nama": "Tim", "bobot": "60", "pertanyaan": [question]}],
    }
    return {
        "kode": "uji-model",
        "versi": "1",
        "nama": "Model uji",
        "dasar_hukum": "-",
        "komponen": [
            {"kode": "A", "nama": "PENGUNGKIT", "bobot": "60", "area": [area]},
            {
                "kode": "B",
                "nama": "HASIL",
                "bobot": "40",
                "bagian": [
                    {
                        "kode": "I",
                        "nama": "BERSIH",
                        "bobot": "40",
                        "hasil": [{"kode": "a", "nama": "IPAK", "bobot": "40", "jenis": "indeks"}],
                    }
                ],
            },
        ],
        "predikat": [
            {"kode": "WBK", "aturan": [{"jenis": "total", "minimum": "75", "label": "Total"}]}
        ],
    }


def test_it_loads_a_small_model(tmp_path: Path) -> None:
    model = lke_model_load(path=_write(tmp_path, _small_model()))
    assert [q.kode for q in model.pertanyaan_set.all()] == ["A.1.i.a"]
    assert not model.bawaan


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"jenis": "abc"}, "tidak sesuai dengan jenis abc"),
        ({"jenis": "bintang"}, "jenis jawaban 'bintang' tidak dikenal"),
        (
            {
                "jenis": "persen",
                "opsi": [],
                "rumus": "rasio",
                "input": [{"teks": "x", "peran": "pembilang"}],
            },
            "minimal dua isian",
        ),
        ({"rumus": "rasio"}, "rumus 'rasio' tidak sesuai"),
        (
            {
                "jenis": "persen",
                "opsi": [],
                "rumus": "rasio",
                "input": [{"teks": "x", "peran": "pembilang"}, {"teks": "y", "peran": "info"}],
            },
            r"rumus rasio memerlukan isian \['pembilang', 'penyebut'\]",
        ),
        (
            {"input": [{"teks": "x", "peran": "pembilang"}]},
            "isian angka hanya untuk pertanyaan %",
        ),
    ],
)
def test_it_refuses_a_question_that_does_not_fit_its_type(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(LoaderError, match=message):
        lke_model_load(path=_write(tmp_path, _small_model(**change)))
    assert not ModelPenilaian.objects.filter(kode="uji-model").exists()


def test_it_refuses_weights_that_do_not_add_up(tmp_path: Path) -> None:
    data = _small_model()
    data["komponen"][0]["area"][0]["indikator"][0]["bobot"] = "59.5"  # type: ignore[index]
    with pytest.raises(LoaderError, match=r"uji-model A.1: jumlah bobot anak 59.5 ≠ bobot 60"):
        lke_model_load(path=_write(tmp_path, data))
    assert not ModelPenilaian.objects.filter(kode="uji-model").exists()


def test_it_refuses_a_threshold_on_an_unknown_row(tmp_path: Path) -> None:
    data = _small_model()
    data["predikat"] = [
        {
            "kode": "WBK",
            "aturan": [{"jenis": "unsur", "target": "B.IX", "minimum": "1", "label": "x"}],
        }
    ]
    with pytest.raises(LoaderError, match=r"target 'B\.IX' tidak ada"):
        lke_model_load(path=_write(tmp_path, data))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"jenis": "total", "label": "Total"}, "aturan total memerlukan minimum"),
        ({"jenis": "unsur", "minimum": "1", "label": "x"}, "aturan unsur memerlukan target"),
        ({"jenis": "predikat_sebelumnya", "label": "x"}, "memerlukan target"),
    ],
)
def test_it_refuses_a_threshold_without_its_minimum_or_target(
    tmp_path: Path, rule: dict[str, str], message: str
) -> None:
    """The loader is the one validation of a model (the engine trusts its specs)."""
    data = _small_model()
    data["predikat"] = [{"kode": "WBK", "aturan": [rule]}]
    with pytest.raises(LoaderError, match=message):
        lke_model_load(path=_write(tmp_path, data))
    assert not ModelPenilaian.objects.filter(kode="uji-model").exists()
