"""The RKT capaian rules and the suggested B.I.b option (pure, no database)."""

from __future__ import annotations

from decimal import Decimal

from scoring.engine import DECIMAL_CONTEXT
from scoring.engine.kinerja import (
    IndikatorKinerjaInput,
    StatusCapaian,
    capaian,
    capaian_utama,
    saran_capaian_kinerja,
)

D = Decimal


def ik(
    target: str | None = "95",
    realisasi: str | None = None,
    *,
    jenis: str = "persen",
    utama: bool = True,
    hasil: bool = True,
    tercapai: bool | None = None,
) -> IndikatorKinerjaInput:
    return IndikatorKinerjaInput(
        label="x",
        jenis=jenis,
        target=D(target) if target is not None else None,
        utama=utama,
        berorientasi_hasil=hasil,
        realisasi=D(realisasi) if realisasi is not None else None,
        tercapai_teks=tercapai,
    )


def test_capaian_is_realisasi_over_target_unrounded() -> None:
    c = capaian(ik("95", "97"))
    assert c.status == StatusCapaian.MELAMPAUI
    assert c.persen == DECIMAL_CONTEXT.divide(D(9700), D(95))  # 102.105263… (34 digits)
    assert c.persen is not None and len(c.persen.as_tuple().digits) == 34
    assert capaian(ik("95", "95")).status == StatusCapaian.TERCAPAI
    assert capaian(ik("95", "94.99")).status == StatusCapaian.TIDAK_TERCAPAI
    assert capaian(ik("95")).status == StatusCapaian.BELUM_DIISI


def test_a_score_target_is_met_or_not_with_its_distance() -> None:
    c = capaian(ik("75", "68.57", jenis="skor"))
    assert c.status == StatusCapaian.TIDAK_TERCAPAI
    assert c.selisih == D("-6.43")


def test_a_text_target_is_what_the_unit_entered() -> None:
    assert capaian(ik(None, jenis="teks", tercapai=True)).status == StatusCapaian.TERCAPAI
    assert capaian(ik(None, jenis="teks", tercapai=False)).status == StatusCapaian.TIDAK_TERCAPAI
    assert capaian(ik(None, jenis="teks")).status == StatusCapaian.BELUM_DIISI


def test_capaian_utama_is_the_mean_of_the_main_indikator_only() -> None:
    items = [ik("100", "100"), ik("50", "100"), ik("100", "10", utama=False)]
    assert capaian_utama(items) == D(150)


def test_option_a_exceeded_better_than_last_year_and_than_peers() -> None:
    s = saran_capaian_kinerja(
        [ik("95", "99"), ik("100", "100")], capaian_lalu=D(100), pembanding=D(101)
    )
    assert s.opsi == "A"
    assert [a.kode for a in s.alasan] == ["semua_tercapai", "lebih_baik", "melampaui_pembanding"]


def test_option_b_exceeded_and_better_than_last_year_but_not_than_peers() -> None:
    s = saran_capaian_kinerja([ik("95", "99")], capaian_lalu=D(100), pembanding=D(110))
    assert s.opsi == "B"
    assert s.alasan[-1].kode == "tidak_melampaui_pembanding"


def test_option_b_at_exactly_100_and_better_than_last_year() -> None:
    s = saran_capaian_kinerja([ik("95", "95")], capaian_lalu=D(98), pembanding=D(90))
    assert s.opsi == "B"
    assert s.alasan[-1].kode == "tepat_100"


def test_option_b_without_a_peer_average_never_a() -> None:
    s = saran_capaian_kinerja([ik("95", "99")], capaian_lalu=D(100), pembanding=None)
    assert s.opsi == "B"
    assert s.alasan[-1].kode == "tanpa_pembanding"


def test_option_c_met_but_not_better_than_last_year() -> None:
    s = saran_capaian_kinerja([ik("95", "99")], capaian_lalu=D(110), pembanding=D(50))
    assert s.opsi == "C"
    assert s.alasan[-1].kode == "tidak_lebih_baik"
    equal = saran_capaian_kinerja([ik("100", "100")], capaian_lalu=D(100), pembanding=None)
    assert equal.opsi == "C"


def test_option_c_when_last_year_is_not_in_the_portal() -> None:
    s = saran_capaian_kinerja([ik("95", "99")], capaian_lalu=None, pembanding=D(50))
    assert s.opsi == "C"
    assert s.alasan[-1].kode == "tanpa_tahun_lalu"


def test_option_d_a_main_target_missed() -> None:
    s = saran_capaian_kinerja(
        [ik("95", "99"), ik("75", "70", jenis="skor"), ik("100", "1", utama=False)],
        capaian_lalu=D(50),
        pembanding=D(50),
    )
    assert s.opsi == "D"
    assert s.alasan[0].nilai["jumlah"] == 1


def test_a_missed_target_that_is_not_main_does_not_make_d() -> None:
    s = saran_capaian_kinerja(
        [ik("95", "99"), ik("100", "1", utama=False)], capaian_lalu=D(50), pembanding=None
    )
    assert s.opsi == "B"


def test_option_e_a_main_indikator_not_outcome_oriented() -> None:
    s = saran_capaian_kinerja(
        [ik("95", "99"), ik("75", "70", jenis="skor", hasil=False)],
        capaian_lalu=D(50),
        pembanding=D(50),
    )
    assert s.opsi == "E"
    assert s.alasan[0].kode == "tidak_berorientasi_hasil"


def test_no_suggestion_while_a_main_realisasi_is_missing_or_nothing_is_main() -> None:
    s = saran_capaian_kinerja([ik("95", "99"), ik("95")], capaian_lalu=D(50), pembanding=None)
    assert s.opsi is None
    assert s.alasan[0].kode == "belum_diisi"
    none = saran_capaian_kinerja([ik("95", "99", utama=False)], capaian_lalu=None, pembanding=None)
    assert none.opsi is None
    assert none.alasan[0].kode == "tanpa_utama"


def test_equal_to_the_peer_average_is_not_better_so_not_a() -> None:
    s = saran_capaian_kinerja([ik("100", "104")], capaian_lalu=D(100), pembanding=D(104))
    assert s.opsi == "B"
    assert (
        saran_capaian_kinerja([ik("100", "104")], capaian_lalu=D(100), pembanding=D("103.99")).opsi
        == "A"
    )
