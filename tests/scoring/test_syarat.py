"""The Tabel 5 checklist (issue 12 parts 3 and 10): each rule, pemda vs K/L, Stranas PK,
LHKPN/LHKASN from Reform 5.iii, *belum diisi* where the seeds are silent, the command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from evidence.models import IsianSyarat
from evidence.syarat import isian_syarat_simpan
from lke.models import Penilaian, Pertanyaan
from lke.syarat import isian_of, tabel_for_year
from scoring.models import SetJawaban
from scoring.services import jawaban_save
from scoring.syarat import BELUM, MEMENUHI, TIDAK, tabel5_checklist
from tests.workflow import writable
from units.models import Instansi, Riwayat, UnitKerja

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    """Messages are asserted in Indonesian, whatever an earlier test left active."""
    with translation.override("id"):
        yield


ALL_MET_INSTANSI = {"opini_bpk": "WTP", "sakip_instansi": "BB", "indeks_rb": "BB", "spip": "3"}
ALL_MET_UNIT = {
    "core_layanan": "ya",
    "dampak_signifikan": "ya",
    "tindak_lanjut": "100",
    "lhkpn": "100",
    "lhkasn": "100",
    "zi_mulai_wbk": "2021",
    "zi_mulai_wbbm": "2021",
    "sakip_unit": "BB",
}


def _admin() -> Any:
    return get_user_model().objects.get(username="admin")


def _fill(unit: UnitKerja, tahun: int, values: dict[str, str]) -> None:
    tabel = tabel_for_year(tahun)
    assert tabel is not None
    isian = isian_of(tabel)
    for kode, nilai in values.items():
        isian_syarat_simpan(
            isian=isian[kode],
            tahun=tahun,
            instansi=unit.instansi,
            unit=unit,
            nilai=nilai,
            user=_admin(),
        )


def _status(unit: UnitKerja, tahun: int) -> dict[str, dict[str, str]]:
    return {b.syarat.kode: dict(b.status) for b in tabel5_checklist(unit, tahun).butir}


@pytest.fixture
def rutan() -> UnitKerja:
    return UnitKerja.objects.select_related("instansi").get(slug="rutan-kupang")


@pytest.mark.parametrize("slug", ["biro-hp", "pusat-tik", "rutan-kupang"])
def test_demo_units_show_every_syarat_belum_diisi(slug: str) -> None:
    # The seeds state no Tabel 5 value for any demo unit: nothing is invented.
    assert not IsianSyarat.objects.exists()
    unit = UnitKerja.objects.get(slug=slug)
    penilaian = Penilaian.objects.get(unit=unit)
    checklist = tabel5_checklist(unit, penilaian.tahun)
    assert len(checklist.butir) == 10
    assert all(s == BELUM for b in checklist.butir for s in b.status.values())
    assert checklist.ringkasan == {"WBK": BELUM, "WBBM": BELUM}
    assert {v.tampil for v in checklist.isian} == {"belum diisi"}
    assert checklist.jenis_instansi == "kl"  # the seeds' instansi are K/L
    assert not checklist.boleh_sambil_memenuhi


def test_bkkbn_2020_has_no_table_in_the_catalogue() -> None:
    checklist = tabel5_checklist(UnitKerja.objects.get(slug="bkkbn-sumsel"), 2020)
    assert checklist.tabel is None and checklist.butir == []


def test_everything_met_meets_wbk_and_wbbm(rutan: UnitKerja) -> None:
    _fill(rutan, 2024, ALL_MET_INSTANSI | ALL_MET_UNIT)
    checklist = tabel5_checklist(rutan, 2024)
    assert checklist.ringkasan == {"WBK": MEMENUHI, "WBBM": MEMENUHI}


@pytest.mark.parametrize(
    ("kode", "nilai", "wbk", "wbbm"),
    [
        ("opini_bpk", "WDP", TIDAK, TIDAK),
        ("sakip_instansi", "B", MEMENUHI, TIDAK),
        ("sakip_instansi", "CC", TIDAK, TIDAK),
        ("spip", "2", TIDAK, TIDAK),
        ("core_layanan", "tidak", TIDAK, TIDAK),
        ("dampak_signifikan", "tidak", TIDAK, TIDAK),
        ("tindak_lanjut", "99,9", TIDAK, TIDAK),
        ("lhkpn", "95", TIDAK, TIDAK),
        ("lhkasn", "99", TIDAK, TIDAK),
        ("zi_mulai_wbk", "2024", TIDAK, MEMENUHI),
        ("zi_mulai_wbbm", "2024", MEMENUHI, TIDAK),
        ("sakip_unit", "B", MEMENUHI, TIDAK),
    ],
)
def test_each_threshold_decides_its_row(
    rutan: UnitKerja, kode: str, nilai: str, wbk: str, wbbm: str
) -> None:
    _fill(rutan, 2024, ALL_MET_INSTANSI | ALL_MET_UNIT | {kode: nilai})
    checklist = tabel5_checklist(rutan, 2024)
    row = next(b for b in checklist.butir if kode in {v.isian.kode for v in b.nilai})
    assert row.status == {"WBK": wbk, "WBBM": wbbm}
    assert checklist.ringkasan == {"WBK": wbk, "WBBM": wbbm}


@pytest.mark.parametrize(
    ("jenis", "nilai", "wbk", "wbbm"),
    [
        ("pemda", "CC", MEMENUHI, TIDAK),
        ("pemda", "B", MEMENUHI, MEMENUHI),
        ("kl", "CC", TIDAK, TIDAK),
        ("kl", "B", MEMENUHI, TIDAK),
        ("kl", "BB", MEMENUHI, MEMENUHI),
        ("", "BB", BELUM, BELUM),  # kind of instansi not known: not judged
    ],
)
def test_indeks_rb_minimum_follows_pemda_or_kl(
    rutan: UnitKerja, jenis: str, nilai: str, wbk: str, wbbm: str
) -> None:
    Instansi.objects.filter(pk=rutan.instansi_id).update(jenis=jenis)
    rutan.refresh_from_db()
    _fill(rutan, 2024, {"indeks_rb": nilai})
    assert _status(rutan, 2024)["indeks_rb"] == {"WBK": wbk, "WBBM": wbbm}


def test_one_missing_value_leaves_the_row_belum_diisi(rutan: UnitKerja) -> None:
    _fill(rutan, 2024, {"lhkpn": "100"})
    assert _status(rutan, 2024)["lhkasn_lhkpn"] == {"WBK": BELUM, "WBBM": BELUM}
    _fill(rutan, 2024, {"lhkasn": "80"})
    assert _status(rutan, 2024)["lhkasn_lhkpn"] == {"WBK": TIDAK, "WBBM": TIDAK}


def test_instansi_values_count_for_every_unit_of_the_instansi() -> None:
    biro, tik = UnitKerja.objects.get(slug="biro-hp"), UnitKerja.objects.get(slug="pusat-tik")
    _fill(biro, 2022, {"opini_bpk": "WTP", "core_layanan": "ya"})
    assert _status(tik, 2022)["opini_bpk"] == {"WBK": MEMENUHI, "WBBM": MEMENUHI}
    assert _status(tik, 2022)["core_layanan"] == {"WBK": BELUM, "WBBM": BELUM}  # unit's own
    # Recorded in the Riwayat of both units of MK (the instansi's value), once each.
    rows = Riwayat.objects.filter(objek="syarat", kode="instansi:opini_bpk")
    assert sorted(r.unit.slug for r in rows if r.unit) == ["biro-hp", "pusat-tik"]
    assert rows[0].perubahan["nilai"] == ["", "WTP"]


def test_stranas_pk_units_of_pemda_may_be_proposed_while_meeting_tabel_5(
    rutan: UnitKerja,
) -> None:
    Instansi.objects.filter(pk=rutan.instansi_id).update(jenis="pemda")
    UnitKerja.objects.filter(pk=rutan.pk).update(stranas_pk="rsud")
    rutan.refresh_from_db()
    assert tabel5_checklist(rutan, 2024).boleh_sambil_memenuhi
    # Not before 5/2024 (the 90/2021 table has no such exception) ...
    assert not tabel5_checklist(rutan, 2023).boleh_sambil_memenuhi
    # ... and not for K/L units, nor for pemda units outside the priorities.
    Instansi.objects.filter(pk=rutan.instansi_id).update(jenis="kl")
    rutan.refresh_from_db()
    assert not tabel5_checklist(rutan, 2024).boleh_sambil_memenuhi
    Instansi.objects.filter(pk=rutan.instansi_id).update(jenis="pemda")
    UnitKerja.objects.filter(pk=rutan.pk).update(stranas_pk="")
    rutan.refresh_from_db()
    assert not tabel5_checklist(rutan, 2024).boleh_sambil_memenuhi


def _lhkpn_numbers(penilaian: Penilaian, set_: str, q: str, sudah: str) -> None:
    pertanyaan = Pertanyaan.objects.get(model=penilaian.model, kode=q)
    with writable(penilaian, set_):
        jawaban_save(
            penilaian=penilaian,
            set_=set_,
            pertanyaan=pertanyaan,
            angka={f"{q}.2": "1", f"{q}.3": "1", f"{q}.4": "2", f"{q}.5": sudah},
            user=None,
        )


def test_lhkpn_and_lhkasn_come_from_reform_5iii_when_present(biro_hp: Penilaian) -> None:
    unit = biro_hp.unit
    _fill(unit, 2022, {"lhkpn": "100", "lhkasn": "100"})  # typed, but the worksheet wins
    _lhkpn_numbers(biro_hp, SetJawaban.MANDIRI, "A.II.5.iii.a", "3")
    checklist = tabel5_checklist(unit, 2022)
    values = {v.isian.kode: v for v in checklist.isian}
    assert values["lhkpn"].nilai == "75"
    assert "A.II.5.iii.a" in values["lhkpn"].dari_lke and "3 dari 4" in values["lhkpn"].dari_lke
    assert values["lhkasn"].nilai == "100" and not values["lhkasn"].dari_lke  # typed value
    assert _status(unit, 2022)["lhkasn_lhkpn"] == {"WBK": TIDAK, "WBBM": TIDAK}
    # The TPI's numbers come before the unit's own.
    _lhkpn_numbers(biro_hp, SetJawaban.TPI, "A.II.5.iii.a", "4")
    values = {v.isian.kode: v for v in tabel5_checklist(unit, 2022).isian}
    assert values["lhkpn"].nilai == "100" and "TPI" in values["lhkpn"].dari_lke
    assert _status(unit, 2022)["lhkasn_lhkpn"] == {"WBK": MEMENUHI, "WBBM": MEMENUHI}


def test_a_value_can_be_cleared_and_that_is_recorded(rutan: UnitKerja) -> None:
    _fill(rutan, 2024, {"spip": "3"})
    _fill(rutan, 2024, {"spip": ""})
    assert not IsianSyarat.objects.filter(kode="spip").exists()
    assert Riwayat.objects.filter(objek="syarat", kode="instansi:spip", aksi="hapus").exists()
    assert _status(rutan, 2024)["spip"] == {"WBK": BELUM, "WBBM": BELUM}


def test_the_command_prints_the_checklist_and_json(rutan: UnitKerja) -> None:
    _fill(rutan, 2024, {"opini_bpk": "WDP"})
    out = StringIO()
    call_command("tabel5", "--unit", "rutan-kupang", "--year", "2024", stdout=out)
    text = out.getvalue()
    assert "permenpanrb-5-2024-tabel-5" in text
    assert "opini_bpk: WBK TIDAK, WBBM TIDAK" in text
    assert "core_layanan: WBK belum diisi" in text
    out = StringIO()
    call_command("tabel5", "--unit", "rutan-kupang", "--year", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["ringkasan"] == {"WBK": "tidak", "WBBM": "tidak"}
    first = data["syarat"][0]
    assert first["kode"] == "opini_bpk" and first["nilai"]["opini_bpk"]["nilai"] == "WDP"
    out = StringIO()
    call_command("tabel5", "--unit", "bkkbn-sumsel", "--year", "2020", stdout=out)
    assert "Tidak ada Tabel 5 untuk tahun 2020" in out.getvalue()


def test_the_checklist_says_which_indeks_rb_minimum_applies(rutan: UnitKerja) -> None:
    row = next(b for b in tabel5_checklist(rutan, 2024).butir if b.syarat.kode == "indeks_rb")
    assert row.minimum == {"WBK": "B", "WBBM": "BB"}
    assert row.keterangan["WBK"] == (
        "Batas yang berlaku (Kementerian/lembaga): Menuju WBK minimal B."
    )
    Instansi.objects.filter(pk=rutan.instansi_id).update(jenis="")
    rutan.refresh_from_db()
    row = next(b for b in tabel5_checklist(rutan, 2024).butir if b.syarat.kode == "indeks_rb")
    assert row.minimum == {"WBK": None, "WBBM": None}
    assert "belum diisi" in row.keterangan["WBK"]
