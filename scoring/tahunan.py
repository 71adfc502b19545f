"""Year over year (issue 16 part 2): every penilaian of a unit side by side.

Each year's figures come from its final snapshots (`SnapshotSkor`, frozen at the TPI's
final and at the TPN's result), so the page never re-scores a closed year: the final
years cost the same few queries however many there are. A year not final yet is scored
live. Years on different LKE models (52/2014 → 10/2019 → 90/2021) are compared by area
only, since their indikator differ; the indikator table is drawn per model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lke.models import Penilaian, StatusPenilaian
from scoring.models import SetJawaban, SnapshotSkor
from units.models import UnitKerja

SETS = (SetJawaban.MANDIRI, SetJawaban.TPI, SetJawaban.TPN)


@dataclass(frozen=True)
class Sel:
    """One set's figure of one year: nilai and % of its bobot (None: no data)."""

    nilai: Decimal | None
    persen: Decimal | None


@dataclass
class Tahun:
    penilaian: Penilaian
    reports: dict[str, Mapping[str, Any]]  # set -> report_json shape
    final: bool
    model_berubah: bool = False  # its model differs from the year before

    @property
    def tahun(self) -> int:
        return self.penilaian.tahun

    def total(self, set_: str) -> Sel:
        r = self.reports.get(set_)
        return Sel(_d(r.get("total")), None) if r else Sel(None, None)

    def verdict(self, set_: str) -> str:
        r = self.reports.get(set_)
        return str(r.get("verdict", "")) if r else ""


@dataclass
class Baris:
    """A row of a comparison table: a code, its label and one cell per (year, set)."""

    code: str
    label: str
    sel: dict[tuple[int, str], Sel] = field(default_factory=dict)
    bobot: dict[int, Decimal | None] = field(default_factory=dict)

    def cells(self, years: list[int]) -> list[tuple[int, list[Sel], Decimal | None]]:
        return [
            (y, [self.sel.get((y, s), Sel(None, None)) for s in SETS], self.bobot.get(y))
            for y in years
        ]


@dataclass
class Segmen:
    """Consecutive years on one model: their indikator side by side."""

    model_kode: str
    model_nama: str
    years: list[int]
    rows: list[Baris]


@dataclass
class AntarTahun:
    unit: UnitKerja
    years: list[Tahun]
    areas: list[Baris]
    segmen: list[Segmen]
    sets: tuple[str, ...] = SETS

    @property
    def model_berubah(self) -> bool:
        return any(t.model_berubah for t in self.years)

    @property
    def tahun(self) -> list[int]:
        return [t.tahun for t in self.years]


def _d(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _area_number(code: str) -> int:
    return int(code.rsplit(".", 1)[-1])


def _live(penilaian: Penilaian) -> dict[str, Mapping[str, Any]]:
    from scoring.services import penilaian_score, report_json

    return {
        s: report_json(penilaian_score(penilaian, s), penilaian=penilaian, by=s)
        for s in (SetJawaban.MANDIRI, SetJawaban.TPI)
    }


def antar_tahun(unit: UnitKerja, *, sampai: int | None = None) -> AntarTahun:
    """Every penilaian of `unit` (up to the year `sampai`), oldest first, with their totals,
    areas and indikator per set. Two queries for the final years in all; a year not final
    is scored live (its own few queries)."""
    qs = Penilaian.objects.filter(unit=unit).select_related("model").order_by("tahun")
    if sampai is not None:
        qs = qs.filter(tahun__lte=sampai)
    penilaian = list(qs)
    frozen: dict[int, dict[str, Mapping[str, Any]]] = {}
    for snap in SnapshotSkor.objects.filter(penilaian__in=penilaian, final=True).order_by(
        "dibuat_pada"
    ):
        frozen.setdefault(snap.penilaian_id, {})[snap.set] = snap.laporan
    years: list[Tahun] = []
    previous: Penilaian | None = None
    for p in penilaian:
        reports = dict(frozen.get(p.pk, {}))
        final = p.status == StatusPenilaian.FINAL and SetJawaban.TPI in reports
        if not final:
            reports = {**_live(p), **{s: r for s, r in reports.items() if s == SetJawaban.TPN}}
        years.append(
            Tahun(
                p,
                reports,
                final,
                model_berubah=previous is not None and previous.model_id != p.model_id,
            )
        )
        previous = p
    return AntarTahun(unit, years, _areas(years), _segmen(years))


def _areas(years: list[Tahun]) -> list[Baris]:
    """Area 1..6 of every year (Pemenuhan + Reform together where the model splits them)."""
    rows: dict[int, Baris] = {}
    for t in years:
        for set_, report in t.reports.items():
            nodes = report.get("combined_areas") or report.get("areas") or []
            for n in nodes:
                nomor = _area_number(str(n["code"]))
                row = rows.setdefault(nomor, Baris(str(nomor), str(n["label"])))
                if t is years[-1] or not row.label:
                    row.label = str(n["label"])  # the latest model's name of the area
                row.sel[(t.tahun, set_)] = Sel(_d(n.get("nilai")), _d(n.get("persen")))
                row.bobot[t.tahun] = _d(n.get("bobot"))
    return [rows[k] for k in sorted(rows)]


def _segmen(years: list[Tahun]) -> list[Segmen]:
    """The years grouped by model; within a group the indikator are comparable."""
    groups: list[Segmen] = []
    for t in years:
        if not groups or groups[-1].model_kode != t.penilaian.model.kode:
            groups.append(Segmen(t.penilaian.model.kode, t.penilaian.model.nama, [], []))
        groups[-1].years.append(t.tahun)
    by_year = {t.tahun: t for t in years}
    for g in groups:
        rows: dict[str, Baris] = {}
        for y in g.years:
            for set_, report in by_year[y].reports.items():
                for n in report.get("indikator", []):
                    row = rows.setdefault(str(n["code"]), Baris(str(n["code"]), str(n["label"])))
                    row.sel[(y, set_)] = Sel(_d(n.get("nilai")), _d(n.get("persen")))
                    row.bobot[y] = _d(n.get("bobot"))
        g.rows = list(rows.values())
    return groups
