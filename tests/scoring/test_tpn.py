"""The TPN as the third answer set (issue 16 part 3): who may enter it and when, the
recording of its result and its predikat (idempotent), buka kembali, the score page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from lke.models import StatusPenilaian
from scoring.models import Jawaban, SetJawaban, SnapshotSkor
from scoring.services import JawabanTidakValid, jawaban_save
from scoring.tpn import TpnDitolak, tpn_tetapkan
from scoring.workflow import penilaian_reopen, tpn_refusal
from tests.documents.test_xlsx_export import best_answers, fill
from tests.workflow import put_status
from units.access import unit_access
from units.models import PredikatUnit, Riwayat

pytestmark = pytest.mark.django_db


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def final(biro_hp: Any) -> Any:
    fill(biro_hp, SetJawaban.MANDIRI, 1)
    fill(biro_hp, SetJawaban.TPI, 2)
    put_status(biro_hp, StatusPenilaian.FINAL)
    return biro_hp


def test_the_tpn_set_waits_for_the_tpi_final(biro_hp, question):
    tpi = unit_access(_user("tpi.mk"), biro_hp.unit)
    for status in (StatusPenilaian.PENGISIAN, StatusPenilaian.REVIU_TPI):
        put_status(biro_hp, status)
        assert tpn_refusal(tpi, biro_hp) == "Jawaban TPN hanya dapat diisi setelah nilai TPI final."
        with pytest.raises(JawabanTidakValid):
            jawaban_save(
                penilaian=biro_hp,
                set_=SetJawaban.TPN,
                pertanyaan=question("A.I.1.i.a"),
                opsi="Ya",
                user=None,
                access=tpi,
            )


def test_only_admin_or_the_instansi_tpi_enter_it(final, question):
    q = question("A.I.1.i.a")
    for name in ("tim.biro-hp", "pimpinan.biro-hp"):
        access = unit_access(_user(name), final.unit)
        assert "admin atau TPI" in (tpn_refusal(access, final) or "")
    for name in ("tpi.mk", "admin"):
        user = _user(name)
        saved = jawaban_save(
            penilaian=final,
            set_=SetJawaban.TPN,
            pertanyaan=q,
            opsi="Tidak" if name == "admin" else "Ya",
            user=user,
            access=unit_access(user, final.unit),
        )
        assert saved.set == SetJawaban.TPN
    # recorded in Riwayat like every answer
    assert Riwayat.objects.filter(objek="jawaban_tpn", kode=q.kode).count() == 2


def test_recording_the_result_needs_every_answer(final):
    fill(final, SetJawaban.TPN, 3)  # some options and inputs left blank
    with pytest.raises(TpnDitolak) as refused:
        tpn_tetapkan(penilaian=final, user=None, access=None)
    assert refused.value.blocking
    assert not SnapshotSkor.objects.filter(penilaian=final, set=SetJawaban.TPN).exists()


def test_the_tpn_verdict_becomes_one_predikat_row(final):
    best_answers(final, SetJawaban.TPN)
    admin = _user("admin")
    result = tpn_tetapkan(penilaian=final, user=admin, access=unit_access(admin, final.unit))
    assert result.final and result.set == SetJawaban.TPN
    assert result.predikat in ("WBK", "WBBM")
    again = tpn_tetapkan(penilaian=final, user=admin, access=None)  # idempotent
    assert again.pk == result.pk
    rows = PredikatUnit.objects.filter(unit=final.unit, sumber=PredikatUnit.Sumber.TPN)
    assert [(r.predikat, r.tahun) for r in rows] == [(result.predikat, final.tahun)]
    # Once recorded, the TPN's answers are frozen.
    assert "sudah ditetapkan" in (tpn_refusal(None, final) or "")
    # Buka kembali supersedes the portal's own snapshots, never the TPN's result.
    SnapshotSkor.objects.create(
        penilaian=final, set=SetJawaban.TPI, total=80, predikat="WBK", laporan={}, final=True
    )
    assert penilaian_reopen(penilaian=final, user=admin, alasan="Koreksi data") == 1
    assert SnapshotSkor.objects.get(pk=result.pk).final


def test_a_tpn_verdict_without_predikat_makes_no_row(final):
    best_answers(final, SetJawaban.TPN)
    # every option question to its weakest answer: far below the WBK threshold
    for j in Jawaban.objects.filter(penilaian=final, set=SetJawaban.TPN).select_related(
        "pertanyaan"
    ):
        if j.opsi:
            j.opsi = j.pertanyaan.pilihan[-1]
            j.save(update_fields=["opsi"])
    result = tpn_tetapkan(penilaian=final, user=None, access=None)
    assert result.predikat == "belum memenuhi"
    assert not PredikatUnit.objects.filter(unit=final.unit, sumber=PredikatUnit.Sumber.TPN).exists()


def test_score_page_shows_three_columns_with_differences_marked(final, login):
    fill(final, SetJawaban.TPN, 4)
    page = login("tpi.mk").get(f"/penilaian/{final.code}/skor/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-total="tpn"' in html and 'data-total="tpi"' in html
    assert 'data-set="tpn" data-nilai' in html
    assert "data-beda" in html  # TPN and mandiri answers differ from the TPI's (seeds 2/3/4)
    assert "?oleh=tpn" in html
    tpn_view = login("tpi.mk").get(f"/penilaian/{final.code}/skor/?oleh=tpn").content.decode()
    assert "Syarat predikat (TPN)" in tpn_view


def test_score_page_keeps_two_columns_without_the_tpn(biro_hp, login):
    html = login("tpi.mk").get(f"/penilaian/{biro_hp.code}/skor/").content.decode()
    assert 'data-total="tpn"' not in html and 'data-set="tpn"' not in html


def test_the_tpn_area_page_saves_all_or_nothing(final, login, question):
    client = login("tpi.mk")
    q = question("A.I.1.i.a")
    url = f"/penilaian/{final.code}/tpn/area/1/"
    page = client.get(url)
    assert page.status_code == 200 and q.kode in page.content.decode()
    assert login("tim.biro-hp").get(url).status_code == 403
    persen = question("A.II.1.i.a")
    n = persen.input.filter(turunan_dari=[]).first()
    bad = client.post(
        url.replace("/area/1/", f"/area/{persen.indikator.area.nomor}/"),
        {f"opsi-{q.pk}": "Ya", f"angka-{persen.pk}-{n.kode}": "abc"},
    )
    assert bad.status_code == 422
    assert not Jawaban.objects.filter(penilaian=final, set=SetJawaban.TPN).exists()
    ok = client.post(url, {f"opsi-{q.pk}": "Ya"})
    assert ok.status_code == 302
    stored = Jawaban.objects.filter(penilaian=final, set=SetJawaban.TPN)
    assert [(j.pertanyaan_id, j.opsi) for j in stored] == [(q.pk, "Ya")]  # blanks not stored
