"""The evidence checks where people see them (issue 14 part 3): the badge and details
beside each bukti on the worksheet and the TPI review, the readiness list on the submit
page, the dashboard summary, a finding set aside by the TPI, and `bukti_check --json`
agreeing with the page."""

from __future__ import annotations

import html as html_lib
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evidence.models import Bukti, TemuanBukti
from lke.models import StatusPenilaian
from tests.evidence.checks.helpers import photo, text_pdf
from tests.workflow import put_status
from units.models import Riwayat

pytestmark = pytest.mark.django_db

SK_2019 = (
    "SURAT KEPUTUSAN KEPALA BIRO HUMAS DAN PROTOKOL\n"
    "Tentang Tim Kerja Pembangunan Zona Integritas\n"
    "Jakarta, 28 Juni 2019\nKepala Biro"
)


def _upload(client: Client, penilaian: Any, q: Any, name: str, data: bytes, mime: str) -> None:
    response = client.post(
        reverse("scoring:bukti_unggah", args=[penilaian.code, q.pk]),
        {"berkas": SimpleUploadedFile(name, data, content_type=mime)},
    )
    assert response.status_code == 302, response.content[:500]


def _card(page: str, anchor: str) -> str:
    """The HTML of one question's card (`q-<pk>` on the worksheet, `r-<pk>` on review)."""
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</article>", start)]


def _worksheet(client: Client, penilaian: Any, q: Any) -> str:
    url = reverse("scoring:worksheet", args=[penilaian.code, q.indikator.area.nomor])
    return _card(client.get(url).content.decode(), f"q-{q.pk}")


def _review(client: Client, penilaian: Any, q: Any) -> str:
    url = reverse("scoring:reviu", args=[penilaian.code, q.indikator.area.nomor])
    return _card(client.get(url).content.decode(), f"r-{q.pk}")


@pytest.fixture
def sk_2019(
    biro_hp: Any, question: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> Bukti:
    q = question("A.I.1.i.a")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(
            login("tim.biro-hp"),
            biro_hp,
            q,
            "sk-tim-2019.pdf",
            text_pdf(SK_2019),
            "application/pdf",
        )
    return Bukti.objects.get(penilaian=biro_hp, pertanyaan=q, nama_asli="sk-tim-2019.pdf")


def test_a_pdf_dated_2019_shows_its_date_finding_on_the_worksheet_and_the_review(
    biro_hp: Any, question: Any, login: Any, sk_2019: Bukti
) -> None:
    date = TemuanBukti.objects.get(bukti=sk_2019, jenis="tanggal")
    assert date.status == "gagal" and "28 Juni 2019" in date.alasan
    q = question("A.I.1.i.a")
    card = _worksheet(login("tim.biro-hp"), biro_hp, q)
    assert 'data-cek="gagal"' in card and "Pemeriksaan: Gagal" in card
    assert 'data-temuan="tanggal" data-temuan-status="gagal"' in card
    assert html_lib.escape(date.alasan) in card
    assert "halaman 1" in card
    assert 'name="alasan"' not in card  # the tim kerja cannot set a finding aside

    put_status(biro_hp, StatusPenilaian.REVIU_TPI)
    review = _review(login("tpi.mk"), biro_hp, q)
    assert 'data-temuan="tanggal" data-temuan-status="gagal"' in review
    assert html_lib.escape(date.alasan) in review
    assert reverse("scoring:temuan_abaikan", args=[biro_hp.code, date.pk]) in review


def test_the_same_photo_under_two_questions_shows_the_duplicate_on_both(
    biro_hp: Any, question: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tim = login("tim.biro-hp")
    first, second = question("A.I.1.i.a"), question("A.I.1.i.b")
    data = photo(7)
    for q in (first, second):
        with django_capture_on_commit_callbacks(execute=True):
            _upload(tim, biro_hp, q, "foto-rapat.png", data, "image/png")
    for q, other in ((first, second), (second, first)):
        card = _worksheet(tim, biro_hp, q)
        assert 'data-temuan="duplikat" data-temuan-status="perlu_dicek"' in card, q.kode
        assert f"pertanyaan {other.kode} (foto-rapat.png)" in card


def test_the_submit_page_lists_the_readiness_items_linked_to_each_question(
    biro_hp: Any, question: Any, login: Any, sk_2019: Bukti
) -> None:
    q = question("A.I.1.i.a")
    page = login("tim.biro-hp").get(reverse("scoring:ajukan", args=[biro_hp.code])).content.decode()
    section = page[page.index("data-kesiapan") :]
    area = section[section.index(f'data-kesiapan-area="{q.indikator.area.nomor}"') :]
    link = f"{reverse('scoring:worksheet', args=[biro_hp.code, q.indikator.area.nomor])}#q-{q.pk}"
    for key in ("gagal", "di-luar-tahun"):
        block = area[area.index(f'data-kesiapan-jenis="{key}"') :]
        assert link in block[: block.index("</ul>")], key
    without = area[area.index('data-kesiapan-jenis="tanpa-bukti"') :]
    assert q.kode not in without[: without.index("</ul>")]  # it has a bukti now
    # the submit form is still there: the list informs, never blocks
    assert 'name="konfirmasi"' in page


def test_the_dashboard_counts_the_bukti_per_status(
    biro_hp: Any, login: Any, sk_2019: Bukti
) -> None:
    page = (
        login("tim.biro-hp").get(reverse("scoring:dashboard", args=[biro_hp.code])).content.decode()
    )
    card = page[page.index("data-pemeriksaan-ringkasan") :]
    gagal = card[card.index('data-pemeriksaan-status="gagal"') :]
    n = int(gagal[gagal.index("<strong data-n>") + 15 : gagal.index("</strong>")])
    assert n >= 1


def test_the_tpi_sets_a_finding_aside_with_a_reason_recorded_in_riwayat(
    biro_hp: Any, question: Any, login: Any, sk_2019: Bukti
) -> None:
    date = TemuanBukti.objects.get(bukti=sk_2019, jenis="tanggal")
    put_status(biro_hp, StatusPenilaian.REVIU_TPI)
    tpi = login("tpi.mk")
    url = reverse("scoring:temuan_abaikan", args=[biro_hp.code, date.pk])
    # without a reason: refused, nothing changes
    response = tpi.post(url, {"alasan": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Isi alasan" in response.content.decode()
    date.refresh_from_db()
    assert not date.diabaikan
    # the tim kerja may not
    assert login("tim.biro-hp").post(url, {"alasan": "x"}).status_code == 403

    reason = "SK 2019 masih berlaku pada 2022 (tidak dicabut)."
    response = tpi.post(url, {"alasan": reason}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    date.refresh_from_db()
    assert date.diabaikan and date.alasan_diabaikan == reason
    assert date.diabaikan_oleh is not None and date.diabaikan_oleh.username == "tpi.mk"
    row = Riwayat.objects.filter(objek="temuan_bukti", objek_id=str(date.pk)).get()
    assert row.kode == "A.I.1.i.a" and row.user == date.diabaikan_oleh
    assert any(reason in new for _old, new in row.perubahan.values())
    card = response.content.decode()
    assert "data-temuan-diabaikan" in card and html_lib.escape(reason) in card
    assert "1 temuan diabaikan" in card
    # the badge no longer counts it
    assert TemuanBukti.objects.filter(bukti=sk_2019, status="gagal", diabaikan=False).count() == 0
    assert 'data-cek="gagal"' not in card

    # a rerun that finds the same keeps the decision
    call_command(
        "bukti_check", "--unit", "biro-hp", "--year", "2022", "--rerun", stdout=io.StringIO()
    )
    again = TemuanBukti.objects.get(bukti=sk_2019, jenis="tanggal")
    assert again.diabaikan and again.alasan_diabaikan == reason


def test_a_finding_of_another_penilaian_is_not_found(
    biro_hp: Any, login: Any, sk_2019: Bukti
) -> None:
    from lke.models import Penilaian

    other = Penilaian.objects.exclude(pk=biro_hp.pk).filter(unit=biro_hp.unit).first() or (
        Penilaian.objects.exclude(unit=biro_hp.unit).first()
    )
    assert other is not None
    date = TemuanBukti.objects.get(bukti=sk_2019, jenis="tanggal")
    url = reverse("scoring:temuan_abaikan", args=[other.code, date.pk])
    assert login("admin").post(url, {"alasan": "x"}).status_code == 404


def test_bukti_check_json_agrees_with_the_page(
    biro_hp: Any, question: Any, login: Any, sk_2019: Bukti
) -> None:
    out = io.StringIO()
    call_command("bukti_check", "--unit", "biro-hp", "--year", "2022", "--json", stdout=out)
    rows = [r for r in json.loads(out.getvalue()) if r["bukti"] == "sk-tim-2019.pdf"]
    assert {r["check"] for r in rows} >= {"teks", "tanggal", "duplikat"}
    card = _worksheet(login("tim.biro-hp"), biro_hp, question("A.I.1.i.a"))
    start = card.index('data-cek="')
    shown = card[start : card.index("</details>", start)]  # this bukti's details
    assert shown.count("data-temuan-status=") == len(rows)
    for r in rows:
        assert f'data-temuan="{r["check"]}" data-temuan-status="{r["status"]}"' in shown, r
        assert html_lib.escape(r["reason"]) in shown, r
        item = shown[shown.index(f'data-temuan="{r["check"]}"') :]
        item = item[: item.index("</li>")]
        assert (f"halaman {r['page']}:" in item) == bool(r["page"]), r


def test_the_readiness_lists_follow_the_lke_order(biro_hp: Any) -> None:
    from evidence.checks.selectors import kesiapan
    from scoring.workflow import penilaian_kekurangan

    area_1 = kesiapan(biro_hp)[0]
    shown = [q.kode for q in area_1.tanpa_bukti]
    # The submit page's own list (in the LKE's printed order) of area 1's questions.
    printed = [
        q.kode
        for q in penilaian_kekurangan(biro_hp).without_evidence
        if q.indikator.area.nomor == area_1.nomor
    ]
    assert shown == printed and shown[:3] == ["A.I.1.i.a", "A.I.1.i.b", "A.I.1.ii.a"]
