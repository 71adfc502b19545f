"""Fetching a penilaian for a user: 404 for outsiders, 403 when the role may not act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lke.models import Penilaian
from units.access import Izin, UnitAccess, User, penilaian_access


def get_penilaian_for_user(
    user: User, code: str, permission: Izin = Izin.VIEW
) -> tuple[Penilaian, UnitAccess]:
    """The penilaian with `code` and the user's access; 404 for outsiders, 403 if not allowed.

    Outsiders include an outside evaluator before the first or after the last day of
    their grant (units.access.penilaian_access).
    """
    try:
        penilaian = Penilaian.objects.select_related("unit__instansi", "model").get(code=code)
    except (Penilaian.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    access = penilaian_access(user, penilaian)
    if access is None:
        raise Http404
    if not access.can(permission):
        raise PermissionDenied
    return penilaian, access
