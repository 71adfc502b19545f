"""Pengusulan to the TPN (PermenPANRB 5/2024, Lampiran II Bab II A).

"Berdasarkan laporan hasil evaluasi TPI ... pimpinan instansi pemerintah mengusulkan
kepada TPN": for an instansi and year, the units whose final TPI result reaches a
predikat are proposed in one *surat pengajuan evaluasi* with an SPTJM, by 31 May or the
date the TPN announces (`BatasPengusulan`).

This module is the one writer of `Pengusulan` (draf -> ditandatangani -> dikirim):
the TPI and portal admins prepare the selection while it is a draf; the signing
(documents.pengusulan) marks it *ditandatangani*; then it is marked *dikirim*. Every
change is recorded in Riwayat for each unit it concerns. Selectors read the candidates,
their Tabel 5 checklist and the deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lke.models import Penilaian, StatusPenilaian
from scoring.models import (
    BatasPengusulan,
    Pengusulan,
    PengusulanUnit,
    PredikatUsulan,
    SetJawaban,
    SnapshotSkor,
    StatusPengusulan,
)
from scoring.syarat import Checklist, tabel5_checklist
from units.access import InstansiAccess, Izin
from units.audit import diff, riwayat_record
from units.models import Instansi, Keanggotaan, Peran, Riwayat
from zi_portal.lib.dates import tanggal_indonesia

# What a final TPI verdict allows to be asked for: WBBM already includes holding WBK.
PREDIKAT_BOLEH: dict[str, tuple[str, ...]] = {
    "WBK": (PredikatUsulan.WBK,),
    "WBBM": (PredikatUsulan.WBBM, PredikatUsulan.WBK),
}
LETTER_FIELDS = ("nomor_surat", "tempat", "alamat_instansi", "tembusan")


class PengusulanDitolak(ValueError):
    """Refused; the message is Indonesian (translated) and nothing changed."""


# -- selectors --------------------------------------------------------------------------


@dataclass(frozen=True)
class Kandidat:
    """A unit of the instansi with a penilaian in the year, and what it may be proposed for."""

    penilaian: Penilaian
    snapshot: SnapshotSkor | None  # the final TPI snapshot, when the penilaian is final
    boleh: tuple[str, ...]  # predikat that may be asked (empty: not proposable)
    alasan: str  # why it is not proposable ("" when it is)
    checklist: Checklist

    @property
    def unit(self) -> Any:
        return self.penilaian.unit


def final_tpi(penilaian: Penilaian) -> SnapshotSkor | None:
    """The official result: the latest final TPI snapshot of a final penilaian."""
    if penilaian.status != StatusPenilaian.FINAL:
        return None
    return (
        SnapshotSkor.objects.filter(penilaian=penilaian, set=SetJawaban.TPI, final=True)
        .order_by("-dibuat_pada")
        .first()
    )


def _kandidat(penilaian: Penilaian) -> Kandidat:
    snap = final_tpi(penilaian)
    boleh: tuple[str, ...] = ()
    if snap is None:
        alasan = _("Belum ada hasil final TPI.")
    else:
        boleh = PREDIKAT_BOLEH.get(snap.predikat, ())
        alasan = "" if boleh else _("Hasil final TPI belum memenuhi predikat Menuju WBK.")
    return Kandidat(
        penilaian, snap, boleh, alasan, tabel5_checklist(penilaian.unit, penilaian.tahun)
    )


def pengusulan_kandidat(instansi: Instansi, tahun: int) -> list[Kandidat]:
    """Every unit of `instansi` with a penilaian in `tahun`, proposable or not."""
    rows = (
        Penilaian.objects.select_related("unit__instansi", "model")
        .filter(unit__instansi=instansi, tahun=tahun)
        .order_by("unit__nama")
    )
    return [_kandidat(p) for p in rows]


def pengusulan_of(instansi: Instansi, tahun: int) -> Pengusulan | None:
    return Pengusulan.objects.filter(instansi=instansi, tahun=tahun).first()


def pengusulan_units(pengusulan: Pengusulan) -> list[PengusulanUnit]:
    return list(
        pengusulan.units.select_related("penilaian__unit__instansi", "penilaian__model").order_by(
            "urutan", "id"
        )
    )


def batas_pengusulan(tahun: int) -> tuple[dt.date, str]:
    """The deadline of `tahun` and where it comes from."""
    row = BatasPengusulan.objects.filter(tahun=tahun).first()
    if row is not None:
        return row.tanggal, row.pengumuman or _("ditetapkan oleh TPN")
    return dt.date(tahun, 5, 31), _("PermenPANRB 5/2024: paling lambat 31 Mei")


@dataclass(frozen=True)
class Tenggat:
    """Deadline and status of the pengusulan of an instansi and year (the instansi page)."""

    instansi: Instansi
    tahun: int
    batas: dt.date
    dasar: str
    sisa_hari: int  # negative: the deadline has passed
    pengusulan: Pengusulan | None
    jumlah_unit: int
    status: str  # "belum" or a StatusPengusulan value
    status_label: str

    @property
    def batas_tampil(self) -> str:
        return tanggal_indonesia(self.batas)

    @property
    def terlambat_hari(self) -> int:
        return max(0, -self.sisa_hari)

    @property
    def lewat(self) -> bool:
        return self.sisa_hari < 0 and self.status != StatusPengusulan.DIKIRIM


def pengusulan_tenggat(instansi: Instansi, tahun: int, *, today: dt.date | None = None) -> Tenggat:
    """The selector behind templates/partials/_pengusulan_tenggat.html."""
    batas, dasar = batas_pengusulan(tahun)
    today = today or timezone.localdate()
    row = pengusulan_of(instansi, tahun)
    if row is None:
        status, label, count = "belum", _("Belum disiapkan"), 0
    else:
        status, label, count = row.status, row.get_status_display(), row.units.count()
    return Tenggat(
        instansi, tahun, batas, dasar, (batas - today).days, row, count, status, str(label)
    )


def pimpinan_instansi(instansi: Instansi) -> Keanggotaan | None:
    """The pimpinan instansi membership (name, jabatan, NIP of the signer)."""
    return (
        Keanggotaan.objects.select_related("user")
        .filter(instansi=instansi, peran=Peran.PIMPINAN_INSTANSI)
        .order_by("id")
        .first()
    )


# -- services ---------------------------------------------------------------------------


def _record(
    *,
    user: Any,
    pengusulan: Pengusulan,
    penilaian: Penilaian,
    aksi: str,
    old: dict[str, Any],
    new: dict[str, Any],
) -> None:
    riwayat_record(
        user=user,
        unit=penilaian.unit,
        tahun=pengusulan.tahun,
        objek="pengusulan",
        objek_id=pengusulan.pk,
        kode=pengusulan.instansi.kode,
        aksi=aksi,
        perubahan=diff(old, new),
    )


def pengusulan_simpan(
    *,
    instansi: Instansi,
    tahun: int,
    usulan: Sequence[tuple[str, str]],
    surat: dict[str, str],
    user: Any,
    access: InstansiAccess | None,
) -> Pengusulan:
    """Save the draf: the proposed units as (penilaian code, predikat), in letter order,
    and the letter's fields (`LETTER_FIELDS`). Refused with nothing changed: without the
    right, once signed, for a unit of another instansi or year, a unit without a final
    TPI result, a predikat its result does not reach, or a unit listed twice."""
    if access is not None and not access.can(Izin.SIAPKAN_PENGUSULAN):
        raise PengusulanDitolak(_("Hanya TPI instansi dan admin yang dapat menyiapkan pengusulan."))
    chosen: list[tuple[Penilaian, str]] = []
    seen: set[int] = set()
    for code, predikat in usulan:
        penilaian = (
            Penilaian.objects.select_related("unit__instansi", "model").filter(code=code).first()
            if _is_uuid(code)
            else None
        )
        if penilaian is None or penilaian.unit.instansi_id != instansi.pk:
            raise PengusulanDitolak(
                _("Unit yang dipilih bukan unit kerja %(instansi)s.") % {"instansi": instansi.nama}
            )
        if penilaian.tahun != tahun:
            raise PengusulanDitolak(
                _("Penilaian %(unit)s bukan penilaian tahun %(t)d.")
                % {"unit": penilaian.unit.nama, "t": tahun}
            )
        if penilaian.pk in seen:
            raise PengusulanDitolak(
                _("%(unit)s dipilih lebih dari sekali.") % {"unit": penilaian.unit.nama}
            )
        seen.add(penilaian.pk)
        kandidat = _kandidat(penilaian)
        if not kandidat.boleh:
            raise PengusulanDitolak(
                _("%(unit)s tidak dapat diusulkan: %(alasan)s")
                % {"unit": penilaian.unit.nama, "alasan": kandidat.alasan}
            )
        if predikat not in kandidat.boleh:
            raise PengusulanDitolak(
                _("%(unit)s tidak dapat diusulkan untuk predikat %(p)s: hasil final TPI %(hasil)s.")
                % {
                    "unit": penilaian.unit.nama,
                    "p": predikat or "-",
                    "hasil": kandidat.snapshot.predikat if kandidat.snapshot else "-",
                }
            )
        chosen.append((penilaian, predikat))
    values = {f: str(surat.get(f, "")).strip() for f in LETTER_FIELDS}
    for name, label, limit in (
        ("nomor_surat", _("Nomor surat"), 200),
        ("tempat", _("Tempat"), 100),
        ("alamat_instansi", _("Alamat instansi"), 300),
    ):
        if len(values[name]) > limit:
            raise PengusulanDitolak(
                _("%(f)s paling panjang %(n)d karakter.") % {"f": label, "n": limit}
            )
    with transaction.atomic():
        row, created = Pengusulan.objects.select_for_update().get_or_create(
            instansi=instansi, tahun=tahun, defaults={"dibuat_oleh": user}
        )
        if row.status != StatusPengusulan.DRAF:
            raise PengusulanDitolak(
                _("Pengusulan ini sudah %(status)s; pilihan unit tidak dapat diubah lagi.")
                % {"status": row.get_status_display().lower()}
            )
        before = {u.penilaian_id: u for u in row.units.select_related("penilaian__unit")}
        letter_old = {f: getattr(row, f) for f in LETTER_FIELDS}
        for f, v in values.items():
            setattr(row, f, v)
        row.save()
        keep: set[int] = set()
        for urutan, (penilaian, predikat) in enumerate(chosen, start=1):
            keep.add(penilaian.pk)
            old = before.get(penilaian.pk)
            new_state = {"diusulkan": "ya", "predikat": predikat, "urutan": str(urutan)}
            if old is None:
                PengusulanUnit.objects.create(
                    pengusulan=row, penilaian=penilaian, predikat=predikat, urutan=urutan
                )
                _record(
                    user=user,
                    pengusulan=row,
                    penilaian=penilaian,
                    aksi=Riwayat.Aksi.BUAT,
                    old={},
                    new=new_state,
                )
            elif (old.predikat, old.urutan) != (predikat, urutan):
                _record(
                    user=user,
                    pengusulan=row,
                    penilaian=penilaian,
                    aksi=Riwayat.Aksi.UBAH,
                    old={"diusulkan": "ya", "predikat": old.predikat, "urutan": str(old.urutan)},
                    new=new_state,
                )
                old.predikat, old.urutan = predikat, urutan
                old.save(update_fields=["predikat", "urutan"])
        for penilaian_id, old in before.items():
            if penilaian_id not in keep:
                old.delete()
                _record(
                    user=user,
                    pengusulan=row,
                    penilaian=old.penilaian,
                    aksi=Riwayat.Aksi.HAPUS,
                    old={"diusulkan": "ya", "predikat": old.predikat},
                    new={},
                )
        letter_new = {f: getattr(row, f) for f in LETTER_FIELDS}
        if letter_new != letter_old:
            riwayat_record(
                user=user,
                unit=None,
                tahun=tahun,
                objek="pengusulan",
                objek_id=row.pk,
                kode=instansi.kode,
                aksi=Riwayat.Aksi.BUAT if created else Riwayat.Aksi.UBAH,
                perubahan=diff(letter_old, letter_new),
            )
    return row


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def pengusulan_signing_refusal(pengusulan: Pengusulan, access: InstansiAccess | None) -> str | None:
    """Why the letter and SPTJM cannot be signed now (None: they can)."""
    if access is None or not access.can(Izin.TANDATANGANI_PENGUSULAN):
        return _("Hanya pimpinan instansi yang dapat menandatangani surat pengajuan dan SPTJM.")
    if pengusulan.status != StatusPengusulan.DRAF:
        return _("Pengusulan ini sudah ditandatangani.")
    if not pengusulan.units.exists():
        return _("Pilih paling sedikit satu unit kerja yang diusulkan.")
    for u in pengusulan.units.select_related("penilaian__unit"):
        if u.predikat not in _kandidat(u.penilaian).boleh:
            return _("%(unit)s tidak lagi memenuhi predikat yang diusulkan.") % {
                "unit": u.penilaian.unit.nama
            }
    return None


def pengusulan_ditandatangani(
    *, pengusulan: Pengusulan, user: Any, seen: dt.datetime, dokumen_code: str
) -> Pengusulan:
    """draf -> ditandatangani, called by the signing (documents.pengusulan) once the
    signed PDF is stored, inside its transaction. `seen`: the draf's `diubah_pada` the PDF
    was rendered from; a draf changed since then is refused (the PDF is discarded)."""
    locked = Pengusulan.objects.select_for_update().select_related("instansi").get(pk=pengusulan.pk)
    if locked.status != StatusPengusulan.DRAF or locked.diubah_pada != seen:
        raise PengusulanDitolak(
            _("Pengusulan berubah selama penandatanganan; tanda tangani kembali.")
        )
    locked.status = StatusPengusulan.DITANDATANGANI
    locked.ditandatangani_oleh = user
    locked.ditandatangani_pada = timezone.now()
    locked.save()
    for u in pengusulan_units(locked):
        _record(
            user=user,
            pengusulan=locked,
            penilaian=u.penilaian,
            aksi=Riwayat.Aksi.UBAH,
            old={"status": StatusPengusulan.DRAF},
            new={"status": StatusPengusulan.DITANDATANGANI, "dokumen": dokumen_code},
        )
    return locked


def pengusulan_kirim(
    *, pengusulan: Pengusulan, user: Any, access: InstansiAccess | None
) -> Pengusulan:
    """ditandatangani -> dikirim: the signed letter went to the TPN."""
    if access is not None and not (
        access.can(Izin.TANDATANGANI_PENGUSULAN) or access.can(Izin.SIAPKAN_PENGUSULAN)
    ):
        raise PengusulanDitolak(_("Anda tidak dapat menandai pengusulan ini."))
    with transaction.atomic():
        locked = Pengusulan.objects.select_for_update().get(pk=pengusulan.pk)
        if locked.status != StatusPengusulan.DITANDATANGANI:
            raise PengusulanDitolak(
                _("Hanya pengusulan yang sudah ditandatangani yang dapat ditandai terkirim.")
            )
        locked.status = StatusPengusulan.DIKIRIM
        locked.dikirim_pada = timezone.now()
        locked.save()
        for u in pengusulan_units(locked):
            _record(
                user=user,
                pengusulan=locked,
                penilaian=u.penilaian,
                aksi=Riwayat.Aksi.UBAH,
                old={"status": StatusPengusulan.DITANDATANGANI},
                new={"status": StatusPengusulan.DIKIRIM},
            )
    return locked
