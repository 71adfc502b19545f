from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from evidence.checks.run import needs_check, periksa_bukti, periksa_jawaban
from evidence.models import Bukti, JenisPemeriksaan, StatusTemuan, TemuanBukti
from lke.management.penilaian import penilaian_or_error
from lke.models import Penilaian, Pertanyaan

COLUMNS = ("bukti", "pertanyaan", "check", "status", "reason", "page")
HEADERS: tuple[str, ...] = ("Bukti", "Pertanyaan", "Pemeriksaan", "Status", "Halaman", "Alasan")


class Command(BaseCommand):
    help = (
        "Periksa bukti satu penilaian (teks, tanggal, duplikat, kesesuaian isi, konsistensi "
        "jawaban) dan tampilkan temuannya. Tanpa --rerun hanya bukti yang belum diperiksa "
        "atau diperiksa dengan versi pemeriksa lain yang dinilai ulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="slug unit kerja, mis. biro-hp")
        parser.add_argument("--year", type=int, required=True, help="tahun penilaian")
        parser.add_argument("--json", action="store_true", help="keluaran JSON")
        parser.add_argument(
            "--rerun", action="store_true", help="baca ulang teks dan periksa ulang semua bukti"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        penilaian = penilaian_or_error(options["unit"], options["year"])
        bukti = list(
            Bukti.objects.filter(penilaian=penilaian, aktif=True)
            .select_related("pertanyaan", "hasil_item")
            .order_by("pertanyaan__kode", "id")
        )
        checked = 0
        for row in bukti:
            if options["rerun"] or needs_check(row):
                periksa_bukti(row.pk, force=options["rerun"])
                checked += 1
        for pertanyaan in Pertanyaan.objects.filter(model=penilaian.model):
            periksa_jawaban(penilaian, pertanyaan)
        rows = [_row(t) for t in _findings(penilaian)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{penilaian.unit.nama} {penilaian.tahun}: {len(bukti)} bukti, "
            f"{checked} diperiksa ulang, {len(rows)} temuan."
        )
        self._table(rows)

    def _table(self, rows: list[dict[str, Any]]) -> None:
        cells: list[list[str]] = [
            [
                str(r["bukti"])[:40],
                str(r["pertanyaan"]),
                str(JenisPemeriksaan(r["check"]).label),
                str(StatusTemuan(r["status"]).label),
                "" if r["page"] is None else str(r["page"]),
                str(r["reason"]),
            ]
            for r in rows
        ]
        widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(HEADERS[:-1])]

        def line(values: list[str]) -> str:
            head = "  ".join(v.ljust(w) for v, w in zip(values[:-1], widths, strict=True))
            return f"{head}  {values[-1]}"

        self.stdout.write(line(list(HEADERS)))
        for c in cells:
            self.stdout.write(line(c))


def _findings(penilaian: Penilaian) -> list[TemuanBukti]:
    return list(
        TemuanBukti.objects.filter(penilaian=penilaian)
        .filter(Q(bukti__isnull=True) | Q(bukti__aktif=True))
        .select_related("bukti__hasil_item", "pertanyaan")
        .order_by("pertanyaan__kode", "bukti_id", "id")
    )


def _row(t: TemuanBukti) -> dict[str, Any]:
    b = t.bukti
    return {
        "bukti": "" if b is None else (b.judul or b.nama_asli or b.url),
        "pertanyaan": t.pertanyaan.kode
        if t.pertanyaan
        else (b.hasil_item.kode if b is not None and b.hasil_item else ""),
        "check": t.jenis,
        "status": t.status,
        "reason": t.alasan,
        "page": t.halaman,
    }
