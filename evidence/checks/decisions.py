"""The TPI's decisions on findings: set one aside (*diabaikan*) with a reason.

The view (scoring, which owns the review rule) checks who may; this service writes the
row and its Riwayat entry. A rerun that finds the same (check, key, status) keeps the
decision (`evidence.checks.run._store`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import TemuanBukti
from units.audit import riwayat_record
from units.models import Riwayat

MAX_ALASAN = 2000


class KeputusanDitolak(Exception):
    """A decision that cannot be recorded; the message is for the user (Indonesian)."""


def temuan_abaikan(temuan: TemuanBukti, user: Any, alasan: str) -> TemuanBukti:
    """Mark one finding *diabaikan* with the TPI's reason, recorded in Riwayat."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise KeputusanDitolak(_("Isi alasan mengapa temuan ini diabaikan."))
    if len(alasan) > MAX_ALASAN:
        raise KeputusanDitolak(
            _("Alasan terlalu panjang (paling banyak %(n)d karakter).") % {"n": MAX_ALASAN}
        )
    with transaction.atomic():
        row = (
            TemuanBukti.objects.select_for_update(of=("self",))
            .select_related("penilaian__unit", "pertanyaan", "bukti")
            .get(pk=temuan.pk)
        )
        before = f"diabaikan: {row.alasan_diabaikan}" if row.diabaikan else "berlaku"
        row.diabaikan = True
        row.alasan_diabaikan = alasan
        row.diabaikan_oleh = user
        row.diabaikan_pada = timezone.now()
        row.save(
            update_fields=["diabaikan", "alasan_diabaikan", "diabaikan_oleh", "diabaikan_pada"]
        )
        riwayat_record(
            user=user,
            unit=row.penilaian.unit,
            tahun=row.penilaian.tahun,
            objek="temuan_bukti",
            objek_id=row.pk,
            kode=row.pertanyaan.kode if row.pertanyaan else "",
            aksi=Riwayat.Aksi.UBAH,
            perubahan={
                f"temuan {row.get_jenis_display().lower()} ({row.alasan[:120]})": [
                    before,
                    f"diabaikan: {alasan}",
                ]
            },
        )
    return row
