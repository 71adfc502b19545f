"""Recording changes in the audit trail (`Riwayat`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from units.models import Riwayat, UnitKerja


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[str]]:
    """Fields whose display value changed, as {field: [old, new]}."""
    return {
        key: [_text(old.get(key)), _text(new.get(key))]
        for key in sorted(set(old) | set(new))
        if _text(old.get(key)) != _text(new.get(key))
    }


def riwayat_record(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    unit: UnitKerja | None,
    tahun: int | None,
    objek: str,
    objek_id: object,
    kode: str,
    aksi: str,
    perubahan: dict[str, list[str]],
) -> Riwayat | None:
    """Record a change; nothing is written when nothing changed (a deletion is always kept)."""
    if aksi != Riwayat.Aksi.HAPUS and not perubahan:
        return None
    return Riwayat.objects.create(
        user=user if user is not None and user.is_authenticated else None,  # type: ignore[misc]
        unit=unit,
        tahun=tahun,
        objek=objek,
        objek_id=str(objek_id),
        kode=kode,
        aksi=aksi,
        perubahan=perubahan,
    )
