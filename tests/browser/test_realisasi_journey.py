"""Issue 15 in a real browser: realisasi entered in place (HTMX) on the rencana aksi page,
a refusal shown in the row, and the laporan monev started from the same page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from evidence.models import RealisasiRencanaAksi

pytestmark = pytest.mark.browser


def test_tim_kerja_enters_realisasi_in_place_and_makes_the_monev_report(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    from lke.models import Penilaian

    page = browser_login("tim.biro-hp")
    code = Penilaian.objects.get(unit__slug="biro-hp", tahun=2022).code
    page.goto(f"{demo_live_server.url}/penilaian/{code}/indikator/A.I.1.i/rencana-aksi/")
    row = page.locator("[data-realisasi-row]").first
    expect(row.locator('[data-triwulan="1"]')).to_contain_text("direncanakan")
    row.locator('[data-isi-realisasi="1"]').click()
    form = page.locator("[data-realisasi-form]")
    form.get_by_label("Realisasi").fill("Tim pembangunan ZI dibentuk")
    form.get_by_label("Progres (%)").fill("90")
    form.get_by_label("Status").select_option("selesai")
    form.get_by_role("button", name="Simpan").click()
    # Refused in place, in Indonesian; nothing stored.
    expect(page.locator("[data-realisasi-errors]")).to_contain_text(
        "Status selesai berarti progres 100%."
    )
    assert not RealisasiRencanaAksi.objects.exists()
    form = page.locator("[data-realisasi-form]")
    form.get_by_label("Progres (%)").fill("100")
    form.get_by_label("Kendala").fill("Jadwal rapat bergeser")
    form.get_by_role("button", name="Simpan").click()
    cell = page.locator("[data-realisasi-row]").first.locator('[data-triwulan="1"]')
    expect(cell).to_contain_text("100%")
    expect(cell).to_contain_text("Selesai")
    expect(cell).to_contain_text("Jadwal rapat bergeser")
    assert RealisasiRencanaAksi.objects.get(triwulan=1).progres == 100

    # The second row, planned January-February, is late at the end of triwulan I.
    second = page.locator("[data-realisasi-row]").nth(1).locator('[data-triwulan="1"]')
    expect(second.locator("[data-terlambat]")).to_be_visible()

    page.locator("#monev-triwulan").select_option("1")
    page.locator("[data-monev-form]").get_by_role("button", name="PDF").click()
    expect(page.get_by_role("link", name="Unduh monev-biro-hp-2022-tw1.pdf")).to_be_visible(
        timeout=60_000
    )
