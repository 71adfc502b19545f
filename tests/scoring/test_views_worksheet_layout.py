"""Issue 13 part 1, server side: the worksheet and review pages are collapsed per indikator
with <details> (so they work without JavaScript), the upload form opens on demand, and
questions without a data-dukung list say nothing about it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from lke.models import Indikator


def test_the_worksheet_is_collapsed_per_indikator_with_the_upload_form_on_demand(
    biro_hp: Any, login: Callable[[str], Client]
) -> None:
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/area/1/").content.decode()
    n_indikator = Indikator.objects.filter(area__model=biro_hp.model, area__nomor=1).count()
    assert html.count('<details class="mb-2 indikator card"') == n_indikator > 0
    assert '<details class="mb-2 indikator card" id="i-ai1i" data-indikator>' in html  # closed
    assert html.count('<details class="bukti-unggah">') == html.count("Simpan bukti") > 0
    assert "Tidak ada daftar data dukung" not in html
    assert 'for="ws-cari"' in html and "Cari pertanyaan (kode atau kata)" in html


def test_a_failed_upload_comes_back_with_its_form_open(
    biro_hp: Any, question: Callable[[str], Any], login: Callable[[str], Client]
) -> None:
    q = question("A.I.1.i.a")
    response = login("tim.biro-hp").post(
        f"/penilaian/{biro_hp.code}/pertanyaan/{q.pk}/bukti/",
        {"url": "bukan-tautan"},
        HTTP_HX_REQUEST="true",
    )
    assert '<details class="bukti-unggah" open>' in response.content.decode()
