from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.pdf import rencana_kerja_pdf
from documents.rencana_kerja import rencana_kerja_sign, verification_url
from documents.signing import SigningError
from evidence.models import RencanaKerja
from units.models import Keanggotaan, Peran
from zi_portal.lib.numbers import format_id


class Command(BaseCommand):
    help = (
        "Cetak rencana kerja unit kerja sebagai PDF. Dengan --signed, dokumen "
        "ditandatangani (PAdES) dengan sertifikat yang dikonfigurasi atas nama penanda "
        "tangan rencana kerja (pimpinan unit) dan didaftarkan sebagai dokumen berlaku, "
        "agar kode QR-nya dapat diverifikasi di /verifikasi/."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--output", required=True, help="Berkas PDF tujuan.")
        parser.add_argument("--signed", action="store_true", help="Tandatangani secara elektronik.")

    def handle(self, *args: Any, **options: Any) -> None:
        rk = (
            RencanaKerja.objects.select_related("penilaian__unit__instansi", "penilaian__model")
            .filter(penilaian__unit__slug=options["unit"], penilaian__tahun=options["year"])
            .first()
        )
        if rk is None:
            raise CommandError(
                f"Rencana kerja unit {options['unit']!r} tahun {options['year']} tidak ditemukan."
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        if not options["signed"]:
            pdf = rencana_kerja_pdf(rk)
            output.write_bytes(pdf)
            size = format_id(len(pdf), 0)
            self.stdout.write(f"PDF tanpa tanda tangan ditulis ke {output} ({size} byte).")
            return
        unit = rk.penilaian.unit
        pimpinan = (
            Keanggotaan.objects.filter(unit=unit, peran=Peran.PIMPINAN)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if pimpinan is None:
            raise CommandError(f"Unit {unit.nama} belum memiliki pengguna dengan peran pimpinan.")
        try:
            dokumen = rencana_kerja_sign(rk, user=pimpinan.user)
        except SigningError as exc:
            raise CommandError(str(exc)) from exc
        with dokumen.berkas.open("rb") as handle:
            pdf = handle.read()
        output.write_bytes(pdf)
        self.stdout.write(
            f"PDF bertanda tangan elektronik ditulis ke {output} ({format_id(len(pdf), 0)} byte), "
            f"ditandatangani atas nama {dokumen.nama_penandatangan}. "
            f"Verifikasi: {verification_url(dokumen)}"
        )
