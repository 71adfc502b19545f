"""Load the LKE models from `fixtures/lke/*.yaml` into the database.

The loader is the one validation of a model (the engine trusts what it is given). It
first reads and checks the whole file without writing (weights that do not
add up, options that do not match the answer type or duplicate codes stop the load with
the place of the error) and compares it with the stored versions of the model:
- identical to a stored version: nothing is written (running it again changes nothing);
- different, and the latest version is used by a penilaian: a new version is created
  (`<kode>-v2`, ...; domain.md: a used version never changes), default only if the old
  one was;
- different and unused (or new): the rows are upserted by their code, in place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import models, transaction

from lke.models import (
    OPSI_PER_JENIS,
    Area,
    AturanPredikat,
    Bagian,
    HasilItem,
    Indikator,
    InputNumerik,
    JenisAturan,
    JenisHasil,
    JenisJawaban,
    KebijakanPenyebutNol,
    KebijakanTanpaNilai,
    Komponen,
    ModelPenilaian,
    Opsi,
    OpsiHasil,
    PeranInput,
    Pertanyaan,
    Predikat,
    Rumus,
)

MODEL_ORDER = ("permenpanrb-90-2021", "permenpanrb-10-2019", "permenpanrb-52-2014")
# Older models reuse the questions of this model's Pemenuhan indikator (domain.md).
QUESTION_SOURCE_MODEL = "permenpanrb-90-2021"


class LoaderError(Exception):
    pass


def lke_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "lke"


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise LoaderError(f"{path}: {exc}") from exc


def _dec(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise LoaderError(f"{where}: bobot/nilai {value!r} bukan angka") from exc


# The numeric inputs each formula needs (scoring rule 2 of domain.md).
FORMULA_ROLES: dict[str, set[str]] = {
    Rumus.RASIO.value: {PeranInput.PEMBILANG.value, PeranInput.PENYEBUT.value},
    Rumus.PENURUNAN.value: {PeranInput.SEBELUMNYA.value, PeranInput.SEKARANG.value},
}


def _check_sum(children: list[Decimal], total: Decimal, where: str) -> None:
    if children and sum(children, Decimal(0)) != total:
        raise LoaderError(f"{where}: jumlah bobot anak {sum(children)} ≠ bobot {total}")


# Rows whose code a predikat rule may target.
_TARGET_MODELS = (Komponen, Bagian, Area, Indikator, Pertanyaan, HasilItem)


@dataclass
class _Seen:
    """The rows of one load; in a dry run (`dry`) only their signatures, nothing written."""

    dry: bool = False
    ids: dict[type[models.Model], set[int]] = field(default_factory=dict)
    rows: set[tuple[Any, ...]] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)

    def add(self, obj: models.Model) -> None:
        self.ids.setdefault(type(obj), set()).add(obj.pk)


def _upsert(cls: type[Any], seen: _Seen, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    if cls in _TARGET_MODELS:
        seen.codes.add(lookup["kode"])
    if seen.dry:
        obj = cls(**lookup, **values)
        seen.rows.add(_row_signature(obj))
        return obj
    obj, _created = cls.objects.update_or_create(**lookup, defaults=values)
    seen.add(obj)
    return obj


def _row_signature(row: models.Model) -> tuple[Any, ...]:
    """A tree row as comparable data: its fields, parents by code, not by id."""
    values: list[tuple[str, Any]] = []
    for f in row._meta.concrete_fields:
        if f.primary_key or f.name == "model":
            continue
        if f.is_relation:
            parent = getattr(row, f.name)
            value: Any = None if parent is None else parent.kode
        else:
            value = getattr(row, f.attname)
            if isinstance(value, Decimal):
                value = value.quantize(Decimal(1).scaleb(-f.decimal_places))  # type: ignore[attr-defined]
            elif isinstance(value, (list, dict)):  # JSON fields, e.g. turunan_dari
                value = json.dumps(value, sort_keys=True)
        values.append((f.name, value))
    return (type(row).__name__, *values)


_TREE_PARENTS: dict[type[models.Model], tuple[str, ...]] = {
    Komponen: (),
    Bagian: ("komponen",),
    Area: ("komponen", "bagian"),
    Indikator: ("area",),
    Pertanyaan: ("indikator",),
    InputNumerik: ("pertanyaan",),
    HasilItem: ("bagian",),
    AturanPredikat: (),
}


def _stored_signature(model: ModelPenilaian) -> set[tuple[Any, ...]]:
    rows: set[tuple[Any, ...]] = set()
    for cls, parents in _TREE_PARENTS.items():
        for row in cls._default_manager.filter(model=model).select_related(*parents):
            rows.add(_row_signature(row))
    for opsi in Opsi.objects.filter(pertanyaan__model=model).select_related("pertanyaan"):
        rows.add(_row_signature(opsi))
    for o in OpsiHasil.objects.filter(hasil_item__model=model).select_related("hasil_item"):
        rows.add(_row_signature(o))
    return rows


_HEADER_FIELDS = ("versi", "nama", "dasar_hukum", "catatan")
# What describes a version without changing its worksheet (see lke.versions).
DESCRIPTIVE_FIELDS = ("nama", "dasar_hukum", "catatan")


def _header(data: dict[str, Any], number: int) -> dict[str, str]:
    """The fixture's ModelPenilaian fields for version `number` of its family."""
    versi = str(data["versi"])
    return {
        "versi": versi if number == 1 else f"{versi} (v{number})",
        "nama": data["nama"],
        "dasar_hukum": data["dasar_hukum"],
        "catatan": data.get("catatan", ""),
    }


@dataclass(frozen=True)
class LoadOutcome:
    """What one fixture did: `tetap` (identical), `keterangan` (only the name, legal basis
    or note changed), `baru`, `diperbarui` or `versi_baru`."""

    model: ModelPenilaian
    aksi: str
    dari: ModelPenilaian | None = None

    def describe(self) -> str:
        if self.aksi == "versi_baru":
            assert self.dari is not None
            return (
                f"{self.model.kode}: versi baru dibuat karena {self.dari.kode} sudah dipakai "
                f"penilaian dan berkasnya berubah"
                + (" (kini model bawaan)" if self.model.bawaan else "")
            )
        return {
            "tetap": f"{self.model.kode}: tidak berubah",
            "baru": f"{self.model.kode}: dimuat",
            "diperbarui": f"{self.model.kode}: diperbarui (belum dipakai penilaian)",
            "keterangan": f"{self.model.kode}: nama/dasar hukum diperbarui, LKE tidak berubah",
        }[self.aksi]


def expand_includes(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """Inline `area_dari` and `bagian_dari` file references (see fixtures/README.md)."""
    for komponen in data.get("komponen", []):
        if "bagian_dari" in komponen:
            komponen["bagian"] = read_yaml(base / komponen.pop("bagian_dari"))["bagian"]
        for bagian in komponen.get("bagian", []):
            if "area_dari" in bagian:
                bagian["area"] = [
                    area
                    for name in bagian.pop("area_dari")
                    for area in read_yaml(base / name)["area"]
                ]
    return data


def iter_model_files() -> Iterator[Path]:
    for code in MODEL_ORDER:
        yield lke_dir() / f"{code}.yaml"


def lke_models_load_all() -> list[ModelPenilaian]:
    return [outcome.model for outcome in lke_models_load_all_outcomes()]


def lke_models_load_all_outcomes() -> list[LoadOutcome]:
    return [lke_model_load_outcome(path=path) for path in iter_model_files()]


def lke_model_load(*, path: Path) -> ModelPenilaian:
    """Create, update or version the model described by `path`; return the version."""
    return lke_model_load_outcome(path=path).model


@transaction.atomic
def lke_model_load_outcome(*, path: Path) -> LoadOutcome:
    """Load `path` (see the module docstring) and say what was done.

    Rows of an unused model that the file no longer contains are deleted, which fails
    (and rolls everything back) when answers or evidence still refer to them.
    """
    from lke.versions import model_in_use, next_version_kode, version_family, version_number

    data = expand_includes(read_yaml(path), path.parent)
    kode = data["kode"]
    dry = _Seen(dry=True)
    _load_tree(ModelPenilaian(kode=kode, **_header(data, 1)), data, dry)
    family = version_family(kode)
    for stored in family:
        if _stored_signature(stored) != dry.rows:
            continue
        header = _header(data, version_number(stored))
        changed = {k: v for k, v in header.items() if getattr(stored, k) != v}
        if not changed:
            return LoadOutcome(stored, "tetap")
        if set(changed) <= set(DESCRIPTIVE_FIELDS):
            # The same worksheet under a corrected name or legal basis (e.g. 90/2021 "as
            # amended by 5/2024"): no score can move, so the version is described anew.
            for k, v in changed.items():
                setattr(stored, k, v)
            stored.save(update_fields=[*changed, "updated_at"])
            return LoadOutcome(stored, "keterangan")
    latest = family[-1] if family else None
    if latest is None or not model_in_use(latest):
        number = 1 if latest is None else version_number(latest)
        model_kode = kode if latest is None else latest.kode
        bawaan = bool(data.get("bawaan", False))
        outcome = "baru" if latest is None else "diperbarui"
    else:
        model_kode, number = next_version_kode(kode)
        bawaan = latest.bawaan
        outcome = "versi_baru"
    model: ModelPenilaian = _upsert(
        ModelPenilaian, _Seen(), {"kode": model_kode}, {**_header(data, number), "bawaan": bawaan}
    )
    if model.bawaan:
        ModelPenilaian.objects.exclude(pk=model.pk).update(bawaan=False)
    _load_tree(model, data, _Seen())
    return LoadOutcome(model, outcome, latest if outcome == "versi_baru" else None)


def _load_tree(model: ModelPenilaian, data: dict[str, Any], seen: _Seen) -> None:
    """Check and write (or, when `seen.dry`, only check and describe) the model's tree."""
    kode = model.kode
    komponen_bobot: list[Decimal] = []
    for k_index, k in enumerate(data["komponen"]):
        k_code = k["kode"]
        bobot = _dec(k["bobot"], f"{kode} {k_code}")
        komponen_bobot.append(bobot)
        komponen = _upsert(
            Komponen,
            seen,
            {"model": model, "kode": k_code},
            {"nama": k["nama"], "bobot": bobot, "urutan": k_index},
        )
        if "area" in k:
            bobot_area = _load_areas(model, komponen, None, k["area"], k_code, seen)
            _check_sum(bobot_area, bobot, f"{kode} {k_code}")
            continue
        bagian_bobot: list[Decimal] = []
        for b_index, b in enumerate(k.get("bagian", [])):
            b_code = f"{k_code}.{b['kode']}"
            b_bobot = _dec(b["bobot"], f"{kode} {b_code}")
            bagian_bobot.append(b_bobot)
            bagian = _upsert(
                Bagian,
                seen,
                {"model": model, "kode": b_code},
                {
                    "komponen": komponen,
                    "nomor": b["kode"],
                    "nama": b["nama"],
                    "bobot": b_bobot,
                    "urutan": b_index,
                },
            )
            if "area" in b:
                children = _load_areas(model, komponen, bagian, b["area"], b_code, seen)
            else:
                children = _load_hasil(model, bagian, b.get("hasil", []), b_code, seen)
            _check_sum(children, b_bobot, f"{kode} {b_code}")
        _check_sum(bagian_bobot, bobot, f"{kode} {k_code}")
    _check_sum(komponen_bobot, Decimal(100), kode)
    _load_rules(model, data.get("predikat", []), seen)
    if not seen.dry:
        _delete_stale(model, seen)


def _load_areas(
    model: ModelPenilaian,
    komponen: Komponen,
    bagian: Bagian | None,
    areas: list[dict[str, Any]],
    parent_code: str,
    seen: _Seen,
) -> list[Decimal]:
    weights = []
    for a_index, a in enumerate(areas):
        a_code = f"{parent_code}.{a['nomor']}"
        a_bobot = _dec(a["bobot"], f"{model.kode} {a_code}")
        weights.append(a_bobot)
        area = _upsert(
            Area,
            seen,
            {"model": model, "kode": a_code},
            {
                "komponen": komponen,
                "bagian": bagian,
                "nomor": int(a["nomor"]),
                "nama": a["nama"],
                "bobot": a_bobot,
                "urutan": a_index,
            },
        )
        i_weights = []
        for i_index, i in enumerate(a["indikator"]):
            i_code = f"{a_code}.{i['kode']}"
            i_bobot = _dec(i["bobot"], f"{model.kode} {i_code}")
            i_weights.append(i_bobot)
            indikator = _upsert(
                Indikator,
                seen,
                {"model": model, "kode": i_code},
                {
                    "area": area,
                    "nomor": i["kode"],
                    "nama": i["nama"],
                    "bobot": i_bobot,
                    "urutan": i_index,
                    "sumber_pertanyaan": i.get("sumber_pertanyaan", ""),
                    "catatan": i.get("catatan") or "",
                    "kebijakan_tanpa_nilai": _choice(
                        i.get("kebijakan_tanpa_nilai"),
                        KebijakanTanpaNilai,
                        f"{model.kode} {i_code}: kebijakan_tanpa_nilai",
                    ),
                },
            )
            questions = i.get("pertanyaan")
            if questions is None:
                questions = _source_questions(i.get("sumber_pertanyaan", ""), i_code)
            if not questions:
                raise LoaderError(f"{model.kode} {i_code}: indikator tanpa pertanyaan")
            _load_questions(model, indikator, questions, seen)
        _check_sum(i_weights, a_bobot, f"{model.kode} {a_code}")
    return weights


def _source_questions(source_code: str, where: str) -> list[dict[str, Any]]:
    """The questions of a 90/2021 indikator, in the YAML shape, for an older model."""
    if not source_code:
        return []
    source = (
        Indikator.objects.filter(model__kode=QUESTION_SOURCE_MODEL, kode=source_code)
        .prefetch_related("pertanyaan__opsi", "pertanyaan__input")
        .first()
    )
    if source is None:
        raise LoaderError(
            f"{where}: sumber pertanyaan {QUESTION_SOURCE_MODEL} {source_code} belum dimuat"
        )
    return [
        {
            "kode": q.huruf,
            "teks": q.teks,
            "jenis": q.jenis,
            "rumus": q.rumus or None,
            "penjelasan": q.penjelasan,
            "opsi": [{"huruf": o.huruf, "penjelasan": o.penjelasan} for o in q.opsi.all()],
            "kebijakan_penyebut_nol": q.kebijakan_penyebut_nol,
            "input": [
                {
                    "teks": n.teks,
                    "peran": n.peran,
                    "turunan_dari": [int(c.rsplit(".", 1)[1]) for c in n.turunan_dari],
                }
                for n in q.input.all()
            ],
        }
        for q in source.pertanyaan.all()
    ]


def _load_questions(
    model: ModelPenilaian, indikator: Indikator, questions: list[dict[str, Any]], seen: _Seen
) -> None:
    for q_index, q in enumerate(questions):
        q_code = f"{indikator.kode}.{q['kode']}"
        where = f"{model.kode} {q_code}"
        jenis = q["jenis"]
        if jenis not in JenisJawaban.values:
            raise LoaderError(f"{where}: jenis jawaban {jenis!r} tidak dikenal")
        rumus = q.get("rumus") or ""
        if (jenis == JenisJawaban.PERSEN) != bool(rumus) or (rumus and rumus not in Rumus.values):
            raise LoaderError(f"{where}: rumus {rumus!r} tidak sesuai dengan jenis {jenis}")
        letters = tuple(str(o["huruf"]) for o in q.get("opsi", []))
        if letters != OPSI_PER_JENIS[jenis]:
            raise LoaderError(f"{where}: opsi {letters} tidak sesuai dengan jenis {jenis}")
        inputs = q.get("input", [])
        if jenis == JenisJawaban.PERSEN and len(inputs) < 2:
            raise LoaderError(f"{where}: pertanyaan % memerlukan minimal dua isian angka")
        if jenis != JenisJawaban.PERSEN and inputs:
            raise LoaderError(f"{where}: isian angka hanya untuk pertanyaan %")
        roles = {n.get("peran") for n in inputs}
        if rumus and not FORMULA_ROLES[rumus] <= roles:
            raise LoaderError(
                f"{where}: rumus {rumus} memerlukan isian {sorted(FORMULA_ROLES[rumus])}"
            )
        pertanyaan = _upsert(
            Pertanyaan,
            seen,
            {"model": model, "kode": q_code},
            {
                "indikator": indikator,
                "huruf": q["kode"],
                "teks": q["teks"],
                "jenis": jenis,
                "rumus": rumus,
                "penjelasan": q.get("penjelasan") or "",
                "urutan": q_index,
                "kebijakan_penyebut_nol": _choice(
                    q.get("kebijakan_penyebut_nol"),
                    KebijakanPenyebutNol,
                    f"{where}: kebijakan_penyebut_nol",
                ),
            },
        )
        for o_index, o in enumerate(q.get("opsi", [])):
            _upsert(
                Opsi,
                seen,
                {"pertanyaan": pertanyaan, "huruf": str(o["huruf"])},
                {"penjelasan": o.get("penjelasan") or "", "urutan": o_index},
            )
        for n_index, n in enumerate(inputs, start=1):
            if n["peran"] not in PeranInput.values:
                raise LoaderError(f"{where}.{n_index}: peran {n['peran']!r} tidak dikenal")
            parts = _turunan_dari(n, n_index, inputs, f"{where}.{n_index}")
            _upsert(
                InputNumerik,
                seen,
                {"model": model, "kode": f"{q_code}.{n_index}"},
                {
                    "pertanyaan": pertanyaan,
                    "teks": n["teks"],
                    "peran": n["peran"],
                    "urutan": n_index,
                    "turunan_dari": [f"{q_code}.{i}" for i in parts],
                },
            )


def _choice(raw: Any, choices: type[models.TextChoices], where: str) -> str:
    """A policy value from the YAML (default: the first choice, today's behaviour)."""
    if raw is None or raw == "":
        return str(choices.values[0])
    if raw not in choices.values:
        raise LoaderError(f"{where} {raw!r} tidak dikenal (pilihan: {', '.join(choices.values)})")
    return str(raw)


def _turunan_dari(
    n: dict[str, Any], n_index: int, inputs: list[dict[str, Any]], where: str
) -> list[int]:
    """Row numbers (1-based, in the question) a derived input sums; checked."""
    parts = n.get("turunan_dari") or []
    if not parts:
        return []
    if not isinstance(parts, list) or not all(isinstance(i, int) for i in parts):
        raise LoaderError(f"{where}: turunan_dari harus daftar nomor isian")
    for i in parts:
        if i == n_index or not 1 <= i <= len(inputs):
            raise LoaderError(f"{where}: turunan_dari {i} bukan isian lain pertanyaan ini")
        if inputs[i - 1].get("turunan_dari"):
            raise LoaderError(f"{where}: turunan_dari {i} sendiri isian turunan")
    return list(parts)


def _load_hasil(
    model: ModelPenilaian,
    bagian: Bagian,
    items: list[dict[str, Any]],
    parent_code: str,
    seen: _Seen,
) -> list[Decimal]:
    weights = []
    for h_index, h in enumerate(items):
        h_code = f"{parent_code}.{h['kode']}"
        if h["jenis"] not in JenisHasil.values:
            raise LoaderError(f"{model.kode} {h_code}: jenis hasil {h['jenis']!r} tidak dikenal")
        h_bobot = _dec(h["bobot"], f"{model.kode} {h_code}")
        weights.append(h_bobot)
        item = _upsert(
            HasilItem,
            seen,
            {"model": model, "kode": h_code},
            {
                "bagian": bagian,
                "huruf": h["kode"],
                "nama": h["nama"],
                "bobot": h_bobot,
                "jenis": h["jenis"],
                "penjelasan": h.get("penjelasan") or "",
                "urutan": h_index,
            },
        )
        letters = tuple(str(o["huruf"]) for o in h.get("opsi") or [])
        expected = OPSI_PER_JENIS[JenisJawaban.ABCDE] if h["jenis"] == JenisHasil.CAPAIAN else ()
        if letters != expected:
            raise LoaderError(
                f"{model.kode} {h_code}: opsi {letters} tidak sesuai jenis {h['jenis']}"
            )
        for o_index, o in enumerate(h.get("opsi") or []):
            _upsert(
                OpsiHasil,
                seen,
                {"hasil_item": item, "huruf": str(o["huruf"])},
                {"penjelasan": o.get("penjelasan") or "", "urutan": o_index},
            )
    return weights


def _load_rules(model: ModelPenilaian, predikat: list[dict[str, Any]], seen: _Seen) -> None:
    codes = seen.codes
    for p in predikat:
        if p["kode"] not in Predikat.values:
            raise LoaderError(f"{model.kode}: predikat {p['kode']!r} tidak dikenal")
        for r_index, r in enumerate(p["aturan"]):
            jenis = r["jenis"]
            where = f"{model.kode} {p['kode']} aturan {r_index + 1}"
            if jenis not in JenisAturan.values:
                raise LoaderError(f"{where}: jenis {jenis!r} tidak dikenal")
            target = r.get("target", "") or ""
            minimum = r.get("minimum")
            if minimum is None and jenis != JenisAturan.PREDIKAT_SEBELUMNYA:
                raise LoaderError(f"{where}: aturan {jenis} memerlukan minimum")
            if not target and jenis in (JenisAturan.UNSUR, JenisAturan.PREDIKAT_SEBELUMNYA):
                raise LoaderError(f"{where}: aturan {jenis} memerlukan target")
            if jenis == JenisAturan.UNSUR and target not in codes:
                raise LoaderError(f"{where}: target {target!r} tidak ada dalam model")
            terverifikasi = r.get("terverifikasi", True)
            if not isinstance(terverifikasi, bool):
                raise LoaderError(f"{where}: terverifikasi {terverifikasi!r} bukan true/false")
            _upsert(
                AturanPredikat,
                seen,
                {"model": model, "predikat": p["kode"], "urutan": r_index},
                {
                    "jenis": jenis,
                    "label": r["label"],
                    "target": target,
                    "minimum": None if minimum is None else _dec(minimum, where),
                    "terverifikasi": terverifikasi,
                    "catatan": r.get("catatan") or "",
                },
            )


def _delete_stale(model: ModelPenilaian, seen: _Seen) -> None:
    # Children first, so PROTECT on answers and evidence reports the real culprit.
    AturanPredikat.objects.filter(model=model).exclude(
        pk__in=seen.ids.get(AturanPredikat, set())
    ).delete()
    OpsiHasil.objects.filter(hasil_item__model=model).exclude(
        pk__in=seen.ids.get(OpsiHasil, set())
    ).delete()
    Opsi.objects.filter(pertanyaan__model=model).exclude(pk__in=seen.ids.get(Opsi, set())).delete()
    for cls in (InputNumerik, Pertanyaan, HasilItem, Indikator, Area, Bagian, Komponen):
        stale = cls.objects.filter(model=model).exclude(pk__in=seen.ids.get(cls, set()))
        stale.delete()
