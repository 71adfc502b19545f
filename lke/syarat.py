"""Tabel 5 (syarat pengusulan) as data: the loader, the value scales and the comparisons.

What the regulation asks lives here: which values an instansi or unit proves, on which
scale, and the minimum per predikat. The values themselves are `evidence.IsianSyarat`;
the checklist that puts both together is `scoring.syarat`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lke.loader import LoaderError, lke_dir, read_yaml
from lke.models import SyaratPengusulan, TabelSyarat, TingkatSyarat

TARGETS = ("WBK", "WBBM")
JENIS = ("opini", "huruf", "level", "persen", "ya_tidak", "tahun")

# Best first. Opini BPK: wajar tanpa pengecualian, wajar dengan pengecualian, tidak wajar,
# tidak menyatakan pendapat. SAKIP and Indeks RB: AA ... D.
OPINI = (
    ("WTP", gettext_lazy("WTP (wajar tanpa pengecualian)")),
    ("WDP", gettext_lazy("WDP (wajar dengan pengecualian)")),
    ("TW", gettext_lazy("TW (tidak wajar)")),
    ("TMP", gettext_lazy("TMP (tidak menyatakan pendapat)")),
)
HURUF = ("AA", "A", "BB", "B", "CC", "C", "D")
LEVEL = ("1", "2", "3", "4", "5")
YA_TIDAK = (("ya", gettext_lazy("Ya")), ("tidak", gettext_lazy("Tidak")))


@dataclass(frozen=True)
class Isian:
    """One value an instansi or unit enters for Tabel 5."""

    kode: str
    tingkat: str
    jenis: str
    label: str
    dari_lke: str = ""  # worksheet question whose numbers give this value (Reform 5.iii)


def syarat_dir() -> Path:
    return lke_dir() / "syarat"


def isian_of(tabel: TabelSyarat) -> dict[str, Isian]:
    return {
        row["kode"]: Isian(
            row["kode"], row["tingkat"], row["jenis"], row["label"], row.get("dari_lke") or ""
        )
        for row in tabel.isian
    }


def tabel_for_year(tahun: int) -> TabelSyarat | None:
    """The Tabel 5 that governs proposals of penilaian year `tahun` (None before 2022)."""
    for tabel in TabelSyarat.objects.filter(berlaku_dari__lte=tahun).order_by("-berlaku_dari"):
        if tabel.berlaku_sampai is None or tabel.berlaku_sampai >= tahun:
            return tabel
    return None


def evaluasi_mandiri_allowed(tahun: int) -> bool:
    """May an instansi evaluate its own units for Menuju WBK in `tahun` (5/2024 B)?"""
    tabel = tabel_for_year(tahun)
    return tabel is not None and tabel.evaluasi_mandiri


def choices(jenis: str) -> list[tuple[str, str]]:
    """The options of a value with a closed scale (empty for persen and tahun)."""
    if jenis == "opini":
        return [(k, str(v)) for k, v in OPINI]
    if jenis == "huruf":
        return [(k, k) for k in HURUF]
    if jenis == "level":
        return [(k, _("Level %(n)s") % {"n": k}) for k in LEVEL]
    if jenis == "ya_tidak":
        return [(k, str(v)) for k, v in YA_TIDAK]
    return []


def parse_nilai(jenis: str, raw: str) -> str:
    """The stored form of a typed value, or ValidationError with an Indonesian message."""
    value = (raw or "").strip()
    options = [k for k, _label in choices(jenis)]
    if options:
        normal = value.lower() if jenis == "ya_tidak" else value.upper()
        if normal not in options:
            raise ValidationError(_("Pilih salah satu: %(opsi)s.") % {"opsi": ", ".join(options)})
        return normal
    if jenis == "persen":
        try:
            number = Decimal(value.replace(" ", "").replace("%", "").replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("Isi persentase berupa angka 0 sampai 100.")) from exc
        if not number.is_finite() or number < 0 or number > 100:
            raise ValidationError(_("Isi persentase berupa angka 0 sampai 100."))
        return format(number.normalize(), "f")
    if jenis == "tahun":
        if not value.isdigit() or not 2000 <= int(value) <= 2100:
            raise ValidationError(_("Isi tahun dengan empat angka, misalnya 2021."))
        return str(int(value))
    raise ValidationError(_("Jenis isian tidak dikenal: %(j)s.") % {"j": jenis})


def minimum_for(ambang: dict[str, Any], jenis_instansi: str) -> str | None:
    """The minimum of one target; None when it depends on a kind of instansi not known."""
    minimum = ambang["minimum"]
    if isinstance(minimum, dict):
        found = minimum.get(jenis_instansi) if jenis_instansi else None
        return None if found is None else str(found)
    return str(minimum)


def memenuhi(jenis: str, nilai: str, minimum: str, *, tahun: int) -> bool:
    """Does the stored `nilai` reach `minimum`? For `tahun`: years built by `tahun`."""
    if jenis == "opini":
        order = [k for k, _label in OPINI]
        return order.index(nilai) <= order.index(minimum)
    if jenis == "huruf":
        return HURUF.index(nilai) <= HURUF.index(minimum)
    if jenis == "level":
        return int(nilai) >= int(minimum)
    if jenis == "persen":
        return Decimal(nilai) >= Decimal(minimum)
    if jenis == "ya_tidak":
        return nilai == minimum
    if jenis == "tahun":
        return int(nilai) <= tahun and tahun - int(nilai) >= int(minimum)
    raise ValueError(jenis)


# -- loader ------------------------------------------------------------------------------


def _check(data: dict[str, Any], where: str) -> dict[str, Isian]:
    for key in ("kode", "nama", "dasar_hukum", "berlaku_dari", "isian", "syarat"):
        if key not in data:
            raise LoaderError(f"{where}: {key} wajib ada")
    isian: dict[str, Isian] = {}
    for row in data["isian"]:
        if row.get("jenis") not in JENIS:
            raise LoaderError(f"{where}: isian {row.get('kode')}: jenis {row.get('jenis')!r}")
        if row.get("tingkat") not in TingkatSyarat.values:
            raise LoaderError(f"{where}: isian {row.get('kode')}: tingkat {row.get('tingkat')!r}")
        isian[row["kode"]] = Isian(row["kode"], row["tingkat"], row["jenis"], row["label"])
    for row in data["syarat"]:
        here = f"{where}: syarat {row.get('kode')}"
        if row.get("tingkat") not in TingkatSyarat.values:
            raise LoaderError(f"{here}: tingkat {row.get('tingkat')!r}")
        for target in TARGETS:
            ambang = row.get(target)
            if not isinstance(ambang, dict) or not ambang.get("teks") or not ambang.get("isian"):
                raise LoaderError(f"{here}: {target} butuh teks, isian dan minimum")
            for code in ambang["isian"]:
                if code not in isian or isian[code].tingkat != row["tingkat"]:
                    raise LoaderError(f"{here}: isian {code!r} tidak dikenal pada tingkat ini")
                minima = ambang["minimum"]
                for minimum in minima.values() if isinstance(minima, dict) else [minima]:
                    try:
                        if isian[code].jenis == "tahun":
                            int(str(minimum))
                        else:
                            parse_nilai(isian[code].jenis, str(minimum))
                    except (ValidationError, ValueError) as exc:
                        raise LoaderError(f"{here}: minimum {minimum!r} tidak sah") from exc
    return isian


@transaction.atomic
def tabel_syarat_load(path: Path) -> TabelSyarat:
    """Create or update one Tabel 5 from its YAML file (idempotent)."""
    data = read_yaml(path)
    _check(data, path.name)
    tabel, _created = TabelSyarat.objects.update_or_create(
        kode=data["kode"],
        defaults={
            "nama": data["nama"],
            "dasar_hukum": data["dasar_hukum"],
            "berlaku_dari": int(data["berlaku_dari"]),
            "berlaku_sampai": data.get("berlaku_sampai"),
            "stranas_pk": bool(data.get("stranas_pk")),
            "evaluasi_mandiri": bool(data.get("evaluasi_mandiri")),
            "isian": data["isian"],
        },
    )
    kept = []
    for index, row in enumerate(data["syarat"]):
        syarat, _created = SyaratPengusulan.objects.update_or_create(
            tabel=tabel,
            kode=row["kode"],
            defaults={
                "tingkat": row["tingkat"],
                "urutan": index,
                "ambang": {t: row[t] for t in TARGETS},
            },
        )
        kept.append(syarat.pk)
    SyaratPengusulan.objects.filter(tabel=tabel).exclude(pk__in=kept).delete()
    return tabel


def tabel_syarat_load_all() -> list[TabelSyarat]:
    """Load every Tabel 5 file; returned oldest first."""
    loaded = [tabel_syarat_load(path) for path in sorted(syarat_dir().glob("*.yaml"))]
    return sorted(loaded, key=lambda t: t.berlaku_dari)
