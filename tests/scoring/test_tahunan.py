"""Year over year (issue 16 part 2): every year side by side from the final snapshots,
the model change noted, indikator per model; starting a new year with rencana aksi and
bukti carried forward (the same stored file, its own row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.storage_reconcile import storage_reconcile
from evidence.models import Bukti, RencanaAksi, StatusRencanaAksi, TeksBukti
from evidence.services import bukti_upload
from evidence.tahun_baru import penilaian_tahun_baru
from evidence.validators import BuktiDitolak
from lke.models import ModelPenilaian, Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import SetJawaban, SnapshotSkor
from scoring.services import penilaian_score, report_json
from scoring.tahunan import antar_tahun
from tests.documents.test_xlsx_export import fill
from tests.evidence.files import pdf
from tests.workflow import put_status
from units.access import unit_access
from units.models import Riwayat

pytestmark = pytest.mark.django_db


def _admin() -> Any:
    return get_user_model().objects.get(username="admin")


def _freeze(penilaian: Penilaian) -> None:
    """Final with its snapshots, as penilaian_finalize leaves it."""
    for set_ in (SetJawaban.MANDIRI, SetJawaban.TPI):
        report = penilaian_score(penilaian, set_)
        SnapshotSkor.objects.create(
            penilaian=penilaian,
            set=set_,
            total=report.total.nilai,
            predikat=report.verdict,
            laporan=report_json(report, penilaian=penilaian, by=set_),
            final=True,
        )
    put_status(penilaian, StatusPenilaian.FINAL)


def _year(unit: Any, tahun: int, model: ModelPenilaian, seed: int) -> Penilaian:
    p = Penilaian.objects.create(unit=unit, tahun=tahun, model=model)
    fill(p, SetJawaban.MANDIRI, seed)
    fill(p, SetJawaban.TPI, seed + 1)
    _freeze(p)
    return p


def test_years_side_by_side_from_snapshots_with_the_model_change(biro_hp):
    old_model = ModelPenilaian.objects.get(kode="permenpanrb-10-2019")
    _year(biro_hp.unit, 2019, old_model, 1)
    _year(biro_hp.unit, 2020, old_model, 3)
    fill(biro_hp, SetJawaban.MANDIRI, 5)  # 2022: not final, scored live
    data = antar_tahun(biro_hp.unit)
    assert data.tahun == [2019, 2020, 2022]
    assert [t.model_berubah for t in data.years] == [False, False, True]
    assert [t.final for t in data.years] == [True, True, False]
    assert [g.model_kode for g in data.segmen] == [old_model.kode, biro_hp.model.kode]
    assert data.segmen[0].years == [2019, 2020] and data.segmen[1].years == [2022]
    # areas 1..6 of every year (90/2021's Pemenuhan + Reform together)
    assert [a.code for a in data.areas] == ["1", "2", "3", "4", "5", "6"]
    snap = SnapshotSkor.objects.get(penilaian__tahun=2019, set=SetJawaban.TPI, final=True)
    total = data.years[0].total(SetJawaban.TPI).nilai
    assert total is not None and float(total) == snap.laporan["total"]
    assert data.areas[0].sel[(2019, SetJawaban.TPI)].nilai is not None


def test_final_years_cost_no_query_each(biro_hp):
    model = biro_hp.model
    _freeze(biro_hp)
    _year(biro_hp.unit, 2021, model, 7)
    with CaptureQueriesContext(connection) as two:
        antar_tahun(biro_hp.unit)
    for tahun in (2018, 2019, 2020):
        _year(biro_hp.unit, tahun, model, tahun)
    with CaptureQueriesContext(connection) as five:
        antar_tahun(biro_hp.unit)
    assert len(five) == len(two) == 2


def test_the_page_shows_every_year(biro_hp, login):
    _year(biro_hp.unit, 2021, biro_hp.model, 9)
    page = login("pimpinan.biro-hp").get(f"/penilaian/{biro_hp.code}/antar-tahun/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-tahun="2021"' in html and 'data-tahun="2022"' in html
    assert "Mulai penilaian tahun baru" not in html  # admin only


@pytest.fixture
def with_bukti(biro_hp: Any) -> Bukti:
    q = Pertanyaan.objects.get(model=biro_hp.model, kode="A.I.1.i.a")
    row = RencanaAksi.objects.filter(penilaian=biro_hp, indikator=q.indikator).first()
    (stored,) = bukti_upload(
        penilaian=biro_hp,
        pertanyaan=q,
        files=[pdf("sk-tim.pdf")],
        user=get_user_model().objects.get(username="tim.biro-hp"),
        tanggal_efektif=dt.date(2022, 3, 1),
        rencana_aksi=row,
    )
    TeksBukti.objects.create(bukti=stored, status="terbaca", halaman=[], versi_teks="x")
    return stored


def test_a_new_year_copies_rencana_aksi_and_carries_bukti_forward(biro_hp, with_bukti):
    admin = _admin()
    RencanaAksi.objects.filter(penilaian=biro_hp).update(status=StatusRencanaAksi.SELESAI)
    n_rows = RencanaAksi.objects.filter(penilaian=biro_hp).count()
    result = penilaian_tahun_baru(
        unit=biro_hp.unit,
        tahun=2023,
        model=biro_hp.model,
        salin_rencana_aksi=True,
        bawa_bukti=True,
        user=admin,
        access=unit_access(admin, biro_hp.unit),
    )
    new = result.penilaian
    assert (new.tahun, new.status, result.rencana_aksi, result.bukti) == (
        2023,
        "pengisian",
        n_rows,
        1,
    )
    assert not RencanaAksi.objects.filter(penilaian=new).exclude(status="belum_mulai").exists()
    carried = Bukti.objects.get(penilaian=new)
    assert carried.perlu_dicek_ulang and carried.dibawa_dari_id == with_bukti.pk
    assert carried.berkas.name == with_bukti.berkas.name  # no second file
    assert carried.rencana_aksi is not None and carried.rencana_aksi.penilaian_id == new.pk
    assert TeksBukti.objects.get(bukti=carried).versi_pemeriksa == ""  # checks run again
    assert Riwayat.objects.filter(objek="penilaian", objek_id=str(new.code)).exists()
    # Deleting last year's row leaves this year's whole, file included.
    with_bukti.delete()
    storage_reconcile(delete_orphans=True, older_than_hours=0)
    carried.refresh_from_db()
    assert carried.dibawa_dari_id is None
    with carried.berkas.open("rb") as f:
        assert f.read(5) == b"%PDF-"


def test_starting_a_year_twice_or_without_the_right_is_refused(biro_hp):
    tim = get_user_model().objects.get(username="tim.biro-hp")
    args = {"unit": biro_hp.unit, "model": biro_hp.model, "salin_rencana_aksi": True}
    with pytest.raises(BuktiDitolak):
        penilaian_tahun_baru(
            tahun=2023, bawa_bukti=False, user=tim, access=unit_access(tim, biro_hp.unit), **args
        )
    with pytest.raises(BuktiDitolak, match="sudah ada"):
        penilaian_tahun_baru(tahun=2022, bawa_bukti=False, user=None, access=None, **args)
    assert not Penilaian.objects.filter(unit=biro_hp.unit, tahun=2023).exists()


def test_the_start_year_form(biro_hp, login, with_bukti):
    client = login("admin")
    url = f"/penilaian/{biro_hp.code}/tahun-baru/"
    page = client.get(url)
    assert page.status_code == 200 and 'value="2023"' in page.content.decode()
    assert login("tim.biro-hp").get(url).status_code == 403
    done = client.post(url, {"tahun": 2023, "model": biro_hp.model.pk, "bawa_bukti": "on"})
    assert done.status_code == 302
    new = Penilaian.objects.get(unit=biro_hp.unit, tahun=2023)
    assert Bukti.objects.filter(penilaian=new, perlu_dicek_ulang=True).count() == 1
    assert not RencanaAksi.objects.filter(penilaian=new).exists()  # not chosen


def test_a_carried_bukti_is_confirmed_by_the_tim_kerja(biro_hp, with_bukti, login):
    admin = _admin()
    new = penilaian_tahun_baru(
        unit=biro_hp.unit,
        tahun=2023,
        model=biro_hp.model,
        salin_rencana_aksi=False,
        bawa_bukti=True,
        user=admin,
        access=None,
    ).penilaian
    carried = Bukti.objects.get(penilaian=new)
    url = f"/penilaian/{new.code}/bukti/{carried.code}/berlaku/"
    assert login("pimpinan.biro-hp").post(url).status_code == 403
    page = login("tim.biro-hp").post(url, headers={"HX-Request": "true"})
    assert page.status_code == 200
    carried.refresh_from_db()
    assert not carried.perlu_dicek_ulang
    assert Riwayat.objects.filter(objek="bukti", objek_id=str(carried.code), aksi="ubah").exists()
