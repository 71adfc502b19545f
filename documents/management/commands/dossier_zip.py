from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.dossier import dossier_stream
from lke.management.penilaian import penilaian_or_error
from zi_portal.lib.numbers import format_id


class Command(BaseCommand):
    help = (
        "Tulis berkas bukti satu penilaian sebagai ZIP: folder per area dan indikator, "
        "setiap bukti yang berlaku dengan nama yang mudah dibaca, daftar tautan, dan "
        "indeks (PDF dan CSV) berisi SHA-256 setiap berkas. Ditulis sambil dibuat, "
        "sehingga memori tetap kecil berapa pun ukurannya."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--output", required=True, help="Berkas ZIP tujuan.")

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        size = 0
        try:
            with output.open("wb") as handle:
                for chunk in dossier_stream(penilaian):
                    handle.write(chunk)
                    size += len(chunk)
        except BaseException:
            output.unlink(missing_ok=True)  # half an archive is no dossier
            raise
        self.stdout.write(
            f"Berkas bukti {penilaian.unit.nama} {penilaian.tahun} ditulis ke {output} "
            f"({format_id(size, 0)} byte)."
        )
