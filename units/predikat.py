"""Predikat history of a unit: what it held in a given year, and the audited writes.

Domain rule 10 (Scoring): "already holds WBK" means a predikat held in the penilaian's
year, from the TPN or from the instansi's own evaluation (PermenPANRB 5/2024 B).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from units.audit import diff, riwayat_record
from units.models import PredikatUnit, Riwayat, UnitKerja

Held = Literal["WBK", "WBBM"]
_RANK = {"WBK": 1, "WBBM": 2}
_OBJEK = "predikat"


def _held_in(row: PredikatUnit, year: int) -> bool:
    if row.tahun > year:
        return False
    return row.dicabut_pada is None or row.dicabut_pada.year > year


def predikat_held(unit: UnitKerja, year: int) -> Held | None:
    """The highest predikat the unit held in `year` ("WBK", "WBBM" or None).

    A row counts for every year >= its tahun until revoked; a revocation in year Y means
    the predikat is not held from Y on. Both sources (TPN, evaluasi mandiri) count.
    """
    best: Held | None = None
    for row in PredikatUnit.objects.filter(unit=unit, tahun__lte=year):
        if _held_in(row, year) and (best is None or _RANK[row.predikat] > _RANK[best]):
            best = "WBBM" if row.predikat == "WBBM" else "WBK"
    return best


def predikat_history(unit: UnitKerja) -> list[PredikatUnit]:
    """Every predikat row of the unit, oldest first."""
    return list(PredikatUnit.objects.filter(unit=unit).order_by("tahun", "id"))


def _snapshot(row: PredikatUnit) -> dict[str, object]:
    return {
        "predikat": row.predikat,
        "tahun": row.tahun,
        "sumber": row.get_sumber_display(),
        "nomor_sk": row.nomor_sk,
        "tanggal_sk": row.tanggal_sk.isoformat() if row.tanggal_sk else "",
        "dicabut_pada": row.dicabut_pada.isoformat() if row.dicabut_pada else "",
        "alasan_pencabutan": row.alasan_pencabutan,
        "catatan": row.catatan,
    }


def _record(
    row: PredikatUnit,
    user: AbstractBaseUser | AnonymousUser | None,
    aksi: str,
    old: dict[str, object],
) -> None:
    riwayat_record(
        user=user,
        unit=row.unit,
        tahun=None,  # unit data: shown on the Riwayat of every penilaian year
        objek=_OBJEK,
        objek_id=row.pk,
        kode=row.predikat,
        aksi=aksi,
        perubahan=diff(old, _snapshot(row)),
    )


@transaction.atomic
def predikat_save(row: PredikatUnit, *, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Create or update one predikat row (validated), recorded in Riwayat."""
    old: dict[str, object] = {}
    aksi = Riwayat.Aksi.BUAT
    if row.pk is not None:
        before = PredikatUnit.objects.select_for_update().filter(pk=row.pk).first()
        if before is not None:
            old, aksi = _snapshot(before), Riwayat.Aksi.UBAH
    if row.sumber == PredikatUnit.Sumber.MANDIRI and row.predikat != "WBK":
        # 5/2024 B: an instansi may evaluate its own units "untuk mendapatkan predikat
        # Menuju WBK" only; Menuju WBBM stays with the TPN.
        raise ValidationError(
            {"predikat": _("Evaluasi mandiri instansi hanya dapat menetapkan predikat Menuju WBK.")}
        )
    if row.dicabut_pada is not None and row.dicabut_pada.year < row.tahun:
        raise ValidationError(
            {"dicabut_pada": _("Tanggal pencabutan tidak boleh sebelum tahun predikat.")}
        )
    if row.dicabut_pada is not None and not row.alasan_pencabutan.strip():
        raise ValidationError({"alasan_pencabutan": _("Alasan pencabutan wajib diisi.")})
    row.full_clean()
    row.save()
    _record(row, user, aksi, old)


def predikat_add(
    unit: UnitKerja,
    *,
    predikat: str,
    tahun: int,
    sumber: str,
    nomor_sk: str = "",
    tanggal_sk: dt.date | None = None,
    catatan: str = "",
    user: AbstractBaseUser | AnonymousUser | None,
) -> PredikatUnit:
    """Record a predikat the unit received (admin or TPI)."""
    row = PredikatUnit(
        unit=unit,
        predikat=predikat,
        tahun=tahun,
        sumber=sumber,
        nomor_sk=nomor_sk,
        tanggal_sk=tanggal_sk,
        catatan=catatan,
    )
    predikat_save(row, user=user)
    return row


def predikat_revoke(
    row: PredikatUnit,
    *,
    pada: dt.date,
    alasan: str,
    user: AbstractBaseUser | AnonymousUser | None,
) -> PredikatUnit:
    """Revoke a predikat from `pada` on (not held from that year), with a reason."""
    if row.dicabut_pada is not None:
        raise ValidationError(_("Predikat ini sudah dicabut."))
    row.dicabut_pada = pada
    row.alasan_pencabutan = alasan.strip()
    predikat_save(row, user=user)
    return row


@transaction.atomic
def predikat_delete(row: PredikatUnit, *, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Delete a wrongly entered row (a revocation is `predikat_revoke`), recorded."""
    old = _snapshot(row)
    riwayat_record(
        user=user,
        unit=row.unit,
        tahun=None,  # unit data: shown on the Riwayat of every penilaian year
        objek=_OBJEK,
        objek_id=row.pk,
        kode=row.predikat,
        aksi=Riwayat.Aksi.HAPUS,
        perubahan=diff(old, {}),
    )
    row.delete()


@transaction.atomic
def predikat_ensure(
    unit: UnitKerja,
    *,
    predikat: str,
    tahun: int,
    sumber: str,
    catatan: str = "",
    user: AbstractBaseUser | AnonymousUser | None,
) -> tuple[PredikatUnit, bool]:
    """The unit's row for (predikat, tahun, sumber), created once (idempotent).

    Returns the row and whether it was created now; a second call with the same verdict
    finds the first call's row and records nothing.
    """
    found = (
        PredikatUnit.objects.select_for_update()
        .filter(unit=unit, predikat=predikat, tahun=tahun, sumber=sumber)
        .first()
    )
    if found is not None:
        return found, False
    return (
        predikat_add(
            unit, predikat=predikat, tahun=tahun, sumber=sumber, catatan=catatan, user=user
        ),
        True,
    )
