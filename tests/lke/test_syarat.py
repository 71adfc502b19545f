"""Tabel 5 as data (issue 12 part 3): the catalogue per year, the scales, the loader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.utils import translation

from lke.loader import LoaderError
from lke.models import SyaratPengusulan, TabelSyarat
from lke.syarat import (
    isian_of,
    memenuhi,
    minimum_for,
    parse_nilai,
    tabel_for_year,
    tabel_syarat_load,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    """Messages are asserted in Indonesian, whatever an earlier test left active."""
    with translation.override("id"):
        yield


# A copy of ../shared/reference/regulations/permenpanrb-5-2024.txt.
REGULATION = Path(__file__).resolve().parents[1] / "data" / "permenpanrb-5-2024.txt"


def test_each_year_has_the_table_of_its_regulation() -> None:
    assert tabel_for_year(2020) is None  # before 90/2021: not transcribed, said on the page
    assert tabel_for_year(2021) is None
    assert tabel_for_year(2022).kode == "permenpanrb-90-2021-tabel-5"  # type: ignore[union-attr]
    assert tabel_for_year(2023).kode == "permenpanrb-90-2021-tabel-5"  # type: ignore[union-attr]
    for year in (2024, 2026):
        tabel = tabel_for_year(year)
        assert tabel is not None and tabel.kode == "permenpanrb-5-2024-tabel-5"
        assert tabel.stranas_pk and tabel.evaluasi_mandiri
    old = TabelSyarat.objects.get(kode="permenpanrb-90-2021-tabel-5")
    assert not old.stranas_pk and not old.evaluasi_mandiri  # both new in 5/2024


def test_the_2024_table_holds_every_row_of_the_regulation() -> None:
    tabel = TabelSyarat.objects.get(kode="permenpanrb-5-2024-tabel-5")
    rows = {s.kode: s for s in SyaratPengusulan.objects.filter(tabel=tabel)}
    assert [s.kode for s in SyaratPengusulan.objects.filter(tabel=tabel).order_by("urutan")] == [
        "opini_bpk",
        "sakip_instansi",
        "indeks_rb",
        "spip",
        "core_layanan",
        "dampak_signifikan",
        "tindak_lanjut",
        "lhkasn_lhkpn",
        "pembangunan_zi",
        "sakip_unit",
    ]
    expected = {
        ("opini_bpk", "WBK"): "WTP",
        ("opini_bpk", "WBBM"): "WTP",
        ("sakip_instansi", "WBK"): "B",
        ("sakip_instansi", "WBBM"): "BB",
        ("indeks_rb", "WBK"): {"pemda": "CC", "kl": "B"},
        ("indeks_rb", "WBBM"): {"pemda": "B", "kl": "BB"},
        ("spip", "WBK"): "3",
        ("tindak_lanjut", "WBK"): "100",
        ("lhkasn_lhkpn", "WBBM"): "100",
        ("pembangunan_zi", "WBK"): "1",
        ("sakip_unit", "WBK"): "B",
        ("sakip_unit", "WBBM"): "BB",
    }
    for (kode, target), minimum in expected.items():
        assert rows[kode].ambang[target]["minimum"] == minimum, (kode, target)
    assert rows["lhkasn_lhkpn"].ambang["WBK"]["isian"] == ["lhkpn", "lhkasn"]
    assert rows["pembangunan_zi"].ambang["WBBM"]["isian"] == ["zi_mulai_wbbm"]
    text = " ".join(REGULATION.read_text().split())
    for row in rows.values():  # every text is the regulation's own (line breaks joined)
        for target in ("WBK", "WBBM"):
            for part in row.ambang[target]["teks"].split("; "):
                assert part in text, part
    isian = isian_of(tabel)
    assert isian["lhkpn"].dari_lke == "A.II.5.iii.a"
    assert isian["lhkasn"].dari_lke == "A.II.5.iii.b"


@pytest.mark.parametrize(
    ("jenis", "nilai", "minimum", "ok"),
    [
        ("opini", "WTP", "WTP", True),
        ("opini", "WDP", "WTP", False),
        ("opini", "TMP", "WTP", False),
        ("huruf", "A", "BB", True),
        ("huruf", "BB", "BB", True),
        ("huruf", "B", "BB", False),
        ("huruf", "B", "B", True),
        ("huruf", "CC", "B", False),
        ("huruf", "CC", "CC", True),
        ("level", "3", "3", True),
        ("level", "2", "3", False),
        ("level", "5", "3", True),
        ("persen", "100", "100", True),
        ("persen", "99.5", "100", False),
        ("ya_tidak", "ya", "ya", True),
        ("ya_tidak", "tidak", "ya", False),
    ],
)
def test_each_scale_compares_against_its_minimum(
    jenis: str, nilai: str, minimum: str, ok: bool
) -> None:
    assert memenuhi(jenis, nilai, minimum, tahun=2024) is ok


def test_one_year_of_building_zi_counts_in_whole_years() -> None:
    assert memenuhi("tahun", "2023", "1", tahun=2024)
    assert memenuhi("tahun", "2020", "1", tahun=2024)
    assert not memenuhi("tahun", "2024", "1", tahun=2024)
    assert not memenuhi("tahun", "2025", "1", tahun=2024)  # starting later never counts


def test_the_indeks_rb_minimum_depends_on_the_kind_of_instansi() -> None:
    ambang = {"minimum": {"pemda": "CC", "kl": "B"}}
    assert minimum_for(ambang, "pemda") == "CC"
    assert minimum_for(ambang, "kl") == "B"
    assert minimum_for(ambang, "") is None  # unknown kind: not judged
    assert minimum_for({"minimum": "WTP"}, "") == "WTP"


def test_typed_values_are_normalised_or_refused_in_indonesian() -> None:
    assert parse_nilai("persen", "99,5 %") == "99.5"
    assert parse_nilai("persen", "100") == "100"
    assert parse_nilai("huruf", "bb") == "BB"
    assert parse_nilai("opini", "wtp") == "WTP"
    assert parse_nilai("ya_tidak", "Ya") == "ya"
    assert parse_nilai("tahun", "2021") == "2021"
    for jenis, raw, message in (
        ("persen", "101", "0 sampai 100"),
        ("persen", "seratus", "0 sampai 100"),
        ("huruf", "E", "Pilih salah satu"),
        ("level", "6", "Pilih salah satu"),
        ("tahun", "21", "empat angka"),
    ):
        with pytest.raises(ValidationError, match=message):
            parse_nilai(jenis, raw)


def test_the_loader_refuses_a_row_naming_an_unknown_value(tmp_path: Path) -> None:
    source = Path("fixtures/lke/syarat/permenpanrb-5-2024-tabel-5.yaml")
    data = yaml.safe_load(source.read_text())
    data["kode"] = "uji-tabel"
    data["syarat"][0]["WBK"]["isian"] = ["tidak_ada"]
    bad = tmp_path / "uji.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(LoaderError, match="tidak_ada"):
        tabel_syarat_load(bad)
    data["syarat"][0]["WBK"]["isian"] = ["opini_bpk"]
    data["syarat"][0]["WBK"]["minimum"] = "BAIK"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(LoaderError, match="minimum"):
        tabel_syarat_load(bad)
    assert not TabelSyarat.objects.filter(kode="uji-tabel").exists()


def test_loading_twice_changes_nothing() -> None:
    before = list(SyaratPengusulan.objects.values_list("pk", "kode", "ambang"))
    tabel_syarat_load(Path("fixtures/lke/syarat/permenpanrb-5-2024-tabel-5.yaml"))
    tabel_syarat_load(Path("fixtures/lke/syarat/permenpanrb-90-2021-tabel-5.yaml"))
    assert list(SyaratPengusulan.objects.values_list("pk", "kode", "ambang")) == before
