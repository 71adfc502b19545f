"""Read side of the evidence checks, shaped for pages (a constant number of queries).

- `pemeriksaan_pertanyaan(...)`: for a worksheet, per bukti its badge (one status) and
  its findings, and each question's own (consistency) findings;
- `kesiapan(penilaian)`: the readiness list of the submit page, per area;
- `ringkasan_unit(penilaian)`: counts of current bukti per badge status (dashboard).

A finding the TPI set aside (`diabaikan`) is shown, but no longer counts for the badge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evidence.models import (
    Bukti,
    JenisPemeriksaan,
    StatusTeks,
    StatusTemuan,
    TeksBukti,
    TemuanBukti,
)
from lke.models import Area, Penilaian, Pertanyaan

# The badge of one bukti, from the worst to the best.
GAGAL = "gagal"
TIDAK_TERBACA = "tidak_terbaca"
PERLU_DICEK = "perlu_dicek"
TAUTAN = "tautan"
BELUM = "belum"
LOLOS = "lolos"

LABEL = {
    GAGAL: _("Gagal"),
    TIDAK_TERBACA: _("Tidak terbaca"),
    PERLU_DICEK: _("Perlu dicek"),
    TAUTAN: _("Tautan, tidak diperiksa"),
    BELUM: _("Belum diperiksa"),
    LOLOS: _("Lolos"),
}
ORDER = (GAGAL, TIDAK_TERBACA, PERLU_DICEK, TAUTAN, BELUM, LOLOS)


@dataclass
class Pemeriksaan:
    """The checks of one bukti: its badge and each finding (the TPI's decisions too)."""

    status: str
    temuan: list[TemuanBukti] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(LABEL[self.status])

    def counts(self, jenis: str) -> bool:
        """Does a finding of this check still speak against the bukti (not set aside)?"""
        return any(
            t.jenis == jenis and t.status != StatusTemuan.LOLOS and not t.diabaikan
            for t in self.temuan
        )

    @property
    def di_luar_tahun(self) -> bool:
        # Both *gagal* date findings are out-of-year dates; a *perlu dicek* one is when
        # the date found lies outside (not when no date was found, or the years differ).
        return any(
            t.jenis == JenisPemeriksaan.TANGGAL
            and not t.diabaikan
            and (
                t.status == StatusTemuan.GAGAL
                or (t.status == StatusTemuan.PERLU_DICEK and "di luar tahun" in t.alasan)
            )
            for t in self.temuan
        )

    @property
    def duplikat(self) -> bool:
        return self.counts(JenisPemeriksaan.DUPLIKAT)

    @property
    def gagal_atau_tidak_terbaca(self) -> bool:
        return self.status in (GAGAL, TIDAK_TERBACA)

    @property
    def n_diabaikan(self) -> int:
        return sum(1 for t in self.temuan if t.diabaikan)


def _badge(teks_status: str | None, temuan: list[TemuanBukti]) -> str:
    if teks_status is None:
        return BELUM
    if teks_status == StatusTeks.TAUTAN:
        return TAUTAN
    if teks_status == StatusTeks.TIDAK_TERBACA:
        return TIDAK_TERBACA
    live = {t.status for t in temuan if not t.diabaikan}
    if StatusTemuan.GAGAL in live:
        return GAGAL
    if StatusTemuan.PERLU_DICEK in live:
        return PERLU_DICEK
    return LOLOS


def _assemble(
    bukti_ids: list[int], teks: dict[int, str], rows: list[TemuanBukti]
) -> dict[int, Pemeriksaan]:
    found: dict[int, list[TemuanBukti]] = {}
    for t in rows:
        if t.bukti_id is not None:
            found.setdefault(t.bukti_id, []).append(t)
    return {
        pk: Pemeriksaan(_badge(teks.get(pk), found.get(pk, [])), found.get(pk, []))
        for pk in bukti_ids
    }


def _teks_status(bukti_ids: list[int]) -> dict[int, str]:
    return dict(TeksBukti.objects.filter(bukti_id__in=bukti_ids).values_list("bukti_id", "status"))


def pemeriksaan_pertanyaan(
    penilaian: Penilaian, pertanyaan_ids: list[int], bukti_ids: list[int]
) -> tuple[dict[int, Pemeriksaan], dict[int, list[TemuanBukti]]]:
    """For a worksheet: the checks of its bukti and each question's own findings
    (consistency of the answer), in two queries whatever the number of questions."""
    if not pertanyaan_ids:
        return {}, {}
    rows = list(
        TemuanBukti.objects.filter(penilaian=penilaian, pertanyaan_id__in=pertanyaan_ids)
        .filter(Q(bukti__isnull=True) | Q(bukti_id__in=bukti_ids))
        .select_related("diabaikan_oleh")
        .order_by("bukti_id", "id")
    )
    per_question: dict[int, list[TemuanBukti]] = {}
    for t in rows:
        if t.bukti_id is None and t.pertanyaan_id is not None:
            per_question.setdefault(t.pertanyaan_id, []).append(t)
    teks = _teks_status(bukti_ids) if bukti_ids else {}
    return _assemble(bukti_ids, teks, rows), per_question


def _current_checks(
    penilaian: Penilaian, teks: dict[int, str], bukti_ids: list[int]
) -> dict[int, Pemeriksaan]:
    """The checks of the penilaian's current bukti, given their text status (one query)."""
    rows = list(
        TemuanBukti.objects.filter(penilaian=penilaian, bukti__aktif=True).order_by(
            "bukti_id", "id"
        )
    )
    return _assemble(bukti_ids, teks, rows)


# -- readiness (submit page) ------------------------------------------------------------


@dataclass
class KesiapanArea:
    nomor: int
    nama: str
    tanpa_bukti: list[Pertanyaan] = field(default_factory=list)
    gagal: list[Pertanyaan] = field(default_factory=list)
    di_luar_tahun: list[Pertanyaan] = field(default_factory=list)
    duplikat: list[Pertanyaan] = field(default_factory=list)

    @property
    def daftar(self) -> list[tuple[str, str, list[Pertanyaan]]]:
        """(title, key, questions) of each list, in the page's order."""
        return [
            (str(_("Belum ada bukti")), "tanpa-bukti", self.tanpa_bukti),
            (str(_("Bukti gagal atau tidak terbaca")), "gagal", self.gagal),
            (str(_("Tanggal di luar tahun")), "di-luar-tahun", self.di_luar_tahun),
            (str(_("Bukti ganda")), "duplikat", self.duplikat),
        ]

    @property
    def kosong(self) -> bool:
        return not (self.tanpa_bukti or self.gagal or self.di_luar_tahun or self.duplikat)


def kesiapan(penilaian: Penilaian) -> list[KesiapanArea]:
    """Per area: questions with no evidence, with failing or unread evidence, with
    out-of-year dates, with duplicates (four queries). It informs, never blocks."""
    names: dict[int, str] = {}
    for nomor, nama in (
        Area.objects.filter(model=penilaian.model)
        .order_by("komponen__urutan", "bagian__urutan", "urutan")
        .values_list("nomor", "nama")
    ):
        names.setdefault(nomor, nama)
    areas = {n: KesiapanArea(n, names[n]) for n in sorted(names)}
    questions = list(
        Pertanyaan.objects.filter(model=penilaian.model)
        .select_related("indikator__area")
        .order_by(  # the LKE's printed order: A.I.1.i.a, A.I.1.i.b, A.I.1.ii.a, ...
            "indikator__area__nomor",
            "indikator__area__komponen__urutan",
            "indikator__area__bagian__urutan",
            "indikator__urutan",
            "urutan",
        )
    )
    bukti_of: dict[int, list[int]] = {}
    teks: dict[int, str] = {}
    for pk, q_id, status in Bukti.objects.filter(
        penilaian=penilaian, aktif=True, pertanyaan__isnull=False
    ).values_list("pk", "pertanyaan_id", "teks__status"):
        bukti_of.setdefault(q_id, []).append(pk)
        if status:
            teks[pk] = status
    checks = _current_checks(penilaian, teks, [pk for ids in bukti_of.values() for pk in ids])
    for q in questions:
        area = areas.get(q.indikator.area.nomor)
        if area is None:
            continue
        ids = bukti_of.get(q.pk, [])
        if not ids:
            area.tanpa_bukti.append(q)
            continue
        mine = [checks[pk] for pk in ids]
        if any(p.gagal_atau_tidak_terbaca for p in mine):
            area.gagal.append(q)
        if any(p.di_luar_tahun for p in mine):
            area.di_luar_tahun.append(q)
        if any(p.duplikat for p in mine):
            area.duplikat.append(q)
    return list(areas.values())


# -- dashboard --------------------------------------------------------------------------


@dataclass
class RingkasanStatus:
    status: str
    n: int

    @property
    def label(self) -> str:
        return str(LABEL[self.status])


def ringkasan_unit(penilaian: Penilaian) -> list[RingkasanStatus]:
    """How many current bukti of the penilaian carry each badge (two queries)."""
    teks: dict[int, str] = {}
    ids = []
    for pk, status in Bukti.objects.filter(penilaian=penilaian, aktif=True).values_list(
        "pk", "teks__status"
    ):
        ids.append(pk)
        if status:
            teks[pk] = status
    counts = dict.fromkeys(ORDER, 0)
    for p in _current_checks(penilaian, teks, ids).values():
        counts[p.status] += 1
    return [RingkasanStatus(s, counts[s]) for s in ORDER]
