"""`penilaian_status`: status, counts and what blocks the next step, as text or JSON."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.services import jawaban_save
from scoring.workflow import penilaian_finalize, penilaian_submit
from tests.workflow import review_everything
from units.access import unit_access

pytestmark = pytest.mark.django_db

DEMO = [("biro-hp", 2022), ("pusat-tik", 2022), ("rutan-kupang", 2024), ("bkkbn-sumsel", 2020)]


def status_json(unit: str, year: int) -> dict[str, Any]:
    out = StringIO()
    call_command("penilaian_status", unit=unit, year=year, json=True, stdout=out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


@pytest.mark.parametrize(("unit", "year"), DEMO)
def test_json_for_every_demo_unit(unit: str, year: int) -> None:
    data = status_json(unit, year)
    assert set(data) == {"unit", "year", "status", "next", "blocking"}
    assert (data["unit"], data["year"]) == (unit, year)
    assert data["status"] == "pengisian" and data["next"] == "ajukan"
    assert data["blocking"] == []  # a first submission is never blocked by content


def submit(penilaian: Penilaian) -> None:
    tim = get_user_model().objects.get(username=f"tim.{penilaian.unit.slug}")
    access = unit_access(tim, penilaian.unit)
    assert access is not None
    penilaian_submit(penilaian=penilaian, user=tim, access=access)


def test_under_review_it_lists_every_blocking_item(biro_hp: Penilaian) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    q = Pertanyaan.objects.get(model=biro_hp.model, kode="A.I.1.i.a")
    jawaban_save(penilaian=biro_hp, set_="mandiri", pertanyaan=q, opsi="Ya", user=tim)
    submit(biro_hp)
    data = status_json("biro-hp", 2022)
    assert data["status"] == "reviu_tpi" and data["next"] == "finalkan"
    assert len(data["blocking"]) == 110 + 3
    assert data["blocking"][0] == {"code": "A.I.1.i.a", "reason": "Belum direviu TPI."}
    assert {"code", "reason"} == set(data["blocking"][-1])
    out = StringIO()
    call_command("penilaian_status", unit="biro-hp", year=2022, stdout=out)
    text = out.getvalue()
    assert "Biro" in text and "Reviu TPI" in text
    assert "Penilaian mandiri: 1/110 pertanyaan terjawab, 0/3 nilai hasil terisi" in text
    assert "Reviu TPI: 0/110 pertanyaan direviu" in text
    assert "finalkan oleh TPI; 113 butir menghalangi:" in text
    assert "    A.I.1.i.a: Belum direviu TPI." in text


def test_final_has_no_next_step(biro_hp: Penilaian) -> None:
    submit(biro_hp)
    tpi = get_user_model().objects.get(username="tpi.mk")
    review_everything(biro_hp, tpi)
    assert status_json("biro-hp", 2022)["blocking"] == []
    penilaian_finalize(penilaian=biro_hp, user=tpi)
    data = status_json("biro-hp", 2022)
    assert data == {
        "unit": "biro-hp",
        "year": 2022,
        "status": StatusPenilaian.FINAL,
        "next": None,
        "blocking": [],
    }
    out = StringIO()
    call_command("penilaian_status", unit="biro-hp", year=2022, stdout=out)
    assert "Reviu TPI: 110/110 pertanyaan direviu (110 diterima" in out.getvalue()
    assert "tidak ada (penilaian sudah final)" in out.getvalue()


def test_unknown_penilaian_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("penilaian_status", unit="biro-hp", year=1999)
