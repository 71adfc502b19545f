"""Who may see and do what in a unit: the one place that maps roles to permissions.

Views fetch units and penilaian only through these helpers. A user without any role in
the unit gets 404 (never 403), so other units' existence is not revealed; a user who may
see but not change something gets 403. An outside evaluator (TPN, external auditor) has
no role in a unit: an admin grants them one penilaian for a period (`AksesEvaluator`),
and `penilaian_access` is the one helper every door of a penilaian asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, cast
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from units.models import PERAN_INSTANSI, AksesEvaluator, Instansi, Keanggotaan, Peran, UnitKerja

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
    # The TPN's result (its answer set, after the TPI's final): admin or the TPI.
    ISI_TPN = "isi_tpn"
    # Start the unit's next penilaian year (copying rencana aksi, carrying bukti forward).
    MULAI_TAHUN = "mulai_tahun"
    # The TPI's laporan hasil evaluasi (LHE): the TPI result as a signed report, for the
    # TPI, the unit's pimpinan, the pimpinan instansi and admins; not the tim kerja.
    UNDUH_LHE = "unduh_lhe"
    # Pengusulan to the TPN (5/2024 Bab II A), per instansi and year: the TPI and admins
    # prepare the selection; only the pimpinan instansi signs the letter and the SPTJM.
    SIAPKAN_PENGUSULAN = "siapkan_pengusulan"
    TANDATANGANI_PENGUSULAN = "tandatangani_pengusulan"


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
    Peran.TPI: frozenset(
        {
            Izin.VIEW,
            Izin.REVIEW,
            Izin.EDIT_TPI,
            Izin.FINALIZE,
            Izin.EXPORT,
            Izin.UNDUH_LHE,
            Izin.SIAPKAN_PENGUSULAN,
            Izin.ISI_TPN,
        }
    ),
    Peran.PIMPINAN: frozenset({Izin.VIEW, Izin.APPROVE, Izin.EXPORT, Izin.UNDUH_LHE}),
    Peran.ADMIN: _TIM_KERJA
    | {Izin.MANAGE, Izin.ISI_SYARAT_UNIT, Izin.UNDUH_LHE, Izin.ISI_TPN, Izin.MULAI_TAHUN},
    # Approves for every unit of an instansi (a membership with `instansi`).
    Peran.PIMPINAN_INSTANSI: frozenset(
        {
            Izin.VIEW,
            Izin.EXPORT,
            Izin.ISI_SYARAT_INSTANSI,
            Izin.TETAPKAN_MANDIRI,
            Izin.UNDUH_LHE,
            Izin.TANDATANGANI_PENGUSULAN,
        }
    ),
}


# The role of an access that comes from an outside evaluator's grant (not a Peran: a
# grant is no membership). Read-only: they see the penilaian and may download its
# documents, including exports (a job row changes nothing of the penilaian).
EVALUATOR_LUAR = "evaluator_luar"
EVALUATOR_PERMISSIONS = frozenset({Izin.VIEW, Izin.EXPORT})

# A grant's dates are days in Indonesia's western time zone, whatever the server's.
ZONA_WAKTU_AKSES = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class UnitAccess:
    """A user's roles in one unit and the permissions they add up to."""

    unit: UnitKerja
    roles: frozenset[str]
    permissions: frozenset[Izin]
    # Area numbers a tim kerja member is limited to; empty means every area.
    areas: frozenset[int]
    # The outside evaluator's grant this access comes from (file views are then logged).
    akses_evaluator: AksesEvaluator | None = None

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


class PenilaianRef(Protocol):
    """What the access rules need of a penilaian (lke.Penilaian): its unit and year."""

    @property
    def unit(self) -> UnitKerja: ...

    @property
    def unit_id(self) -> int: ...

    @property
    def tahun(self) -> int: ...


def tanggal_akses(now: dt.datetime | None = None) -> dt.date:
    """Today for the grants: the date in Asia/Jakarta."""
    return timezone.localtime(now or timezone.now(), ZONA_WAKTU_AKSES).date()


def evaluator_grants_current(user: User) -> QuerySet[AksesEvaluator]:
    """The user's outside-evaluator grants valid today (start and end day included)."""
    if not user.is_authenticated:
        return AksesEvaluator.objects.none()
    today = tanggal_akses()
    return AksesEvaluator.objects.filter(
        user_id=cast(int, user.pk), mulai__lte=today, selesai__gte=today
    )


def penilaian_access(user: User, penilaian: PenilaianRef) -> UnitAccess | None:
    """The user's access to one penilaian; None means 404.

    A role in the unit (unit_access) counts for every year of the unit. Without one, an
    outside evaluator's grant for this penilaian that is valid today gives read-only
    access (EVALUATOR_PERMISSIONS); before its first and after its last day, nothing.
    """
    access = unit_access(user, penilaian.unit)
    if access is not None or not user.is_authenticated:
        return access
    grant = (
        evaluator_grants_current(user)
        .filter(unit_id=penilaian.unit_id, tahun=penilaian.tahun)
        .first()
    )
    if grant is None:
        return None
    return UnitAccess(
        penilaian.unit,
        frozenset({EVALUATOR_LUAR}),
        EVALUATOR_PERMISSIONS,
        frozenset(),
        akses_evaluator=grant,
    )


@dataclass(frozen=True)
class InstansiAccess:
    """A user's instansi-wide roles (TPI, pimpinan instansi) and what they may do there.

    Instansi-wide pages (the pengusulan to the TPN) are for these roles and for portal
    admins; a portal admin prepares but never signs for the pimpinan instansi.
    """

    instansi: Instansi
    roles: frozenset[str]
    permissions: frozenset[Izin]

    def can(self, permission: Izin) -> bool:
        return permission in self.permissions


_INSTANSI_PERMISSIONS = frozenset(
    {Izin.VIEW, Izin.SIAPKAN_PENGUSULAN, Izin.TANDATANGANI_PENGUSULAN}
)


def instansi_access(user: User, instansi: Instansi) -> InstansiAccess | None:
    """None for anyone without an instansi-wide role there (and not a portal admin)."""
    if not user.is_authenticated:
        return None
    roles = set(
        _memberships(user)
        .filter(instansi=instansi, peran__in=PERAN_INSTANSI)
        .values_list("peran", flat=True)
    )
    perms: set[Izin] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS[role] & _INSTANSI_PERMISSIONS
    if getattr(user, "is_superuser", False):
        roles.add(Peran.ADMIN)
        perms |= {Izin.VIEW, Izin.SIAPKAN_PENGUSULAN}
    if not roles:
        return None
    return InstansiAccess(instansi, frozenset(roles), frozenset(perms))


def get_instansi_for_user(
    user: User, kode: str, permission: Izin = Izin.VIEW
) -> tuple[Instansi, InstansiAccess]:
    """The instansi with `kode` and the user's instansi-wide access; 404 for anyone
    without an instansi-wide role there, 403 when the permission is missing."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    instansi = Instansi.objects.filter(kode=kode).first()
    access = instansi_access(user, instansi) if instansi is not None else None
    if instansi is None or access is None:
        raise Http404
    if not access.can(permission):
        raise PermissionDenied
    return instansi, access


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
