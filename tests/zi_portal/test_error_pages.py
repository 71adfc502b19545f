"""Issue 13 part 4: error pages in Bahasa Indonesia with a way home, and a favicon."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from lke.models import Penilaian

pytestmark = pytest.mark.django_db


def _assert_error_page(body: str, code: int, heading: str) -> None:
    assert f'data-error="{code}"' in body
    assert heading in body
    assert 'href="/"' in body and "Kembali ke beranda" in body
    assert 'lang="id"' in body
    for english in ("Not Found", "Forbidden", "Server Error", "Bad Request"):
        assert english not in body


def test_a_missing_page_answers_404_in_indonesian(client: Client) -> None:
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    _assert_error_page(response.content.decode(), 404, "Halaman tidak ditemukan")


def test_another_units_penilaian_is_indistinguishable_from_a_missing_one(
    login: Callable[[str], Client],
) -> None:
    client = login("tim.biro-hp")
    other = Penilaian.objects.get(unit__slug="pusat-tik")
    foreign = client.get(reverse("scoring:dashboard", args=[other.code]))
    missing = client.get(reverse("scoring:dashboard", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    _assert_error_page(foreign.content.decode(), 404, "Halaman tidak ditemukan")


def test_a_forbidden_action_answers_403_in_indonesian(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    # The pimpinan may read the worksheet but not submit it.
    response = login("pimpinan.biro-hp").post(reverse("scoring:ajukan", args=[biro_hp.code]))
    assert response.status_code == 403
    _assert_error_page(response.content.decode(), 403, "Akses ditolak")


def test_a_bad_request_answers_400_in_indonesian() -> None:
    # A foreign Host header is refused before the session and the user are known.
    client = Client(raise_request_exception=False)
    response = client.get("/", headers={"host": "bukan-host-portal.example"})
    assert response.status_code == 400
    _assert_error_page(response.content.decode(), 400, "Permintaan tidak valid")


def test_the_500_page_renders_without_a_request_context() -> None:
    # Django's server_error renders the template with no context processors at all.
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    _assert_error_page(response.content.decode(), 500, "Terjadi kesalahan pada server")


def test_the_base_template_links_a_favicon_and_favicon_ico_answers(
    login: Callable[[str], Client],
) -> None:
    client = login("tim.biro-hp")
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
    icon = finders.find("favicon.svg")
    assert isinstance(icon, str) and "<svg" in Path(icon).read_text(encoding="utf-8")
