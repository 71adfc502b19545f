"""Print a unit's Rencana Kinerja Tahunan with realisasi, capaian and the B.I.b advice."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from evidence.models import RencanaKinerjaTahunan
from scoring.selectors import rkt_laporan
from zi_portal.lib.numbers import format_persen


def _dec(value: Decimal | None) -> str | None:
    """Unrounded, as a string (JSON floats would round)."""
    return None if value is None else format(value.normalize(), "f")


class Command(BaseCommand):
    help = (
        "Tampilkan RKT unit (sasaran, indikator, target, realisasi, capaian) dan saran "
        "capaian kinerja (LKE B.I.b) beserta alasannya."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="Slug unit kerja, mis. biro-hp.")
        parser.add_argument("--year", required=True, type=int, help="Tahun RKT.")
        parser.add_argument(
            "--json", action="store_true", help="Keluaran JSON, angka tanpa pembulatan."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rkt = (
            RencanaKinerjaTahunan.objects.select_related("unit")
            .filter(unit__slug=options["unit"], tahun=options["year"])
            .first()
        )
        if rkt is None:
            raise CommandError(f"RKT {options['unit']} tahun {options['year']} tidak ditemukan.")
        laporan = rkt_laporan(rkt, with_bukti=False)
        saran = laporan.saran
        rows = [
            {
                "sasaran": f"{b.sasaran.nomor} {b.sasaran.teks}".strip(),
                "nomor": b.indikator.nomor,
                "indikator": b.indikator.nama,
                "target": b.indikator.target_teks,
                "jenis_target": b.indikator.jenis_target,
                "utama": b.indikator.utama,
                "berorientasi_hasil": b.indikator.berorientasi_hasil,
                "tautan_zi": b.indikator.tautan_zi or None,
                "realisasi": _dec(b.realisasi)
                if b.realisasi is not None
                else (b.realisasi_teks or None),
                "realisasi_triwulan": {
                    str(q): (_dec(r.nilai) if r.nilai is not None else r.teks)
                    for q, r in enumerate(b.per_triwulan, start=1)
                    if r is not None
                },
                "triwulan": b.triwulan,
                "capaian": _dec(b.capaian.persen),
                "capaian_status": str(b.capaian.status),
                "selisih": _dec(b.capaian.selisih),
            }
            for b in laporan.baris
        ]
        if options["json"]:
            data = {
                "unit": rkt.unit.slug,
                "year": rkt.tahun,
                "capaian_kinerja": saran.opsi,
                "alasan": laporan.alasan,
                "capaian_utama": _dec(saran.capaian_utama),
                "capaian_tahun_lalu": _dec(saran.capaian_lalu),
                "capaian_pembanding": _dec(saran.pembanding),
                "indikator": rows,
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"RKT {rkt.unit.nama} {rkt.tahun}: {len(rows)} indikator kinerja")
        for b in laporan.baris:
            realisasi = b.realisasi_display
            self.stdout.write(
                f"  {b.sasaran.nomor:<3} {b.indikator.nomor:<3} {b.indikator.nama[:60]:<60} "
                f"{b.indikator.target_teks:>8}  {realisasi:>12}  {b.capaian_teks}"
            )
        self.stdout.write(
            f"Saran capaian kinerja (B.I.b): {saran.opsi or 'belum dapat disarankan'}"
        )
        for alasan in laporan.alasan:
            self.stdout.write(f"  - {alasan}")
        if saran.capaian_utama is not None:
            self.stdout.write(f"  capaian kinerja utama {format_persen(saran.capaian_utama)}")
