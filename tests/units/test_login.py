"""Issue 13 part 6: the login's error message and the lock-out page's way back."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_a_wrong_password_gets_a_plain_indonesian_message(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "tim.biro-hp", "password": "salah"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan nama pengguna dan kata sandi yang benar" in body
    assert "nama pengguna nama pengguna" not in body


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=1)
def test_the_lock_out_page_links_back_to_the_login(client: Client) -> None:
    locked = client.post("/accounts/login/", {"username": "tim.biro-hp", "password": "salah"})
    assert locked.status_code == 429
    assert 'href="/accounts/login/" data-kembali-masuk' in locked.content.decode()
