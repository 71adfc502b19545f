from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from evidence.models import RencanaAksi

pytestmark = pytest.mark.django_db


def test_it_redirects_anonymous_users_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_login_page_in_indonesian(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()


def test_it_refuses_a_wrong_password_with_a_clear_message(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "tim.biro-hp", "password": "salah"})
    assert response.status_code == 200
    assert "masukkan nama pengguna dan kata sandi yang benar" in response.content.decode().lower()


def test_it_shows_tim_kerja_only_their_unit_with_figures(login: Callable[[str], Client]) -> None:
    response = login("tim.biro-hp").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-unit="biro-hp"' in html
    assert 'data-unit="pusat-tik"' not in html and 'data-unit="rutan-kupang"' not in html
    rows = RencanaAksi.objects.filter(penilaian__unit__slug="biro-hp").count()
    assert rows == 90
    assert f'data-figure="rencana-aksi">{rows} ' in html
    assert 'data-figure="dijawab">0 / 110<' in html


def test_it_shows_tpi_every_unit_of_their_instansi(login: Callable[[str], Client]) -> None:
    html = login("tpi.mk").get("/").content.decode()
    assert 'data-unit="biro-hp"' in html and 'data-unit="pusat-tik"' in html
    assert 'data-unit="bkkbn-sumsel"' not in html


def test_it_shows_admin_every_unit(login: Callable[[str], Client]) -> None:
    html = login("admin").get("/").content.decode()
    for slug in ("biro-hp", "pusat-tik", "rutan-kupang", "bkkbn-sumsel"):
        assert f'data-unit="{slug}"' in html


def test_it_rejects_post(login: Callable[[str], Client]) -> None:
    assert login("tim.biro-hp").post("/").status_code == 405


def test_it_runs_a_constant_number_of_queries(
    login: Callable[[str], Client], django_assert_max_num_queries: object
) -> None:
    client = login("admin")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get("/")
