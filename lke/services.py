"""Workflow of a penilaian: what is missing, submitting it for the TPI's review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from evidence.models import Bukti
from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, Reviu, SetJawaban, StatusReviu
from units.access import UnitAccess
from units.audit import riwayat_record
from units.models import Riwayat


class PengajuanDitolak(ValueError):
    pass


@dataclass(frozen=True)
class Kekurangan:
    unanswered: list[Pertanyaan]
    without_evidence: list[Pertanyaan]

    @property
    def empty(self) -> bool:
        return not self.unanswered and not self.without_evidence


def penilaian_kekurangan(penilaian: Penilaian) -> Kekurangan:
    """Questions without a mandiri answer and questions without current evidence."""
    questions = list(
        Pertanyaan.objects.filter(model=penilaian.model)
        .select_related("indikator__area")
        .order_by(
            "indikator__area__urutan",
            "indikator__area__komponen__urutan",
            "indikator__urutan",
            "urutan",
        )
    )
    answered = {
        pk
        for pk, opsi, angka in Jawaban.objects.filter(
            penilaian=penilaian, set=SetJawaban.MANDIRI
        ).values_list("pertanyaan_id", "opsi", "angka")
        if opsi or angka
    }
    with_evidence = set(
        Bukti.objects.filter(penilaian=penilaian, aktif=True, pertanyaan__isnull=False).values_list(
            "pertanyaan_id", flat=True
        )
    )
    return Kekurangan(
        unanswered=[q for q in questions if q.pk not in answered],
        without_evidence=[q for q in questions if q.pk not in with_evidence],
    )


def returned_questions(penilaian: Penilaian) -> set[int]:
    """Questions the TPI sent back and the tim kerja may edit again."""
    return set(
        Reviu.objects.filter(penilaian=penilaian, status=StatusReviu.PERLU_PERBAIKAN).values_list(
            "pertanyaan_id", flat=True
        )
    )


def question_editable(
    access: UnitAccess, penilaian: Penilaian, q: Pertanyaan, nomor: int, returned: set[int]
) -> bool:
    """May this user change the mandiri answer and evidence of `q` (in area `nomor`) now?

    While the unit fills in, every question of the user's areas; during the TPI's review,
    only the questions the TPI returned for revision; never once final.
    """
    if not access.can_edit_area(nomor):
        return False
    if penilaian.status == StatusPenilaian.PENGISIAN:
        return True
    return penilaian.status == StatusPenilaian.REVIU_TPI and q.pk in returned


def penilaian_submit(*, penilaian: Penilaian, user: Any) -> int:
    """Send the penilaian mandiri to the TPI, or resubmit the items they returned.

    Returns the number of resubmitted items (0 for a first submission).
    """
    with transaction.atomic():
        locked = Penilaian.objects.select_for_update().get(pk=penilaian.pk)
        if locked.status == StatusPenilaian.PENGISIAN:
            locked.status = StatusPenilaian.REVIU_TPI
            locked.save(update_fields=["status", "updated_at"])
            resubmitted = 0
            change = {
                "status": [
                    str(StatusPenilaian.PENGISIAN.label),
                    str(StatusPenilaian.REVIU_TPI.label),
                ]
            }
        elif locked.status == StatusPenilaian.REVIU_TPI:
            resubmitted = Reviu.objects.filter(
                penilaian=locked, status=StatusReviu.PERLU_PERBAIKAN
            ).update(status=StatusReviu.DIPERBAIKI)
            if not resubmitted:
                raise PengajuanDitolak(
                    _("Tidak ada butir yang dikembalikan TPI untuk diajukan ulang.")
                )
            change = {"diajukan_ulang": ["", f"{resubmitted} butir"]}
        else:
            raise PengajuanDitolak(_("Penilaian ini sudah final dan tidak dapat diajukan lagi."))
        riwayat_record(
            user=user,
            unit=locked.unit,
            tahun=locked.tahun,
            objek="penilaian",
            objek_id=locked.code,
            kode="",
            aksi=Riwayat.Aksi.UBAH,
            perubahan=change,
        )
    penilaian.status = locked.status
    return resubmitted
