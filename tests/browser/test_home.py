from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_tim_kerja_logs_in_and_sees_biro_hp_2022_with_its_rencana_aksi(
    browser_login: Callable[[str], Any],
) -> None:
    page = browser_login("tim.biro-hp")
    unit = page.locator('[data-unit="biro-hp"]')
    expect(unit).to_contain_text("Biro Hubungan Masyarakat dan Protokol")
    row = unit.locator('[data-penilaian="2022"]')
    expect(row.locator('[data-figure="rencana-aksi"]')).to_contain_text("90")
    expect(row.locator("[data-model]")).to_have_text(
        "Lembar Kerja Evaluasi Pembangunan Zona Integritas (PermenPANRB 90/2021)"
    )
    expect(page.locator('[data-unit="pusat-tik"]')).to_have_count(0)


def test_a_wrong_password_shows_an_indonesian_message(page: Any, demo_live_server: Any) -> None:
    page.goto(f"{demo_live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill("tim.biro-hp")
    page.get_by_label("Sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Masukkan nama pengguna dan kata sandi yang benar"
    )
