"""The Tabel 5 checklist of a unit and year: each syarat met, not met or *belum diisi*.

Reads the year's Tabel 5 (lke.syarat), the values the instansi and unit entered
(evidence.IsianSyarat) and, for LHKPN/LHKASN, the numbers of Reform 5.iii in the unit's
worksheet of that year, which take precedence over a typed value (issue 12 part 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from evidence.models import IsianSyarat
from lke.models import InputNumerik, Penilaian, PeranInput, SyaratPengusulan, TabelSyarat
from lke.syarat import TARGETS, Isian, choices, isian_of, memenuhi, minimum_for, tabel_for_year
from scoring.models import Jawaban, SetJawaban
from units.models import JenisInstansi, UnitKerja
from zi_portal.lib.numbers import format_persen

Status = Literal["memenuhi", "tidak", "belum"]
MEMENUHI: Status = "memenuhi"
TIDAK: Status = "tidak"
BELUM: Status = "belum"


@dataclass(frozen=True)
class NilaiIsian:
    """One value of the checklist: what was entered (or derived), shown how, from where."""

    isian: Isian
    nilai: str | None  # stored form (lke.syarat.parse_nilai); None = belum diisi
    tampil: str
    row: IsianSyarat | None = None
    dari_lke: str = ""  # how it was derived from the worksheet, when it was


@dataclass(frozen=True)
class ButirSyarat:
    syarat: SyaratPengusulan
    teks: dict[str, str]
    minimum: dict[str, str | None]
    status: dict[str, Status]
    nilai: list[NilaiIsian]
    keterangan: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Checklist:
    unit: UnitKerja
    tahun: int
    tabel: TabelSyarat | None
    jenis_instansi: str
    instansi: list[ButirSyarat]
    unit_kerja: list[ButirSyarat]
    isian: list[NilaiIsian]
    # 5/2024: a pemda unit of the Stranas PK priorities may be proposed while meeting Tabel 5.
    boleh_sambil_memenuhi: bool
    ringkasan: dict[str, Status]

    @property
    def butir(self) -> list[ButirSyarat]:
        return [*self.instansi, *self.unit_kerja]


def tampil(isian: Isian, nilai: str | None) -> str:
    """A stored value as users read it; *belum diisi* when there is none."""
    if nilai is None:
        return _("belum diisi")
    if isian.jenis == "persen":
        return format_persen(Decimal(nilai))
    labels = dict(choices(isian.jenis))
    return labels.get(nilai, nilai)


def _lke_percent(penilaian: Penilaian | None, kode: str) -> tuple[str, str] | None:
    """(value, how) of a Reform 5.iii share from the worksheet, TPI's numbers first."""
    if penilaian is None or not kode:
        return None
    inputs = list(
        InputNumerik.objects.filter(model=penilaian.model, pertanyaan__kode=kode).order_by("urutan")
    )
    if not inputs:
        return None
    answers = {
        j.set: j.angka for j in Jawaban.objects.filter(penilaian=penilaian, pertanyaan__kode=kode)
    }
    for set_, label in ((SetJawaban.TPI, _("angka TPI")), (SetJawaban.MANDIRI, _("angka mandiri"))):
        angka = answers.get(set_) or {}
        parts: dict[str, Decimal] = {"pembilang": Decimal(0), "penyebut": Decimal(0)}
        complete = True
        for n in inputs:
            if n.peran not in (PeranInput.PEMBILANG, PeranInput.PENYEBUT):
                continue
            raw = angka.get(n.kode)
            if raw is None or str(raw).strip() == "":
                complete = False
                break
            parts[n.peran] += Decimal(str(raw))
        if not complete or parts["penyebut"] <= 0:
            continue
        share = min(parts["pembilang"] / parts["penyebut"] * 100, Decimal(100))
        value = format(share.quantize(Decimal("0.01")).normalize(), "f")
        how = _("dari LKE %(kode)s (%(sumber)s): %(a)s dari %(b)s") % {
            "kode": kode,
            "sumber": label,
            "a": format(parts["pembilang"].normalize(), "f"),
            "b": format(parts["penyebut"].normalize(), "f"),
        }
        return value, how
    return None


def _values(unit: UnitKerja, tahun: int, tabel: TabelSyarat) -> dict[str, NilaiIsian]:
    rows = {
        (r.instansi_id is not None, r.kode): r
        for r in IsianSyarat.objects.filter(tahun=tahun, unit=unit)
        | IsianSyarat.objects.filter(tahun=tahun, instansi_id=unit.instansi_id)
    }
    penilaian = Penilaian.objects.select_related("model").filter(unit=unit, tahun=tahun).first()
    out: dict[str, NilaiIsian] = {}
    for isian in isian_of(tabel).values():
        row = rows.get((isian.tingkat == "instansi", isian.kode))
        derived = _lke_percent(penilaian, isian.dari_lke)
        if derived is not None:
            value, how = derived
            out[isian.kode] = NilaiIsian(isian, value, tampil(isian, value), row, how)
            continue
        value_or_none = row.nilai if row is not None else None
        out[isian.kode] = NilaiIsian(isian, value_or_none, tampil(isian, value_or_none), row)
    return out


def _judge(
    syarat: SyaratPengusulan, values: dict[str, NilaiIsian], jenis_instansi: str, tahun: int
) -> ButirSyarat:
    teks: dict[str, str] = {}
    minima: dict[str, str | None] = {}
    status: dict[str, Status] = {}
    keterangan: dict[str, str] = {}
    used: list[NilaiIsian] = []
    for target in TARGETS:
        ambang = syarat.ambang[target]
        teks[target] = ambang["teks"]
        minimum = minimum_for(ambang, jenis_instansi)
        minima[target] = minimum
        results: list[bool | None] = []
        for code in ambang["isian"]:
            value = values[code]
            if value not in used:
                used.append(value)
            if value.nilai is None or minimum is None:
                results.append(None)
            else:
                results.append(memenuhi(value.isian.jenis, value.nilai, minimum, tahun=tahun))
        if False in results:
            status[target] = TIDAK
        elif None in results:
            status[target] = BELUM
        else:
            status[target] = MEMENUHI
        if minimum is None:
            keterangan[target] = _(
                "Batas bergantung pada jenis instansi (pemerintah daerah atau "
                "kementerian/lembaga), yang belum diisi."
            )
        elif isinstance(ambang["minimum"], dict):
            keterangan[target] = _(
                "Batas yang berlaku (%(jenis)s): %(target)s minimal %(min)s."
            ) % {
                "jenis": JenisInstansi(jenis_instansi).label,
                "target": _("Menuju WBK") if target == "WBK" else _("Menuju WBBM"),
                "min": minimum,
            }
    return ButirSyarat(syarat, teks, minima, status, used, keterangan)


def _overall(items: list[ButirSyarat], target: str) -> Status:
    states = {i.status[target] for i in items}
    if TIDAK in states:
        return TIDAK
    if BELUM in states or not items:
        return BELUM
    return MEMENUHI


def tabel5_checklist(unit: UnitKerja, tahun: int) -> Checklist:
    """Every Tabel 5 syarat of `tahun` for `unit`, judged for Menuju WBK and Menuju WBBM."""
    instansi = unit.instansi
    tabel = tabel_for_year(tahun)
    if tabel is None:
        return Checklist(unit, tahun, None, instansi.jenis, [], [], [], False, {})
    values = _values(unit, tahun, tabel)
    judged = [
        _judge(s, values, instansi.jenis, tahun)
        for s in SyaratPengusulan.objects.filter(tabel=tabel).order_by("urutan")
    ]
    return Checklist(
        unit=unit,
        tahun=tahun,
        tabel=tabel,
        jenis_instansi=instansi.jenis,
        instansi=[b for b in judged if b.syarat.tingkat == "instansi"],
        unit_kerja=[b for b in judged if b.syarat.tingkat == "unit"],
        isian=list(values.values()),
        boleh_sambil_memenuhi=(
            tabel.stranas_pk and instansi.jenis == JenisInstansi.PEMDA and bool(unit.stranas_pk)
        ),
        ringkasan={t: _overall(judged, t) for t in TARGETS},
    )


def checklist_json(checklist: Checklist) -> dict[str, object]:
    """The checklist as plain data (the `tabel5 --json` command)."""
    return {
        "unit": checklist.unit.slug,
        "tahun": checklist.tahun,
        "tabel": checklist.tabel.kode if checklist.tabel else None,
        "jenis_instansi": checklist.jenis_instansi or None,
        "boleh_diusulkan_sambil_memenuhi_syarat": checklist.boleh_sambil_memenuhi,
        "ringkasan": checklist.ringkasan,
        "syarat": [
            {
                "kode": b.syarat.kode,
                "tingkat": b.syarat.tingkat,
                "status": b.status,
                "minimum": b.minimum,
                "nilai": {
                    v.isian.kode: {"nilai": v.nilai, "dari_lke": v.dari_lke or None}
                    for v in b.nilai
                },
            }
            for b in checklist.butir
        ],
    }
