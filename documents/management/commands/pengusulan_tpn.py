"""The surat pengajuan evaluasi + SPTJM + Lampiran of an instansi and year, as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.pengusulan import pengusulan_filename, pengusulan_pdf, pengusulan_sign
from documents.signing import SigningError
from scoring.pengusulan import (
    PengusulanDitolak,
    pengusulan_of,
    pengusulan_signing_refusal,
    pengusulan_units,
    pimpinan_instansi,
)
from units.access import instansi_access
from units.models import Instansi
from zi_portal.lib.numbers import format_id


class Command(BaseCommand):
    help = (
        "Tulis surat pengajuan evaluasi ke TPN beserta SPTJM dan lampirannya (PermenPANRB "
        "5/2024, Lampiran II Bab II A) untuk satu instansi dan tahun ke folder --output. "
        "Unit yang diusulkan dipilih di halaman pengusulan. Tanpa --tandatangani: draf; "
        "dengan --tandatangani: ditandatangani atas nama pimpinan instansi (sertifikat "
        "penanda tangan ke-2, create_dev_certificate --penanda-tangan 2) dan didaftarkan, "
        "sehingga pengusulan berstatus ditandatangani."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--instansi", required=True, help="Kode instansi, mis. mk.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--output", required=True, help="Folder tujuan.")
        parser.add_argument(
            "--tandatangani", action="store_true", help="Tandatangani sebagai pimpinan instansi."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = Instansi.objects.filter(kode=options["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi {options['instansi']!r} tidak ditemukan.")
        row = pengusulan_of(instansi, options["year"])
        if row is None or not pengusulan_units(row):
            raise CommandError(
                f"{instansi.nama} belum memilih unit yang diusulkan untuk tahun "
                f"{options['year']} (halaman /instansi/{instansi.kode}/{options['year']}"
                "/pengusulan/)."
            )
        folder = Path(options["output"])
        if not folder.is_dir():
            raise CommandError(f"Folder {folder} tidak ada.")
        if not options["tandatangani"]:
            pdf = pengusulan_pdf(row, draf=True)
            target = folder / pengusulan_filename(row, signed=False)
            target.write_bytes(pdf)
            self.stdout.write(f"Draf ditulis ke {target} ({format_id(len(pdf), 0)} byte).")
            return
        membership = pimpinan_instansi(instansi)
        if membership is None:
            raise CommandError(f"{instansi.nama} belum memiliki pimpinan instansi di portal.")
        refusal = pengusulan_signing_refusal(row, instansi_access(membership.user, instansi))
        if refusal is not None:
            raise CommandError(refusal)
        try:
            dokumen, signed = pengusulan_sign(row, user=membership.user)
        except SigningError as exc:
            raise CommandError(f"Tidak dapat menandatangani: {exc}") from exc
        except PengusulanDitolak as exc:
            raise CommandError(str(exc)) from exc
        target = folder / pengusulan_filename(row, signed=True)
        target.write_bytes(signed)
        self.stdout.write(
            f"Surat dan SPTJM ditandatangani {dokumen.nama_penandatangan}, ditulis ke {target} "
            f"({format_id(len(signed), 0)} byte); verifikasi: /verifikasi/{dokumen.code}/"
        )
