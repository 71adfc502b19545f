"""Issue 3's journey, in a real browser: plan, evidence, answer, dashboard, submit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.evidence.files import PDF

pytestmark = pytest.mark.browser


def test_tim_kerja_plans_evidences_answers_and_submits(
    browser_login: Callable[[str], Any], tmp_path: Path
) -> None:
    page = browser_login("tim.biro-hp")
    page.locator('[data-unit="biro-hp"] [data-penilaian="2022"] a').first.click()
    card = page.locator('[data-area-progress="1"]')
    expect(card.locator('[data-figure="dijawab"]')).to_have_text("0 / 16")
    expect(card.locator('[data-figure="rencana-aksi"]')).to_have_text("12")

    # Open Manajemen Perubahan and add a rencana aksi row to Penyusunan Tim Kerja.
    page.get_by_role("link", name="1. Manajemen Perubahan").first.click()
    page.locator("#i-ai1i > summary").click()  # the worksheet is collapsed per indikator
    page.locator("#i-ai1i").get_by_role("link", name="Rencana aksi").click()
    page.get_by_label("Rencana aksi").fill("Menetapkan SK Tim Kerja ZI 2022")
    page.get_by_label("Bukti yang direncanakan").fill("SK Tim Kerja")
    page.get_by_label("Bulan mulai").select_option("1")
    page.get_by_label("Bulan selesai").select_option("3")
    page.get_by_role("button", name="Tambah baris").click()
    expect(page.get_by_role("alert").first).to_contain_text("Baris rencana aksi ditambahkan")
    expect(page.locator("[data-ra-row]")).to_have_count(3)
    expect(page.locator("[data-ra-table]")).to_contain_text("Januari – Maret 2022")

    # Upload a PDF as evidence and answer the question, both in place (HTMX).
    page.get_by_role("link", name="1. Manajemen Perubahan").first.click()
    question = page.locator('[data-kode="A.I.1.i.a"]')
    # The indikator opened before is remembered; the upload form opens on demand.
    expect(question).to_be_visible()
    question.get_by_text("Tambah bukti").click()
    sk = tmp_path / "SK Tim Kerja.pdf"
    sk.write_bytes(PDF)
    question.locator('input[type="file"][name="berkas"][multiple]').set_input_files(str(sk))
    question.get_by_role("button", name="Simpan bukti").click()
    question = page.locator('[data-kode="A.I.1.i.a"]')
    expect(question).to_contain_text("1 berkas bukti tersimpan")
    expect(question.locator("[data-bukti-list]")).to_contain_text("SK Tim Kerja.pdf")
    question.get_by_label("Ya").check()
    question.get_by_role("button", name="Simpan jawaban").click()
    expect(page.locator('[data-kode="A.I.1.i.a"]')).to_contain_text("Jawaban tersimpan")

    # A reform question shows its percentage while typing.
    page.get_by_label("Cari pertanyaan (kode atau kata)").fill("A.II.1.i.a")
    reform = page.locator('[data-kode="A.II.1.i.a"]')
    reform.get_by_label("Jumlah Agen Perubahan").fill("5")
    reform.get_by_label("Jumlah Perubahan yang dibuat").fill("4")
    expect(reform.locator("[data-persen-hasil]")).to_have_text("80,00%")

    # The dashboard figures moved.
    page.get_by_role("link", name="Ringkasan").click()
    card = page.locator('[data-area-progress="1"]')
    expect(card.locator('[data-figure="dijawab"]')).to_have_text("1 / 16")
    expect(card.locator('[data-figure="berbukti"]')).to_have_text("1 / 16")
    expect(card.locator('[data-figure="rencana-aksi"]')).to_have_text("13")

    # Submit: the portal lists what is missing and asks for confirmation.
    page.get_by_role("link", name="Ajukan ke TPI").click()
    expect(page.locator('[data-count="belum-dijawab"]')).to_have_text("109")
    page.get_by_label("Saya memahami").check()
    page.get_by_role("button", name="Ajukan ke TPI").click()
    expect(page.get_by_role("alert").first).to_contain_text("telah diajukan ke TPI")
    expect(page.locator("body")).to_contain_text("Reviu TPI")

    # Afterwards the worksheet is read-only for the tim kerja.
    page.get_by_role("link", name="1. Manajemen Perubahan").first.click()
    expect(page.get_by_role("button", name="Simpan jawaban")).to_have_count(0)
