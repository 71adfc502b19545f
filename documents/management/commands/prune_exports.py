from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from documents.exports import exports_prune


class Command(BaseCommand):
    help = "Hapus berkas ekspor yang sudah kedaluwarsa (bawaan: lebih dari 3 hari)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{exports_prune()} ekspor kedaluwarsa dihapus.")
