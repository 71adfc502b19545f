"""`lke_score` on the command line: the readable report and its errors."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from lke.models import HasilItem
from scoring.services import jawaban_hasil_save
from tests.workflow import writable

pytestmark = pytest.mark.django_db


def test_text_report_names_each_rule_passed_or_not_with_its_actual(biro_hp: Any) -> None:
    ipkp = HasilItem.objects.get(model=biro_hp.model, kode="B.II.a")
    with writable(biro_hp, "tpi"):
        jawaban_hasil_save(penilaian=biro_hp, set_="tpi", hasil_item=ipkp, value="4", user=None)
    out = StringIO()
    call_command("lke_score", unit="biro-hp", year=2022, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("2022 (permenpanrb-90-2021, tpi)")
    assert (
        "    lulus  WBK: Pelayanan publik yang prima (IPKP) ≥ 14,00 (survei ≥ 3,20) "
        "(capaian 17,50)" in lines
    )
    assert "    BELUM  WBK: Nilai total (pengungkit + hasil) ≥ 75,00 (capaian 17,50)" in lines
    assert "  Total 17,50: belum memenuhi" in lines


def test_unknown_unit_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="tidak-ada"):
        call_command("lke_score", unit="tidak-ada", year=2022)
