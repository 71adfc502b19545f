"""`penilaian_buka_kembali`: an admin reopens a final penilaian, with a reason (recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lke.management.penilaian import penilaian_or_error
from lke.models import StatusPenilaian
from scoring.workflow import BukaKembaliDitolak, penilaian_reopen


class Command(BaseCommand):
    help = (
        "Buka kembali penilaian yang sudah final (hanya admin, alasan wajib, dicatat di "
        "riwayat). Snapshot nilai final disimpan tetapi tidak lagi berlaku."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument("--user", required=True, help="Nama pengguna admin.")
        parser.add_argument("--alasan", required=True, help="Alasan membuka kembali.")
        parser.add_argument(
            "--ke",
            choices=[StatusPenilaian.REVIU_TPI, StatusPenilaian.PENGISIAN],
            default=StatusPenilaian.REVIU_TPI,
            help="Tahap tujuan (bawaan: reviu_tpi).",
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
        try:
            n = penilaian_reopen(
                penilaian=penilaian, user=user, alasan=options["alasan"], ke=options["ke"]
            )
        except BukaKembaliDitolak as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Penilaian {penilaian.unit.nama} {penilaian.tahun} dibuka kembali ke tahap "
            f"{StatusPenilaian(penilaian.status).label}; {n} snapshot final tidak lagi berlaku."
        )
