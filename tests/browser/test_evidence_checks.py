"""Issue 14 part 3 in the browser: tim.biro-hp uploads a PDF dated 2019 to a 2022
question and sees the date finding beside the bukti (in-process checks run after the
commit, inside the request); the opened details pass axe-core, on the worksheet and on
the TPI's review with its *abaikan* form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lke.models import Penilaian, StatusPenilaian
from tests.browser.test_accessibility import AXE_RUN, AXE_SOURCE, WCAG_TAGS
from tests.evidence.checks.helpers import text_pdf

pytestmark = pytest.mark.browser


def _axe(page: Any) -> list[str]:
    page.evaluate(AXE_SOURCE)
    return [
        f"{v['id']} ({v['impact']}) {v['help']} -> {', '.join(v['targets'])}"
        for v in page.evaluate(AXE_RUN, WCAG_TAGS)
    ]


def test_an_upload_dated_2019_shows_its_date_finding(
    browser_login: Callable[[str], Any], demo_live_server: Any, tmp_path: Path
) -> None:
    page = browser_login("tim.biro-hp")
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    page.goto(f"{demo_live_server.url}/penilaian/{biro_hp.code}/area/1/")
    sk = tmp_path / "SK Tim 2019.pdf"
    sk.write_bytes(
        text_pdf(
            "SURAT KEPUTUSAN KEPALA BIRO\nTentang Tim Kerja Zona Integritas\nJakarta, 28 Juni 2019"
        )
    )
    page.locator("#i-ai1i > summary").click()  # the worksheet is collapsed per indikator
    question = page.locator('[data-kode="A.I.1.i.a"]')
    question.get_by_text("Tambah bukti").click()  # the upload form opens on demand
    question.locator('input[type="file"][name="berkas"][multiple]').set_input_files(str(sk))
    question.get_by_role("button", name="Simpan bukti").click()
    question = page.locator('[data-kode="A.I.1.i.a"]')
    expect(question).to_contain_text("1 berkas bukti tersimpan")
    badge = question.locator('[data-cek="gagal"] summary')
    expect(badge).to_contain_text("Pemeriksaan: Gagal")
    badge.click()
    finding = question.locator('[data-temuan="tanggal"]')
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("28 Juni 2019")
    expect(finding).to_contain_text("halaman 1")
    assert _axe(page) == []

    # The TPI sees it on the review and sets it aside with a reason.
    Penilaian.objects.filter(pk=biro_hp.pk).update(status=StatusPenilaian.REVIU_TPI)
    page.context.clear_cookies()
    page = browser_login("tpi.mk")
    page.goto(f"{demo_live_server.url}/penilaian/{biro_hp.code}/reviu/area/1/")
    page.locator("#i-ai1i > summary").click()  # the review page is collapsed per indikator
    card = page.locator('article[data-kode="A.I.1.i.a"]')
    card.locator('[data-cek="gagal"] summary').click()
    expect(card.locator('[data-temuan="tanggal"]')).to_contain_text("28 Juni 2019")
    assert _axe(page) == []
    date = card.locator('[data-temuan="tanggal"]')
    date.get_by_label("Alasan mengabaikan temuan").fill("SK 2019 masih berlaku.")
    date.get_by_role("button", name="Abaikan").click()
    card = page.locator('article[data-kode="A.I.1.i.a"]')
    expect(card).to_contain_text("1 temuan diabaikan")
    expect(card.locator("[data-temuan-diabaikan]")).to_contain_text("SK 2019 masih berlaku.")
