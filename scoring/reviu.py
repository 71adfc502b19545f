"""The TPI's work on a submitted penilaian: review decisions, hasil, finalisation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, Reviu, SetJawaban, SnapshotSkor, StatusReviu
from scoring.services import JawabanTidakValid, jawaban_save, penilaian_score, report_json
from units.audit import diff, riwayat_record
from units.models import Peran, Riwayat
from units.notify import notify, unit_members


class FinalisasiDitolak(ValueError):
    pass


def _answer_text(j: Jawaban | None) -> str:
    if j is None:
        return ""
    if j.opsi:
        return j.opsi
    return ", ".join(f"{k}={v}" for k, v in sorted((j.angka or {}).items()))


def reviu_save(
    *,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    opsi: str,
    angka: dict[str, Any],
    status: str,
    catatan: str,
    user: Any,
    expected_versi: int | None,
) -> Reviu:
    """Store the TPI answer and the review decision of one question, all or nothing.

    A catatan is required when the item is returned and when the TPI answer differs
    from the mandiri answer (domain.md rule 7).
    """
    if penilaian.status != StatusPenilaian.REVIU_TPI:
        raise JawabanTidakValid(_("Penilaian ini tidak sedang dalam tahap reviu TPI."))
    if status not in (StatusReviu.DITERIMA, StatusReviu.PERLU_PERBAIKAN):
        raise JawabanTidakValid(_("Pilih status reviu: diterima atau perlu perbaikan."))
    catatan = (catatan or "").strip()
    if status == StatusReviu.PERLU_PERBAIKAN and not catatan:
        raise JawabanTidakValid(_("Tulis catatan untuk butir yang dikembalikan ke tim kerja."))
    with transaction.atomic():
        tpi = jawaban_save(
            penilaian=penilaian,
            set_=SetJawaban.TPI,
            pertanyaan=pertanyaan,
            opsi=opsi,
            angka=angka,
            catatan=catatan,
            user=user,
            expected_versi=expected_versi,
        )
        mandiri = Jawaban.objects.filter(
            penilaian=penilaian, set=SetJawaban.MANDIRI, pertanyaan=pertanyaan
        ).first()
        if tpi.is_answered() and _answer_text(tpi) != _answer_text(mandiri) and not catatan:
            raise JawabanTidakValid(
                _("Jawaban TPI berbeda dari jawaban mandiri: tuliskan catatan alasannya.")
            )
        current = (
            Reviu.objects.select_for_update()
            .filter(penilaian=penilaian, pertanyaan=pertanyaan)
            .first()
        )
        old = {"status": current.status, "catatan": current.catatan} if current else {}
        if current is None:
            current = Reviu(penilaian=penilaian, pertanyaan=pertanyaan)
        current.status, current.catatan = status, catatan
        current.diubah_oleh = user
        current.save()
        riwayat_record(
            user=user,
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            objek="reviu",
            objek_id=current.pk,
            kode=pertanyaan.kode,
            aksi=Riwayat.Aksi.UBAH if old else Riwayat.Aksi.BUAT,
            perubahan=diff(old, {"status": status, "catatan": catatan}),
        )
    return current


def reviu_notify_returned(*, penilaian: Penilaian, n: int) -> None:
    notify(
        unit_members(penilaian.unit, (Peran.TIM_KERJA,)),
        subject=f"[ZI Portal] {n} butir LKE dikembalikan TPI",
        pesan=(
            f"TPI mengembalikan {n} butir penilaian {penilaian.unit.nama} "
            f"{penilaian.tahun} untuk diperbaiki."
        ),
        url=reverse("scoring:dashboard", args=[penilaian.code]),
    )


def penilaian_finalize(*, penilaian: Penilaian, user: Any) -> SnapshotSkor:
    """Freeze the official (TPI) score and the mandiri score, close the penilaian and
    notify the unit's pimpinan and tim kerja."""
    with transaction.atomic():
        locked = (
            Penilaian.objects.select_for_update()
            .select_related("unit", "model")
            .get(pk=penilaian.pk)
        )
        if locked.status != StatusPenilaian.REVIU_TPI:
            raise FinalisasiDitolak(
                _("Hanya penilaian dalam tahap reviu TPI yang dapat difinalkan.")
            )
        pending = Reviu.objects.filter(
            Q(status=StatusReviu.PERLU_PERBAIKAN) | Q(status=StatusReviu.DIPERBAIKI),
            penilaian=locked,
        ).count()
        if pending:
            raise FinalisasiDitolak(
                ngettext(
                    "Masih ada %(n)d butir yang dikembalikan atau menunggu reviu ulang.",
                    "Masih ada %(n)d butir yang dikembalikan atau menunggu reviu ulang.",
                    pending,
                )
                % {"n": pending}
            )
        snapshots = []
        for set_ in (SetJawaban.MANDIRI, SetJawaban.TPI):
            report = penilaian_score(locked, set_)
            snapshots.append(
                SnapshotSkor.objects.create(
                    penilaian=locked,
                    set=set_,
                    dibuat_oleh=user,
                    total=report.total.nilai.quantize(Decimal("1e-8")),
                    predikat=report.verdict,
                    laporan=report_json(report, penilaian=locked, by=set_),
                    final=True,
                )
            )
        locked.status = StatusPenilaian.FINAL
        locked.save(update_fields=["status", "updated_at"])
        official = snapshots[-1]
        riwayat_record(
            user=user,
            unit=locked.unit,
            tahun=locked.tahun,
            objek="penilaian",
            objek_id=locked.code,
            kode="",
            aksi=Riwayat.Aksi.UBAH,
            perubahan={
                "status": ["Reviu TPI", "Final"],
                "nilai_tpi": ["", str(official.total)],
                "hasil": ["", official.predikat],
            },
        )
        total = official.laporan["total"]
        notify(
            unit_members(locked.unit, (Peran.PIMPINAN, Peran.TIM_KERJA)),
            subject=f"[ZI Portal] Hasil penilaian {locked.unit.nama} {locked.tahun}",
            pesan=(
                f"TPI memfinalkan penilaian {locked.unit.nama} {locked.tahun}: nilai "
                f"{total:.2f}".replace(".", ",")
                + f", {official.predikat}."
            ),
            url=reverse("scoring:skor", args=[locked.code]),
        )
    penilaian.status = locked.status
    return official
