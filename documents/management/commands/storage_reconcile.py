from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.storage_reconcile import storage_reconcile


class Command(BaseCommand):
    help = (
        "Cocokkan penyimpanan berkas dengan data: laporkan berkas tanpa baris (yatim) dan "
        "baris tanpa berkas; dengan --delete-orphans hapus berkas yatim yang lebih tua dari "
        "--older-than jam (bawaan ZI_ORPHAN_MAX_AGE_HOURS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete-orphans", action="store_true")
        parser.add_argument("--older-than", type=float, default=None, metavar="JAM")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["older_than"]
        if hours is not None and hours < 0:
            raise CommandError("--older-than harus ≥ 0 jam.")
        result = storage_reconcile(delete_orphans=options["delete_orphans"], older_than_hours=hours)
        for name in result.orphans:
            mark = "dihapus" if name in result.removed else "yatim"
            self.stdout.write(f"{mark}\t{name}")
        for label, pk, name in result.missing:
            self.stdout.write(f"hilang\t{label} {pk}\t{name}")
        age = settings.ZI_ORPHAN_MAX_AGE_HOURS if hours is None else hours
        self.stdout.write(
            f"{result.files} berkas diperiksa; {len(result.orphans)} tanpa baris "
            f"({len(result.removed)} dihapus, batas umur {age:g} jam); "
            f"{len(result.missing)} baris tanpa berkas."
        )
        if result.missing:
            self.stderr.write("Ada baris yang berkasnya hilang dari penyimpanan.")
