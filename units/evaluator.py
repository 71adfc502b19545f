"""Outside evaluators (TPN, external auditors): the audited writes of their grants and
the log of the files they open.

The rights are in units.access (`penilaian_access`); this module only writes. A grant's
creation, change and removal are recorded in Riwayat (on the penilaian's year, so they
show on its Riwayat page); each file an evaluator views or downloads is an `AksesBerkas`
row (a read, not a change, so not in Riwayat).
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from units.access import UnitAccess
from units.audit import diff, riwayat_record
from units.models import AksesBerkas, AksesEvaluator, Riwayat

_OBJEK = "akses_evaluator"
Pengguna = AbstractBaseUser | AnonymousUser | None


def _snapshot(grant: AksesEvaluator) -> dict[str, object]:
    return {
        "evaluator": grant.user.get_username(),
        "jenis": grant.get_jenis_display(),
        "lembaga": grant.lembaga,
        "penilaian": f"{grant.unit.nama} {grant.tahun}",
        "mulai": grant.mulai.isoformat(),
        "selesai": grant.selesai.isoformat(),
        "dasar": grant.dasar,
    }


def _record(grant: AksesEvaluator, user: Pengguna, aksi: str, old: dict[str, object]) -> None:
    riwayat_record(
        user=user,
        unit=grant.unit,
        tahun=grant.tahun,
        objek=_OBJEK,
        objek_id=grant.pk,
        kode=grant.user.get_username(),
        aksi=aksi,
        perubahan=diff(old, _snapshot(grant) if aksi != Riwayat.Aksi.HAPUS else {}),
    )


@transaction.atomic
def akses_evaluator_simpan(grant: AksesEvaluator, *, user: Pengguna) -> AksesEvaluator:
    """Create or change a grant (validated: end on or after start, one per penilaian and
    evaluator), recorded in Riwayat with the old and new values."""
    old: dict[str, object] = {}
    aksi = Riwayat.Aksi.BUAT
    if grant.pk is not None:
        before = (
            AksesEvaluator.objects.select_for_update()
            .select_related("user", "unit")
            .filter(pk=grant.pk)
            .first()
        )
        if before is not None:
            old, aksi = _snapshot(before), Riwayat.Aksi.UBAH
    is_person = user is not None and user.is_authenticated
    if aksi == Riwayat.Aksi.BUAT and grant.diberikan_oleh_id is None and is_person:
        grant.diberikan_oleh_id = cast(int, cast(AbstractBaseUser, user).pk)
    grant.full_clean()
    grant.save()
    _record(grant, user, aksi, old)
    return grant


@transaction.atomic
def akses_evaluator_hapus(grant: AksesEvaluator, *, user: Pengguna) -> None:
    """Remove a grant (its file log stays), recorded in Riwayat."""
    _record(grant, user, Riwayat.Aksi.HAPUS, _snapshot(grant))
    grant.delete()


def akses_berkas_catat(
    access: UnitAccess,
    *,
    user: Pengguna,
    tahun: int,
    jenis: str,
    objek_id: object,
    nama_berkas: str,
) -> AksesBerkas | None:
    """Log a file an outside evaluator views or downloads; nothing for members of the unit.

    Every file door calls this after its rights check and before it streams the file.
    """
    grant = access.akses_evaluator
    if grant is None:
        return None
    return AksesBerkas.objects.create(
        user=user if user is not None and user.is_authenticated else None,  # type: ignore[misc]
        akses=grant,
        unit=access.unit,
        tahun=tahun,
        jenis=jenis,
        objek_id=str(objek_id),
        nama_berkas=nama_berkas[:255],
    )
