from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.signing import DEV_SIGNER_CN, ensure_dev_certificate


class Command(BaseCommand):
    help = (
        "Buat sertifikat penandatanganan PENGEMBANGAN (CA dan penanda tangan swa-tanda, "
        "PKCS#12) di ZI_SIGNING_P12 bila berkasnya belum ada. Jangan dipakai di produksi."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--path", help="Lokasi berkas PKCS#12 (bawaan: ZI_SIGNING_P12).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"] or settings.ZI_SIGNING_P12
        passphrase = settings.ZI_SIGNING_P12_PASSPHRASE
        if not passphrase:
            raise CommandError(
                "ZI_SIGNING_P12_PASSPHRASE belum diisi: sertifikat tidak dapat dilindungi."
            )
        if ensure_dev_certificate(path, passphrase):
            self.stdout.write(
                f"Sertifikat pengembangan dibuat di {path} (subjek: {DEV_SIGNER_CN}). "
                "Hanya untuk pengembangan, bukan untuk dokumen resmi."
            )
        else:
            self.stdout.write(f"Sertifikat sudah ada di {path}; tidak diubah.")
