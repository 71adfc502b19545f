from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lke.loader import LoaderError, lke_models_load_all_outcomes
from lke.syarat import tabel_syarat_load_all
from lke.versions import ModelVersionInUse


class Command(BaseCommand):
    help = (
        "Muat (atau perbarui) model penilaian LKE dari fixtures/lke/*.yaml. Versi yang sudah "
        "dipakai penilaian tidak diubah: perubahan dimuat sebagai versi baru. Juga memuat "
        "Tabel 5 (syarat pengusulan) dari fixtures/lke/syarat/*.yaml."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcomes = lke_models_load_all_outcomes()
            tabel = tabel_syarat_load_all()
        except (LoaderError, ModelVersionInUse) as exc:
            raise CommandError(str(exc)) from exc
        for outcome in outcomes:
            model = outcome.model
            self.stdout.write(
                f"{outcome.describe()}: {model.pertanyaan_set.count()} pertanyaan, "
                f"{model.indikator_set.count()} indikator, {model.aturan.count()} aturan predikat"
            )
        for t in tabel:
            self.stdout.write(
                f"{t.kode}: {t.syarat.count()} syarat, berlaku {t.berlaku_dari}-"
                f"{t.berlaku_sampai or ''}"
            )
