"""Issue 5's journeys in a real browser: the signed rencana kerja and the LKE round trip."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from documents.signing import verify_pdf
from lke.models import Penilaian
from scoring.services import penilaian_score
from zi_portal.lib.numbers import format_id

pytestmark = pytest.mark.browser


def test_pimpinan_downloads_the_signed_rencana_kerja_and_verifies_it(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    page = browser_login("pimpinan.biro-hp")
    page.locator('[data-unit="biro-hp"] [data-penilaian="2022"] a').first.click()
    page.get_by_role("link", name="Rencana kerja").click()
    expect(page.locator("[data-rk-status]")).to_have_text("Disetujui dan ditandatangani")
    with page.expect_download() as download:
        page.locator("[data-dokumen-unduh]").first.click()
    data = Path(download.value.path()).read_bytes()
    result = verify_pdf(data)
    assert result.valid and result.intact and data.startswith(b"%PDF")

    # The verification page the QR code leads to: public, no login needed.
    link = page.get_by_role("link", name="verifikasi").first.get_attribute("href")
    assert link is not None and link.startswith("/verifikasi/")
    public = page.context.browser.new_page()  # type: ignore[union-attr]
    public.goto(f"{demo_live_server.url}{link}")
    expect(public.locator("[data-status]")).to_contain_text("sertifikat pengembangan")
    expect(public.locator("body")).to_contain_text(result.sha256)


def test_tim_kerja_exports_fills_and_imports_the_lke(
    browser_login: Callable[[str], Any], tmp_path: Path
) -> None:
    page = browser_login("tim.pusat-tik")
    page.locator('[data-unit="pusat-tik"] [data-penilaian="2022"] a').first.click()
    page.get_by_role("button", name="Unduh LKE (Excel)").click()
    expect(page.locator("#ekspor-status")).to_have_attribute(
        "data-status", "selesai", timeout=60_000
    )
    with page.expect_download() as download:
        page.locator("[data-unduh]").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))

    # Fill answers offline, as a unit without a connection would.
    sheet = workbook["LKE"]
    header_row = next(
        r for r in sheet.iter_rows(min_row=1, max_row=15) if any(c.value == "Kode" for c in r)
    )
    columns = {c.value: c.column for c in header_row}
    answers = {
        "A.I.1.i.a": "Ya",
        "A.I.1.i.b": "A",
        "A.I.1.ii.a": "Ya",
        "A.II.1.i.a.1": 5,
        "A.II.1.i.a.2": 4,
    }
    for row in sheet.iter_rows(min_row=header_row[0].row + 1):
        kode = row[columns["Kode"] - 1].value
        if kode in answers:
            sheet.cell(row=row[0].row, column=columns["Jawaban Mandiri"], value=answers[kode])
    filled = tmp_path / "LKE-pusat-tik-terisi.xlsx"
    workbook.save(filled)

    page.get_by_role("link", name="Pusat Teknologi Informasi dan Komunikasi 2022").click()
    page.get_by_role("link", name="Impor LKE").click()
    page.get_by_label("Berkas LKE (.xlsx)").set_input_files(str(filled))
    page.get_by_label("Kolom yang dibaca").select_option("mandiri")
    page.get_by_role("button", name="Impor").click()
    expect(page.get_by_role("alert").first).to_contain_text("Impor selesai")

    penilaian = Penilaian.objects.get(unit__slug="pusat-tik")
    report = penilaian_score(penilaian, "mandiri")
    out = StringIO()
    call_command("lke_score", unit="pusat-tik", year=2022, by="mandiri", json=True, stdout=out)
    assert json.loads(out.getvalue())["total"] == pytest.approx(float(report.total.nilai))
    assert report.completeness.answered == 4  # three options and one complete % question
    page.get_by_role("link", name="Nilai").first.click()
    page.get_by_role("link", name="Mandiri").click()
    expect(page.locator('[data-total="mandiri"] [data-nilai-total]')).to_have_text(
        format_id(report.total.nilai)
    )
