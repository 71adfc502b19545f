from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zi_portal.lib.numbers import format_id
from zi_portal.lib.objectstore import bucket_problem, is_s3
from zi_portal.storage_migrate import MARKER, migrate


class Command(BaseCommand):
    help = (
        "Pindahkan semua berkas tersimpan dari disk lokal (MEDIA_ROOT) ke bucket "
        "AWS_STORAGE_BUCKET_NAME, periksa SHA-256 tiap salinan; aman dijalankan ulang. "
        "Berkas di disk hanya dihapus dengan --delete-source, setelah semuanya cocok."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", choices=["s3"], required=True)
        parser.add_argument("--delete-source", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        target = storages["default"]
        if not is_s3(target):
            raise CommandError(
                "AWS_STORAGE_BUCKET_NAME belum diisi: setel variabel AWS_* bucket tujuan untuk "
                "perintah ini (lihat README, Penyimpanan berkas)."
            )
        problem = bucket_problem(target)
        if problem:
            raise CommandError(problem)
        source = FileSystemStorage(location=str(settings.MEDIA_ROOT))
        verbose = int(options["verbosity"]) > 1
        result = migrate(
            source,
            target,
            delete_source=options["delete_source"],
            progress=lambda line: self.stdout.write(line) if verbose else None,
        )
        for name, why in result.problems:
            self.stderr.write(f"{name}: {why}")
        mb = format_id(Decimal(result.bytes) / Decimal(1_000_000), 1)
        self.stdout.write(
            f"{result.files} berkas: {len(result.copied)} disalin ({mb} MB), "
            f"{len(result.skipped)} sudah ada dengan SHA-256 sama, "
            f"{len(result.verified)} terverifikasi, {len(result.problems)} bermasalah; "
            f"{len(result.deleted)} dihapus dari disk."
        )
        if not result.ok:
            raise CommandError(
                "Tidak semua berkas cocok: tanda migrasi tidak ditulis, tetap pakai disk. "
                "Perbaiki lalu jalankan ulang (yang sudah cocok dilewati)."
            )
        bucket = getattr(target, "bucket_name", "")
        self.stdout.write(
            f"Semua berkas terverifikasi; tanda {MARKER} ditulis ke bucket "
            f"{bucket}. Untuk beralih, jalankan web dan worker dengan "
            f"AWS_STORAGE_BUCKET_NAME={bucket} (dan AWS_S3_ENDPOINT_URL, "
            "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY yang sama), lalu mulai ulang."
        )
