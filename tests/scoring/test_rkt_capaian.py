"""Realisasi move the capaian and the B.I.b suggestion; the ZI indikator follows the score;
the TPI sees the suggestion beside the hasil input and both are recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from evidence.models import IndikatorKinerja, RencanaKinerjaTahunan
from evidence.rkt import BarisRkt, realisasi_save, rkt_save
from lke.models import HasilItem, Penilaian, StatusPenilaian
from scoring.models import JawabanHasil, SetJawaban, SnapshotSkor
from scoring.selectors import rkt_laporan, rkt_zi_targets
from scoring.services import jawaban_hasil_save
from units.models import Riwayat

pytestmark = pytest.mark.django_db


def tim() -> Any:
    return get_user_model().objects.get(username="tim.biro-hp")


def rkt() -> RencanaKinerjaTahunan:
    return RencanaKinerjaTahunan.objects.select_related("unit").get(
        unit__slug="biro-hp", tahun=2022
    )


def fill(factor: str = "1", *, skip: str = "") -> None:
    """Every non-ZI indikator's realisasi at `factor` × target (quarter IV)."""
    for i in IndikatorKinerja.objects.filter(sasaran__rkt=rkt(), tautan_zi=""):
        if skip and i.nama.startswith(skip):
            continue
        assert i.target_angka is not None
        realisasi_save(
            indikator=i, triwulan=4, nilai=str(i.target_angka * Decimal(factor)), user=tim()
        )


def zi_not_main() -> None:
    IndikatorKinerja.objects.filter(sasaran__rkt=rkt()).exclude(tautan_zi="").update(utama=False)


def last_year(realisasi_factor: str) -> None:
    """An RKT 2021 of the unit (no penilaian that year) with one indikator."""
    unit = rkt().unit
    old = rkt_save(
        unit=unit, tahun=2021, header={}, rows=[BarisRkt("1.", "S", "1.", "I", "100%")], user=None
    )
    i = IndikatorKinerja.objects.get(sasaran__rkt=old)
    realisasi_save(
        indikator=i, triwulan=4, nilai=str(Decimal(100) * Decimal(realisasi_factor)), user=None
    )


def opsi() -> Any:
    return rkt_laporan(rkt()).saran.opsi


def test_without_realisasi_nothing_is_suggested_and_rows_say_belum_diisi() -> None:
    laporan = rkt_laporan(rkt())
    assert laporan.saran.opsi is None
    assert [b.capaian_teks for b in laporan.baris].count("belum diisi") == 18


def test_realisasi_moves_the_capaian_of_the_indikator() -> None:
    media = IndikatorKinerja.objects.get(sasaran__rkt=rkt(), nama="Media Monitoring MK")
    realisasi_save(indikator=media, triwulan=1, nilai="47,5", user=tim())
    row = next(b for b in rkt_laporan(rkt()).baris if b.indikator.pk == media.pk)
    assert row.capaian_teks == "50,00%"
    realisasi_save(indikator=media, triwulan=2, nilai="97", user=tim())
    row = next(b for b in rkt_laporan(rkt()).baris if b.indikator.pk == media.pk)
    assert (row.triwulan, row.capaian_teks) == (2, "102,11%")  # 97 / 95 half-up


def test_option_c_when_every_target_is_met_and_no_earlier_rkt() -> None:
    zi_not_main()
    fill("1")
    assert opsi() == "C"


def test_option_b_when_better_than_last_year() -> None:
    zi_not_main()
    last_year("0.9")
    fill("1")
    assert opsi() == "B"


def test_option_a_when_exceeded_better_than_last_year_and_than_peers() -> None:
    zi_not_main()
    last_year("1")
    RencanaKinerjaTahunan.objects.filter(pk=rkt().pk).update(capaian_pembanding=Decimal("101"))
    fill("1.02")
    assert opsi() == "A"
    RencanaKinerjaTahunan.objects.filter(pk=rkt().pk).update(capaian_pembanding=Decimal("103"))
    assert opsi() == "B"


def test_option_d_when_a_main_target_is_missed() -> None:
    zi_not_main()
    fill("1", skip="Media Monitoring")
    media = IndikatorKinerja.objects.get(sasaran__rkt=rkt(), nama="Media Monitoring MK")
    realisasi_save(indikator=media, triwulan=4, nilai="90", user=tim())
    assert opsi() == "D"


def test_option_e_when_a_main_indikator_is_not_outcome_oriented() -> None:
    zi_not_main()
    fill("1")
    IndikatorKinerja.objects.filter(sasaran__rkt=rkt(), nama="Media Monitoring MK").update(
        berorientasi_hasil=False
    )
    assert opsi() == "E"


def test_the_zi_indikator_follows_the_live_tpi_score_and_then_the_final_snapshot() -> None:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp", tahun=2022)
    Penilaian.objects.filter(pk=penilaian.pk).update(status=StatusPenilaian.REVIU_TPI)
    ipak = HasilItem.objects.get(model=penilaian.model, kode="B.I.a")
    jawaban_hasil_save(
        penilaian=penilaian, set_=SetJawaban.TPI, hasil_item=ipak, value="4", user=None
    )
    (zi,) = rkt_zi_targets(penilaian)
    assert zi.realisasi == Decimal("17.5")
    assert zi.jarak_zi == "Skor 75: kurang 57,50"
    SnapshotSkor.objects.create(
        penilaian=penilaian,
        set=SetJawaban.TPI,
        total=Decimal("68.57"),
        predikat="-",
        laporan={},
        final=True,
    )
    (zi,) = rkt_zi_targets(penilaian)
    assert zi.jarak_zi == "Skor 75: kurang 6,43"


def test_the_tpi_sees_the_suggestion_and_both_choice_and_suggestion_are_recorded(
    login: Callable[[str], Any],
) -> None:
    zi_not_main()
    fill("1")
    penilaian = Penilaian.objects.get(unit__slug="biro-hp", tahun=2022)
    Penilaian.objects.filter(pk=penilaian.pk).update(status=StatusPenilaian.REVIU_TPI)
    client = login("tpi.mk")
    url = reverse("scoring:hasil", args=[penilaian.code])
    page = client.get(url).content.decode()
    assert "data-saran-opsi>C</span>" in page
    item = HasilItem.objects.get(model=penilaian.model, kode="B.I.b")
    data = {
        f"hasil_{item.pk}": "B",
        f"catatan_{item.pk}": "Dibanding data Biro 2021 di luar portal",
    }
    assert client.post(url, data).status_code == 302
    saved = JawabanHasil.objects.get(penilaian=penilaian, set=SetJawaban.TPI, hasil_item=item)
    assert (saved.opsi, saved.saran_opsi) == ("B", "C")
    assert "tahun sebelumnya tidak ada di portal" in saved.saran_alasan
    record = Riwayat.objects.filter(objek="hasil_tpi", kode="B.I.b").latest("waktu")
    assert record.perubahan["opsi"] == ["", "B"] and record.perubahan["saran_portal"] == ["", "C"]


def test_the_rkt_command_lists_the_nineteen_indikator_with_targets_verbatim() -> None:
    out = StringIO()
    call_command("rkt", "--unit", "biro-hp", "--year", "2022", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["unit"], data["year"], data["capaian_kinerja"]) == ("biro-hp", 2022, None)
    assert len(data["indikator"]) == 19
    assert [i["target"] for i in data["indikator"]] == [
        "95%", "90%", "80%", "100%", "100%", "100%", "100%", "95%", "Skor 75", "Skor 75",
        "95%", "100%", "100%", "95%", "100%", "95%", "Skor 75", "95%", "95%",
    ]  # fmt: skip
    first = data["indikator"][0]
    assert set(first) >= {"sasaran", "indikator", "target", "realisasi", "capaian"}
    assert first["realisasi"] is None and first["capaian_status"] == "belum_diisi"
    assert data["alasan"][0].startswith("Realisasi 18 indikator kinerja utama belum diisi")
    zi = data["indikator"][16]
    assert (zi["tautan_zi"], zi["realisasi"]) == ("tpi", "0")
