from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lke.syarat import TARGETS
from scoring.syarat import checklist_json, tabel5_checklist
from units.models import UnitKerja

_MARK = {"memenuhi": "memenuhi", "tidak": "TIDAK", "belum": "belum diisi"}


class Command(BaseCommand):
    help = (
        "Tampilkan daftar periksa Tabel 5 (syarat pengusulan) satu unit dan tahun: setiap "
        "syarat memenuhi, tidak memenuhi atau belum diisi, untuk Menuju WBK dan WBBM."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = UnitKerja.objects.select_related("instansi").filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit {options['unit']!r} tidak ada.")
        checklist = tabel5_checklist(unit, options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(checklist_json(checklist), ensure_ascii=False, indent=2))
            return
        if checklist.tabel is None:
            self.stdout.write(f"Tidak ada Tabel 5 untuk tahun {options['year']} dalam katalog.")
            return
        self.stdout.write(f"{unit.nama} {checklist.tahun} ({checklist.tabel.kode})")
        if checklist.boleh_sambil_memenuhi:
            self.stdout.write(
                "  Unit prioritas Stranas PK: boleh diusulkan sambil memenuhi syarat."
            )
        for b in checklist.butir:
            marks = ", ".join(f"{t} {_MARK[b.status[t]]}" for t in TARGETS)
            values = "; ".join(f"{v.isian.kode}={v.tampil}" for v in b.nilai)
            self.stdout.write(f"  [{b.syarat.tingkat}] {b.syarat.kode}: {marks} ({values})")
        self.stdout.write(
            "  Ringkasan: " + ", ".join(f"{t} {_MARK[checklist.ringkasan[t]]}" for t in TARGETS)
        )
