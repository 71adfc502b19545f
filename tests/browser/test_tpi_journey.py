"""Issue 4's journey in a real browser: tpi.mk reviews Biro HP's submitted penilaian;
finalizing before every question is reviewed is refused with the list (issue 10)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from lke.models import Penilaian, Pertanyaan
from scoring.services import jawaban_save, penilaian_score
from scoring.workflow import penilaian_submit
from tests.workflow import review_everything
from units.access import unit_access
from zi_portal.lib.numbers import format_id

pytestmark = pytest.mark.browser


def test_tpi_reviews_returns_scores_and_finalizes(browser_login: Callable[[str], Any]) -> None:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    tim = get_user_model().objects.get(username="tim.biro-hp")
    for kode, opsi in (("A.I.1.i.a", "Ya"), ("A.I.1.i.b", "A")):
        q = Pertanyaan.objects.get(model=penilaian.model, kode=kode)
        jawaban_save(penilaian=penilaian, set_="mandiri", pertanyaan=q, opsi=opsi, user=tim)
    access = unit_access(tim, penilaian.unit)
    assert access is not None
    penilaian_submit(penilaian=penilaian, user=tim, access=access)

    page = browser_login("tpi.mk")
    page.get_by_role("link", name="Antrean TPI").click()
    row = page.locator('[data-penilaian="biro-hp-2022"]')
    expect(row).to_contain_text("Reviu TPI")
    row.get_by_role("link", name="Reviu").click()
    page.locator("#i-ai1i > summary").click()  # the review page is collapsed per indikator

    # Accept the first answer as it is.
    first = page.locator('[data-kode="A.I.1.i.a"]')
    expect(first.locator("[data-mandiri]")).to_contain_text("Ya")
    first.get_by_label("Diterima").check()
    first.get_by_role("button", name="Simpan reviu").click()
    expect(page.locator('[data-kode="A.I.1.i.a"] [data-reviu-status]')).to_have_text("Diterima")

    # A different answer without a catatan is refused, with the choice kept.
    second = page.locator('[data-kode="A.I.1.i.b"]')
    second.get_by_label("Jawaban TPI").select_option("B")
    second.get_by_label("Diterima").check()
    second.get_by_role("button", name="Simpan reviu").click()
    second = page.locator('[data-kode="A.I.1.i.b"]')
    expect(second.get_by_role("alert")).to_contain_text("berbeda dari jawaban mandiri")
    expect(second.get_by_label("Jawaban TPI")).to_have_value("B")
    second.get_by_label("Catatan TPI").fill("Mekanisme pemilihan anggota belum terdokumentasi.")
    second.get_by_role("button", name="Simpan reviu").click()
    expect(page.locator('[data-kode="A.I.1.i.b"] [data-reviu-status]')).to_have_text("Diterima")

    # The hasil inputs.
    page.get_by_role("link", name="Komponen hasil").click()
    page.get_by_label("B.I.a").fill("3,62")
    page.get_by_label("B.I.b").select_option("B")
    page.get_by_label("B.II.a").fill("3,45")
    page.get_by_role("button", name="Simpan nilai hasil").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nilai komponen hasil tersimpan")

    # Finalizing now, with 108 of the 110 questions never reviewed, is refused with the
    # list of every blocking item, each a link to its question; nothing is frozen.
    expect(page.locator("[data-blocking]")).to_have_attribute("data-blocking", "108")
    page.get_by_label("Saya memfinalkan").check()
    page.get_by_role("button", name="Finalkan penilaian").click()
    expect(page.get_by_role("heading", name="Penilaian belum dapat difinalkan")).to_be_visible()
    refused = page.locator("[data-blocking]")
    expect(refused).to_have_attribute("data-blocking", "108")
    expect(refused.locator("li")).to_have_count(108)
    expect(refused.locator('[data-kode="A.I.1.i.a"]')).to_have_count(0)
    first = refused.locator("li").first
    expect(first).to_contain_text("Belum direviu TPI.")
    kode = first.get_attribute("data-kode")
    assert kode and kode.startswith("A.I.1.")
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/reviu/area/1/#r-\d+$"))
    expect(page.locator(f'article[data-kode="{kode}"]')).to_be_in_viewport()
    penilaian.refresh_from_db()
    assert penilaian.status == "reviu_tpi"

    # The TPI reviews the rest; the score page agrees with the engine (and lke_score).
    review_everything(penilaian, get_user_model().objects.get(username="tpi.mk"))
    page.goto(page.url.split("/reviu/")[0] + "/skor/")
    expected = penilaian_score(penilaian, "tpi")
    expect(page.locator('[data-total="tpi"] [data-nilai-total]')).to_have_text(
        format_id(expected.total.nilai)
    )
    expect(page.locator('[data-total="tpi"] [data-verdict]')).to_have_text("BELUM MEMENUHI")
    expect(page.locator("[data-rules]")).to_contain_text("kurang")
    expect(page.locator("[data-gap-advisor] li").first).to_contain_text("+")

    page.get_by_label("Saya memfinalkan").check()
    page.get_by_role("button", name="Finalkan penilaian").click()
    expect(page.get_by_role("alert").first).to_contain_text("telah difinalkan")
    expect(page.locator("body")).to_contain_text("snapshot yang dibekukan")
    penilaian.refresh_from_db()
    assert penilaian.status == "final"
