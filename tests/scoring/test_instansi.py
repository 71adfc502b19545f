"""Issue 16 parts 1 and 6: the instansi recap page, its Excel export and `instansi_rekap`.

The figures of every unit equal `lke_score` (the same engine on the same answers, or the
final snapshot); answers, status changes and predikat rows refresh them.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from documents.exports import export_start
from documents.models import ExportJob, JenisEkspor, StatusEkspor
from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import SetJawaban, SnapshotSkor
from scoring.rekap import rekap_refresh
from scoring.services import jawaban_save, penilaian_score, report_json
from scoring.workflow import penilaian_finalize
from tests.workflow import put_status, review_everything, writable
from units.access import unit_access
from units.models import Instansi, PredikatUnit

URL = "/instansi/mk/"


def _lke_score(slug: str, by: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("lke_score", unit=slug, year=2022, by=by, json=True, stdout=out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def _rekap() -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    call_command("instansi_rekap", instansi="mk", year=2022, json=True, stdout=out)
    return {row["unit"]: row for row in json.loads(out.getvalue())["units"]}


def _answer_some(slug: str, n: int, set_: str = SetJawaban.MANDIRI) -> None:
    p = Penilaian.objects.select_related("unit", "model").get(unit__slug=slug)
    user = get_user_model().objects.get(username=f"tim.{slug}")
    with writable(p, set_):
        for q in Pertanyaan.objects.filter(model=p.model).exclude(jenis="persen")[:n]:
            jawaban_save(penilaian=p, set_=set_, pertanyaan=q, opsi=q.pilihan[0], user=user)


def _figures(html: str, slug: str) -> dict[str, str]:
    row = re.search(rf'<tr data-unit="{slug}">(.*?)</tr>', html, re.S)
    assert row, slug
    return {
        k: re.sub(r"<[^>]+>", " ", v).split()[0]
        for k, v in re.findall(r'data-figure="([a-z0-9-]+)"[^>]*>(.*?)</td>', row.group(1), re.S)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["tpi.mk", "pimpinan.mk", "admin"])
def test_the_instansi_wide_roles_and_the_admin_see_every_unit(
    login: Callable[[str], Client], username: str
) -> None:
    html = login(username).get(URL).content.decode()
    assert 'data-unit="biro-hp"' in html and 'data-unit="pusat-tik"' in html
    assert "Rekap unit kerja Mahkamah Konstitusi" in html
    assert "TEMPAT PARTIAL TENGGAT PENGUSULAN" not in html  # a template comment only


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["tim.biro-hp", "pimpinan.biro-hp", "tpi.kemenkumham"])
def test_a_unit_role_or_another_instansi_gets_404(
    login: Callable[[str], Client], username: str
) -> None:
    assert login(username).get(URL).status_code == 404


@pytest.mark.django_db
def test_the_figures_equal_lke_score_and_follow_every_answer(
    login: Callable[[str], Client],
) -> None:
    client = login("tpi.mk")
    client.get(URL)  # recap rows made with no answers
    _answer_some("biro-hp", 30)
    _answer_some("pusat-tik", 12)
    rekap = _rekap()
    html = client.get(URL).content.decode()
    for slug in ("biro-hp", "pusat-tik"):
        mandiri, tpi = _lke_score(slug, "mandiri"), _lke_score(slug, "tpi")
        assert rekap[slug]["total_mandiri"] == mandiri["total"] > 0
        assert rekap[slug]["total_tpi"] == tpi["total"]
        assert rekap[slug]["verdict"] == tpi["verdict"]
        assert rekap[slug]["total_tpn"] is None
        wbk = next(r for r in tpi["rules"] if r["predikat"] == "WBK" and r["kind"] == "total")
        assert rekap[slug]["gap_wbk"] == max(0.0, wbk["required"] - tpi["total"])
        shown = _figures(html, slug)
        assert shown["mandiri"] == f"{mandiri['total']:.2f}".replace(".", ",")
        assert shown["tpi"] == f"{tpi['total']:.2f}".replace(".", ",")


@pytest.mark.django_db
def test_a_final_penilaian_is_read_from_its_snapshot_not_scored_again() -> None:
    p = Penilaian.objects.select_related("unit", "model").get(unit__slug="pusat-tik")
    _answer_some("pusat-tik", 20)
    put_status(p, StatusPenilaian.REVIU_TPI)
    tpi = get_user_model().objects.get(username="tpi.mk")
    review_everything(p, tpi)
    penilaian_finalize(penilaian=p, user=tpi, access=unit_access(tpi, p.unit))
    final = SnapshotSkor.objects.get(penilaian=p, set=SetJawaban.TPI, final=True)
    # The stored snapshot is the source: a changed stored figure shows as is.
    laporan = {**final.laporan, "total": 77.5}
    SnapshotSkor.objects.filter(pk=final.pk).update(laporan=laporan)
    rekap_refresh(Instansi.objects.get(kode="mk"), 2022)
    row = _rekap()["pusat-tik"]
    assert row["status"] == "final" and row["total_tpi"] == 77.5
    assert SnapshotSkor.objects.filter(penilaian=p, final=True).count() == 2  # no extra final rows


@pytest.mark.django_db
def test_a_predikat_row_refreshes_the_recap(login: Callable[[str], Client]) -> None:
    client = login("tpi.mk")
    client.get(URL)
    unit = Penilaian.objects.get(unit__slug="biro-hp").unit
    PredikatUnit.objects.create(unit=unit, predikat="WBK", tahun=2021, sumber="tpn")
    html = client.get(URL).content.decode()
    assert "Menuju WBK 2021" in _row(html, "biro-hp")


def _row(html: str, slug: str) -> str:
    match = re.search(rf'<tr data-unit="{slug}">(.*?)</tr>', html, re.S)
    assert match
    return match.group(1)


@pytest.mark.django_db
def test_filters_and_sorting(login: Callable[[str], Client]) -> None:
    _answer_some("pusat-tik", 40)
    put_status(Penilaian.objects.get(unit__slug="pusat-tik"), StatusPenilaian.REVIU_TPI)
    client = login("tpi.mk")
    html = client.get(URL, {"status": "reviu_tpi"}).content.decode()
    assert 'data-unit="pusat-tik"' in html and 'data-unit="biro-hp"' not in html
    html = client.get(URL, {"urut": "-mandiri"}).content.decode()
    assert html.index('data-unit="pusat-tik"') < html.index('data-unit="biro-hp"')
    html = client.get(URL, {"urut": "unit"}).content.decode()
    assert html.index('data-unit="biro-hp"') < html.index('data-unit="pusat-tik"')
    html = client.get(URL, {"predikat": "WBK"}).content.decode()
    assert 'data-unit="' not in html
    # Nothing answered in Biro HP: every area is below the 90/2021 minimum.
    html = client.get(URL, {"area": "1"}).content.decode()
    assert 'data-unit="biro-hp"' in html
    assert client.get(URL, {"tahun": "1999"}).status_code == 200  # falls back to the latest


@pytest.mark.django_db
def test_the_chart_draws_the_models_thresholds(login: Callable[[str], Client]) -> None:
    html = login("tpi.mk").get(URL).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'data-ambang="WBK"' in svg and 'data-ambang="WBBM"' in svg
    assert "WBK 75,00" in svg and "WBBM 85,00" in svg
    assert "<title>0–5: 2</title>" in svg  # both units' totals are 0


@pytest.mark.django_db
def test_the_excel_export_has_every_unit_with_the_page_figures() -> None:
    _answer_some("biro-hp", 25)
    tpi = get_user_model().objects.get(username="tpi.mk")
    anchor = Penilaian.objects.get(unit__slug="biro-hp")
    job = export_start(
        user=tpi, penilaian=anchor, jenis=JenisEkspor.INSTANSI_XLSX, params={"filter": {}}
    )
    from documents.exports import export_run

    export_run(str(job.pk))
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == StatusEkspor.SELESAI and job.nama_berkas == "rekap-mk-2022.xlsx"
    with job.berkas.open("rb") as fh:
        ws = load_workbook(fh)["Rekap"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    biro = rows["Biro Hubungan Masyarakat dan Protokol"]
    assert (
        biro[2]
        == report_json(penilaian_score(anchor, SetJawaban.MANDIRI), penilaian=anchor, by="mandiri")[
            "total"
        ]
    )
    assert set(rows) == {
        "Biro Hubungan Masyarakat dan Protokol",
        "Pusat Teknologi Informasi dan Komunikasi",
    }


@pytest.mark.django_db
def test_the_export_is_only_for_those_who_see_the_instansi(
    login: Callable[[str], Client],
) -> None:
    assert login("tim.biro-hp").post("/instansi/mk/ekspor/", {"tahun": "2022"}).status_code == 404
    response = login("tpi.mk").post("/instansi/mk/ekspor/", {"tahun": "2022"})
    assert response.status_code == 302 and response["Location"].startswith("/ekspor/")
    job = ExportJob.objects.get(jenis=JenisEkspor.INSTANSI_XLSX)
    assert login("tpi.mk").get(f"/ekspor/{job.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_home_page_and_the_tpi_queue_link_the_instansi_page(
    login: Callable[[str], Client],
) -> None:
    for url in ("/", "/tpi/"):
        assert 'href="/instansi/mk/"' in login("tpi.mk").get(url).content.decode()
    assert 'href="/instansi/' not in login("tim.biro-hp").get("/").content.decode()


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_instansi_or_year() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("instansi_rekap", instansi="nope", year=2022)
    with pytest.raises(CommandError, match="tidak memiliki penilaian"):
        call_command("instansi_rekap", instansi="mk", year=2019)


@pytest.mark.django_db
def test_a_final_snapshot_without_a_full_report_shows_its_total_and_verdict(
    login: Callable[[str], Client],
) -> None:
    p = Penilaian.objects.get(unit__slug="pusat-tik")
    put_status(p, StatusPenilaian.FINAL)
    SnapshotSkor.objects.create(
        penilaian=p, set=SetJawaban.TPI, total=80, predikat="WBK", laporan={}, final=True
    )
    html = login("tpi.mk").get(URL).content.decode()
    shown = _figures(html, "pusat-tik")
    assert shown["tpi"] == "80,00" and shown["verdict"] == "WBK"
    assert shown["gap-wbk"] == "–"


@pytest.mark.django_db
def test_the_page_holds_a_page_of_rows(
    login: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring import views_instansi

    monkeypatch.setattr(views_instansi, "PAGE_SIZE", 1)
    client = login("tpi.mk")
    first = client.get(URL, {"urut": "unit"}).content.decode()
    second = client.get(URL, {"urut": "unit", "halaman": "2"}).content.decode()
    assert 'data-unit="biro-hp"' in first and 'data-unit="pusat-tik"' not in first
    assert 'data-unit="pusat-tik"' in second and "2 / 2" in second
