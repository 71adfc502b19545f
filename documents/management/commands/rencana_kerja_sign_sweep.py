from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from documents.rencana_kerja import rencana_kerja_sign_sweep


class Command(BaseCommand):
    help = (
        "Antrekan kembali penandatanganan setiap rencana kerja yang sudah disetujui tetapi "
        "belum memiliki dokumen bertanda tangan (juga tugas berkala documents.sign_sweep)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--semua",
            action="store_true",
            help="Termasuk persetujuan yang baru dibuat (tanpa menunggu ZI_SIGN_SWEEP_MINUTES).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rencana_kerja_sign_sweep(older_than=dt.timedelta(0) if options["semua"] else None)
        self.stdout.write(f"{count} penandatanganan diantrekan kembali.")
