from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.signing import (
    DEV_SIGNER_CN,
    ensure_dev_certificate,
    signer_p12_path,
    tpi_p12_path,
)

TPI_DEV_CN = f"Tim Penilai Internal - {DEV_SIGNER_CN}"


class Command(BaseCommand):
    help = (
        "Buat sertifikat penandatanganan PENGEMBANGAN (PKCS#12, diterbitkan CA pengembangan "
        "dev-ca.p12 di folder yang sama) di ZI_SIGNING_P12 bila berkasnya belum ada; dengan "
        "--penanda-tangan N juga untuk penanda tangan ke-2..N (ZI_SIGNING_P12 dengan "
        "akhiran -2, -3, ...) dan dengan --tpi untuk Tim Penilai Internal yang menandatangani LHE "
        "(ZI_SIGNING_P12_TPI, bawaan ZI_SIGNING_P12 dengan akhiran -tpi). Jangan dipakai di "
        "produksi."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--path", help="Lokasi berkas PKCS#12 (bawaan: ZI_SIGNING_P12).")
        parser.add_argument(
            "--penanda-tangan",
            type=int,
            default=1,
            dest="count",
            help="Jumlah penanda tangan berurutan yang diberi sertifikat (bawaan 1).",
        )
        parser.add_argument(
            "--tpi",
            action="store_true",
            help="Buat juga sertifikat Tim Penilai Internal (penanda tangan LHE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = settings.ZI_SIGNING_P12_PASSPHRASE
        if not passphrase:
            raise CommandError(
                "ZI_SIGNING_P12_PASSPHRASE belum diisi: sertifikat tidak dapat dilindungi."
            )
        if options["count"] < 1:
            raise CommandError("--penanda-tangan paling sedikit 1.")
        paths = [options["path"] or settings.ZI_SIGNING_P12] + [
            str(signer_p12_path(i)) for i in range(1, options["count"])
        ]
        names = [DEV_SIGNER_CN] + [f"{DEV_SIGNER_CN} {i + 1}" for i in range(1, options["count"])]
        if options["tpi"]:
            paths.append(str(tpi_p12_path()))
            names.append(TPI_DEV_CN)
        for path, name in zip(paths, names, strict=True):
            if ensure_dev_certificate(path, passphrase, common_name=name):
                self.stdout.write(
                    f"Sertifikat pengembangan dibuat di {path} (subjek: {name}). "
                    "Hanya untuk pengembangan, bukan untuk dokumen resmi."
                )
            else:
                self.stdout.write(f"Sertifikat sudah ada di {path}; tidak diubah.")
