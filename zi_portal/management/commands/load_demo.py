from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lke.loader import LoaderError
from zi_portal.demo import demo_load


class Command(BaseCommand):
    help = (
        "Muat data demo dari dokumen sumber: model LKE, empat unit kerja, pengguna demo, "
        "penilaian, rencana aksi dan data dukung. Aman dijalankan berulang kali. "
        "Dengan DEBUG=false hanya berjalan dengan --demo-in-production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo-in-production",
            action="store_true",
            help=(
                "Izinkan memuat data demo dengan DEBUG=false. Setiap akun demo yang masih "
                "memakai kata sandi demo wajib menggantinya saat pertama masuk."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = not settings.DEBUG
        if production and not options["demo_in_production"]:
            raise CommandError(
                "Data demo tidak dimuat: DEBUG=false (produksi). Akun demo memakai kata sandi "
                "yang diumumkan di README, termasuk seorang superuser. Jika memang ingin "
                "memuatnya, jalankan `load_demo --demo-in-production`: setiap akun demo "
                "lalu wajib mengganti kata sandinya saat pertama masuk."
            )
        try:
            created = demo_load(force_password_change=production)
        except LoaderError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Data demo siap: {created['users']} pengguna baru, "
            f"{created['rencana_aksi']} baris rencana aksi baru, "
            f"{created['data_dukung']} data dukung baru, "
            f"{created['rkt_indikator']} indikator kinerja RKT baru."
        )
        if production:
            self.stdout.write(
                "Mode produksi: akun demo wajib mengganti kata sandi saat pertama masuk."
            )
