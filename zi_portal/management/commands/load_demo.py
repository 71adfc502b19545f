from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lke.loader import LoaderError
from zi_portal.demo import demo_load


class Command(BaseCommand):
    help = (
        "Muat data demo dari dokumen sumber: model LKE, empat unit kerja, pengguna demo, "
        "penilaian, rencana aksi dan data dukung. Aman dijalankan berulang kali."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = demo_load()
        except LoaderError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Data demo siap: {created['users']} pengguna baru, "
            f"{created['rencana_aksi']} baris rencana aksi baru, "
            f"{created['data_dukung']} data dukung baru."
        )
