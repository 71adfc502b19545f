"""`penilaian_status`: where a penilaian stands in its workflow and what blocks the next step."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from lke.management.penilaian import penilaian_or_error
from lke.models import HasilItem, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, JawabanHasil, Reviu, SetJawaban, StatusReviu
from scoring.workflow import blocking_next, next_step

NEXT_LABEL = {"ajukan": "ajukan ke TPI", "finalkan": "finalkan oleh TPI"}


class Command(BaseCommand):
    help = (
        "Tampilkan status penilaian (unit + tahun), jumlah jawaban dan reviu per set, serta "
        "setiap butir yang menghalangi langkah berikutnya (ajukan atau finalkan)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun penilaian.")
        parser.add_argument(
            "--json",
            action="store_true",
            help="Keluaran JSON: unit, year, status, next, blocking [{code, reason}].",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        step = next_step(penilaian)
        blocking = blocking_next(penilaian)
        if options["json"]:
            data = {
                "unit": penilaian.unit.slug,
                "year": penilaian.tahun,
                "status": penilaian.status,
                "next": step,
                "blocking": [{"code": b.code, "reason": b.reason} for b in blocking],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        n_questions = Pertanyaan.objects.filter(model=penilaian.model).count()
        n_hasil = HasilItem.objects.filter(model=penilaian.model).count()
        self.stdout.write(
            f"{penilaian.unit.nama} {penilaian.tahun}: {StatusPenilaian(penilaian.status).label}"
        )
        for set_ in (SetJawaban.MANDIRI, SetJawaban.TPI):
            answered = sum(
                1
                for opsi, angka in Jawaban.objects.filter(
                    penilaian=penilaian, set=set_
                ).values_list("opsi", "angka")
                if opsi or angka
            )
            hasil = (
                JawabanHasil.objects.filter(penilaian=penilaian, set=set_)
                .exclude(nilai__isnull=True, opsi="")
                .count()
            )
            self.stdout.write(
                f"  {SetJawaban(set_).label}: {answered}/{n_questions} pertanyaan terjawab, "
                f"{hasil}/{n_hasil} nilai hasil terisi"
            )
        reviews = dict.fromkeys(StatusReviu.values, 0)
        for status in Reviu.objects.filter(penilaian=penilaian).values_list("status", flat=True):
            reviews[status] += 1
        reviewed = sum(reviews.values())
        self.stdout.write(
            f"  Reviu TPI: {reviewed}/{n_questions} pertanyaan direviu "
            f"({reviews[StatusReviu.DITERIMA]} diterima, "
            f"{reviews[StatusReviu.PERLU_PERBAIKAN]} dikembalikan, "
            f"{reviews[StatusReviu.DIPERBAIKI]} menunggu reviu ulang)"
        )
        if step is None:
            self.stdout.write("  Langkah berikutnya: tidak ada (penilaian sudah final).")
            return
        if not blocking:
            self.stdout.write(f"  Langkah berikutnya: {NEXT_LABEL[step]} (tidak ada penghalang).")
            return
        self.stdout.write(
            f"  Langkah berikutnya: {NEXT_LABEL[step]}; {len(blocking)} butir menghalangi:"
        )
        for b in blocking:
            self.stdout.write(f"    {b.code or '-'}: {b.reason}")
