from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lke.access import get_penilaian_for_user
from lke.models import Penilaian
from units.access import Izin, unit_access, units_for_user
from units.models import Keanggotaan, Peran, UnitKerja

pytestmark = pytest.mark.django_db


def _user(name: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=name)


def test_it_lists_no_unit_for_anonymous_users() -> None:
    assert not units_for_user(AnonymousUser()).exists()


def test_it_gives_tim_kerja_edit_rights_only_in_their_areas() -> None:
    user = _user("tim.biro-hp")
    unit = UnitKerja.objects.get(slug="biro-hp")
    Keanggotaan.objects.filter(user=user, unit=unit).update(area_terbatas=[1, 2])
    access = unit_access(user, unit)
    assert access is not None and access.can(Izin.EDIT_MANDIRI)
    assert access.can_edit_area(1) and not access.can_edit_area(3)


def test_it_gives_pimpinan_read_only_access() -> None:
    access = unit_access(_user("pimpinan.biro-hp"), UnitKerja.objects.get(slug="biro-hp"))
    assert access is not None and access.can(Izin.VIEW) and not access.can(Izin.EDIT_MANDIRI)


def test_it_lets_one_user_hold_roles_in_several_units() -> None:
    user = _user("tim.biro-hp")
    Keanggotaan.objects.create(
        user=user, unit=UnitKerja.objects.get(slug="pusat-tik"), peran=Peran.PIMPINAN
    )
    assert set(units_for_user(user).values_list("slug", flat=True)) == {"biro-hp", "pusat-tik"}


def test_it_hides_other_units_penilaian_with_404() -> None:
    other = Penilaian.objects.get(unit__slug="rutan-kupang")
    with pytest.raises(Http404):
        get_penilaian_for_user(_user("tim.biro-hp"), str(other.code))


def test_it_refuses_edit_permission_to_read_only_roles_with_403() -> None:
    own = Penilaian.objects.get(unit__slug="biro-hp")
    with pytest.raises(PermissionDenied):
        get_penilaian_for_user(_user("pimpinan.biro-hp"), str(own.code), Izin.EDIT_MANDIRI)


def test_it_returns_404_for_a_malformed_code() -> None:
    with pytest.raises(Http404):
        get_penilaian_for_user(_user("admin"), "bukan-uuid")


def test_the_lhe_goes_to_who_sees_the_tpi_result_not_to_the_tim_kerja() -> None:
    unit = UnitKerja.objects.get(slug="biro-hp")
    expected = {
        "tpi.mk": True,
        "pimpinan.biro-hp": True,
        "pimpinan.mk": True,  # pimpinan instansi
        "admin": True,
        "tim.biro-hp": False,
    }
    got = {}
    for name in expected:
        access = unit_access(_user(name), unit)
        assert access is not None, name
        got[name] = access.can(Izin.UNDUH_LHE)
    assert got == expected
