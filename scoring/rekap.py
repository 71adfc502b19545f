"""The recap of an instansi: every unit's penilaian of a year with its scores in one table.

The figures of each penilaian (mandiri, TPI and TPN totals, verdict, gaps to WBK / WBBM,
areas below their minimum, Tabel 5 status) are kept in one *rekap row*: a `SnapshotSkor`
with `final=False`, no author and `laporan = {"rekap": {...}, "versi": ...}`, so the page
sorts, filters and pages in SQL and costs the same for 25 or 1,000 units.

* A final penilaian's figures come from its final snapshots (`SnapshotSkor.final`, the
  single source of final scores), never from scoring again; a penilaian in progress is
  scored live once and kept until something changes.
* `rekap_invalidate` (called by `jawaban_save` and `jawaban_hasil_save`, every door that
  writes an answer) removes the row of a penilaian; a row whose `versi` no longer matches
  (status change, predikat history, Tabel 5 values, model edit) is made again on the next
  read. The superseded snapshots of a reopened penilaian are never read here: they carry
  no `rekap` key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Floor
from django.utils import timezone
from django.utils.translation import gettext_lazy

from evidence.models import Bukti, IsianSyarat, StatusTemuan, TemuanBukti
from lke.models import AturanPredikat, JenisAturan, Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, JawabanHasil, SetJawaban, SnapshotSkor
from scoring.services import penilaian_score, report_json
from scoring.syarat import tabel5_checklist
from units.models import Instansi, PredikatUnit, UnitKerja

PAGE_SIZE = 25  # rows per page, as the home page: the page costs the same for any size
STATUS_SYARAT = {
    "memenuhi": gettext_lazy("memenuhi"),
    "tidak": gettext_lazy("tidak memenuhi"),
    "belum": gettext_lazy("belum diisi"),
}
BUCKET = 5  # width of a bar of the distribution chart, in points of the total


def _cache_rows() -> QuerySet[SnapshotSkor]:
    """The recap rows. Only the penilaian's own snapshots are looked at (by its index):
    a filter on the author would let the planner walk every recap row of the table."""
    return SnapshotSkor.objects.filter(final=False, laporan__has_key="rekap")


def rekap_invalidate(penilaian_id: int) -> None:
    """Forget the recap row of a penilaian (its answers changed)."""
    _cache_rows().filter(penilaian_id=penilaian_id).delete()


# -- the figures of one penilaian -------------------------------------------------------


def _gap(laporan: dict[str, Any] | None, predikat: str) -> float | None:
    """Points the total lacks for `predikat` (0 when reached), from the total rule."""
    if laporan is None:
        return None
    for rule in laporan["rules"]:
        if rule["predikat"] == predikat and rule["kind"] == "total":
            return max(0.0, float(rule["required"]) - float(laporan["total"]))
    return None


def _areas_below(laporan: dict[str, Any] | None) -> list[str]:
    """Codes of the combined areas below the model's per-area minimum (90/2021)."""
    if laporan is None:
        return []
    minimums = {
        r["predikat"]: float(r["required"])
        for r in laporan["rules"]
        if r["kind"] == "area_persen" and r["required"] is not None
    }
    if not minimums:
        return []
    # The lowest per-area minimum (WBK's in 90/2021): below it no predikat is possible.
    floor = min(minimums.values())
    return [
        a["code"]
        for a in laporan.get("combined_areas") or laporan.get("areas", [])
        if a["persen"] is not None and float(a["persen"]) < floor
    ]


def _stored(snapshot: SnapshotSkor) -> dict[str, Any]:
    """A final snapshot's report; its columns stand in for a report stored without
    figures (the total and verdict are always there)."""
    laporan: dict[str, Any] = dict(snapshot.laporan or {})
    laporan.setdefault("total", float(snapshot.total))
    laporan.setdefault("verdict", snapshot.predikat)
    laporan.setdefault("rules", [])
    return laporan


def _laporan(penilaian: Penilaian, set_: str, finals: dict[str, dict[str, Any]]) -> Any:
    if set_ in finals:
        return finals[set_]
    if set_ == SetJawaban.TPN and not (
        Jawaban.objects.filter(penilaian=penilaian, set=set_).exists()
        or JawabanHasil.objects.filter(penilaian=penilaian, set=set_).exists()
    ):
        return None
    return report_json(penilaian_score(penilaian, set_), penilaian=penilaian, by=set_)


def rekap_figures(penilaian: Penilaian) -> dict[str, Any]:
    """The recap figures of one penilaian (numbers unrounded, as `lke_score --json`)."""
    finals = {
        s.set: _stored(s)
        for s in SnapshotSkor.objects.filter(penilaian=penilaian, final=True).order_by(
            "dibuat_pada"
        )
    }
    mandiri = _laporan(penilaian, SetJawaban.MANDIRI, finals)
    tpi = _laporan(penilaian, SetJawaban.TPI, finals)
    tpn = _laporan(penilaian, SetJawaban.TPN, finals)
    tabel5 = tabel5_checklist(penilaian.unit, penilaian.tahun)
    below = _areas_below(tpi)
    return {
        "total_mandiri": mandiri["total"],
        "total_tpi": tpi["total"],
        "total_tpn": None if tpn is None else tpn["total"],
        "verdict": tpi["verdict"],
        "verdict_tpn": None if tpn is None else tpn["verdict"],
        "gap_wbk": _gap(tpi, "WBK"),
        "gap_wbbm": _gap(tpi, "WBBM"),
        "area_kurang": below,
        "n_area_kurang": len(below),
        "sumber": "final" if SetJawaban.TPI in finals else "langsung",
        "tabel5": {k.lower(): str(v) for k, v in tabel5.ringkasan.items()},
    }


# -- the rows of an instansi and year ---------------------------------------------------


def _stale(instansi: Instansi, tahun: int) -> list[int]:
    """Ids of the penilaian of the instansi and year whose recap row is missing or older
    than a change it depends on (the penilaian's status, the model, the unit's predikat
    history, the year's Tabel 5 values of the unit or its instansi). One query; answer
    changes remove the row themselves (`rekap_invalidate`)."""
    made = _cache_rows().filter(penilaian=OuterRef("pk")).order_by("-pk").values("dibuat_pada")
    newer_predikat = PredikatUnit.objects.filter(
        unit=OuterRef("unit"), updated_at__gte=OuterRef("rk_dibuat")
    )
    newer_isian = IsianSyarat.objects.filter(
        Q(unit=OuterRef("unit")) | Q(instansi=OuterRef("unit__instansi")),
        tahun=tahun,
        updated_at__gte=OuterRef("rk_dibuat"),
    )
    return list(
        Penilaian.objects.filter(unit__instansi=instansi, tahun=tahun)
        .annotate(rk_dibuat=Subquery(made[:1]))
        .filter(
            Q(rk_dibuat__isnull=True)
            | Q(updated_at__gte=F("rk_dibuat"))
            | Q(model__updated_at__gte=F("rk_dibuat"))
            | Exists(newer_predikat)
            | Exists(newer_isian)
        )
        .order_by()
        .values_list("pk", flat=True)
    )


def _all_fresh(instansi: Instansi, tahun: int) -> bool:
    """A cheap first look (four aggregates): every penilaian has a recap row and the
    oldest row is newer than the latest change anything in the instansi and year had."""
    penilaian = Penilaian.objects.filter(unit__instansi=instansi, tahun=tahun).aggregate(
        n=Count("pk"), p=Max("updated_at"), m=Max("model__updated_at")
    )
    rows = (
        _cache_rows()
        .filter(penilaian__unit__instansi=instansi, penilaian__tahun=tahun)
        .aggregate(n=Count("penilaian", distinct=True), oldest=Min("dibuat_pada"))
    )
    if not rows["n"] or rows["n"] != penilaian["n"]:
        return False
    predikat = PredikatUnit.objects.filter(unit__instansi=instansi).aggregate(m=Max("updated_at"))
    isian = IsianSyarat.objects.filter(
        Q(unit__instansi=instansi) | Q(instansi=instansi), tahun=tahun
    ).aggregate(m=Max("updated_at"))
    changes = [penilaian["p"], penilaian["m"], predikat["m"], isian["m"]]
    return all(c is None or c < rows["oldest"] for c in changes)


def rekap_refresh(instansi: Instansi, tahun: int) -> int:
    """Make the recap rows of the instansi and year that are missing or stale; how many."""
    if _all_fresh(instansi, tahun):
        return 0
    stale = _stale(instansi, tahun)
    if not stale:
        return 0
    for penilaian in Penilaian.objects.filter(pk__in=stale).select_related(
        "unit__instansi", "model"
    ):
        # Stamped with the moment before reading: a change made while the figures are
        # computed is newer than the row, so the next read makes it again.
        started = timezone.now()
        figures = rekap_figures(penilaian)
        with transaction.atomic():
            rekap_invalidate(penilaian.pk)
            row = SnapshotSkor.objects.create(
                penilaian=penilaian,
                set=SetJawaban.TPI,
                total=Decimal(str(figures["total_tpi"])).quantize(Decimal("1e-8")),
                predikat=figures["verdict"],
                laporan={"rekap": figures},
                final=False,
            )
            SnapshotSkor.objects.filter(pk=row.pk).update(dibuat_pada=started)
    return len(stale)


SORTS = {
    "unit": ("unit__nama",),
    "status": ("status", "unit__nama"),
    "mandiri": ("rk_mandiri", "unit__nama"),
    "tpi": ("rk_total", "unit__nama"),
    "predikat": ("rk_verdict", "unit__nama"),
}


@dataclass
class Filter:
    status: str = ""
    predikat: str = ""
    area_kurang: bool = False
    urut: str = "unit"

    @property
    def order(self) -> list[str]:
        key = self.urut.lstrip("-")
        fields = SORTS.get(key, SORTS["unit"])
        if self.urut.startswith("-"):
            return [f"-{fields[0]}", *fields[1:]]
        return list(fields)


VERDICTS = ("WBBM", "WBK", "belum memenuhi")


def filter_from(params: Any) -> Filter:
    """The filter and sort from a query string or form (unknown values are ignored)."""
    status = params.get("status", "")
    predikat = params.get("predikat", "")
    urut = params.get("urut", "unit")
    return Filter(
        status=status if status in StatusPenilaian.values else "",
        predikat=predikat if predikat in VERDICTS else "",
        area_kurang=params.get("area") == "1",
        urut=urut if urut.lstrip("-") in SORTS else "unit",
    )


def rekap_rows(instansi: Instansi, tahun: int, f: Filter | None = None) -> QuerySet[Penilaian]:
    """The penilaian of the instansi and year with their recap figures, filtered, sorted.

    Call `rekap_refresh` first. Numbers for the sort come from the recap row's columns
    and JSON keys; the full figures are in `rk_laporan`.
    """
    f = f or Filter()
    latest = _cache_rows().filter(penilaian=OuterRef("pk")).order_by("-pk")
    qs = (
        Penilaian.objects.filter(unit__instansi=instansi, tahun=tahun)
        .select_related("unit", "model")
        .annotate(
            rk_total=Subquery(latest.values("total")[:1]),
            rk_verdict=Subquery(latest.values("predikat")[:1]),
            rk_mandiri=Subquery(
                latest.annotate(v=Cast(KT("laporan__rekap__total_mandiri"), FloatField())).values(
                    "v"
                )[:1]
            ),
            rk_area=Subquery(
                latest.annotate(v=Cast(KT("laporan__rekap__n_area_kurang"), IntegerField())).values(
                    "v"
                )[:1]
            ),
        )
    )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.predikat:
        qs = qs.filter(rk_verdict=f.predikat)
    if f.area_kurang:
        qs = qs.filter(rk_area__gt=0)
    return qs.order_by(*f.order, "pk")


@dataclass
class Baris:
    """One row of the recap table (a page's rows only)."""

    penilaian: Penilaian
    rekap: dict[str, Any]
    n_pertanyaan: int
    n_berbukti: int
    n_temuan: int
    predikat: list[PredikatUnit] = field(default_factory=list)

    @property
    def cakupan(self) -> float:
        """Percent of the questions with at least one current bukti."""
        if not self.n_pertanyaan:
            return 0.0
        return 100.0 * self.n_berbukti / self.n_pertanyaan

    @property
    def tabel5_wbk(self) -> str:
        return str(STATUS_SYARAT.get(self.rekap.get("tabel5", {}).get("wbk", ""), "–"))

    @property
    def tabel5_wbbm(self) -> str:
        return str(STATUS_SYARAT.get(self.rekap.get("tabel5", {}).get("wbbm", ""), "–"))

    @property
    def siap(self) -> bool:
        """Every question has evidence and no evidence check waits for a look."""
        return self.n_berbukti >= self.n_pertanyaan > 0 and self.n_temuan == 0


def rekap_baris(penilaian: list[Penilaian]) -> list[Baris]:
    """The figures of the given rows (one page): four queries whatever their number."""
    ids = [p.pk for p in penilaian]
    laporan = dict(
        _cache_rows()
        .filter(penilaian_id__in=ids)
        .order_by("pk")
        .values_list("penilaian_id", "laporan")
    )
    n_pertanyaan = dict(
        Pertanyaan.objects.filter(model_id__in={p.model_id for p in penilaian})
        .order_by()
        .values("model_id")
        .annotate(n=Count("pk"))
        .values_list("model_id", "n")
    )
    berbukti = dict(
        Bukti.objects.filter(penilaian_id__in=ids, aktif=True, pertanyaan__isnull=False)
        .order_by()
        .values("penilaian_id")
        .annotate(n=Count("pertanyaan_id", distinct=True))
        .values_list("penilaian_id", "n")
    )
    temuan = dict(
        TemuanBukti.objects.filter(penilaian_id__in=ids, diabaikan=False)
        .exclude(status=StatusTemuan.LOLOS)
        .order_by()
        .values("penilaian_id")
        .annotate(n=Count("pk"))
        .values_list("penilaian_id", "n")
    )
    history: dict[int, list[PredikatUnit]] = {}
    for row in PredikatUnit.objects.filter(unit_id__in={p.unit_id for p in penilaian}).order_by(
        "tahun", "id"
    ):
        history.setdefault(row.unit_id, []).append(row)
    return [
        Baris(
            penilaian=p,
            rekap=laporan.get(p.pk, {}).get("rekap", {}),
            n_pertanyaan=n_pertanyaan.get(p.model_id, 0),
            n_berbukti=berbukti.get(p.pk, 0),
            n_temuan=temuan.get(p.pk, 0),
            predikat=history.get(p.unit_id, []),
        )
        for p in penilaian
    ]


@dataclass(frozen=True)
class Batang:
    """One bar of the distribution chart: totals in [dari, sampai)."""

    dari: int
    sampai: int
    n: int


def distribusi(instansi: Instansi, tahun: int) -> list[Batang]:
    """How many TPI totals fall in each BUCKET-point band (0-100), one query."""
    counts = dict(
        _cache_rows()
        .filter(penilaian__unit__instansi=instansi, penilaian__tahun=tahun)
        .annotate(
            band=Cast(
                Floor(F("total") / Value(Decimal(BUCKET), output_field=DecimalField())),
                IntegerField(),
            )
        )
        .order_by()
        .values("band")
        .annotate(n=Count("pk"))
        .values_list("band", "n")
    )
    bands = math.ceil(100 / BUCKET)
    result = []
    for band in range(bands):
        n = counts.get(band, 0) + (counts.get(bands, 0) if band == bands - 1 else 0)
        result.append(Batang(band * BUCKET, (band + 1) * BUCKET, n))
    return result


def ringkasan_predikat(instansi: Instansi, tahun: int) -> dict[str, int]:
    """How many penilaian reach each verdict (TPI), one query."""
    return dict(
        _cache_rows()
        .filter(penilaian__unit__instansi=instansi, penilaian__tahun=tahun)
        .order_by()
        .values("predikat")
        .annotate(n=Count("pk"))
        .values_list("predikat", "n")
    )


def units_without(instansi: Instansi, tahun: int) -> QuerySet[UnitKerja]:
    """Units of the instansi without a penilaian in `tahun`."""
    return UnitKerja.objects.filter(instansi=instansi).exclude(penilaian__tahun=tahun)


def ambang_total(instansi: Instansi, tahun: int) -> dict[str, float]:
    """The total thresholds of the models the year's penilaian use (75 and 85 in
    90/2021), from the models' own rules; the lowest when models differ. One query."""
    result: dict[str, float] = {}
    for predikat, minimum in (
        AturanPredikat.objects.filter(
            jenis=JenisAturan.TOTAL,
            minimum__isnull=False,
            model__penilaian__unit__instansi=instansi,
            model__penilaian__tahun=tahun,
        )
        .values_list("predikat", "minimum")
        .distinct()
    ):
        if minimum is None:
            continue
        value = float(minimum)
        result[predikat] = min(value, result.get(predikat, value))
    return result


def tahun_pilihan(instansi: Instansi) -> list[int]:
    """The years with a penilaian of the instansi, latest first."""
    return list(
        Penilaian.objects.filter(unit__instansi=instansi)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .distinct()
    )
