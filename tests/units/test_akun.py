"""Issue 11 part 8: load_demo in production, changing one's password, a forced change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from units.akun import password_change_require
from units.models import ProfilPengguna, Riwayat
from zi_portal.demo import DEMO_PASSWORD, demo_usernames

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Zona-Integritas-baru-2026"


def _change(client: Client, old: str = DEMO_PASSWORD) -> HttpResponseBase:
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_load_demo_refuses_to_run_with_debug_false() -> None:
    # The test settings run with DEBUG=false, as production does.
    with pytest.raises(CommandError, match="--demo-in-production"):
        call_command("load_demo")
    assert not ProfilPengguna.objects.filter(wajib_ganti_sandi=True).exists()


def test_load_demo_in_production_forces_a_change_for_every_demo_account(client: Client) -> None:
    call_command("load_demo", demo_in_production=True)
    flagged = set(
        ProfilPengguna.objects.filter(wajib_ganti_sandi=True).values_list(
            "user__username", flat=True
        )
    )
    assert flagged == set(demo_usernames())
    assert client.login(username="admin", password=DEMO_PASSWORD)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("password_change")
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"] == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Anda wajib mengganti kata sandi" in page.content.decode()
    done = _change(client)
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    assert client.get("/").status_code == 200
    assert not ProfilPengguna.objects.get(user__username="admin").wajib_ganti_sandi
    # A second run does not flag an account whose password is no longer the demo one.
    call_command("load_demo", demo_in_production=True)
    assert not ProfilPengguna.objects.get(user__username="admin").wajib_ganti_sandi


def test_every_user_can_change_their_password(login: Callable[[str], Client]) -> None:
    client = login("tim.biro-hp")
    page = client.get(reverse("password_change"))
    body = page.content.decode()
    assert page.status_code == 200 and "Ganti kata sandi" in body and "Sandi lama" in body
    assert 'href="/accounts/password_change/" data-ganti-sandi' in client.get("/").content.decode()
    wrong = _change(client, old="salah")
    assert wrong.status_code == 200
    assert get_user_model().objects.get(username="tim.biro-hp").check_password(DEMO_PASSWORD)
    done = _change(client)
    assert done.status_code == 302
    assert "Kata sandi Anda sudah diganti" in client.get(done["Location"]).content.decode()
    user = get_user_model().objects.get(username="tim.biro-hp")
    assert user.check_password(NEW_PASSWORD)
    # Still signed in, and the change is in the Riwayat (never the password itself).
    assert client.get("/").status_code == 200
    row = Riwayat.objects.filter(objek="auth.user", kode="tim.biro-hp").latest("id")
    assert row.perubahan == {"kata sandi": ["", "kata sandi diubah"]}


def test_an_admin_can_force_a_change_at_next_login(login: Callable[[str], Client]) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    admin = login("admin")
    response = admin.post(
        "/admin/auth/user/",
        {"action": "wajibkan_ganti_sandi", "_selected_action": [str(tim.pk)]},
    )
    assert response.status_code == 302
    assert ProfilPengguna.objects.get(user=tim).wajib_ganti_sandi
    row = Riwayat.objects.filter(objek="auth.user", kode="tim.biro-hp").latest("id")
    assert row.user is not None and row.user.username == "admin"
    assert row.perubahan == {"wajib ganti kata sandi": ["tidak", "ya"]}

    client = login("tim.biro-hp")
    assert client.get("/")["Location"] == reverse("password_change")
    # Logging out and the language switch stay open.
    assert client.post(reverse("logout")).status_code == 302


def test_the_flag_is_set_once_and_cleared_by_the_change(login: Callable[[str], Client]) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    assert password_change_require([tim], by=None) == 1
    assert password_change_require([tim], by=None) == 0
    client = login("tim.biro-hp")
    assert client.get("/").status_code == 302
    _change(client)
    assert client.get("/").status_code == 200
    assert not ProfilPengguna.objects.get(user=tim).wajib_ganti_sandi
