from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.monev import laporan_monev, monev_docx, monev_pdf
from lke.management.penilaian import penilaian_or_error
from zi_portal.lib.numbers import format_id

FORMATS = {".pdf": monev_pdf, ".docx": monev_docx}


class Command(BaseCommand):
    help = (
        "Buat laporan monitoring dan evaluasi (monev) triwulan sebuah penilaian: per area "
        "rencana aksi yang direncanakan pada triwulan itu, realisasi dan buktinya, yang "
        "terlambat, perubahan nilai mandiri sejak triwulan sebelumnya (snapshot triwulan "
        "dicatat) dan grafik. Format dari akhiran berkas: .pdf atau .docx."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, help="Tahun penilaian.")
        parser.add_argument("--triwulan", required=True, help="Triwulan 1-4 (I-IV).")
        parser.add_argument("--output", required=True, help="Berkas tujuan (.pdf atau .docx).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = int(options["year"])
        except ValueError:
            raise CommandError(f"Tahun {options['year']!r} bukan angka tahun.") from None
        if options["triwulan"] not in ("1", "2", "3", "4"):
            raise CommandError(
                f"Triwulan {options['triwulan']!r} tidak dikenal: pilih 1, 2, 3 atau 4 (I–IV)."
            )
        triwulan = int(options["triwulan"])
        output = Path(options["output"])
        render = FORMATS.get(output.suffix.lower())
        if render is None:
            raise CommandError(
                f"Akhiran berkas {output.suffix or '(kosong)'!r} tidak dikenal: gunakan .pdf "
                "atau .docx."
            )
        if not output.parent.is_dir():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        penilaian = penilaian_or_error(options["unit"], year)
        laporan = laporan_monev(penilaian, triwulan)
        data = render(laporan)
        output.write_bytes(data)
        jumlah = laporan.jumlah
        self.stdout.write(
            f"Laporan monev triwulan {laporan.nama_triwulan} {penilaian.unit.nama} {year} "
            f"ditulis ke {output} ({format_id(len(data), 0)} byte): "
            f"{jumlah.get('direncanakan', 0)} rencana aksi direncanakan, "
            f"{jumlah.get('terlambat', 0)} terlambat, nilai mandiri "
            f"{format_id(laporan.skor) if laporan.skor is not None else '–'}."
        )
