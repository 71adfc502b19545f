"""The rencana kerja state machine: submit (tim kerja), approve or return (pimpinan).

*draf* → *diajukan* → *disetujui* (signed) or *dikembalikan*; a change after approval
makes it *perlu persetujuan ulang*. `_status_write` is the only code that writes
`RencanaKerja.status`; the allowed moves are the data in TRANSITIONS.

An approval and its signing are one recoverable process (`status_tanda_tangan`):
*menunggu* from the approval until the signed document exists (*selesai*), or *gagal*
when the signing cannot succeed without a person (an unreadable certificate); *coba
lagi* (`rencana_kerja_sign_retry`) moves *gagal* back to *menunggu*. The documents layer
does the signing and calls `rencana_kerja_signed` / `rencana_kerja_sign_failed`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.models import RencanaKerja, StatusPersetujuan, StatusTandaTangan
from units.access import Izin, UnitAccess
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
    "penandatangan_lain",
    "kota",
    "tanggal",
)
EDITABLE = (StatusPersetujuan.DRAF, StatusPersetujuan.DIKEMBALIKAN, StatusPersetujuan.PERLU_ULANG)

# The allowed transitions: from status → the statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    StatusPersetujuan.DRAF: frozenset({StatusPersetujuan.DIAJUKAN}),
    StatusPersetujuan.DIAJUKAN: frozenset(
        {StatusPersetujuan.DISETUJUI, StatusPersetujuan.DIKEMBALIKAN}
    ),
    StatusPersetujuan.DIKEMBALIKAN: frozenset({StatusPersetujuan.DIAJUKAN}),
    StatusPersetujuan.DISETUJUI: frozenset({StatusPersetujuan.PERLU_ULANG}),
    StatusPersetujuan.PERLU_ULANG: frozenset({StatusPersetujuan.DIAJUKAN}),
}


def _label(status: str) -> str:
    return str(StatusPersetujuan(status).label)


def _status_write(locked: RencanaKerja, new: str) -> dict[str, list[str]]:
    """Move a locked rencana kerja to `new` (saved by the caller); returns the change.

    Raises `PersetujuanDitolak` for a move TRANSITIONS does not allow.
    """
    old = locked.status
    if new not in TRANSITIONS.get(old, frozenset()):
        raise PersetujuanDitolak(
            _("Status rencana kerja tidak dapat diubah dari %(lama)s ke %(baru)s.")
            % {"lama": _label(old), "baru": _label(new)}
        )
    locked.status = new
    return {"status": [_label(old), _label(new)]}


def rencana_kerja_changed(penilaian: Any) -> None:
    """The rencana aksi of `penilaian` changed: an approved rencana kerja needs a new
    approval (disetujui → perlu persetujuan ulang). Called inside the caller's transaction."""
    for locked in RencanaKerja.objects.select_for_update().filter(
        penilaian=penilaian, status=StatusPersetujuan.DISETUJUI
    ):
        _status_write(locked, StatusPersetujuan.PERLU_ULANG)
        locked.status_tanda_tangan, locked.galat_tanda_tangan = StatusTandaTangan.BELUM, ""
        locked.save(
            update_fields=["status", "status_tanda_tangan", "galat_tanda_tangan", "updated_at"]
        )


def rencana_kerja_approve_seeded(*, rk: RencanaKerja, user: Any) -> RencanaKerja:
    """The demo loader's approval of a draft that arrives already agreed (no notices):
    draf → diajukan → disetujui through the same transitions, recorded."""
    with transaction.atomic():
        locked = RencanaKerja.objects.select_for_update().get(pk=rk.pk)
        first = _status_write(locked, StatusPersetujuan.DIAJUKAN)
        second = _status_write(locked, StatusPersetujuan.DISETUJUI)
        locked.disetujui_oleh, locked.disetujui_pada = user, timezone.now()
        locked.status_tanda_tangan, locked.galat_tanda_tangan = StatusTandaTangan.MENUNGGU, ""
        locked.save()
        _audit(locked, user, {"status": [first["status"][0], second["status"][1]]})
    return locked


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
                changes.update(_status_write(locked, StatusPersetujuan.PERLU_ULANG))
                locked.status_tanda_tangan = StatusTandaTangan.BELUM
                locked.galat_tanda_tangan = ""
            elif locked.status not in EDITABLE:
                raise PersetujuanDitolak(
                    _("Rencana kerja yang sedang diajukan tidak dapat diubah.")
                )
            locked.full_clean()
            locked.save()
            _audit(locked, user, changes)
    return locked


def rencana_kerja_submit(*, rk: RencanaKerja, user: Any, access: UnitAccess) -> None:
    """Submit to the pimpinan: a unit-wide action (a membership covering every area)."""
    if not access.can(Izin.SUBMIT):
        raise PersetujuanDitolak(_("Anda tidak berhak mengajukan rencana kerja unit ini."))
    if not access.covers_every_area():
        raise PersetujuanDitolak(
            _(
                "Rencana kerja diajukan untuk seluruh unit, sedangkan keanggotaan Anda "
                "terbatas pada area %(areas)s."
            )
            % {"areas": ", ".join(str(a) for a in sorted(access.areas))}
        )
    with transaction.atomic():
        locked = (
            RencanaKerja.objects.select_for_update().select_related("penilaian__unit").get(pk=rk.pk)
        )
        if locked.status not in EDITABLE:
            raise PersetujuanDitolak(_("Rencana kerja ini sudah diajukan atau sudah disetujui."))
        change = _status_write(locked, StatusPersetujuan.DIAJUKAN)
        locked.diajukan_oleh, locked.diajukan_pada = user, timezone.now()
        locked.save()
        _audit(locked, user, change)
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
    """Approve or return with a note. The signing of an approval is the documents
    layer's (`documents.rencana_kerja.rencana_kerja_decide_and_sign`)."""
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
        locked.catatan_pimpinan = catatan
        if approve:
            change = _status_write(locked, StatusPersetujuan.DISETUJUI)
            locked.disetujui_oleh, locked.disetujui_pada = user, timezone.now()
            locked.status_tanda_tangan = StatusTandaTangan.MENUNGGU
            locked.galat_tanda_tangan = ""
            change["status_tanda_tangan"] = ["", str(StatusTandaTangan.MENUNGGU.label)]
        else:
            change = _status_write(locked, StatusPersetujuan.DIKEMBALIKAN)
        locked.save()
        _audit(locked, user, {**change, "catatan_pimpinan": ["", catatan]})
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
    return locked


def _sign_label(value: str) -> str:
    return str(StatusTandaTangan(value).label)


def _sign_write(locked: RencanaKerja, new: str, galat: str = "") -> dict[str, list[str]]:
    old = locked.status_tanda_tangan
    locked.status_tanda_tangan, locked.galat_tanda_tangan = new, galat
    locked.save(update_fields=["status_tanda_tangan", "galat_tanda_tangan", "updated_at"])
    return {"status_tanda_tangan": [_sign_label(old), _sign_label(new)]}


def rencana_kerja_signed(locked: RencanaKerja) -> None:
    """The signed document of this approval is stored (inside the caller's transaction,
    `locked` held with select_for_update): *menunggu*/*gagal* → *selesai*."""
    if locked.status != StatusPersetujuan.DISETUJUI:
        raise PersetujuanDitolak(_("Rencana kerja ini tidak sedang disetujui."))
    _audit(locked, locked.disetujui_oleh, _sign_write(locked, StatusTandaTangan.SELESAI))


def rencana_kerja_sign_failed(rk: RencanaKerja, *, alasan: str) -> bool:
    """The signing cannot succeed without a person (certificate unreadable, wrong
    passphrase): *gagal* with the reason; the pimpinan and the admins are told.

    Returns False (nothing changed) when the approval is no longer waiting for its
    signature (signed meanwhile, or changed after the approval).
    """
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        locked = (
            RencanaKerja.objects.select_for_update(of=("self",))
            .select_related("penilaian__unit")
            .get(pk=rk.pk)
        )
        if (
            locked.status != StatusPersetujuan.DISETUJUI
            or locked.status_tanda_tangan != StatusTandaTangan.MENUNGGU
        ):
            return False
        change = _sign_write(locked, StatusTandaTangan.GAGAL, alasan[:2000])
        _audit(locked, None, {**change, "galat_tanda_tangan": ["", alasan[:2000]]})
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        unit = locked.penilaian.unit
        notify(
            [*unit_members(unit, [Peran.PIMPINAN]), *admins],
            subject=f"[ZI Portal] Penandatanganan rencana kerja {unit.nama} gagal",
            pesan=(
                f"Rencana kerja {unit.nama} {locked.penilaian.tahun} sudah disetujui, tetapi "
                f"penandatanganannya gagal: {alasan} Perbaiki penyebabnya, lalu pilih "
                "\u201cCoba lagi\u201d."
            ),
            url=reverse("documents:rencana_kerja", args=[locked.penilaian.code]),
        )
    return True


def rencana_kerja_sign_retry(*, rk: RencanaKerja, user: Any, access: UnitAccess) -> RencanaKerja:
    """*Coba lagi*: an approval whose signing failed or is still waiting is signed again
    (*gagal* → *menunggu*, recorded); the caller queues the signing after the commit."""
    if not access.can(Izin.APPROVE):
        raise PersetujuanDitolak(_("Anda tidak berhak menandatangani rencana kerja unit ini."))
    with transaction.atomic():
        locked = RencanaKerja.objects.select_for_update().get(pk=rk.pk)
        if locked.status != StatusPersetujuan.DISETUJUI or locked.status_tanda_tangan not in (
            StatusTandaTangan.MENUNGGU,
            StatusTandaTangan.GAGAL,
        ):
            raise PersetujuanDitolak(_("Rencana kerja ini tidak sedang menunggu tanda tangan."))
        if locked.status_tanda_tangan == StatusTandaTangan.GAGAL:
            _audit(locked, user, _sign_write(locked, StatusTandaTangan.MENUNGGU))
    return locked
