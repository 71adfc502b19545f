"""Who may see and do what in a unit: the one place that maps roles to permissions.

Views fetch units and penilaian only through these helpers. A user without any role in
the unit gets 404 (never 403), so other units' existence is not revealed; a user who may
see but not change something gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from lke.models import Penilaian
from units.models import Keanggotaan, Peran, UnitKerja

User = AbstractBaseUser | AnonymousUser

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Peran.TIM_KERJA: frozenset(
        {"view", "edit_mandiri", "upload_bukti", "edit_rencana_aksi", "submit", "export"}
    ),
    Peran.TPI: frozenset({"view", "review", "edit_tpi", "finalize", "export"}),
    Peran.PIMPINAN: frozenset({"view", "approve", "export"}),
    Peran.ADMIN: frozenset(
        {"view", "edit_mandiri", "upload_bukti", "edit_rencana_aksi", "submit", "export", "manage"}
    ),
}


@dataclass(frozen=True)
class UnitAccess:
    """A user's roles in one unit and the permissions they add up to."""

    unit: UnitKerja
    roles: frozenset[str]
    permissions: frozenset[str]
    # Area numbers a tim kerja member is limited to; empty means every area.
    areas: frozenset[int]

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def can_edit_area(self, nomor: int) -> bool:
        return self.can("edit_mandiri") and (not self.areas or nomor in self.areas)

    def covers_every_area(self) -> bool:
        """Unit-wide actions (submit, copy last year) need a membership without area limit."""
        return not self.areas


def _memberships(user: User) -> QuerySet[Keanggotaan]:
    return Keanggotaan.objects.filter(user_id=cast(int, user.pk))


def units_for_user(user: User) -> QuerySet[UnitKerja]:
    """Every unit the user has a role in, directly or through an instansi-wide TPI role."""
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


def get_penilaian_for_user(
    user: User, code: str, permission: str = "view"
) -> tuple[Penilaian, UnitAccess]:
    """The penilaian with `code` and the user's access; 404 for outsiders, 403 if not allowed."""
    try:
        penilaian = Penilaian.objects.select_related("unit__instansi", "model").get(code=code)
    except (Penilaian.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    access = unit_access(user, penilaian.unit)
    if access is None:
        raise Http404
    if not access.can(permission):
        raise PermissionDenied
    return penilaian, access


def units_with_role(user: User, role: str) -> QuerySet[UnitKerja]:
    """Units where the user holds `role` (for TPI also through an instansi); all for admins."""
    if not user.is_authenticated:
        return UnitKerja.objects.none()
    if getattr(user, "is_superuser", False):
        return UnitKerja.objects.all()
    memberships = _memberships(user).filter(peran=role)
    return UnitKerja.objects.filter(
        Q(pk__in=memberships.filter(unit__isnull=False).values("unit_id"))
        | Q(instansi_id__in=memberships.filter(instansi__isnull=False).values("instansi_id"))
    )
