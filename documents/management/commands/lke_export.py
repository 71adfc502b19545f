from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.xlsx_export import lke_workbook
from lke.management.penilaian import penilaian_or_error
from scoring.models import SetJawaban
from zi_portal.lib.numbers import format_id


class Command(BaseCommand):
    help = "Ekspor LKE satu penilaian (unit + tahun) ke berkas Excel (.xlsx)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--output", required=True, help="Berkas .xlsx yang dibuat.")
        parser.add_argument(
            "--by",
            choices=SetJawaban.values,
            default=SetJawaban.TPI,
            help="Kolom jawaban yang diikuti rumus Nilai dan % (bawaan: tpi).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError("Nama berkas keluaran harus berakhiran .xlsx.")
        data = lke_workbook(penilaian, by=options["by"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Berkas {output} tidak dapat ditulis: {exc.strerror}.") from exc
        self.stdout.write(
            f"LKE {penilaian.unit.nama} {penilaian.tahun} ({options['by']}) ditulis ke {output} "
            f"({format_id(len(data), 0)} byte)."
        )
