"""The per-process cache of model specs follows every change of the model's tree."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from lke.models import Indikator, ModelPenilaian
from scoring.engine import IndikatorSpec, ModelSpec
from scoring.services import model_spec


def _indikator(spec: ModelSpec, kode: str) -> IndikatorSpec:
    def every() -> Iterator[IndikatorSpec]:
        areas = [*spec.areas, *(a for b in spec.bagian for a in b.areas)]
        for area in areas:
            yield from area.indikator

    return next(i for i in every() if i.code == kode)


@pytest.fixture
def unused_model(db: None) -> Any:
    """A version no penilaian uses: only those may change (lke.versions)."""
    return ModelPenilaian.objects.get(kode="permenpanrb-52-2014")


def test_changed_indikator_bobot_reaches_the_next_spec(unused_model: Any) -> None:
    model = unused_model
    indikator = Indikator.objects.filter(model=model).order_by("urutan").first()
    assert indikator is not None
    before = _indikator(model_spec(model), indikator.kode).bobot
    assert model_spec(model) is model_spec(model)  # cached while unchanged

    indikator.bobot = before + Decimal("0.25")
    indikator.save()  # as the admin does

    assert _indikator(model_spec(model), indikator.kode).bobot == before + Decimal("0.25")


def test_deleted_question_leaves_the_next_spec(unused_model: Any) -> None:
    model = unused_model
    indikator = Indikator.objects.filter(model=model).order_by("urutan").first()
    assert indikator is not None
    count = len(_indikator(model_spec(model), indikator.kode).questions)

    last = indikator.pertanyaan.order_by("urutan").last()
    assert last is not None
    last.delete()

    assert len(_indikator(model_spec(model), indikator.kode).questions) == count - 1
