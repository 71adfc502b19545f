from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand

from lke.management.penilaian import penilaian_or_error
from scoring.models import SetJawaban
from scoring.services import penilaian_score, report_json
from zi_portal.lib.numbers import format_id, format_persen


class Command(BaseCommand):
    help = "Hitung nilai LKE satu penilaian (unit + tahun) dari jawaban mandiri atau TPI."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--by", choices=SetJawaban.values, default=SetJawaban.TPI)
        parser.add_argument("--json", action="store_true", help="Keluaran JSON lengkap.")

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        report = penilaian_score(penilaian, options["by"])
        if options["json"]:
            data = report_json(report, penilaian=penilaian, by=options["by"])
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{penilaian.unit.nama} {penilaian.tahun} ({report.model_code}, {options['by']})"
        )
        for area in report.combined_areas:
            self.stdout.write(
                f"  {area.label:<45} {format_id(area.nilai):>6} / {format_id(area.bobot):>6}"
                f"  {format_persen(area.persen) if area.persen is not None else '-'}"
            )
        self.stdout.write(
            f"  Pengungkit {format_id(report.pengungkit.nilai)}, "
            f"hasil {format_id(report.hasil.nilai)}"
        )
        self.stdout.write(f"  Total {format_id(report.total.nilai)}: {report.verdict}")
        for rule in report.rules:
            actual = format_id(rule.actual) if isinstance(rule.actual, Decimal) else rule.actual
            status = "lulus" if rule.passed else "BELUM"
            self.stdout.write(
                f"    {status:<5}  {rule.predikat}: {rule.label} (capaian {actual or '-'})"
            )
        completeness = report.completeness
        self.stdout.write(f"  Terjawab {completeness.answered}/{completeness.total} pertanyaan")
