"""Capaian of the Rencana Kinerja Tahunan and the suggested B.I.b option (pure Python).

The LKE's hasil item B.I.b, *capaian kinerja lebih baik dari pada capaian kinerja
sebelumnya* (PermenPANRB 90/2021 Lampiran III; options as in fixtures/lke):

- A: target kinerja utama tercapai lebih dari 100 % and better than last year's capaian
  and than the national / similar units' capaian;
- B: target kinerja utama tercapai 100 % and better than last year's capaian;
- C: tercapai 100 % or more, but not better than last year's;
- D: kinerja utama outcome-oriented, but some main target not met;
- E: kinerja utama not outcome-oriented.

The unit's *capaian kinerja utama* of a year is the mean capaian (realisasi ÷ target,
in percent) of its main indikator with a numeric target; a text target counts only as
met or not met. Nothing is rounded here (domain.md "Scoring" 5). The suggestion is
advice for the TPI, who decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from scoring.engine.core import DECIMAL_CONTEXT, HUNDRED, ZERO


class StatusCapaian(StrEnum):
    BELUM_DIISI = "belum_diisi"
    TIDAK_TERCAPAI = "tidak_tercapai"
    TERCAPAI = "tercapai"  # exactly the target (100 %), or a text target met
    MELAMPAUI = "melampaui"  # above the target (more than 100 %)


NUMERIC = frozenset({"persen", "skor", "jumlah"})


@dataclass(frozen=True)
class IndikatorKinerjaInput:
    label: str
    jenis: str  # persen / skor / jumlah / teks
    target: Decimal | None
    utama: bool = True
    berorientasi_hasil: bool = True
    realisasi: Decimal | None = None
    tercapai_teks: bool | None = None  # a text target: met or not, as entered


@dataclass(frozen=True)
class Capaian:
    status: StatusCapaian
    persen: Decimal | None = None  # realisasi ÷ target × 100, unrounded
    selisih: Decimal | None = None  # realisasi − target (the ZI "kurang 6,43")


def capaian(item: IndikatorKinerjaInput) -> Capaian:
    """The capaian of one indikator: ratio and status, or *belum diisi*.

    A numeric target compares realisasi with target; a zero target has no ratio
    (only met / not met). A text target is what the unit entered as met or not.
    """
    if item.jenis not in NUMERIC:
        if item.tercapai_teks is None:
            return Capaian(StatusCapaian.BELUM_DIISI)
        return Capaian(
            StatusCapaian.TERCAPAI if item.tercapai_teks else StatusCapaian.TIDAK_TERCAPAI
        )
    if item.realisasi is None or item.target is None:
        return Capaian(StatusCapaian.BELUM_DIISI)
    selisih = DECIMAL_CONTEXT.subtract(item.realisasi, item.target)
    persen = None
    if item.target != ZERO:
        persen = DECIMAL_CONTEXT.divide(
            DECIMAL_CONTEXT.multiply(item.realisasi, HUNDRED), item.target
        )
    if selisih > ZERO:
        status = StatusCapaian.MELAMPAUI
    elif selisih == ZERO:
        status = StatusCapaian.TERCAPAI
    else:
        status = StatusCapaian.TIDAK_TERCAPAI
    return Capaian(status, persen, selisih)


def capaian_utama(items: Sequence[IndikatorKinerjaInput]) -> Decimal | None:
    """Mean capaian (percent) of the main indikator that have a ratio; None if none has."""
    values = [c.persen for i in items if i.utama and (c := capaian(i)).persen is not None]
    if not values:
        return None
    total = ZERO
    for value in values:
        total = DECIMAL_CONTEXT.add(total, value)
    return DECIMAL_CONTEXT.divide(total, Decimal(len(values)))


@dataclass(frozen=True)
class Alasan:
    """One reason of the suggestion: a code the caller words, and its figures."""

    kode: str
    nilai: dict[str, Decimal | str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class SaranCapaian:
    opsi: str | None  # A-E, or None when it cannot be suggested yet
    alasan: tuple[Alasan, ...]
    capaian_utama: Decimal | None
    capaian_lalu: Decimal | None
    pembanding: Decimal | None


def saran_capaian_kinerja(
    items: Sequence[IndikatorKinerjaInput],
    *,
    capaian_lalu: Decimal | None,
    pembanding: Decimal | None,
) -> SaranCapaian:
    """Propose the B.I.b option from this year's main indikator, last year's capaian
    kinerja utama (`capaian_lalu`, None when the portal holds no earlier RKT with
    realisasi) and the national / similar units' capaian (`pembanding`, None if not
    entered).

    Order of the rules: no main indikator or a main realisasi missing → no suggestion;
    a main indikator not outcome-oriented → E; a main target missed → D; otherwise
    better than last year → B, or A when the capaian is above 100 % and better than
    the pembanding too; not better (or last year unknown) → C.
    """
    main = [i for i in items if i.utama]
    now = capaian_utama(items)

    def saran(opsi: str | None, *alasan: Alasan) -> SaranCapaian:
        return SaranCapaian(opsi, tuple(alasan), now, capaian_lalu, pembanding)

    if not main:
        return saran(None, Alasan("tanpa_utama"))
    belum = [i.label for i in main if capaian(i).status == StatusCapaian.BELUM_DIISI]
    if belum:
        return saran(None, Alasan("belum_diisi", {"jumlah": len(belum), "indikator": belum[0]}))
    bukan_hasil = [i.label for i in main if not i.berorientasi_hasil]
    if bukan_hasil:
        return saran(
            "E",
            Alasan(
                "tidak_berorientasi_hasil",
                {"jumlah": len(bukan_hasil), "indikator": bukan_hasil[0]},
            ),
        )
    gagal = [i.label for i in main if capaian(i).status == StatusCapaian.TIDAK_TERCAPAI]
    if gagal:
        return saran("D", Alasan("tidak_tercapai", {"jumlah": len(gagal), "indikator": gagal[0]}))
    tercapai = Alasan("semua_tercapai", {"jumlah": len(main)})
    if capaian_lalu is None or now is None:
        return saran("C", tercapai, Alasan("tanpa_tahun_lalu"))
    if now <= capaian_lalu:
        return saran(
            "C", tercapai, Alasan("tidak_lebih_baik", {"capaian": now, "lalu": capaian_lalu})
        )
    lebih_baik = Alasan("lebih_baik", {"capaian": now, "lalu": capaian_lalu})
    if now <= HUNDRED:
        return saran("B", tercapai, lebih_baik, Alasan("tepat_100", {"capaian": now}))
    if pembanding is None:
        return saran("B", tercapai, lebih_baik, Alasan("tanpa_pembanding"))
    if now <= pembanding:
        return saran(
            "B",
            tercapai,
            lebih_baik,
            Alasan("tidak_melampaui_pembanding", {"capaian": now, "pembanding": pembanding}),
        )
    return saran(
        "A",
        tercapai,
        lebih_baik,
        Alasan("melampaui_pembanding", {"capaian": now, "pembanding": pembanding}),
    )
