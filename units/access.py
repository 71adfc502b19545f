"""Who may see and do what in a unit: the one place that maps roles to permissions.

Views fetch units and penilaian only through these helpers. A user without any role in
the unit gets 404 (never 403), so other units' existence is not revealed; a user who may
see but not change something gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from units.models import PERAN_INSTANSI, Instansi, Keanggotaan, Peran, UnitKerja

User = AbstractBaseUser | AnonymousUser


class Izin(StrEnum):
    """What a role may do in a unit; every check names one of these, never a bare string."""

    VIEW = "view"
    EDIT_MANDIRI = "edit_mandiri"
    UPLOAD_BUKTI = "upload_bukti"
    EDIT_RENCANA_AKSI = "edit_rencana_aksi"
    SUBMIT = "submit"
    EXPORT = "export"
    REVIEW = "review"
    EDIT_TPI = "edit_tpi"
    FINALIZE = "finalize"
    APPROVE = "approve"
    MANAGE = "manage"
    # Tabel 5 (syarat pengusulan): the unit's values, the instansi's values.
    ISI_SYARAT_UNIT = "isi_syarat_unit"
    ISI_SYARAT_INSTANSI = "isi_syarat_instansi"
    # Evaluasi menuju WBK secara mandiri (PermenPANRB 5/2024 B): record that the instansi
    # evaluates its own units and the penetapan after the TPI's final.
    TETAPKAN_MANDIRI = "tetapkan_mandiri"


_TIM_KERJA = frozenset(
    {
        Izin.VIEW,
        Izin.EDIT_MANDIRI,
        Izin.UPLOAD_BUKTI,
        Izin.EDIT_RENCANA_AKSI,
        Izin.SUBMIT,
        Izin.EXPORT,
    }
)
ROLE_PERMISSIONS: dict[str, frozenset[Izin]] = {
    Peran.TIM_KERJA: _TIM_KERJA | {Izin.ISI_SYARAT_UNIT},
    Peran.TPI: frozenset({Izin.VIEW, Izin.REVIEW, Izin.EDIT_TPI, Izin.FINALIZE, Izin.EXPORT}),
    Peran.PIMPINAN: frozenset({Izin.VIEW, Izin.APPROVE, Izin.EXPORT}),
    Peran.ADMIN: _TIM_KERJA | {Izin.MANAGE, Izin.ISI_SYARAT_UNIT},
    # Approves for every unit of an instansi (a membership with `instansi`).
    Peran.PIMPINAN_INSTANSI: frozenset(
        {Izin.VIEW, Izin.EXPORT, Izin.ISI_SYARAT_INSTANSI, Izin.TETAPKAN_MANDIRI}
    ),
}


@dataclass(frozen=True)
class UnitAccess:
    """A user's roles in one unit and the permissions they add up to."""

    unit: UnitKerja
    roles: frozenset[str]
    permissions: frozenset[Izin]
    # Area numbers a tim kerja member is limited to; empty means every area.
    areas: frozenset[int]

    def can(self, permission: Izin) -> bool:
        return permission in self.permissions

    def can_edit_area(self, nomor: int) -> bool:
        return self.can(Izin.EDIT_MANDIRI) and (not self.areas or nomor in self.areas)

    def covers_every_area(self) -> bool:
        """Unit-wide actions (submit, copy last year) need a membership without area limit."""
        return not self.areas


def _memberships(user: User) -> QuerySet[Keanggotaan]:
    return Keanggotaan.objects.filter(user_id=cast(int, user.pk))


def units_for_user(user: User) -> QuerySet[UnitKerja]:
    """Every unit the user has a role in, directly or through an instansi-wide role."""
    if not user.is_authenticated:
        return UnitKerja.objects.none()
    if getattr(user, "is_superuser", False):
        return UnitKerja.objects.all()
    memberships = _memberships(user)
    return UnitKerja.objects.filter(
        Q(pk__in=memberships.filter(unit__isnull=False).values("unit_id"))
        | Q(instansi_id__in=memberships.filter(instansi__isnull=False).values("instansi_id"))
    )


def unit_access(user: User, unit: UnitKerja) -> UnitAccess | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        perms = frozenset().union(*ROLE_PERMISSIONS.values())
        return UnitAccess(unit, frozenset({Peran.ADMIN}), perms, frozenset())
    rows = list(
        _memberships(user)
        .filter(Q(unit=unit) | Q(instansi_id=unit.instansi_id))
        .values_list("peran", "area_terbatas")
    )
    if not rows:
        return None
    roles = frozenset(peran for peran, _ in rows)
    perms = frozenset().union(*(ROLE_PERMISSIONS[r] for r in roles))
    limits: set[int] = set()
    for peran, areas in rows:
        if peran in (Peran.TIM_KERJA,) and areas:
            limits.update(int(a) for a in areas)
        elif peran == Peran.ADMIN:
            limits.clear()
            break
    return UnitAccess(unit, roles, perms, frozenset(limits))


def units_with_role(user: User, role: str) -> QuerySet[UnitKerja]:
    """Units where the user holds `role` (also through an instansi); all for admins."""
    if not user.is_authenticated:
        return UnitKerja.objects.none()
    if getattr(user, "is_superuser", False):
        return UnitKerja.objects.all()
    memberships = _memberships(user).filter(peran=role)
    return UnitKerja.objects.filter(
        Q(pk__in=memberships.filter(unit__isnull=False).values("unit_id"))
        | Q(instansi_id__in=memberships.filter(instansi__isnull=False).values("instansi_id"))
    )


def instansi_for_user(user: User) -> QuerySet[Instansi]:
    """The instansi whose recap page the user may open (every one for an admin).

    The page covers every unit of an instansi, so it needs a role for the whole instansi:
    its TPI or its pimpinan instansi (a membership with `instansi`), or the admin.
    """
    if not user.is_authenticated:
        return Instansi.objects.none()
    if getattr(user, "is_superuser", False):
        return Instansi.objects.all()
    return Instansi.objects.filter(
        pk__in=_memberships(user)
        .filter(instansi__isnull=False, peran__in=PERAN_INSTANSI)
        .values("instansi_id")
    )
