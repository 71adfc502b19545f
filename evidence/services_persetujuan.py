"""The approval of a rencana kerja: submit (tim kerja), approve or return (pimpinan)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import RencanaKerja, StatusPersetujuan
from units.audit import diff, riwayat_record
from units.models import Peran, Riwayat
from units.notify import notify, unit_members


class PersetujuanDitolak(ValueError):
    pass


# The chapters of the rencana kerja that each unit writes (long texts).
RK_CHAPTER_FIELDS = (
    "kata_pengantar",
    "latar_belakang",
    "maksud_tujuan",
    "pengertian_umum",
    "rencana_aksi_pengantar",
    "penutup",
)
RK_TEXT_FIELDS = (
    "judul",
    *RK_CHAPTER_FIELDS,
    "penandatangan_nama",
    "penandatangan_jabatan",
    "penandatangan_nip",
    "kota",
    "tanggal",
)
EDITABLE = (StatusPersetujuan.DRAF, StatusPersetujuan.DIKEMBALIKAN, StatusPersetujuan.PERLU_ULANG)


def _audit(rk: RencanaKerja, user: Any, changes: dict[str, list[str]]) -> None:
    riwayat_record(
        user=user,
        unit=rk.penilaian.unit,
        tahun=rk.penilaian.tahun,
        objek="rencana_kerja",
        objek_id=rk.pk,
        kode="",
        aksi=Riwayat.Aksi.UBAH,
        perubahan=changes,
    )


def rencana_kerja_update(*, rk: RencanaKerja, values: dict[str, Any], user: Any) -> RencanaKerja:
    with transaction.atomic():
        locked = RencanaKerja.objects.select_for_update().get(pk=rk.pk)
        before = {f: getattr(locked, f) for f in RK_TEXT_FIELDS}
        for field, value in values.items():
            setattr(locked, field, value)
        changes = diff(before, {f: getattr(locked, f) for f in RK_TEXT_FIELDS})
        if changes:
            if locked.status == StatusPersetujuan.DISETUJUI:
                locked.status = StatusPersetujuan.PERLU_ULANG
                changes["status"] = ["Disetujui", "Perlu persetujuan ulang"]
            locked.full_clean()
            locked.save()
            _audit(locked, user, changes)
    return locked


def rencana_kerja_submit(*, rk: RencanaKerja, user: Any) -> None:
    with transaction.atomic():
        locked = (
            RencanaKerja.objects.select_for_update().select_related("penilaian__unit").get(pk=rk.pk)
        )
        if locked.status not in EDITABLE:
            raise PersetujuanDitolak(_("Rencana kerja ini sudah diajukan atau sudah disetujui."))
        old = locked.get_status_display()
        locked.status = StatusPersetujuan.DIAJUKAN
        locked.diajukan_oleh, locked.diajukan_pada = user, timezone.now()
        locked.save()
        _audit(locked, user, {"status": [str(old), str(locked.get_status_display())]})
        notify(
            unit_members(locked.penilaian.unit, [Peran.PIMPINAN]),
            subject=f"[ZI Portal] Rencana kerja {locked.penilaian.unit.nama} menunggu persetujuan",
            pesan=(
                f"Tim kerja mengajukan rencana kerja {locked.penilaian.unit.nama} "
                f"{locked.penilaian.tahun} untuk disetujui."
            ),
            url=reverse("documents:rencana_kerja", args=[locked.penilaian.code]),
        )


def rencana_kerja_decide(
    *, rk: RencanaKerja, user: Any, approve: bool, catatan: str
) -> RencanaKerja:
    """Approve (and queue the signing) or return with a note."""
    from documents.tasks import sign_rencana_kerja_task

    catatan = catatan.strip()
    if not approve and not catatan:
        raise PersetujuanDitolak(
            _("Tulis catatan untuk tim kerja saat mengembalikan rencana kerja.")
        )
    with transaction.atomic():
        locked = (
            RencanaKerja.objects.select_for_update().select_related("penilaian__unit").get(pk=rk.pk)
        )
        if locked.status != StatusPersetujuan.DIAJUKAN:
            raise PersetujuanDitolak(_("Rencana kerja ini tidak sedang menunggu persetujuan."))
        old = locked.get_status_display()
        locked.catatan_pimpinan = catatan
        if approve:
            locked.status = StatusPersetujuan.DISETUJUI
            locked.disetujui_oleh, locked.disetujui_pada = user, timezone.now()
        else:
            locked.status = StatusPersetujuan.DIKEMBALIKAN
        locked.save()
        _audit(
            locked,
            user,
            {
                "status": [str(old), str(locked.get_status_display())],
                "catatan_pimpinan": ["", catatan],
            },
        )
        notify(
            unit_members(locked.penilaian.unit, [Peran.TIM_KERJA]),
            subject=f"[ZI Portal] Rencana kerja {'disetujui' if approve else 'dikembalikan'}",
            pesan=(
                f"Pimpinan {'menyetujui' if approve else 'mengembalikan'} rencana kerja "
                f"{locked.penilaian.unit.nama} {locked.penilaian.tahun}"
                + (f": {catatan}" if catatan else ".")
            ),
            url=reverse("documents:rencana_kerja", args=[locked.penilaian.code]),
        )
        if approve:
            pk, user_pk = locked.pk, user.pk
            transaction.on_commit(lambda: sign_rencana_kerja_task.delay(pk, user_pk))
    return locked
