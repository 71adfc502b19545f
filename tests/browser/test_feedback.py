"""Issue 13 part 6 in a real browser: progress while the PDF is signed, and no stale form
after Back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evidence.models import RencanaKerja, StatusPersetujuan
from lke.models import Penilaian

pytestmark = pytest.mark.browser


def test_approving_shows_progress_while_signing_and_back_offers_no_stale_form(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    penilaian = Penilaian.objects.get(unit__slug="pusat-tik")
    rk, _ = RencanaKerja.objects.get_or_create(penilaian=penilaian)
    RencanaKerja.objects.filter(pk=rk.pk).update(status=StatusPersetujuan.DIAJUKAN)
    page = browser_login("pimpinan.pusat-tik")
    url = demo_live_server.url + reverse("documents:rencana_kerja", args=[penilaian.code])
    page.goto(url)
    # First a click whose submission a later listener cancels: the page can be read as it
    # is while the server would be signing, without racing the navigation.
    page.evaluate(
        """() => document.addEventListener('submit', (event) => {
            window.__busy = {
                status: (document.querySelector('[data-busy-status]') || {}).textContent,
                disabled: [...event.target.querySelectorAll('button')].map(b => b.disabled),
                carried: (event.target.querySelector('[data-busy-carried]') || {}).value,
            };
            event.preventDefault();
        }, {once: true})"""
    )
    page.get_by_role("button", name="Setujui dan tandatangani").click()
    state = page.evaluate("() => window.__busy")
    assert "Menandatangani PDF" in state["status"]
    assert state["disabled"] and all(state["disabled"])
    assert state["carried"] == "setujui"
    expect(page.locator("[data-busy-status]")).to_be_visible()

    # Then the real approval.
    page.reload()
    page.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(page.locator("[data-rk-status]")).to_have_text(
        "Disetujui dan ditandatangani", timeout=60_000
    )
    expect(page.get_by_role("button", name="Setujui dan tandatangani")).to_have_count(0)

    # Back to the page as it was before approving: fetched anew, so no approval form.
    page.go_back()
    expect(page.locator("[data-rk-status]")).to_have_text("Disetujui dan ditandatangani")
    expect(page.get_by_role("button", name="Setujui dan tandatangani")).to_have_count(0)


def test_after_submitting_to_the_tpi_back_shows_no_form_to_submit_again(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    page = browser_login("tim.biro-hp")
    page.goto(demo_live_server.url + reverse("scoring:ajukan", args=[penilaian.code]))
    page.get_by_label("Saya memahami").check()
    page.get_by_role("button", name="Ajukan ke TPI").click()
    expect(page.get_by_role("alert")).to_contain_text("telah diajukan ke TPI")
    page.go_back()
    expect(page.locator("[data-sudah-diajukan]")).to_be_visible()
    expect(page.get_by_role("button", name="Ajukan ke TPI")).to_have_count(0)
    expect(page.get_by_role("button", name="Ajukan ulang perbaikan")).to_have_count(0)
