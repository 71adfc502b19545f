"""Issue 13 part 9: every role's main journey in a real browser, at 1366×768 and 390×844.

Each step is checked and saved as a screenshot under
var/test-artifacts/screenshots/<journey>/<size>-<nn>-<step>.png (tests/browser/screens.py);
every portal page on the way must fit the width of the screen.
Roles (units.models.Peran): tim kerja, TPI, pimpinan and admin (the portal administrator,
who holds the admin role in every unit).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from evidence.models import RencanaAksi, RencanaKerja, StatusPersetujuan
from lke.admin import indikator_label
from lke.models import DataDukung, Indikator, Penilaian, Pertanyaan
from scoring.services import jawaban_save
from scoring.workflow import (
    penilaian_finalize,
    penilaian_submit,
    reviu_notify_returned,
    reviu_save,
)
from tests.browser.screens import SIZES, Screens
from tests.workflow import review_everything
from units.access import unit_access
from zi_portal.lib.dates import nama_bulan

pytestmark = pytest.mark.browser

CATATAN = "SK tim kerja belum ditandatangani pimpinan unit."


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _submit(penilaian: Penilaian, answers: dict[str, str]) -> None:
    tim = _user(f"tim.{penilaian.unit.slug}")
    for kode, opsi in answers.items():
        q = Pertanyaan.objects.get(model=penilaian.model, kode=kode)
        jawaban_save(penilaian=penilaian, set_="mandiri", pertanyaan=q, opsi=opsi, user=tim)
    access = unit_access(tim, penilaian.unit)
    assert access is not None
    penilaian_submit(penilaian=penilaian, user=tim, access=access)


def _open(page: Any, viewport: dict[str, int], base: str, username: str) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill("demo-zi-2026")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Unit kerja dan penilaian Anda")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_tim_kerja_journey(size: str, page: Any, demo_live_server: Any) -> None:
    """Answer, plan, submit; Back offers no second submission; a returned item is one
    click away from the notice, fixed and resubmitted."""
    base = demo_live_server.url
    shot = Screens(page, "tim-kerja", size)
    _open(page, SIZES[size], base, "tim.biro-hp")
    if size == "phone":  # one card per penilaian, not a table squeezed a letter per line
        expect(page.locator('[data-unit="biro-hp"] thead')).to_have_css("position", "absolute")
        expect(page.locator('[data-unit="biro-hp"] [data-model]')).to_have_css("display", "block")
    shot("beranda")

    page.locator('[data-unit="biro-hp"] [data-penilaian="2022"] a').first.click()
    expect(page.locator('[data-area-progress="1"] [data-figure="dijawab"]')).to_have_text("0 / 16")
    shot("ringkasan")

    page.get_by_role("link", name="1. Manajemen Perubahan").first.click()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_be_hidden()  # collapsed
    assert page.evaluate("() => document.body.scrollHeight") < 3000 or size == "phone"
    shot("area-1-tertutup")
    page.locator("#i-ai1i > summary").click()
    question = page.locator('[data-kode="A.I.1.i.a"]')
    question.get_by_label("Ya").check()
    question.get_by_role("button", name="Simpan jawaban").click()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_contain_text("Jawaban tersimpan")
    shot("area-1-dijawab")

    page.locator("#i-ai1i").get_by_role("link", name="Rencana aksi").click()
    expect(page.locator("[data-ra-row]").first).to_be_visible()
    shot("rencana-aksi")

    page.goto(base + reverse("scoring:dashboard", args=[_code("biro-hp")]))
    page.get_by_role("link", name="Nilai").first.click()
    expect(page.locator('[data-total="mandiri"] [data-nilai-total]')).to_be_visible()
    shot("nilai")

    page.goto(base + reverse("scoring:ajukan", args=[_code("biro-hp")]))
    expect(page.locator('[data-count="belum-dijawab"]')).to_have_text("109")
    shot("ajukan")
    page.get_by_label("Saya memahami").check()
    page.get_by_role("button", name="Ajukan ke TPI").click()
    expect(page.get_by_role("alert").first).to_contain_text("telah diajukan ke TPI")
    shot("sudah-diajukan")
    page.go_back(wait_until="commit")  # fetched anew (no-store): nothing to submit twice
    expect(page.locator("[data-sudah-diajukan]")).to_be_visible()
    expect(page.get_by_role("button", name="Ajukan ke TPI")).to_have_count(0)
    shot("kembali-setelah-ajukan")

    # The TPI returns the answer with a catatan.
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    tpi = _user("tpi.mk")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    reviu = reviu_save(
        penilaian=penilaian,
        pertanyaan=q,
        opsi="Ya",
        angka={},
        status="perlu_perbaikan",
        catatan=CATATAN,
        user=tpi,
        expected_versi=None,
        access=unit_access(tpi, penilaian.unit),
    )
    reviu_notify_returned(penilaian=penilaian, reviu=reviu)  # as the review view does
    page.goto(base + reverse("notifikasi"))
    notice = page.get_by_role("link", name=re.compile("A.I.1.i.a"))
    expect(notice.first).to_be_visible()
    shot("notifikasi")
    notice.first.click()
    returned = page.locator('[data-kode="A.I.1.i.a"]')
    expect(returned).to_be_in_viewport()
    returned.get_by_label("Catatan").fill("SK ditandatangani 3 Januari 2022.")
    returned.get_by_role("button", name="Simpan jawaban").click()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_contain_text("Jawaban tersimpan")
    shot("butir-dikembalikan-diperbaiki")

    page.get_by_role("link", name="Ringkasan").click()
    card = page.locator("[data-dikembalikan]")
    expect(card).to_contain_text(CATATAN)
    shot("ringkasan-dikembalikan")
    card.get_by_role("link", name="Ajukan ulang perbaikan").click()
    expect(page.locator("[data-dikembalikan]")).to_contain_text("A.I.1.i.a")
    page.get_by_label("Saya memahami").check()
    page.get_by_role("button", name="Ajukan ulang perbaikan").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 butir perbaikan diajukan ulang")
    shot("diajukan-ulang")


def _code(slug: str) -> Any:
    return Penilaian.objects.values_list("code", flat=True).get(unit__slug=slug)


@pytest.mark.parametrize("size", SIZES)
def test_tpi_journey(size: str, page: Any, demo_live_server: Any) -> None:
    """Queue, review (accept one, return one with a catatan), hasil, a refused finalization
    that names the returned item, the Riwayat."""
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    _submit(penilaian, {"A.I.1.i.a": "Ya", "A.I.1.i.b": "A"})
    base = demo_live_server.url
    shot = Screens(page, "tpi", size)
    _open(page, SIZES[size], base, "tpi.mk")
    shot("beranda")

    page.goto(base + reverse("scoring:antrean"))
    row = page.locator('[data-penilaian="biro-hp-2022"]')
    expect(row).to_contain_text("Reviu TPI")
    shot("antrean")
    row.get_by_role("link", name="Reviu").click()
    shot("reviu-area-1-tertutup")
    page.locator("#i-ai1i > summary").click()
    first = page.locator('[data-kode="A.I.1.i.a"]')
    first.get_by_label("Diterima").check()
    first.get_by_role("button", name="Simpan reviu").click()
    expect(page.locator('[data-kode="A.I.1.i.a"] [data-reviu-status]')).to_have_text("Diterima")
    second = page.locator('[data-kode="A.I.1.i.b"]')
    second.get_by_label("Perlu perbaikan").check()
    second.get_by_label("Catatan TPI").fill(CATATAN)
    second.get_by_role("button", name="Simpan reviu").click()
    expect(page.locator('[data-kode="A.I.1.i.b"] [data-reviu-status]')).to_have_text(
        "Perlu perbaikan"
    )
    shot("reviu-disimpan")

    page.get_by_role("link", name="Komponen hasil").click()
    page.get_by_label("B.I.a").fill("3,62")
    page.get_by_role("button", name="Simpan nilai hasil").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nilai komponen hasil tersimpan")
    shot("komponen-hasil")

    page.goto(base + reverse("scoring:skor", args=[penilaian.code]))
    expect(page.locator('[data-total="tpi"] [data-verdict]')).to_be_visible()
    shot("nilai")
    page.get_by_label("Saya memfinalkan").check()
    page.get_by_role("button", name="Finalkan penilaian").click()
    expect(page.get_by_role("heading", name="Penilaian belum dapat difinalkan")).to_be_visible()
    refused = page.locator('[data-blocking] [data-kode="A.I.1.i.b"]')
    expect(refused).to_contain_text("Dikembalikan ke tim kerja")
    # The returned item named as everywhere else: code, question, the TPI's catatan.
    expect(page.locator('[data-dikembalikan] [data-kode="A.I.1.i.b"]')).to_contain_text(CATATAN)
    shot("finalisasi-ditolak")

    page.goto(base + reverse("scoring:riwayat", args=[penilaian.code]))
    table = page.locator("[data-riwayat-table]")
    expect(table).to_contain_text("Perlu perbaikan")
    expect(table).to_contain_text("3,62")
    expect(table).not_to_contain_text("perlu_perbaikan")
    shot("riwayat")


@pytest.mark.parametrize("size", SIZES)
def test_pimpinan_journey(size: str, page: Any, demo_live_server: Any) -> None:
    """Read the unit's progress and worksheet (read-only), approve and sign the rencana
    kerja, look at the score."""
    penilaian = Penilaian.objects.get(unit__slug="pusat-tik")
    rk, _ = RencanaKerja.objects.get_or_create(penilaian=penilaian)
    RencanaKerja.objects.filter(pk=rk.pk).update(status=StatusPersetujuan.DIAJUKAN)
    base = demo_live_server.url
    shot = Screens(page, "pimpinan", size)
    _open(page, SIZES[size], base, "pimpinan.pusat-tik")
    shot("beranda")

    page.locator('[data-unit="pusat-tik"] [data-penilaian="2022"] a').first.click()
    expect(page.get_by_role("link", name="Ajukan ke TPI")).to_have_count(0)
    shot("ringkasan")
    page.get_by_role("link", name="1. Manajemen Perubahan").first.click()
    page.locator("#i-ai1i > summary").click()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_be_visible()
    expect(page.get_by_role("button", name="Simpan jawaban")).to_have_count(0)
    shot("area-1-baca-saja")

    page.goto(base + reverse("documents:rencana_kerja", args=[penilaian.code]))
    expect(page.locator("[data-rk-status]")).to_have_text("Diajukan ke pimpinan")
    shot("rencana-kerja-diajukan")
    page.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(page.locator("[data-rk-status]")).to_have_text(
        "Disetujui dan ditandatangani", timeout=60_000
    )
    expect(page.locator("[data-dokumen-unduh]").first).to_be_visible()
    shot("rencana-kerja-disetujui")

    page.goto(base + reverse("scoring:skor", args=[penilaian.code]))
    expect(page.locator('[data-total="mandiri"] [data-nilai-total]')).to_be_visible()
    expect(page.get_by_role("button", name="Finalkan penilaian")).to_have_count(0)
    shot("nilai")


@pytest.mark.parametrize("size", SIZES)
def test_admin_journey(size: str, page: Any, demo_live_server: Any) -> None:
    """Reopen a final penilaian with a reason, read it in the Riwayat, and the LKE
    catalogue in the Django admin: weights as 0,50, months by name, indikator with
    model and label."""
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    _submit(penilaian, {"A.I.1.i.a": "Ya"})
    tpi = _user("tpi.mk")
    review_everything(penilaian, tpi)
    penilaian_finalize(penilaian=penilaian, user=tpi, access=unit_access(tpi, penilaian.unit))
    base = demo_live_server.url
    shot = Screens(page, "admin", size)
    _open(page, SIZES[size], base, "admin")
    for slug in ("biro-hp", "pusat-tik", "rutan-kupang", "bkkbn-sumsel"):
        expect(page.locator(f'[data-unit="{slug}"]')).to_be_visible()
    shot("beranda")

    page.locator('[data-unit="biro-hp"] [data-penilaian="2022"] a').first.click()
    expect(page.locator("[data-riwayat-link]")).to_be_visible()
    shot("ringkasan")
    page.get_by_role("link", name="Nilai").first.click()
    form = page.locator("[data-buka-kembali]")
    expect(form).to_be_visible()
    shot("nilai-final")
    form.get_by_label("Alasan").fill("Salah input nilai survei.")
    form.get_by_role("button", name="Buka kembali").click()
    expect(page.get_by_role("alert").first).to_contain_text("dibuka kembali")
    shot("dibuka-kembali")

    page.locator("[data-riwayat-link]").click()
    page.get_by_label("Jenis data").select_option("penilaian")
    page.get_by_role("button", name="Saring").click()
    table = page.locator("[data-riwayat-table]")
    expect(table).to_contain_text("Salah input nilai survei.")
    expect(table).to_contain_text("Reviu TPI")
    expect(table).not_to_contain_text("reviu_tpi")
    shot("riwayat-penilaian")

    # The Django admin (not laid out by the portal: its width is not checked).
    page.goto(f"{base}/admin/")
    shot("admin-beranda", fits=False)
    weight = Indikator.objects.filter(model=penilaian.model, bobot="0.5").first()
    assert weight is not None
    page.goto(f"{base}/admin/lke/indikator/?q={weight.kode}&model__id__exact={weight.model_id}")
    expect(page.locator("#result_list")).to_contain_text("0,50")
    shot("admin-indikator", fits=False)

    own = DataDukung.objects.filter(unit__slug="rutan-kupang").exclude(bulan=[]).first()
    assert own is not None
    page.goto(f"{base}/admin/lke/datadukung/{own.pk}/change/")
    for bulan in own.bulan:
        expect(page.get_by_label(nama_bulan(int(bulan)), exact=True)).to_be_checked()
    shot("admin-data-dukung", fits=False)

    unused = Pertanyaan.objects.filter(model__kode="permenpanrb-52-2014").order_by("pk").first()
    assert unused is not None
    page.goto(f"{base}/admin/lke/pertanyaan/{unused.pk}/change/")
    chosen = page.locator("#id_indikator option:checked")
    expect(chosen).to_have_text(indikator_label(unused.indikator, short=True))
    expect(chosen).to_contain_text(f"({unused.model.nama})")
    shot("admin-pertanyaan", fits=False)

    row = RencanaAksi.objects.filter(penilaian=penilaian, indikator__isnull=False).first()
    assert row is not None and row.indikator is not None
    page.goto(f"{base}/admin/evidence/rencanaaksi/{row.pk}/change/")
    expect(page.locator("body")).to_contain_text(f"{row.indikator.nama} ({penilaian.model.nama})")
    shot("admin-rencana-aksi", fits=False)
