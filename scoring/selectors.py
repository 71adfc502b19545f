"""Read-side queries for penilaian, shaped for pages (constant query counts)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, TypeAlias

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidence.checks.selectors import (
    Pemeriksaan,
    RingkasanStatus,
    pemeriksaan_pertanyaan,
    ringkasan_unit,
)
from evidence.models import Bukti, RencanaAksi, StatusRencanaAksi, TemuanBukti
from lke.catatan import CatatanModel
from lke.models import Area, DataDukung, Indikator, Penilaian, Pertanyaan
from scoring.engine import DECIMAL_CONTEXT, HUNDRED, AreaSpec, ModelSpec, RuleSpec, ScoreReport
from scoring.models import Jawaban, Reviu, SetJawaban, StatusReviu
from units.models import Riwayat
from zi_portal.lib.numbers import format_id, format_persen


def _count(qs: QuerySet[Any], outer: str = "pk", field: str = "penilaian") -> Coalesce:
    sub = (
        qs.filter(**{field: OuterRef(outer)})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def penilaian_with_figures(qs: QuerySet[Penilaian]) -> QuerySet[Penilaian]:
    """Annotate question, answer, evidence and rencana aksi counts, one query in all."""
    answered = Jawaban.objects.filter(set=SetJawaban.MANDIRI).filter(~Q(opsi="") | ~Q(angka={}))
    return qs.select_related("unit__instansi", "model").annotate(
        n_pertanyaan=_count(Pertanyaan.objects.all(), outer="model_id", field="model"),
        n_dijawab=_count(answered),
        n_bukti=_count(Bukti.objects.filter(aktif=True)),
        n_rencana_aksi=_count(RencanaAksi.objects.all()),
        n_rencana_aksi_selesai=_count(RencanaAksi.objects.filter(status=StatusRencanaAksi.SELESAI)),
    )


# -- worksheet --------------------------------------------------------------------------


@dataclass
class QuestionRow:
    q: Pertanyaan
    mandiri: Jawaban | None
    tpi: Jawaban | None
    reviu: Reviu | None
    bukti: list[Bukti] = field(default_factory=list)
    data_dukung: list[DataDukung] = field(default_factory=list)
    rencana_aksi: list[RencanaAksi] = field(default_factory=list)
    # evidence checks (issue 14): per bukti pk, and the question's own findings
    pemeriksaan: dict[int, Pemeriksaan] = field(default_factory=dict)
    temuan: list[TemuanBukti] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.mandiri is not None and self.mandiri.is_answered()

    @property
    def turunan(self) -> dict[str, str]:
        """Each derived input's computed value (the sum of its parts) from the mandiri set."""
        angka = (self.mandiri.angka if self.mandiri else None) or {}
        result: dict[str, str] = {}
        for n in self.q.input.all():
            if n.turunan_dari:
                parts = [angka.get(code) for code in n.turunan_dari]
                if all(p not in (None, "") for p in parts):
                    result[n.kode] = str(sum(int(str(p)) for p in parts))
        return result

    @property
    def tidak_dapat_dihitung(self) -> bool:
        """A rasio question with every input filled and a penyebut of 0 (mandiri set)."""
        if self.q.jenis != "persen" or self.q.rumus != "rasio" or self.mandiri is None:
            return False
        angka = self.mandiri.angka or {}
        penyebut = 0
        for n in self.q.input.all():
            if n.peran == "info":
                continue
            raw = angka.get(n.kode)
            if raw in (None, "") or not str(raw).isdigit():
                return False
            if n.peran == "penyebut":
                penyebut += int(str(raw))
        return penyebut == 0

    @property
    def reviu_status(self) -> str:
        return self.reviu.status if self.reviu else ""

    @property
    def catatan_tpi(self) -> str:
        if self.reviu and self.reviu.catatan:
            return self.reviu.catatan
        return self.tpi.catatan if self.tpi else ""


@dataclass
class IndikatorBlock:
    indikator: Indikator
    questions: list[QuestionRow]
    n_rencana_aksi: int

    @property
    def n_dijawab(self) -> int:
        return sum(1 for r in self.questions if r.answered)

    @property
    def n_direviu(self) -> int:
        return sum(1 for r in self.questions if r.reviu is not None)

    @property
    def n_dikembalikan(self) -> int:
        """Questions of this indikator the TPI sent back (the collapsed summary shows it)."""
        return sum(
            1 for r in self.questions if r.reviu and r.reviu.status == StatusReviu.PERLU_PERBAIKAN
        )

    @property
    def has_rasio(self) -> bool:
        """Can a question of this indikator be "tidak dapat dihitung" (a rasio)?"""
        return any(r.q.rumus == "rasio" for r in self.questions)


@dataclass
class AreaBlock:
    area: Area
    indikator: list[IndikatorBlock]


def _unit_data_dukung(penilaian: Penilaian) -> QuerySet[DataDukung]:
    return DataDukung.objects.filter(
        Q(unit__isnull=True) | Q(unit=penilaian.unit), pertanyaan__model=penilaian.model
    )


def worksheet(
    penilaian: Penilaian, nomor: int, *, only_question: int | None = None
) -> list[AreaBlock]:
    """The LKE tree of one area number (Pemenuhan and Reform parts) with answers,
    reviews, evidence and data dukung; a fixed number of queries whatever the size."""
    areas = list(
        Area.objects.filter(model=penilaian.model, nomor=nomor)
        .select_related("bagian")
        .order_by("komponen__urutan", "bagian__urutan", "urutan")
    )
    questions_qs = (
        Pertanyaan.objects.filter(indikator__area__in=areas)
        .prefetch_related("opsi", "input")
        .order_by("urutan")
    )
    if only_question is not None:
        questions_qs = questions_qs.filter(pk=only_question)
    questions = list(questions_qs)
    q_ids = [q.pk for q in questions]
    answers = {
        (j.set, j.pertanyaan_id): j
        for j in Jawaban.objects.filter(penilaian=penilaian, pertanyaan_id__in=q_ids)
    }
    reviews = {
        r.pertanyaan_id: r
        for r in Reviu.objects.filter(penilaian=penilaian, pertanyaan_id__in=q_ids)
    }
    bukti: dict[int, list[Bukti]] = {}
    for b in (
        Bukti.objects.filter(penilaian=penilaian, aktif=True, pertanyaan_id__in=q_ids)
        .select_related("diunggah_oleh", "versi_sebelumnya")
        .order_by("diunggah_pada")
    ):
        b.penilaian = penilaian
        bukti.setdefault(b.pertanyaan_id or 0, []).append(b)
    checks, question_findings = pemeriksaan_pertanyaan(
        penilaian, q_ids, [b.pk for rows in bukti.values() for b in rows]
    )
    dukung: dict[int, list[DataDukung]] = {}
    for d in (
        _unit_data_dukung(penilaian).filter(pertanyaan_id__in=q_ids).order_by("unit_id", "urutan")
    ):
        dukung.setdefault(d.pertanyaan_id or 0, []).append(d)
    rows_by_indikator: dict[int, list[RencanaAksi]] = {}
    for ra in RencanaAksi.objects.filter(penilaian=penilaian, indikator__area__in=areas).order_by(
        "urutan", "id"
    ):
        rows_by_indikator.setdefault(ra.indikator_id or 0, []).append(ra)
    ra_counts = {pk: len(rows) for pk, rows in rows_by_indikator.items()}
    by_indikator: dict[int, list[QuestionRow]] = {}
    for q in questions:
        by_indikator.setdefault(q.indikator_id, []).append(
            QuestionRow(
                q=q,
                mandiri=answers.get((SetJawaban.MANDIRI, q.pk)),
                tpi=answers.get((SetJawaban.TPI, q.pk)),
                reviu=reviews.get(q.pk),
                bukti=bukti.get(q.pk, []),
                data_dukung=dukung.get(q.pk, []),
                rencana_aksi=rows_by_indikator.get(q.indikator_id, []),
                pemeriksaan={b.pk: checks[b.pk] for b in bukti.get(q.pk, [])},
                temuan=question_findings.get(q.pk, []),
            )
        )
    indikator = list(Indikator.objects.filter(area__in=areas).order_by("urutan"))
    blocks = []
    for area in areas:
        blocks.append(
            AreaBlock(
                area=area,
                indikator=[
                    IndikatorBlock(i, by_indikator.get(i.pk, []), ra_counts.get(i.pk, 0))
                    for i in indikator
                    if i.area_id == area.pk and (only_question is None or i.pk in by_indikator)
                ],
            )
        )
    return [b for b in blocks if b.indikator]


# -- dashboard --------------------------------------------------------------------------


@dataclass
class AreaProgress:
    nomor: int
    nama: str
    n_pertanyaan: int = 0
    n_dijawab: int = 0
    n_berbukti: int = 0
    n_dukung: int = 0
    n_dukung_terpenuhi: int = 0
    rencana_aksi: dict[str, int] = field(default_factory=dict)

    def persen(self, part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def persen_dijawab(self) -> int:
        return self.persen(self.n_dijawab, self.n_pertanyaan)

    @property
    def persen_berbukti(self) -> int:
        return self.persen(self.n_berbukti, self.n_pertanyaan)

    @property
    def persen_dukung(self) -> int:
        return self.persen(self.n_dukung_terpenuhi, self.n_dukung)

    @property
    def n_rencana_aksi(self) -> int:
        return sum(self.rencana_aksi.values())


@dataclass
class JadwalItem:
    data_dukung: DataDukung
    tenggat: dt.date
    terpenuhi: bool


@dataclass
class Dashboard:
    areas: list[AreaProgress]
    due_this_quarter: list[JadwalItem]
    overdue: list[JadwalItem]
    recent: list[Riwayat]
    pemeriksaan: list[RingkasanStatus] = field(default_factory=list)  # evidence checks


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def dashboard(penilaian: Penilaian, *, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    questions = list(
        Pertanyaan.objects.filter(model=penilaian.model).values_list("pk", "indikator__area__nomor")
    )
    area_of = dict(questions)
    names = dict(
        Area.objects.filter(model=penilaian.model).order_by("-urutan").values_list("nomor", "nama")
    )
    progress = {n: AreaProgress(n, names.get(n, str(n))) for n in sorted(set(area_of.values()))}
    for _pk, nomor in questions:
        progress[nomor].n_pertanyaan += 1
    for pk, opsi, angka in Jawaban.objects.filter(
        penilaian=penilaian, set=SetJawaban.MANDIRI
    ).values_list("pertanyaan_id", "opsi", "angka"):
        if (opsi or angka) and pk in area_of:
            progress[area_of[pk]].n_dijawab += 1
    with_evidence = set(
        Bukti.objects.filter(penilaian=penilaian, aktif=True, pertanyaan__isnull=False).values_list(
            "pertanyaan_id", flat=True
        )
    )
    for pk in with_evidence:
        if pk in area_of:
            progress[area_of[pk]].n_berbukti += 1
    due: list[JadwalItem] = []
    overdue: list[JadwalItem] = []
    quarter = (today.month - 1) // 3
    for d in _unit_data_dukung(penilaian).select_related("pertanyaan").order_by("urutan"):
        area_nomor = area_of.get(d.pertanyaan_id or 0)
        if area_nomor is None:
            continue
        nomor = area_nomor
        done = d.pertanyaan_id in with_evidence
        progress[nomor].n_dukung += 1
        progress[nomor].n_dukung_terpenuhi += int(done)
        for month in d.bulan:
            item = JadwalItem(d, _month_end(penilaian.tahun, int(month)), done)
            if done:
                continue
            if item.tenggat < today:
                overdue.append(item)
            elif item.tenggat.year == today.year and (item.tenggat.month - 1) // 3 == quarter:
                due.append(item)
    for nomor, status, n in (
        RencanaAksi.objects.filter(penilaian=penilaian, indikator__isnull=False)
        .values_list("indikator__area__nomor", "status")
        .annotate(n=Count("pk"))
        .values_list("indikator__area__nomor", "status", "n")
    ):
        if nomor in progress:
            progress[nomor].rencana_aksi[status] = n
    recent = list(
        Riwayat.objects.filter(unit=penilaian.unit, tahun=penilaian.tahun)
        .select_related("user")
        .order_by("-waktu", "-id")[:10]
    )
    overdue.sort(key=lambda i: i.tenggat)
    due.sort(key=lambda i: i.tenggat)
    return Dashboard(list(progress.values()), due, overdue, recent, ringkasan_unit(penilaian))


def question_history(penilaian: Penilaian, kodes: list[str]) -> dict[str, list[Riwayat]]:
    out: dict[str, list[Riwayat]] = {}
    for r in (
        Riwayat.objects.filter(unit=penilaian.unit, tahun=penilaian.tahun, kode__in=kodes)
        .select_related("user")
        .order_by("-waktu", "-id")
    ):
        out.setdefault(r.kode, []).append(r)
    return out


def area_tabs(penilaian: Penilaian) -> list[tuple[int, str]]:
    """(number, name) of the model's areas once each, for the area navigation."""
    seen: dict[int, str] = {}
    for nomor, nama in (
        Area.objects.filter(model=penilaian.model)
        .order_by("komponen__urutan", "bagian__urutan", "urutan")
        .values_list("nomor", "nama")
    ):
        seen.setdefault(nomor, nama)
    return sorted(seen.items())


@dataclass(frozen=True)
class ReturnedItem:
    """One question the TPI sent back: its code and text, the TPI's catatan, a link to it."""

    pertanyaan: Pertanyaan
    catatan: str
    url: str


def returned_items(penilaian: Penilaian) -> list[ReturnedItem]:
    """The questions the TPI returned for correction, in LKE order, each linking to its
    question on the worksheet (`#q-<pk>` opens the indikator holding it)."""
    reviews = (
        Reviu.objects.filter(penilaian=penilaian, status=StatusReviu.PERLU_PERBAIKAN)
        .select_related("pertanyaan__indikator__area")
        .order_by("pertanyaan__indikator__area__nomor", "pertanyaan__urutan", "pertanyaan__pk")
    )
    return [
        ReturnedItem(
            r.pertanyaan,
            r.catatan,
            reverse("scoring:worksheet", args=[penilaian.code, r.pertanyaan.indikator.area.nomor])
            + f"#q-{r.pertanyaan.pk}",
        )
        for r in reviews
    ]


def rule_gap_text(rule: Mapping[str, Any]) -> str:
    """What a failed threshold rule (`report_json` shape) still lacks: `kurang 3,25 poin`,
    `kurang 12,50%` for a per-area minimum; "" when it passed or has no numbers."""
    required, actual = rule.get("required"), rule.get("actual")
    if (
        rule["passed"]
        or not isinstance(required, int | float)
        or not isinstance(actual, int | float)
    ):
        return ""
    missing = Decimal(str(required)) - Decimal(str(actual))
    if rule.get("kind") == "area_persen":
        return _("kurang %(n)s%%") % {"n": format_id(missing)}
    return _("kurang %(n)s poin") % {"n": format_id(missing)}


@dataclass(frozen=True)
class Pengembalian:
    """One time the TPI returned a question to the tim kerja, and how it was resolved.

    Read from Riwayat: the review record that set `perlu_perbaikan`, the tim kerja's
    changes to the mandiri answer after it, and the next review decision (`selesai` None
    while none followed).
    """

    kode: str
    pertanyaan: Pertanyaan | None
    dikembalikan_pada: dt.datetime
    dikembalikan_oleh: str
    catatan: str
    perbaikan: tuple[Riwayat, ...]
    selesai: Riwayat | None

    @property
    def status_akhir(self) -> str:
        if self.selesai is None:
            return ""
        return str(self.selesai.perubahan.get("status", ["", ""])[1])

    @property
    def catatan_akhir(self) -> str:
        if self.selesai is None:
            return ""
        change = self.selesai.perubahan.get("catatan")
        return str(change[1]) if change else self.catatan


def _oleh(entry: Riwayat) -> str:
    user = entry.user
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def riwayat_pengembalian(penilaian: Penilaian) -> list[Pengembalian]:
    """Every return of a question by the TPI in this penilaian (also those resolved long
    ago), oldest first, each with the mandiri corrections and the decision that closed it."""
    entries = list(
        Riwayat.objects.filter(
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            objek__in=("reviu", f"jawaban_{SetJawaban.MANDIRI}"),
        )
        .select_related("user")
        .order_by("waktu", "id")
    )
    questions = {
        q.kode: q
        for q in Pertanyaan.objects.filter(
            model=penilaian.model, kode__in={e.kode for e in entries}
        )
    }
    result: list[Pengembalian] = []
    for index, entry in enumerate(entries):
        status = entry.perubahan.get("status")
        if entry.objek != "reviu" or not status or status[1] != StatusReviu.PERLU_PERBAIKAN:
            continue
        perbaikan: list[Riwayat] = []
        selesai: Riwayat | None = None
        for later in entries[index + 1 :]:
            if later.kode != entry.kode:
                continue
            if later.objek == "reviu":
                if "status" in later.perubahan or "catatan" in later.perubahan:
                    selesai = later
                    break
                continue
            perbaikan.append(later)
        catatan = entry.perubahan.get("catatan")
        result.append(
            Pengembalian(
                kode=entry.kode,
                pertanyaan=questions.get(entry.kode),
                dikembalikan_pada=entry.waktu,
                dikembalikan_oleh=_oleh(entry),
                catatan=str(catatan[1]) if catatan else "",
                perbaikan=tuple(perbaikan),
                selesai=selesai,
            )
        )
    return result


# -- Rencana Kinerja Tahunan: capaian and the B.I.b suggestion -------------------------

TRIWULAN_LABEL = ("I", "II", "III", "IV")


@dataclass
class BarisKinerja:
    """One indikator kinerja of the RKT table with its realisasi and capaian."""

    sasaran: Any  # evidence.models.SasaranKegiatan
    indikator: Any  # evidence.models.IndikatorKinerja
    first_of_sasaran: bool
    rowspan: int
    per_triwulan: list[Any]  # RealisasiKinerja or None, quarters I-IV
    realisasi: Decimal | None
    realisasi_teks: str
    triwulan: int | None  # the quarter the capaian is taken from
    capaian: Any  # scoring.engine.kinerja.Capaian
    zi_sumber: str = ""  # "mandiri" / "tpi" when the realisasi is the portal's score
    bukti: list[Any] = field(default_factory=list)

    @property
    def triwulan_cells(self) -> list[tuple[str, Any]]:
        """(quarter label, its realisasi or None) for I-IV."""
        return list(zip(TRIWULAN_LABEL, self.per_triwulan, strict=True))

    @property
    def capaian_teks(self) -> str:
        from scoring.engine.kinerja import StatusCapaian

        c = self.capaian
        if c.status == StatusCapaian.BELUM_DIISI:
            return _("belum diisi")
        word = {
            StatusCapaian.TIDAK_TERCAPAI: _("tidak tercapai"),
            StatusCapaian.TERCAPAI: _("tercapai"),
            StatusCapaian.MELAMPAUI: _("tercapai (melampaui target)"),
        }[c.status]
        if c.persen is not None and self.indikator.jenis_target in ("persen", "jumlah"):
            return format_persen(c.persen)
        return word

    @property
    def realisasi_display(self) -> str:
        if self.realisasi is not None:
            return angka_kinerja(self.realisasi, self.indikator.jenis_target)
        return self.realisasi_teks or _("belum diisi")

    @property
    def jarak_zi(self) -> str:
        """ "Skor 75: kurang 6,43" (or "terlampaui 2,10"), for an indikator tied to the score."""
        c = self.capaian
        if not self.zi_sumber or c.selisih is None:
            return ""
        target = self.indikator.target_teks
        if c.selisih < 0:
            return _("%(target)s: kurang %(n)s") % {"target": target, "n": format_id(-c.selisih)}
        if c.selisih == 0:
            return _("%(target)s: tercapai") % {"target": target}
        return _("%(target)s: terlampaui %(n)s") % {"target": target, "n": format_id(c.selisih)}


def angka_kinerja(value: Decimal, jenis: str) -> str:
    if jenis == "persen":
        return format_persen(value)
    return format_id(value)


@dataclass
class LaporanKinerja:
    rkt: Any  # evidence.models.RencanaKinerjaTahunan
    baris: list[BarisKinerja]
    saran: Any  # scoring.engine.kinerja.SaranCapaian
    alasan: list[str]
    tahun_lalu: int | None

    @property
    def zi(self) -> list[BarisKinerja]:
        return [b for b in self.baris if b.zi_sumber]


def _zi_total(
    unit_id: int,
    tahun: int,
    set_: str,
    cache: dict[tuple[int, str], Decimal | None],
    penilaian: Penilaian | None = None,
) -> Decimal | None:
    """The unit's ZI score of that year and set: the final snapshot, else the live score."""
    from scoring.models import SnapshotSkor
    from scoring.services import penilaian_score

    key = (tahun, set_)
    if key not in cache:
        penilaian = (
            penilaian
            or Penilaian.objects.filter(unit_id=unit_id, tahun=tahun)
            .select_related("model")
            .first()
        )
        if penilaian is None:
            cache[key] = None
        else:
            snap = (
                SnapshotSkor.objects.filter(penilaian=penilaian, set=set_, final=True)
                .order_by("-dibuat_pada")
                .first()
            )
            cache[key] = (
                snap.total if snap is not None else penilaian_score(penilaian, set_).total.nilai
            )
    return cache[key]


def _baris(rkt: Any, *, with_bukti: bool) -> list[BarisKinerja]:
    from evidence.models import SasaranKegiatan
    from scoring.engine.kinerja import capaian

    sasaran = list(
        SasaranKegiatan.objects.filter(rkt=rkt)
        .prefetch_related("indikator__realisasi")
        .order_by("urutan", "id")
    )
    bukti: dict[int, list[Bukti]] = {}
    if with_bukti:
        for b in Bukti.objects.filter(
            realisasi__indikator__sasaran__rkt=rkt, aktif=True
        ).select_related("penilaian"):
            assert b.realisasi_id is not None
            bukti.setdefault(b.realisasi_id, []).append(b)
    zi_cache: dict[tuple[int, str], Decimal | None] = {}
    rows: list[BarisKinerja] = []
    for s in sasaran:
        indikator = list(s.indikator.all())
        for n, i in enumerate(indikator):
            per = {r.triwulan: r for r in i.realisasi.all()}
            quarters = [per.get(q) for q in (1, 2, 3, 4)]
            latest = max(per) if per else None
            realisasi: Decimal | None = None
            teks, tercapai = "", None
            if i.tautan_zi:
                realisasi = _zi_total(rkt.unit_id, rkt.tahun, i.tautan_zi, zi_cache)
                latest = None
            elif latest is not None:
                realisasi, teks, tercapai = (
                    per[latest].nilai,
                    per[latest].teks,
                    per[latest].tercapai,
                )
            spec = kinerja_input(i, realisasi, tercapai)
            rows.append(
                BarisKinerja(
                    sasaran=s,
                    indikator=i,
                    first_of_sasaran=n == 0,
                    rowspan=len(indikator),
                    per_triwulan=quarters,
                    realisasi=realisasi,
                    realisasi_teks=teks,
                    triwulan=latest,
                    capaian=capaian(spec),
                    zi_sumber=i.tautan_zi,
                    bukti=[b for r in quarters if r is not None for b in bukti.get(r.pk, [])],
                )
            )
    return rows


def kinerja_input(i: Any, realisasi: Decimal | None, tercapai: bool | None) -> Any:
    from scoring.engine.kinerja import IndikatorKinerjaInput

    return IndikatorKinerjaInput(
        label=f"{i.nomor} {i.nama}".strip(),
        jenis=i.jenis_target,
        target=i.target_angka,
        utama=i.utama,
        berorientasi_hasil=i.berorientasi_hasil,
        realisasi=realisasi,
        tercapai_teks=tercapai,
    )


def _inputs(rows: list[BarisKinerja]) -> list[Any]:
    return [
        kinerja_input(
            b.indikator,
            b.realisasi,
            b.per_triwulan[b.triwulan - 1].tercapai if b.triwulan else None,
        )
        for b in rows
    ]


ALASAN_TEKS = {
    "tanpa_utama": gettext_lazy("RKT ini belum menandai indikator kinerja utama."),
    "belum_diisi": gettext_lazy(
        "Realisasi %(jumlah)s indikator kinerja utama belum diisi (antara lain “%(indikator)s”); "
        "saran belum dapat diberikan."
    ),
    "tidak_berorientasi_hasil": gettext_lazy(
        "%(jumlah)s indikator kinerja utama tidak berorientasi hasil (antara lain “%(indikator)s”)."
    ),
    "tidak_tercapai": gettext_lazy(
        "%(jumlah)s target kinerja utama tidak tercapai (antara lain “%(indikator)s”)."
    ),
    "semua_tercapai": gettext_lazy("Seluruh %(jumlah)s target kinerja utama tercapai."),
    "tanpa_tahun_lalu": gettext_lazy(
        "Capaian kinerja utama tahun sebelumnya tidak ada di portal, sehingga tidak dapat "
        "dinyatakan lebih baik."
    ),
    "tidak_lebih_baik": gettext_lazy(
        "Capaian kinerja utama %(capaian)s tidak lebih baik dari tahun sebelumnya (%(lalu)s)."
    ),
    "lebih_baik": gettext_lazy(
        "Capaian kinerja utama %(capaian)s lebih baik dari tahun sebelumnya (%(lalu)s)."
    ),
    "tepat_100": gettext_lazy("Capaian kinerja utama %(capaian)s, tidak lebih dari 100%%."),
    "tanpa_pembanding": gettext_lazy(
        "Capaian nasional / rata-rata unit sejenis belum diisi, sehingga opsi A tidak "
        "dapat dinilai."
    ),
    "tidak_melampaui_pembanding": gettext_lazy(
        "Capaian kinerja utama %(capaian)s tidak lebih baik dari capaian nasional / rata-rata "
        "unit sejenis (%(pembanding)s)."
    ),
    "melampaui_pembanding": gettext_lazy(
        "Capaian kinerja utama %(capaian)s lebih baik dari capaian nasional / rata-rata unit "
        "sejenis (%(pembanding)s)."
    ),
}


def alasan_teks(saran: Any) -> list[str]:
    """The suggestion's reasons worded in the active language, figures half-up."""
    out = []
    for a in saran.alasan:
        values = {k: format_persen(v) if isinstance(v, Decimal) else v for k, v in a.nilai.items()}
        out.append(str(ALASAN_TEKS[a.kode]) % values)
    return out


def rkt_laporan(rkt: Any, *, with_bukti: bool = True) -> LaporanKinerja:
    """The RKT table with realisasi, capaian and the B.I.b suggestion.

    The capaian of an indikator is taken from its latest quarter with a realisasi
    (realisasi are cumulative, "s.d. triwulan"); an indikator linked to the ZI score
    takes the portal's score of that set (the final snapshot, else live). Last year's
    capaian kinerja utama comes from the unit's most recent earlier RKT in the portal.
    """
    from evidence.models import RencanaKinerjaTahunan
    from scoring.engine.kinerja import capaian_utama, saran_capaian_kinerja

    rows = _baris(rkt, with_bukti=with_bukti)
    previous = (
        RencanaKinerjaTahunan.objects.filter(unit_id=rkt.unit_id, tahun__lt=rkt.tahun)
        .order_by("-tahun")
        .first()
    )
    lalu = capaian_utama(_inputs(_baris(previous, with_bukti=False))) if previous else None
    saran = saran_capaian_kinerja(
        _inputs(rows), capaian_lalu=lalu, pembanding=rkt.capaian_pembanding
    )
    return LaporanKinerja(
        rkt=rkt,
        baris=rows,
        saran=saran,
        alasan=alasan_teks(saran),
        tahun_lalu=previous.tahun if previous else None,
    )


def rkt_of_penilaian(penilaian: Penilaian) -> Any:
    from evidence.models import RencanaKinerjaTahunan

    return RencanaKinerjaTahunan.objects.filter(
        unit_id=penilaian.unit_id, tahun=penilaian.tahun
    ).first()


def rkt_zi_targets(penilaian: Penilaian) -> list[BarisKinerja]:
    """The indikator kinerja of the year's RKT tied to the ZI score, with their distance
    to the target (dashboard: "Skor 75: kurang 6,43"); one query when there are none."""
    from evidence.models import IndikatorKinerja
    from scoring.engine.kinerja import capaian

    rows = list(
        IndikatorKinerja.objects.filter(
            sasaran__rkt__unit_id=penilaian.unit_id, sasaran__rkt__tahun=penilaian.tahun
        )
        .exclude(tautan_zi="")
        .select_related("sasaran")
    )
    cache: dict[tuple[int, str], Decimal | None] = {}
    out = []
    for i in rows:
        realisasi = _zi_total(penilaian.unit_id, penilaian.tahun, i.tautan_zi, cache, penilaian)
        out.append(
            BarisKinerja(
                sasaran=i.sasaran,
                indikator=i,
                first_of_sasaran=True,
                rowspan=1,
                per_triwulan=[None] * 4,
                realisasi=realisasi,
                realisasi_teks="",
                triwulan=None,
                capaian=capaian(kinerja_input(i, realisasi, None)),
                zi_sumber=i.tautan_zi,
            )
        )
    return out


# -- score page: the whole LKE ------------------------------------------------------------


@dataclass(frozen=True)
class Angka:
    """One set's figures of a node: unrounded nilai and % of its bobot (None: no data)."""

    nilai: Decimal | None
    persen: Decimal | None

    def beda(self, other: Angka | None) -> bool:
        """The two figures differ as shown (two decimals, half-up); no data is no difference."""
        if other is None or self.nilai is None or other.nilai is None:
            return False
        return format_id(self.nilai) != format_id(other.nilai)


class _Beda:
    """Where the mandiri and the TPN figures differ from the TPI's (highlighted on pages)."""

    mandiri: Angka
    tpi: Angka
    tpn: Angka | None

    @property
    def beda_mandiri(self) -> bool:
        return self.mandiri.beda(self.tpi)

    @property
    def beda_tpn(self) -> bool:
        return self.tpn is not None and self.tpn.beda(self.tpi)


@dataclass(frozen=True)
class Garis:
    """A threshold line of one predikat rule on a node's bar, at `persen` of its bobot."""

    predikat: str
    persen: Decimal
    minimum: Decimal
    label: str


@dataclass(frozen=True)
class SimpulLke(_Beda):
    """One row of the LKE tree on the score page, mandiri, TPI (and TPN) side by side."""

    code: str
    label: str
    tingkat: str  # total, komponen, bagian, area, indikator, hasil_group, hasil_item
    bobot: Decimal
    mandiri: Angka
    tpi: Angka
    anak: tuple[SimpulLke, ...] = ()
    garis: tuple[Garis, ...] = ()
    url: str = ""  # indikator: its place on the worksheet
    catatan: str = ""  # anchor of the model notice about this node
    tpn: Angka | None = None  # once the TPN has evaluated

    @property
    def buka(self) -> bool:
        """Open on first view: the total and the komponen; deeper levels on a click."""
        return self.tingkat in ("total", "komponen")


Report: TypeAlias = ScoreReport | Mapping[str, Any]
"""A live engine report, or a final snapshot's stored `report_json` (numbers as floats)."""


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))  # a snapshot float: its shortest exact decimal form


def _figures(report: Report) -> dict[str, Angka]:
    """Nilai and % of every node of `report` by code ("total", "A", "B", any node)."""
    if isinstance(report, ScoreReport):
        nodes: Iterable[Any] = (
            *report.indikator,
            *report.areas,
            *report.combined_areas,
            *report.bagian,
            *report.hasil_items,
            *report.hasil_groups,
            report.pengungkit,
            report.hasil,
            report.total,
        )
        return {n.code: Angka(n.nilai, n.persen) for n in nodes}
    figures = {
        n["code"]: Angka(_to_decimal(n.get("nilai")), _to_decimal(n.get("persen")))
        for key in ("indikator", "areas", "combined_areas", "bagian", "hasil_items", "hasil_groups")
        for n in report.get(key, [])
    }
    for code, key in (("A", "pengungkit"), ("B", "hasil"), ("total", "total")):
        figures[code] = Angka(_to_decimal(report.get(key)), None)  # % from the spec's bobot
    return figures


def _angka(figures: Mapping[str, Angka], code: str, bobot: Decimal) -> Angka:
    found = figures.get(code)
    if found is None:
        return Angka(None, None)
    if found.persen is None and found.nilai is not None and bobot:
        with localcontext(DECIMAL_CONTEXT):
            return Angka(found.nilai, found.nilai * HUNDRED / bobot)
    return found


def _lines(rules: Iterable[RuleSpec], code: str, bobot: Decimal) -> tuple[Garis, ...]:
    """The model's rules on node `code` (total, pengungkit, unsur), as % of its bobot."""
    lines = []
    for rule in rules:
        target = {"total": "total", "pengungkit": "A"}.get(rule.kind, rule.target)
        if rule.kind in ("area_persen", "predikat_sebelumnya") or target != code:
            continue
        if rule.minimum is None or not bobot:
            continue
        with localcontext(DECIMAL_CONTEXT):
            persen = rule.minimum * HUNDRED / bobot
        lines.append(Garis(rule.predikat, min(persen, HUNDRED), rule.minimum, rule.label))
    return tuple(lines)


def lke_tree(
    penilaian: Penilaian,
    spec: ModelSpec,
    reports: Mapping[str, Report],
    notices: Iterable[CatatanModel] = (),
) -> SimpulLke:
    """The whole LKE of `spec` as a tree (total → komponen → bagian → area → indikator,
    and hasil → sub-komponen → unsur), each node with its bobot and the nilai and % of the
    mandiri and TPI reports; no query. Threshold lines come from the model's rules; an
    indikator links to its worksheet place and to its model notice when it has one.
    """
    mandiri, tpi = _figures(reports[SetJawaban.MANDIRI]), _figures(reports[SetJawaban.TPI])
    tpn = _figures(reports[SetJawaban.TPN]) if SetJawaban.TPN in reports else None
    noted = {n.kode: n.anchor for n in notices if n.tingkat == "indikator"}

    def node(
        code: str,
        label: str,
        tingkat: str,
        bobot: Decimal,
        anak: tuple[SimpulLke, ...] = (),
        url: str = "",
    ) -> SimpulLke:
        return SimpulLke(
            code,
            label,
            tingkat,
            bobot,
            _angka(mandiri, code, bobot),
            _angka(tpi, code, bobot),
            anak,
            _lines(spec.rules, code, bobot),
            url,
            noted.get(code, ""),
            None if tpn is None else _angka(tpn, code, bobot),
        )

    def area(a: AreaSpec) -> SimpulLke:
        base = reverse("scoring:worksheet", args=[penilaian.code, a.number])
        return node(
            a.code,
            a.label,
            "area",
            a.bobot,
            tuple(
                node(i.code, i.label, "indikator", i.bobot, url=f"{base}#i-{slugify(i.code)}")
                for i in a.indikator
            ),
        )

    if spec.bagian:
        pengungkit = tuple(
            node(b.code, b.label, "bagian", b.bobot, tuple(area(a) for a in b.areas))
            for b in spec.bagian
        )
    else:
        pengungkit = tuple(area(a) for a in spec.areas)
    hasil = tuple(
        node(
            g.code,
            g.label,
            "hasil_group",
            g.bobot,
            tuple(node(h.code, h.label, "hasil_item", h.bobot) for h in g.items),
        )
        for g in spec.hasil_groups
    )
    return node(
        "total",
        "NILAI TOTAL",
        "total",
        spec.pengungkit_bobot + spec.hasil_bobot,
        (
            node("A", "PENGUNGKIT", "komponen", spec.pengungkit_bobot, pengungkit),
            node("B", "HASIL", "komponen", spec.hasil_bobot, hasil),
        ),
    )


@dataclass(frozen=True)
class AreaGabungan(_Beda):
    """One area number (Pemenuhan + Reform) against its summed bobot, every set."""

    code: str
    label: str
    bobot: Decimal
    mandiri: Angka
    tpi: Angka
    tpn: Angka | None = None


def area_lines(spec: ModelSpec) -> tuple[Garis, ...]:
    """The per-area minimums of the model (`area_persen` rules); none when it has none."""
    return tuple(
        Garis(r.predikat, r.minimum, r.minimum, r.label)
        for r in spec.rules
        if r.kind == "area_persen" and r.minimum is not None
    )


def combined_areas(spec: ModelSpec, reports: Mapping[str, Report]) -> list[AreaGabungan]:
    """The combined areas the per-area rule applies to (domain.md Scoring rule 6)."""
    mandiri, tpi = _figures(reports[SetJawaban.MANDIRI]), _figures(reports[SetJawaban.TPI])
    tpn = _figures(reports[SetJawaban.TPN]) if SetJawaban.TPN in reports else None
    areas: dict[int, list[AreaSpec]] = {}
    for a in (a for b in spec.bagian for a in b.areas) if spec.bagian else spec.areas:
        areas.setdefault(a.number, []).append(a)
    rows = []
    for number, parts in areas.items():
        code = f"{parts[0].code.split('.', 1)[0]}.{number}"
        bobot = sum((p.bobot for p in parts), Decimal(0))
        rows.append(
            AreaGabungan(
                code,
                parts[0].label,
                bobot,
                _angka(mandiri, code, bobot),
                _angka(tpi, code, bobot),
                None if tpn is None else _angka(tpn, code, bobot),
            )
        )
    return rows


def legend(lines: Iterable[Garis]) -> list[tuple[str, str]]:
    """The legend of threshold lines: (predikat, rule label), one per rule."""
    return [(g.predikat, f"{g.predikat}: {g.label}") for g in lines]


def tree_legend(spec: ModelSpec) -> list[tuple[str, str]]:
    """One legend entry per predikat whose rules draw lines on the tree's nodes."""
    entries: dict[str, list[str]] = {}
    for rule in spec.rules:
        if rule.kind in ("total", "pengungkit", "unsur") and rule.minimum is not None:
            entries.setdefault(rule.predikat, []).append(rule.label)
    return [
        (
            predikat,
            _("ambang %(predikat)s dari aturan model (%(n)d syarat nilai)")
            % {"predikat": predikat, "n": len(labels)},
        )
        for predikat, labels in entries.items()
    ]
