"""Passwords of the portal's accounts: a change forced at the next login, and its end.

The flag lives in `ProfilPengguna.wajib_ganti_sandi`. At login it is copied into the
session (`SESSION_KEY`), so `zi_portal.middleware.PasswordChangeRequiredMiddleware`
needs no query per request; choosing a new password clears both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from units.admin_audit import PASSWORD_CHANGED
from units.audit import riwayat_record
from units.models import ProfilPengguna, Riwayat

SESSION_KEY = "zi_wajib_ganti_sandi"


def _record(user: AbstractBaseUser, *, by: Any, perubahan: dict[str, list[str]]) -> None:
    riwayat_record(
        user=by,
        unit=None,
        tahun=None,
        objek=get_user_model()._meta.label_lower,
        objek_id=user.pk,
        kode=user.get_username(),
        aksi=Riwayat.Aksi.UBAH,
        perubahan=perubahan,
    )


def password_change_require(
    users: Iterable[AbstractBaseUser], *, by: AbstractBaseUser | AnonymousUser | None
) -> int:
    """Flag `users` to choose a new password at their next login; return how many changed."""
    changed = 0
    for user in users:
        profil, _ = ProfilPengguna.objects.get_or_create(user_id=user.pk)
        if profil.wajib_ganti_sandi:
            continue
        profil.wajib_ganti_sandi = True
        profil.save(update_fields=["wajib_ganti_sandi"])
        _record(user, by=by, perubahan={"wajib ganti kata sandi": ["tidak", "ya"]})
        changed += 1
    return changed


def password_change_required(user: AbstractBaseUser) -> bool:
    return ProfilPengguna.objects.filter(user_id=user.pk, wajib_ganti_sandi=True).exists()


def password_changed(request: HttpRequest, user: AbstractBaseUser) -> None:
    """The user chose a new password: record it and lift the obligation."""
    perubahan = {"kata sandi": ["", PASSWORD_CHANGED]}
    if ProfilPengguna.objects.filter(user_id=user.pk, wajib_ganti_sandi=True).update(
        wajib_ganti_sandi=False
    ):
        perubahan["wajib ganti kata sandi"] = ["ya", "tidak"]
    _record(user, by=user, perubahan=perubahan)
    request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="units.akun.login_flag")
def _on_login(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **_: Any) -> None:
    if request is not None and hasattr(request, "session"):
        if password_change_required(user):
            request.session[SESSION_KEY] = True
        else:
            request.session.pop(SESSION_KEY, None)
