from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lke.loader import LoaderError, lke_models_load_all


class Command(BaseCommand):
    help = "Muat (atau perbarui) model penilaian LKE dari fixtures/lke/*.yaml."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = lke_models_load_all()
        except LoaderError as exc:
            raise CommandError(str(exc)) from exc
        for model in loaded:
            self.stdout.write(
                f"{model.kode}: {model.pertanyaan_set.count()} pertanyaan, "
                f"{model.indikator_set.count()} indikator, {model.aturan.count()} aturan predikat"
            )
