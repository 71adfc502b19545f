from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.data import BenchSpec, bench_data_build


class Command(BaseCommand):
    help = (
        "Bangun data benchmark yang besar dan realistis (unit, penilaian, jawaban, bukti, "
        "rencana aksi, riwayat); deterministik untuk satu --seed. Unit yang sudah ada "
        "dilewati, jadi menjalankan ulang dengan --units lebih besar hanya menambah unit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, required=True, help="jumlah unit kerja")
        parser.add_argument("--years", type=int, default=3, help="jumlah tahun penilaian")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--last-year", type=int, default=2024, help="tahun terakhir")
        parser.add_argument("--units-per-instansi", type=int, default=200, help="unit per instansi")
        parser.add_argument(
            "--no-files", action="store_true", help="jangan tulis berkas bukti ke MEDIA_ROOT"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spec = BenchSpec(
            units=options["units"],
            years=options["years"],
            seed=options["seed"],
            last_year=options["last_year"],
            units_per_instansi=options["units_per_instansi"],
            files=not options["no_files"],
        )
        if spec.units < 1 or spec.years < 1 or spec.units_per_instansi < 1:
            raise CommandError("--units, --years dan --units-per-instansi minimal 1.")
        started = time.perf_counter()
        step = max(1, spec.units // 20)

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                self.stdout.write(f"  {done}/{total} unit", ending="\r")
                self.stdout.flush()

        created = bench_data_build(spec, progress=progress if options["verbosity"] else None)
        self.stdout.write("")
        for name, n in sorted(created.items()):
            self.stdout.write(f"{name}: {n}")
        self.stdout.write(f"selesai dalam {time.perf_counter() - started:.1f} detik")
