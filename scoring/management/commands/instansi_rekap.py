from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scoring.rekap import rekap_baris, rekap_refresh, rekap_rows, tahun_pilihan
from units.models import Instansi
from zi_portal.lib.numbers import format_id


class Command(BaseCommand):
    help = (
        "Rekap semua unit kerja satu instansi dan tahun: status, nilai mandiri/TPI/TPN, "
        "hasil, kekurangan menuju WBK/WBBM (sama dengan lke_score tiap unit)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--instansi", required=True, help="Kode instansi, mis. mk.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = Instansi.objects.filter(kode=options["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi {options['instansi']!r} tidak ditemukan.")
        tahun = options["year"]
        if tahun not in tahun_pilihan(instansi):
            raise CommandError(f"Instansi {instansi.kode} tidak memiliki penilaian tahun {tahun}.")
        rekap_refresh(instansi, tahun)
        rows = []
        for r in rekap_baris(list(rekap_rows(instansi, tahun))):
            k = r.rekap
            rows.append(
                {
                    "unit": r.penilaian.unit.slug,
                    "status": r.penilaian.status,
                    "total_mandiri": k["total_mandiri"],
                    "total_tpi": k["total_tpi"],
                    "total_tpn": k["total_tpn"],
                    "verdict": k["verdict"],
                    "gap_wbk": k["gap_wbk"],
                    "gap_wbbm": k["gap_wbbm"],
                }
            )
        if options["json"]:
            data = {"instansi": instansi.kode, "year": tahun, "units": rows}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{instansi.nama} {tahun}: {len(rows)} penilaian")
        for row in rows:
            figures = "  ".join(
                f"{key.removeprefix('total_')} {_fmt(row[key])}"
                for key in ("total_mandiri", "total_tpi", "total_tpn")
            )
            self.stdout.write(
                f"  {row['unit']:<24} {row['status']:<10} {figures}  {row['verdict']}"
                f"  (kurang WBK {_fmt(row['gap_wbk'])}, WBBM {_fmt(row['gap_wbbm'])})"
            )


def _fmt(value: float | None) -> str:
    from decimal import Decimal

    return "-" if value is None else format_id(Decimal(str(value)))
