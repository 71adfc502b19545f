"""Issue 13 parts 1 and 2: a short worksheet and pages that fit a phone.

Screenshots of the worksheet (collapsed, one indikator open) and the dashboard at desktop
and phone sizes are written to var/test-artifacts/screenshots/layout/ (git-ignored) for a
person to look at, with the measured heights of area 1 collapsed (area-1-height.txt).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lke.models import Penilaian, Pertanyaan
from tests.browser.screens import ARTIFACTS, SQUEEZED
from tests.browser.test_accessibility import AXE_RUN, AXE_SOURCE, WCAG_TAGS, _pages

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "layout"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
CLOSE_ALL = "() => document.querySelectorAll('details').forEach(d => { d.open = false; })"
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _worksheet(code: Any, nomor: int = 1) -> str:
    return reverse("scoring:worksheet", args=[code, nomor])


@pytest.mark.parametrize("role", ["tim.biro-hp", "tpi.mk", "pimpinan.mk", "admin"])
def test_no_main_page_scrolls_sideways_on_a_phone(
    role: str, browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    page = browser_login(role)
    page.set_viewport_size(PHONE)
    wide = []
    for url in _pages(role):
        page.goto(demo_live_server.url + url)
        page.wait_for_load_state("networkidle")
        # Every collapsed part open too: their content must fit as well.
        page.evaluate(OPEN_ALL)
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        if scroll_width > inner_width:
            wide.append(f"{url}: {scroll_width} px > {inner_width} px")
        squeezed = page.evaluate(SQUEEZED)
        if squeezed:
            wide.append(f"{url}: cells squeezed a few letters per line: {squeezed}")
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("width", [800, 1024, 1280])
def test_the_instansi_page_scrolls_its_table_not_the_page_on_a_tablet(
    width: int, browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    """The table scrolls in its own box; nothing inside it (a visually-hidden header)
    widens the page."""
    page = browser_login("tpi.mk")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_live_server.url + reverse("scoring:instansi", args=["mk"]))
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-rekap-instansi]")).to_be_visible()
    scroll_width, inner_width = page.evaluate(OVERFLOW)
    assert scroll_width <= inner_width, f"{scroll_width} px > {inner_width} px"


# Every visible word of a card-table header that is wider than its cell (broken mid-word).
BROKEN_HEADERS = """() => [...document.querySelectorAll('table.table-cards th')]
  .filter(th => th.offsetParent).flatMap(th => {
    const style = getComputedStyle(th);
    const room = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let shown = '';  // the visible text: not what is there for screen readers only
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.parentElement.closest('.visually-hidden')) shown += ' ' + node.textContent;
    }
    return shown.split(/\\s+|(?<=-)/).filter(word => {  // a hyphen may end a line
      if (!word) return false;
      const probe = document.createElement('span');
      probe.textContent = word;
      probe.style.font = style.font;
      probe.style.whiteSpace = 'nowrap';
      probe.style.position = 'absolute';
      probe.style.visibility = 'hidden';
      document.body.appendChild(probe);
      const wide = probe.getBoundingClientRect().width > room + 1;
      probe.remove();
      return wide;
    }).map(word => shown.trim().replace(/\\s+/g, ' ') + ': ' + word);
  })"""


@pytest.mark.parametrize("width", [1024, 1366])
@pytest.mark.parametrize("role", ["tim.biro-hp", "tpi.mk"])
def test_table_headers_keep_whole_words_on_a_wide_screen(
    role: str, width: int, browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    """The rencana aksi table (tim kerja) and the instansi table (TPI)."""
    penilaian = Penilaian.objects.get(unit__slug="biro-hp", tahun=2022)
    url = {
        "tim.biro-hp": reverse("evidence:rencana_aksi", args=[penilaian.code, "A.I.1.ii"]),
        "tpi.mk": reverse("scoring:instansi", args=["mk"]),
    }[role]
    page = browser_login(role)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_live_server.url + url)
    page.wait_for_load_state("networkidle")
    expect(page.locator("table.table-cards").first).to_be_visible()
    broken = page.evaluate(BROKEN_HEADERS)
    assert not broken, f"{url}: headers broken mid-word: {broken}"


def test_the_tabel_5_checklist_of_every_demo_unit_fits_and_screenshots(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    page = browser_login("admin")
    for penilaian in Penilaian.objects.select_related("unit").order_by("unit__slug"):
        url = demo_live_server.url + reverse("scoring:syarat", args=[penilaian.code])
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(url)
            page.wait_for_load_state("networkidle")
            scroll_width, inner_width = page.evaluate(OVERFLOW)
            assert scroll_width <= inner_width, (penilaian.unit.slug, size, scroll_width)
            if penilaian.tahun >= 2022:  # the seeds state no value: every row belum diisi
                expect(page.locator('[data-syarat] [data-status="belum"]')).to_have_count(20)
            else:
                expect(page.locator("[data-tabel-tidak-ada]")).to_be_visible()
            _shot(page, f"syarat-{penilaian.unit.slug}-{size}")


def test_area_1_collapsed_is_shorter_than_3000px_and_screenshots(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    page = browser_login("tim.biro-hp")
    url = demo_live_server.url + _worksheet(biro_hp.code)
    heights: list[str] = []
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(url)
        page.evaluate("() => window.localStorage.clear()")
        page.reload()
        page.evaluate(CLOSE_ALL)
        height = page.evaluate("() => document.body.scrollHeight")
        heights.append(f"{size} {viewport['width']}x{viewport['height']}: {height} px")
        assert height < 3000, f"area 1 collapsed is {height} px tall ({size})"
        _shot(page, f"worksheet-area1-collapsed-{size}")
        page.locator("#i-ai1i > summary").click()
        expect(page.locator('[data-kode="A.I.1.i.a"]')).to_be_visible()
        _shot(page, f"worksheet-area1-indikator-open-{size}")
        page.goto(demo_live_server.url + reverse("scoring:dashboard", args=[biro_hp.code]))
        _shot(page, f"dashboard-{size}")
    (SCREENSHOTS / "area-1-height.txt").write_text("\n".join(heights) + "\n", encoding="utf-8")


def test_the_rkt_page_shows_seed_002_and_fits_a_phone(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    """Issue 17: the RKT in the seed's columns, realisasi forms, the B.I.b advice."""
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    page = browser_login("tim.biro-hp")
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(demo_live_server.url + reverse("scoring:rkt", args=[biro_hp.code]))
        expect(page.locator("[data-rkt-table] tbody tr")).to_have_count(19)
        expect(page.locator("[data-saran-opsi]")).to_have_text("Belum dapat disarankan")
        expect(page.locator("[data-jarak-zi]")).to_contain_text("Skor 75: kurang 75,00")
        page.evaluate(OPEN_ALL)
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        assert scroll_width <= inner_width, (size, scroll_width, inner_width)
        _shot(page, f"rkt-{size}")
        page.goto(demo_live_server.url + reverse("evidence:rkt_ubah", args=[biro_hp.code]))
        expect(page.locator("[data-rkt-editor] tbody tr")).to_have_count(22)
        _shot(page, f"rkt-ubah-{size}")


def test_every_question_is_one_click_away_and_the_open_indikator_is_remembered(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    page = browser_login("tim.biro-hp")
    page.set_viewport_size(DESKTOP)
    page.goto(demo_live_server.url + _worksheet(biro_hp.code))
    question = page.locator('[data-kode="A.I.1.i.a"]')
    expect(question).to_be_hidden()
    page.locator("#i-ai1i > summary").click()
    expect(question).to_be_visible()
    # The upload form is there on demand.
    upload = question.get_by_label("Unggah berkas (boleh beberapa)")
    expect(upload).to_be_hidden()
    question.get_by_text("Tambah bukti").click()
    expect(upload).to_be_visible()
    page.reload()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_be_visible()
    page.locator("#i-ai1i > summary").click()
    page.reload()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_be_hidden()


def test_an_anchor_opens_the_indikator_of_its_question(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    q = Pertanyaan.objects.get(model=biro_hp.model, kode="A.II.1.i.a")
    page = browser_login("tim.biro-hp")
    page.goto(f"{demo_live_server.url}{_worksheet(biro_hp.code)}#q-{q.pk}")
    expect(page.locator(f"#q-{q.pk}")).to_be_visible()
    expect(page.locator(f"#q-{q.pk}")).to_be_in_viewport()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_be_hidden()


def test_the_search_box_finds_a_question_by_code_or_words(
    browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    target = Pertanyaan.objects.get(model=biro_hp.model, kode="A.II.1.i.a")
    page = browser_login("tim.biro-hp")
    page.goto(demo_live_server.url + _worksheet(biro_hp.code))
    box = page.get_by_label("Cari pertanyaan (kode atau kata)")
    box.fill("a.ii.1.i.a")
    expect(page.locator('[data-kode="A.II.1.i.a"]')).to_be_visible()
    expect(page.locator(".question-card:visible")).to_have_count(1)
    expect(page.locator("#ws-cari-hasil")).to_have_text("1 pertanyaan ditemukan")
    words = " ".join(target.teks.split()[:3])
    box.fill(words)
    expect(page.locator('[data-kode="A.II.1.i.a"]')).to_be_visible()
    box.fill("kata-yang-tidak-ada-di-mana-pun")
    expect(page.locator(".question-card:visible")).to_have_count(0)
    box.fill("")
    expect(page.locator("details[data-indikator]:visible").first).to_be_visible()
    expect(page.locator('[data-kode="A.II.1.i.a"]')).to_be_hidden()


@pytest.mark.parametrize("slug", ["biro-hp", "bkkbn-sumsel"])
def test_the_score_page_shows_every_level_and_fits_a_phone(
    slug: str, browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    """Issue 12 part 9: the LKE tree opens level by level; on a phone, with every level
    open, the page does not scroll sideways (the area table scrolls inside its box)."""
    penilaian = Penilaian.objects.get(unit__slug=slug)
    page = browser_login("admin")
    url = demo_live_server.url + reverse("scoring:skor", args=[penilaian.code])
    area = "A.I.1" if slug == "biro-hp" else "A.1"
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(url)
        indikator = page.locator(f'[data-node="{area}.i"]')
        expect(page.locator('[data-node="A"] > summary')).to_be_visible()
        expect(indikator).to_be_hidden()
        if slug == "biro-hp":
            page.locator('[data-node="A.I"] > summary').click()
        page.locator(f'[data-node="{area}"] > summary').click()
        expect(indikator).to_be_visible()
        expect(indikator.get_by_role("link", name="lembar kerja")).to_be_visible()
        _shot(page, f"skor-{slug}-{size}")
        page.evaluate(OPEN_ALL)
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        assert scroll_width <= inner_width, f"{size}: {scroll_width} px > {inner_width} px"
        # Every level open, at this size: axe finds nothing either (the area table
        # scrolls inside a box the keyboard can reach).
        page.evaluate(AXE_SOURCE)
        assert page.evaluate(AXE_RUN, WCAG_TAGS) == [], size
        _shot(page, f"skor-{slug}-open-{size}")
