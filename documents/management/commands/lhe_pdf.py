from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.lhe import LheTidakTersedia, lhe_sign
from documents.signing import SigningError
from lke.management.penilaian import penilaian_or_error
from zi_portal.lib.numbers import format_id
from zi_portal.lib.urls import public_base_url


class Command(BaseCommand):
    help = (
        "Tulis LHE (laporan hasil evaluasi internal TPI) penilaian sebagai PDF bertanda "
        "tangan elektronik TPI (PAdES, sertifikat ZI_SIGNING_P12_TPI). Satu nilai TPI final "
        "memiliki satu LHE: yang sudah terdaftar ditulis ulang apa adanya."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--output", required=True, help="Berkas PDF tujuan.")

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        try:
            dokumen = lhe_sign(penilaian)
        except LheTidakTersedia as exc:
            raise CommandError(
                f"{exc} (unit {penilaian.unit.nama}, tahun {penilaian.tahun})"
            ) from exc
        except SigningError as exc:
            raise CommandError(str(exc)) from exc
        with dokumen.berkas.open("rb") as handle:
            pdf = handle.read()
        output.write_bytes(pdf)
        self.stdout.write(
            f"LHE bertanda tangan elektronik TPI ditulis ke {output} "
            f"({format_id(len(pdf), 0)} byte), ditandatangani atas nama "
            f"{dokumen.nama_penandatangan}. Verifikasi: "
            f"{public_base_url()}/verifikasi/{dokumen.code}/"
        )
