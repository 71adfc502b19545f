from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from documents.xlsx_import import ImportGagal, lke_import
from lke.management.penilaian import penilaian_or_error
from scoring.models import SetJawaban
from units.access import penilaian_access


class Command(BaseCommand):
    help = (
        "Impor jawaban mandiri atau TPI dari LKE Excel (.xlsx) yang sudah diisi. "
        "Semua baris diperiksa dulu; bila ada kesalahan, tidak ada yang disimpan."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Berkas LKE .xlsx hasil ekspor portal.")
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--by", required=True, choices=SetJawaban.values)
        parser.add_argument(
            "--user",
            required=True,
            help=(
                "Nama pengguna yang mengimpor: aturan tahap penilaian, batas area dan "
                "riwayat perubahan memakai peran pengguna ini di unit tersebut."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        user_model = get_user_model()
        try:
            user = user_model.objects.get(
                **{user_model.USERNAME_FIELD: options["user"]}, is_active=True
            )
        except user_model.DoesNotExist as exc:
            raise CommandError(f"Pengguna {options['user']} tidak ditemukan.") from exc
        access = penilaian_access(user, penilaian)
        if access is None:
            raise CommandError(
                f"Pengguna {options['user']} tidak memiliki peran di unit {penilaian.unit.nama}."
            )
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                result = lke_import(penilaian, handle, by=options["by"], user=user, access=access)
        except OSError as exc:
            raise CommandError(f"Berkas {path} tidak dapat dibaca: {exc.strerror}.") from exc
        except ImportGagal as exc:
            lines = "\n".join(f"  - {e}" for e in exc.errors)
            raise CommandError(
                f"Impor dibatalkan, tidak ada jawaban yang disimpan ({len(exc.errors)} "
                f"kesalahan):\n{lines}"
            ) from exc
        self.stdout.write(
            f"Impor {options['by']} {penilaian.unit.nama} {penilaian.tahun} selesai: "
            f"{result.jawaban} jawaban dan {result.hasil} nilai hasil berubah "
            f"({result.baris} baris dibaca)."
        )
