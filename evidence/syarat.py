"""Writing Tabel 5 values (syarat pengusulan) of an instansi or a unit, with their evidence.

The catalogue (which values, which scale) is `lke.syarat`; the rights are the caller's
(the view checks `Izin.ISI_SYARAT_UNIT` / `Izin.ISI_SYARAT_INSTANSI`). Every change is
recorded in Riwayat: a unit's value on that unit, an instansi's value on each of its units
(so every unit's Riwayat shows who changed the instansi's opini BPK).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from evidence.models import IsianSyarat
from evidence.services import max_upload_bytes, upload_sha256
from evidence.validators import BuktiDitolak, detect_and_validate
from lke.syarat import Isian, parse_nilai
from units.audit import diff, riwayat_record
from units.models import Instansi, Riwayat, UnitKerja

log = logging.getLogger(__name__)
_OBJEK = "syarat"


def _snapshot(row: IsianSyarat | None) -> dict[str, str]:
    if row is None:
        return {}
    return {
        "nilai": row.nilai,
        "catatan": row.catatan,
        "berkas": row.nama_asli,
        "sha256": row.sha256,
        "tersimpan_sebagai": row.berkas.name if row.berkas else "",
        "tautan": row.url,
    }


def _record(
    row: IsianSyarat,
    *,
    instansi: Instansi | None,
    unit: UnitKerja | None,
    user: Any,
    aksi: str,
    changes: dict[str, list[str]],
) -> None:
    units = [unit] if unit is not None else list(UnitKerja.objects.filter(instansi=instansi))
    kode = row.kode if unit is not None else f"instansi:{row.kode}"
    for target in units:
        riwayat_record(
            user=user,
            unit=target,
            tahun=row.tahun,
            objek=_OBJEK,
            objek_id=row.pk,
            kode=kode,
            aksi=aksi,
            perubahan=changes,
        )


def isian_syarat_get(
    *, isian: Isian, tahun: int, instansi: Instansi | None = None, unit: UnitKerja | None = None
) -> IsianSyarat | None:
    owner: dict[str, Any] = {"unit": unit} if isian.tingkat == "unit" else {"instansi": instansi}
    return IsianSyarat.objects.filter(tahun=tahun, kode=isian.kode, **owner).first()


def isian_syarat_simpan(
    *,
    isian: Isian,
    tahun: int,
    instansi: Instansi | None = None,
    unit: UnitKerja | None = None,
    nilai: str,
    catatan: str = "",
    berkas: UploadedFile | None = None,
    url: str = "",
    user: Any,
) -> IsianSyarat | None:
    """Save one value (validated) with its evidence; an empty `nilai` clears it.

    Bad input raises ValidationError / BuktiDitolak with an Indonesian message and changes
    nothing. Returns the row, or None when the value was cleared.
    """
    if isian.tingkat == "unit":
        if unit is None:
            raise ValidationError(_("Isian ini milik unit kerja."))
        instansi = None
    else:
        if instansi is None:
            raise ValidationError(_("Isian ini milik instansi."))
        unit = None
    url = (url or "").strip()
    if url:
        URLValidator(schemes=["http", "https"])(url)
    checked: tuple[str, str, str] | None = None
    if berkas is not None:
        name, mime = detect_and_validate(berkas, max_bytes=max_upload_bytes())
        checked = (name, mime, upload_sha256(berkas))
    owner: dict[str, Any] = {"unit": unit} if unit is not None else {"instansi": instansi}
    with transaction.atomic():
        row = (
            IsianSyarat.objects.select_for_update()
            .filter(tahun=tahun, kode=isian.kode, **owner)
            .first()
        )
        old = _snapshot(row)
        if not (nilai or "").strip():
            if row is None:
                return None
            _record(
                row,
                instansi=instansi,
                unit=unit,
                user=user,
                aksi=Riwayat.Aksi.HAPUS,
                changes=diff(old, {}),
            )
            row.delete()  # the stored file stays: Riwayat names it
            return None
        stored = parse_nilai(isian.jenis, nilai)
        aksi = Riwayat.Aksi.UBAH if row is not None else Riwayat.Aksi.BUAT
        if row is None:
            row = IsianSyarat(tahun=tahun, kode=isian.kode, **owner)
        row.nilai = stored
        row.catatan = (catatan or "").strip()
        row.diisi_oleh = user if getattr(user, "is_authenticated", False) else None
        if url:
            row.url = url
        if checked is not None and berkas is not None:
            name, mime, sha = checked
            try:
                row.berkas.save(name, berkas, save=False)
            except OSError as exc:
                log.exception("storing a Tabel 5 evidence file failed")
                raise BuktiDitolak(
                    _("Berkas gagal disimpan (penyimpanan bermasalah). Tidak ada yang tersimpan.")
                ) from exc
            row.nama_asli, row.tipe_konten, row.sha256 = name, mime, sha
        try:
            row.full_clean(exclude=["berkas", "diisi_oleh"])
            row.save()
        except Exception:
            if checked is not None and row.berkas:
                row.berkas.storage.delete(row.berkas.name)
            raise
        _record(
            row,
            instansi=instansi,
            unit=unit,
            user=user,
            aksi=aksi,
            changes=diff(old, _snapshot(row)),
        )
    return row
