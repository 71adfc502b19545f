"""The database side of scoring: build engine inputs from rows, score, serialise.

`scoring.engine` stays pure; this module is the only place that turns ORM rows into
its `ModelSpec` / `AnswerSet` and back into JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lke.models import (
    Area,
    AturanPredikat,
    Bagian,
    HasilItem,
    Indikator,
    InputNumerik,
    KebijakanPenyebutNol,
    KebijakanTanpaNilai,
    Komponen,
    ModelPenilaian,
    Penilaian,
    Pertanyaan,
    StatusPenilaian,
)
from scoring.engine import (
    AnswerSet,
    AnswerType,
    AreaSpec,
    BagianSpec,
    EmptyPolicy,
    HasilGroupSpec,
    HasilItemSpec,
    HasilKind,
    IndikatorSpec,
    InputRole,
    InputSpec,
    ModelSpec,
    QuestionSpec,
    RuleKind,
    RuleSpec,
    ScoreReport,
    ZeroPolicy,
    score,
)
from scoring.models import Jawaban, JawabanHasil, SetJawaban, SnapshotSkor
from units.access import UnitAccess
from units.audit import diff, riwayat_record
from units.models import Riwayat
from units.predikat import predikat_held

PREDIKAT_ORDER = ("WBK", "WBBM")


# Tree rows whose changes make a cached ModelSpec stale (see model_tree_touch).
TREE_MODELS = (
    Komponen,
    Bagian,
    Area,
    Indikator,
    Pertanyaan,
    InputNumerik,
    HasilItem,
    AturanPredikat,
)
_SPEC_CACHE: dict[int, tuple[dt.datetime | None, ModelSpec]] = {}


def model_tree_touch(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """A row of a model's tree was saved or deleted: move the model's `updated_at`.

    Connected to post_save/post_delete of TREE_MODELS (scoring.apps); the model spec
    cache of every process compares that stamp.
    """
    ModelPenilaian.objects.filter(pk=instance.model_id).update(updated_at=timezone.now())


def model_spec(model: ModelPenilaian) -> ModelSpec:
    """The engine's view of a model, cached per process while the model is unchanged.

    One query checks the model's `updated_at` (moved by any change of its tree, see
    `model_tree_touch`); the tree itself is read only when that stamp has moved.
    """
    stamp = ModelPenilaian.objects.filter(pk=model.pk).values_list("updated_at", flat=True).first()
    cached = _SPEC_CACHE.get(model.pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    spec = _model_spec(model)
    _SPEC_CACHE[model.pk] = (stamp, spec)
    return spec


def _model_spec(model: ModelPenilaian) -> ModelSpec:
    """The engine's view of a model: its whole tree in a handful of queries."""
    inputs: dict[int, list[InputSpec]] = defaultdict(list)
    for n in InputNumerik.objects.filter(model=model).order_by("urutan"):
        inputs[n.pertanyaan_id].append(
            InputSpec(n.kode, n.teks, cast(InputRole, n.peran), tuple(n.turunan_dari))
        )
    questions: dict[int, list[QuestionSpec]] = defaultdict(list)
    for q in Pertanyaan.objects.filter(model=model).order_by("urutan"):
        questions[q.indikator_id].append(
            QuestionSpec(
                code=q.kode,
                label=q.teks,
                answer_type=cast(AnswerType, q.jenis),
                formula=cast(Any, q.rumus or None),
                inputs=tuple(inputs[q.pk]),
                zero_policy=cast(ZeroPolicy, q.kebijakan_penyebut_nol),
            )
        )
    indikator: dict[int, list[IndikatorSpec]] = defaultdict(list)
    for i in Indikator.objects.filter(model=model).order_by("urutan"):
        indikator[i.area_id].append(
            IndikatorSpec(
                i.kode,
                i.nama,
                i.bobot,
                tuple(questions[i.pk]),
                cast(EmptyPolicy, i.kebijakan_tanpa_nilai),
            )
        )
    areas_by_bagian: dict[int | None, list[AreaSpec]] = defaultdict(list)
    for a in Area.objects.filter(model=model).order_by("urutan"):
        areas_by_bagian[a.bagian_id].append(
            AreaSpec(a.kode, a.nomor, a.nama, a.bobot, tuple(indikator[a.pk]))
        )
    items: dict[int, list[HasilItemSpec]] = defaultdict(list)
    for h in HasilItem.objects.filter(model=model).order_by("urutan"):
        items[h.bagian_id].append(HasilItemSpec(h.kode, h.nama, h.bobot, cast(HasilKind, h.jenis)))
    bagian: list[BagianSpec] = []
    groups: list[HasilGroupSpec] = []
    pengungkit_bobot = hasil_bobot = Decimal(0)
    for b in Bagian.objects.filter(model=model).select_related("komponen").order_by("urutan"):
        if b.pk in items:
            groups.append(HasilGroupSpec(b.kode, b.nama, b.bobot, tuple(items[b.pk])))
            hasil_bobot = b.komponen.bobot
        else:
            bagian.append(BagianSpec(b.kode, b.nama, b.bobot, tuple(areas_by_bagian[b.pk])))
            pengungkit_bobot = b.komponen.bobot
    direct_areas = tuple(areas_by_bagian[None])
    if direct_areas:
        pengungkit_bobot = sum((a.bobot for a in direct_areas), Decimal(0))
    rules = tuple(
        RuleSpec(
            predikat=r.predikat,
            kind=cast(RuleKind, r.jenis),
            label=r.label,
            minimum=r.minimum,
            target=r.target or None,
        )
        for r in sorted(
            AturanPredikat.objects.filter(model=model),
            key=lambda r: (PREDIKAT_ORDER.index(r.predikat), r.urutan),
        )
    )
    return ModelSpec(
        code=model.kode,
        pengungkit_bobot=pengungkit_bobot,
        bagian=tuple(bagian),
        areas=direct_areas,
        hasil_bobot=hasil_bobot,
        hasil_groups=tuple(groups),
        rules=rules,
    )


def _decimal(raw: object) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None


def answer_set(penilaian: Penilaian, set_: str) -> AnswerSet:
    """One answer set of a penilaian, in the engine's terms (two queries)."""
    options: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for opsi, angka, kode in Jawaban.objects.filter(penilaian=penilaian, set=set_).values_list(
        "opsi", "angka", "pertanyaan__kode"
    ):
        if opsi:
            options[kode] = opsi
        for input_code, raw in (angka or {}).items():
            value = _decimal(raw)
            if value is not None:
                numbers[input_code] = value
    hasil: dict[str, Decimal | str] = {}
    for nilai, opsi, kode in JawabanHasil.objects.filter(penilaian=penilaian, set=set_).values_list(
        "nilai", "opsi", "hasil_item__kode"
    ):
        if opsi:
            hasil[kode] = opsi
        elif nilai is not None:
            hasil[kode] = nilai
    return AnswerSet(
        options=options,
        numbers=numbers,
        hasil=hasil,
        held_predikat=predikat_held(penilaian.unit, penilaian.tahun),
    )


def penilaian_score(penilaian: Penilaian, set_: str = SetJawaban.TPI) -> ScoreReport:
    return score(model_spec(penilaian.model), answer_set(penilaian, set_))


def _num(value: Decimal | str | None) -> float | str | None:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _node(node: Any) -> dict[str, Any]:
    return {
        "code": node.code,
        "label": node.label,
        "bobot": float(node.bobot),
        "nilai": float(node.nilai),
        "persen": None if node.persen is None else float(node.persen),
    }


def policy_text(policy: str | None) -> str:
    """The words of a zero-denominator / empty-indikator policy (shown to users)."""
    for choices in (KebijakanPenyebutNol, KebijakanTanpaNilai):
        if policy in choices.values:
            return str(choices(policy).label)
    return ""


def policies_applied(report: ScoreReport) -> list[dict[str, Any]]:
    """Questions "tidak dapat dihitung" and indikator without a computable question, each
    with the model's policy that was applied (domain.md Scoring rule 9)."""
    rows: list[dict[str, Any]] = [
        {
            "code": q.code,
            "label": q.label,
            "level": "pertanyaan",
            "policy": q.policy,
            "text": policy_text(q.policy),
        }
        for q in report.questions
        if q.status == "tidak dapat dihitung"
    ]
    rows += [
        {
            "code": i.code,
            "label": i.label,
            "level": "indikator",
            "policy": i.policy,
            "text": policy_text(i.policy),
        }
        for i in report.indikator
        if i.policy is not None
    ]
    return rows


def report_json(report: ScoreReport, *, penilaian: Penilaian, by: str) -> dict[str, Any]:
    """The JSON shape of `lke_score --json` (numbers unrounded)."""
    return {
        "unit": penilaian.unit.slug,
        "year": penilaian.tahun,
        "model": report.model_code,
        "by": by,
        "total": float(report.total.nilai),
        "pengungkit": float(report.pengungkit.nilai),
        "hasil": float(report.hasil.nilai),
        "completeness": {
            "answered": report.completeness.answered,
            "total": report.completeness.total,
            "persen": _num(report.completeness.persen),
            "hasil_answered": report.completeness.hasil_answered,
            "hasil_total": report.completeness.hasil_total,
        },
        "verdict": report.verdict,
        "bagian": [_node(b) for b in report.bagian],
        "areas": [_node(a) for a in report.areas],
        "combined_areas": [_node(a) for a in report.combined_areas],
        "indikator": [_node(i) for i in report.indikator],
        "hasil_groups": [_node(g) for g in report.hasil_groups],
        "hasil_items": [_node(h) for h in report.hasil_items],
        "tidak_dapat_dihitung": policies_applied(report),
        "rules": [
            {
                "predikat": r.predikat,
                "rule": r.label,
                "kind": r.kind,
                "target": r.target,
                "required": _num(r.required),
                "actual": _num(r.actual),
                "passed": r.passed,
            }
            for r in report.rules
        ],
    }


class JawabanTidakValid(ValueError):
    """An answer that cannot be stored; the message (in the active language) is shown to
    the user."""


class KonflikVersi(Exception):
    """Someone saved this answer since the user loaded it (optimistic locking)."""

    def __init__(self, current: Jawaban | JawabanHasil) -> None:
        super().__init__("Jawaban ini telah diubah oleh pengguna lain.")
        self.current = current


MAX_ANGKA = Decimal("1000000000")


def refuse_typed_totals(pertanyaan: Pertanyaan, raw: dict[str, Any]) -> None:
    """A derived total (domain.md Scoring rule 8) is computed, never typed: refuse a value."""
    for n in pertanyaan.input.all():
        value = raw.get(n.kode)
        if n.turunan_dari and value is not None and str(value).strip() != "":
            raise JawabanTidakValid(
                _(
                    "%(label)s dihitung otomatis dari jumlah baris di bawahnya; jangan diisi. "
                    "Isi baris rinciannya saja."
                )
                % {"label": n.teks}
            )


def clean_angka(pertanyaan: Pertanyaan, raw: dict[str, Any]) -> dict[str, str]:
    """Validate the numeric inputs of a % question; return them as decimal strings.

    Empty inputs are left out (the question is then partly answered, i.e. unanswered).
    """
    allowed = {n.kode: n.teks for n in pertanyaan.input.all()}
    unknown = set(raw) - set(allowed)
    if unknown:
        raise JawabanTidakValid(
            _("Isian %(isian)s bukan bagian dari pertanyaan %(kode)s.")
            % {"isian": ", ".join(sorted(unknown)), "kode": pertanyaan.kode}
        )
    refuse_typed_totals(pertanyaan, raw)
    cleaned: dict[str, str] = {}
    for kode, value in raw.items():
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue
        label = allowed[kode]
        if isinstance(value, bool):
            raise JawabanTidakValid(
                _("%(label)s: “%(isi)s” bukan angka.") % {"label": label, "isi": value}
            )
        if isinstance(value, float):
            if not value.is_integer():
                raise JawabanTidakValid(
                    _("%(label)s: isi dengan bilangan bulat (jumlah).") % {"label": label}
                )
            value = int(value)
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("-") and text[1:].isdigit():
                raise JawabanTidakValid(
                    _("%(label)s: jumlah tidak boleh negatif.") % {"label": label}
                )
            # Counts are whole numbers; "1.000" could mean 1 or 1000, so separators are refused.
            if not text.isdigit() or not text.isascii():
                raise JawabanTidakValid(
                    _(
                        "%(label)s: “%(isi)s” bukan bilangan bulat; tulis angka tanpa titik "
                        "atau koma."
                    )
                    % {"label": label, "isi": value}
                )
            value = int(text)
        number = _decimal(value)
        if number is None or not number.is_finite():
            raise JawabanTidakValid(
                _("%(label)s: “%(isi)s” bukan angka.") % {"label": label, "isi": value}
            )
        if number < 0:
            raise JawabanTidakValid(_("%(label)s: jumlah tidak boleh negatif.") % {"label": label})
        if number > MAX_ANGKA:
            raise JawabanTidakValid(_("%(label)s: angka terlalu besar.") % {"label": label})
        if number != number.to_integral_value():
            raise JawabanTidakValid(
                _("%(label)s: isi dengan bilangan bulat (jumlah).") % {"label": label}
            )
        cleaned[kode] = str(number.quantize(Decimal(1)))
    return cleaned


def jawaban_save(
    *,
    penilaian: Penilaian,
    set_: str,
    pertanyaan: Pertanyaan,
    opsi: str = "",
    angka: dict[str, Any] | None = None,
    catatan: str = "",
    user: Any,
    expected_versi: int | None = None,
    access: UnitAccess | None = None,
    returned: set[int] | None = None,
) -> Jawaban:
    """Store one answer of one set, with its history, refusing stale overwrites.

    `expected_versi` is the version the user's form was built from (None: no check).
    The workflow decides whether the answer may change now (`scoring.workflow`): the
    status of the penilaian, the returned items and, when `access` is given, the user's
    permission and areas. Raises `JawabanTidakValid` or `KonflikVersi`; writes nothing then.
    """
    from scoring.rekap import rekap_invalidate
    from scoring.workflow import answer_refusal

    if set_ not in SetJawaban.values:
        raise JawabanTidakValid(_("Set jawaban %(set)r tidak dikenal.") % {"set": set_})
    if pertanyaan.model_id != penilaian.model_id:
        raise JawabanTidakValid(_("Pertanyaan ini bukan bagian dari model penilaian tersebut."))
    opsi = (opsi or "").strip()
    if pertanyaan.jenis == "persen":
        if opsi:
            raise JawabanTidakValid(
                _("Pertanyaan %(kode)s dijawab dengan angka, bukan opsi.")
                % {"kode": pertanyaan.kode}
            )
        cleaned = clean_angka(pertanyaan, angka or {})
    else:
        if angka:
            raise JawabanTidakValid(
                _("Pertanyaan %(kode)s dijawab dengan opsi, bukan angka.")
                % {"kode": pertanyaan.kode}
            )
        match = {p.lower(): p for p in pertanyaan.pilihan}
        if opsi and opsi.lower() not in match:
            raise JawabanTidakValid(
                _("“%(opsi)s” bukan pilihan jawaban pertanyaan %(kode)s (%(pilihan)s).")
                % {"opsi": opsi, "kode": pertanyaan.kode, "pilihan": "/".join(pertanyaan.pilihan)}
            )
        opsi = match.get(opsi.lower(), "")
        cleaned = {}
    catatan = (catatan or "").strip()
    if len(catatan) > 5000:
        raise JawabanTidakValid(_("Catatan terlalu panjang (maksimal 5.000 karakter)."))
    with transaction.atomic():
        penilaian.refresh_from_db(fields=["status"])
        refusal = answer_refusal(access, penilaian, set_, pertanyaan, returned=returned)
        if refusal:
            raise JawabanTidakValid(refusal)
        current = (
            Jawaban.objects.select_for_update()
            .filter(penilaian=penilaian, set=set_, pertanyaan=pertanyaan)
            .first()
        )
        if current is not None and expected_versi is not None and current.versi != expected_versi:
            raise KonflikVersi(current)
        if current is None and expected_versi not in (None, 0):
            raise KonflikVersi(Jawaban(penilaian=penilaian, set=set_, pertanyaan=pertanyaan))
        old = (
            {"opsi": current.opsi, "angka": current.angka, "catatan": current.catatan}
            if current
            else {}
        )
        new = {"opsi": opsi, "angka": cleaned, "catatan": catatan}
        changes = diff(old, new)
        if current is None:
            current = Jawaban(penilaian=penilaian, set=set_, pertanyaan=pertanyaan)
        elif not changes:
            return current
        current.opsi, current.angka, current.catatan = opsi, cleaned, catatan
        current.diubah_oleh = user if getattr(user, "is_authenticated", False) else None
        current.versi = (current.versi or 0) + 1 if current.pk else 1
        if current.pk:
            current.save()
        else:
            # select_for_update() locks nothing while no row exists: two first saves can
            # race. The loser's insert hits the unique constraint; it becomes a conflict.
            try:
                with transaction.atomic():
                    current.save()
            except IntegrityError:
                raise KonflikVersi(
                    Jawaban.objects.get(penilaian=penilaian, set=set_, pertanyaan=pertanyaan)
                ) from None
        riwayat_record(
            user=user,
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            objek=f"jawaban_{set_}",
            objek_id=current.pk,
            kode=pertanyaan.kode,
            aksi=Riwayat.Aksi.BUAT if current.versi == 1 else Riwayat.Aksi.UBAH,
            perubahan=changes,
        )
        rekap_invalidate(penilaian.pk)
    return current


def jawaban_hasil_save(
    *,
    penilaian: Penilaian,
    set_: str,
    hasil_item: HasilItem,
    value: str,
    catatan: str = "",
    user: Any,
    access: UnitAccess | None = None,
    saran: tuple[str, str] | None = None,
) -> JawabanHasil:
    """Store a hasil input (index 0-4, TLHP 0-100, or capaian letter A-E) with history.

    The TPI's hasil change only in reviu TPI, the mandiri hasil only in pengisian.
    `saran` is the portal's suggestion for a capaian item (letter or "", its reasons)
    as shown beside the input: recorded with the choice, never replacing it.
    """
    from scoring.rekap import rekap_invalidate
    from scoring.workflow import hasil_refusal

    if set_ not in SetJawaban.values:
        raise JawabanTidakValid(_("Set jawaban %(set)r tidak dikenal.") % {"set": set_})
    if hasil_item.model_id != penilaian.model_id:
        raise JawabanTidakValid(_("Unsur hasil ini bukan bagian dari model penilaian tersebut."))
    text = (value or "").strip()
    opsi, nilai = "", None
    if hasil_item.jenis == "capaian":
        if text and text.upper() not in {"A", "B", "C", "D", "E"}:
            raise JawabanTidakValid(
                _("%(unsur)s: pilih A, B, C, D atau E.") % {"unsur": hasil_item.nama}
            )
        opsi = text.upper()
    elif text:
        nilai = _decimal(text.replace(",", "."))
        limit = Decimal(4) if hasil_item.jenis == "indeks" else Decimal(100)
        if nilai is None or not nilai.is_finite():
            raise JawabanTidakValid(
                _("%(unsur)s: “%(isi)s” bukan angka.") % {"unsur": hasil_item.nama, "isi": value}
            )
        if not Decimal(0) <= nilai <= limit:
            raise JawabanTidakValid(
                _("%(unsur)s: nilai harus antara 0 dan %(batas)s.")
                % {"unsur": hasil_item.nama, "batas": limit}
            )
        if nilai.as_tuple().exponent < -4:  # type: ignore[operator]
            raise JawabanTidakValid(
                _("%(unsur)s: maksimal empat angka desimal.") % {"unsur": hasil_item.nama}
            )
    with transaction.atomic():
        penilaian.refresh_from_db(fields=["status"])
        refusal = hasil_refusal(access, penilaian, set_)
        if refusal:
            raise JawabanTidakValid(refusal)
        current, created = JawabanHasil.objects.select_for_update().get_or_create(
            penilaian=penilaian, set=set_, hasil_item=hasil_item
        )
        old = (
            {}
            if created
            else {"nilai": current.nilai, "opsi": current.opsi, "catatan": current.catatan}
        )
        new = {"nilai": nilai, "opsi": opsi, "catatan": catatan.strip()}
        changes = diff(old, new)
        if saran is not None and hasil_item.jenis == "capaian":
            current.saran_opsi, current.saran_alasan = saran[0][:2], saran[1]
            if changes:  # the suggestion the choice was made beside
                changes["saran_portal"] = ["", saran[0] or "-"]
        current.nilai, current.opsi, current.catatan = nilai, opsi, catatan.strip()
        current.diubah_oleh = user if getattr(user, "is_authenticated", False) else None
        current.save()
        riwayat_record(
            user=user,
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            objek=f"hasil_{set_}",
            objek_id=current.pk,
            kode=hasil_item.kode,
            aksi=Riwayat.Aksi.BUAT if created else Riwayat.Aksi.UBAH,
            perubahan=changes,
        )
        rekap_invalidate(penilaian.pk)
    return current


# -- the mandiri score per quarter (laporan monev, issue 15) ----------------------------


def snapshot_triwulan(
    *, penilaian: Penilaian, triwulan: int, user: Any = None
) -> tuple[SnapshotSkor | None, SnapshotSkor | None]:
    """The mandiri score of quarter `triwulan` and of the quarter before it.

    A laporan monev of a quarter records the unit's live mandiri score as that quarter's
    snapshot (`SnapshotSkor.triwulan`, never `final`); a report made again records anew,
    so the latest snapshot of a quarter is its figure. History is not rewritten: once a
    later quarter has a snapshot, or the penilaian is final, a report of an earlier
    quarter reads that quarter's latest snapshot instead of recording (None when it never
    had one). Returns (this quarter, the quarter before; None for triwulan I or when that
    quarter was never recorded).
    """
    if not 1 <= triwulan <= 4:
        raise ValueError(triwulan)
    snaps = SnapshotSkor.objects.filter(
        penilaian=penilaian, set=SetJawaban.MANDIRI, triwulan__isnull=False
    )

    def latest(n: int) -> SnapshotSkor | None:
        return snaps.filter(triwulan=n).order_by("-dibuat_pada", "-pk").first()

    frozen = (
        penilaian.status == StatusPenilaian.FINAL or snaps.filter(triwulan__gt=triwulan).exists()
    )
    if frozen:
        current = latest(triwulan)
    else:
        report = penilaian_score(penilaian, SetJawaban.MANDIRI)
        current = SnapshotSkor.objects.create(
            penilaian=penilaian,
            set=SetJawaban.MANDIRI,
            dibuat_oleh=user if user is not None and user.is_authenticated else None,
            total=report.total.nilai.quantize(Decimal("1e-8")),
            predikat=report.verdict,
            laporan=report_json(report, penilaian=penilaian, by=SetJawaban.MANDIRI),
            final=False,
            triwulan=triwulan,
        )
    return current, (latest(triwulan - 1) if triwulan > 1 else None)
