"""Pure scoring engine for Zona Integritas evaluations.

Implements the binding rules of ``shared/domain.md`` ("Scoring"): question values, the
mean-times-bobot indikator rule, plain sums up the tree, hasil conversions, every
predikat rule reported with pass/fail, and the verdict. No Django, no ORM, no settings:
the caller (``scoring/services.py``) builds the frozen specs below from the database and
persists the returned :class:`ScoreReport`.

All arithmetic is :class:`~decimal.Decimal` under :data:`DECIMAL_CONTEXT` and is never
rounded; rounding happens only for display (``zi_portal.lib.numbers``).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from scoring.engine.types import (
    AnswerSet,
    AreaScore,
    AreaSpec,
    CombinedAreaScore,
    Completeness,
    EmptyPolicy,
    Gain,
    HasilItemScore,
    HasilItemSpec,
    IndikatorCompleteness,
    IndikatorScore,
    IndikatorSpec,
    ModelSpec,
    NodeScore,
    QuestionScore,
    QuestionSpec,
    QuestionStatus,
    RuleResult,
    RuleSpec,
    ScoreReport,
    ScoringError,
    Verdict,
    ZeroPolicy,
    _node_values,
)

# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------

DECIMAL_CONTEXT = Context(
    prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)
"""Context of every computation; sums in tests must use it to compare exactly."""


COMPARE_TOLERANCE = Decimal("1e-20")
"""Representation error ignored by threshold comparisons.

Decimal cannot hold 1/3 exactly, so three indikator of nilai 1/3 sum to 0.999…9 (34
digits) instead of 1. Real score differences are rational numbers with small
denominators, far above 1e-20, so this tolerance only absorbs that error; it is not a
rounding of the score (74.996 still fails a minimum of 75).
"""

ZERO = Decimal(0)
ONE = Decimal(1)
FOUR = Decimal(4)
HUNDRED = Decimal(100)

OPTION_VALUES: Mapping[str, Mapping[str, Decimal]] = {
    "ya_tidak": {"YA": ONE, "TIDAK": ZERO},
    "abc": {"A": ONE, "B": Decimal("0.5"), "C": ZERO},
    "abcd": {"A": ONE, "B": Decimal("0.67"), "C": Decimal("0.33"), "D": ZERO},
    "abcde": {
        "A": ONE,
        "B": Decimal("0.75"),
        "C": Decimal("0.5"),
        "D": Decimal("0.25"),
        "E": ZERO,
    },
}
"""Question value per answer type and (upper-case) option; domain.md Scoring rule 1."""

CAPAIAN_VALUES: Mapping[str, Decimal] = OPTION_VALUES["abcde"]
"""Capaian kinerja letter -> fraction of its bobot (A 1 ... E 0)."""

BEST_ANSWER: Mapping[str, str] = {
    "ya_tidak": "Ya",
    "abc": "A",
    "abcd": "A",
    "abcde": "A",
    "persen": "100%",
}

PREDIKAT_RANK: Mapping[str, int] = {"WBK": 1, "WBBM": 2}

_OPTION_DISPLAY: Mapping[str, str] = {"YA": "Ya", "TIDAK": "Tidak"}

_DEFAULT_LABELS = {"total": "NILAI TOTAL", "A": "PENGUNGKIT", "B": "HASIL"}


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if value < low:
        return low
    if value > high:
        return high
    return value


def _reaches(actual: Decimal, minimum: Decimal) -> bool:
    return actual >= minimum - COMPARE_TOLERANCE


def _persen(nilai: Decimal, bobot: Decimal) -> Decimal | None:
    if bobot == 0:
        return None
    return nilai * HUNDRED / bobot


def _score_option(question: QuestionSpec, raw: str | None) -> tuple[str | None, Decimal | None]:
    if raw is None:
        return None, None
    key = raw.strip().upper()
    if key == "":
        return None, None
    values = OPTION_VALUES.get(question.answer_type)
    if values is None:
        raise ScoringError(f"{question.code}: jenis jawaban tidak dikenal {question.answer_type!r}")
    value = values.get(key)
    if value is None:
        raise ScoringError(
            f"{question.code}: jawaban {raw!r} tidak sah untuk jenis {question.answer_type}"
        )
    return _OPTION_DISPLAY.get(key, key), value


def _score_persen(
    question: QuestionSpec, numbers: Mapping[str, Decimal]
) -> tuple[Decimal | None, QuestionStatus, str]:
    sums: dict[str, Decimal] = {}
    derived = derived_values(question, numbers)
    for spec in question.inputs:
        if spec.role == "info":
            continue
        number = derived[spec.code] if spec.derived_from else numbers.get(spec.code)
        if number is None:
            return None, "belum dijawab", f"isian {spec.code} belum diisi"
        sums[spec.role] = sums.get(spec.role, ZERO) + number
    if question.formula == "rasio":
        if "pembilang" not in sums or "penyebut" not in sums:
            raise ScoringError(f"{question.code}: rumus rasio butuh pembilang dan penyebut")
        penyebut = sums["penyebut"]
        if penyebut == 0:
            return None, "tidak dapat dihitung", "penyebut bernilai 0"
        return _clamp(sums["pembilang"] / penyebut, ZERO, ONE), "dijawab", ""
    if question.formula == "penurunan":
        if "sebelumnya" not in sums or "sekarang" not in sums:
            raise ScoringError(f"{question.code}: rumus penurunan butuh sebelumnya dan sekarang")
        before, now = sums["sebelumnya"], sums["sekarang"]
        if before == 0:
            # domain.md rule 2: no violations last year -> 1 if still none, else 0.
            return (ONE if now == 0 else ZERO), "dijawab", ""
        return _clamp((before - now) / before, ZERO, ONE), "dijawab", ""
    raise ScoringError(f"{question.code}: pertanyaan persen tanpa rumus")


def derived_values(
    question: QuestionSpec, numbers: Mapping[str, Decimal]
) -> dict[str, Decimal | None]:
    """The value of each derived input of `question`: the sum of its parts.

    domain.md Scoring rule 8: a total the regulation derives (Reform 5.iii "Jumlah yang
    harus melaporkan") is never typed; a typed value in ``numbers`` is ignored. None when
    a part is not filled in.
    """
    result: dict[str, Decimal | None] = {}
    for spec in question.inputs:
        if not spec.derived_from:
            continue
        parts = [numbers.get(code) for code in spec.derived_from]
        result[spec.code] = (
            None
            if any(p is None for p in parts)
            else sum((p for p in parts if p is not None), ZERO)
        )
    return result


_MEMO: dict[int, tuple[weakref.ReferenceType[Any], dict[Any, Any]]] = {}
_MEMO_SIZE = 256
_QUESTIONS = object()  # key of an indikator memo: its questions with their memos


def _memo(spec: QuestionSpec | IndikatorSpec) -> dict[Any, Any]:
    """Results already built for `spec` (reports share these frozen rows).

    An option question has a handful of possible answers and an indikator a handful of
    possible sums, so rebuilding the same QuestionScore / IndikatorScore is most of the
    engine's work. Keyed by the spec object itself through a weak reference, so a freed
    spec takes its memo with it; the results are pure functions of the key.
    """
    key = id(spec)
    entry = _MEMO.get(key)
    if entry is not None and entry[0]() is spec:
        if len(entry[1]) > _MEMO_SIZE:
            entry[1].clear()
        return entry[1]
    memo: dict[Any, Any] = {}
    _MEMO[key] = (weakref.ref(spec, lambda _ref: _MEMO.pop(key, None)), memo)
    return memo


def _score_indikator(
    indikator: IndikatorSpec,
    area_code: str,
    answers: AnswerSet,
    out: list[QuestionScore],
) -> IndikatorScore:
    total = ZERO
    counted = 0
    answered = 0
    options = answers.options
    memo = _memo(indikator)
    questions = memo.get(_QUESTIONS)
    if questions is None:
        questions = memo[_QUESTIONS] = tuple((q, _memo(q)) for q in indikator.questions)
    for q, q_memo in questions:
        if q.answer_type != "persen":
            raw = options.get(q.code)
            scored: QuestionScore | None = q_memo.get((indikator.code, area_code, raw))
            if scored is None:
                answer, value = _score_option(q, raw)
                scored = QuestionScore(
                    q.code,
                    q.label,
                    q.answer_type,
                    indikator.code,
                    area_code,
                    answer,
                    value,
                    "belum dijawab" if value is None else "dijawab",
                )
                q_memo[(indikator.code, area_code, raw)] = scored
            counted += 1
            if scored.value is not None:
                answered += 1
                total += scored.value
            out.append(scored)
            continue
        value, status, note = _score_persen(q, answers.numbers)
        policy: ZeroPolicy | None = None
        if status == "tidak dapat dihitung":
            # domain.md Scoring rule 9: the model's policy, reported with the question.
            policy = q.zero_policy
            if policy == "nilai_penuh":
                value = ONE
            elif policy == "nilai_nol":
                value = ZERO
        if status != "belum dijawab":
            answered += 1
        if status != "tidak dapat dihitung" or value is not None:
            counted += 1
            if value is not None:
                total += value
        out.append(
            QuestionScore(
                q.code,
                q.label,
                q.answer_type,
                indikator.code,
                area_code,
                None,
                value,
                status,
                note,
                policy,
            )
        )
    key = (area_code, str(total), counted, answered)  # str: 1.00 and 1 stay apart
    result: IndikatorScore | None = memo.get(key)
    if result is not None:
        return result
    ind_policy: EmptyPolicy | None = None
    if counted == 0:
        nilai = ZERO
        mean: Decimal | None = None
        ind_note = "tidak ada pertanyaan"
        if indikator.questions:
            ind_policy = indikator.empty_policy
            if ind_policy == "penuh":
                nilai = indikator.bobot
                ind_note = "semua pertanyaan tidak dapat dihitung; nilai penuh"
            else:
                ind_note = "semua pertanyaan tidak dapat dihitung; nilai 0"
    else:
        mean = total / counted
        nilai = total * indikator.bobot / counted
        ind_note = ""
    result = IndikatorScore(
        indikator.code,
        indikator.label,
        area_code,
        indikator.bobot,
        nilai,
        _persen(nilai, indikator.bobot),
        mean,
        len(indikator.questions),
        answered,
        counted,
        ind_note,
        ind_policy,
    )
    memo[key] = result
    return result


def _score_hasil_item(
    item: HasilItemSpec, group_code: str, raw: Decimal | str | None
) -> HasilItemScore:
    fraction: Decimal | None
    if raw is None:
        fraction = None
    elif item.kind == "capaian":
        if not isinstance(raw, str):
            raise ScoringError(f"{item.code}: capaian kinerja harus huruf A-E, bukan {raw!r}")
        key = raw.strip().upper()
        if key == "":
            fraction, raw = None, None
        elif key in CAPAIAN_VALUES:
            fraction, raw = CAPAIAN_VALUES[key], key
        else:
            raise ScoringError(f"{item.code}: capaian kinerja {raw!r} tidak sah")
    elif isinstance(raw, str):
        raise ScoringError(f"{item.code}: nilai {item.kind} harus Decimal, bukan {raw!r}")
    elif item.kind == "indeks":
        fraction = _clamp(raw, ZERO, FOUR) / FOUR
    elif item.kind == "tlhp":
        fraction = _clamp(raw, ZERO, HUNDRED) / HUNDRED
    else:
        raise ScoringError(f"{item.code}: jenis hasil tidak dikenal {item.kind!r}")
    nilai = ZERO if fraction is None else fraction * item.bobot
    return HasilItemScore(
        item.code,
        item.label,
        item.kind,
        group_code,
        item.bobot,
        nilai,
        _persen(nilai, item.bobot),
        raw,
        "belum dijawab" if fraction is None else "dijawab",
    )


def _combined_code(area: AreaSpec) -> str:
    return f"{area.code.split('.', 1)[0]}.{area.number}"


def _combine_areas(
    areas: Iterable[AreaScore], area_specs: Iterable[AreaSpec]
) -> list[CombinedAreaScore]:
    groups: dict[int, list[AreaScore]] = {}
    codes: dict[int, str] = {}
    for spec in area_specs:
        codes.setdefault(spec.number, _combined_code(spec))
    for area in areas:
        groups.setdefault(area.number, []).append(area)
    result = []
    for number, parts in groups.items():
        bobot = sum((p.bobot for p in parts), ZERO)
        nilai = sum((p.nilai for p in parts), ZERO)
        result.append(
            CombinedAreaScore(
                codes[number],
                number,
                parts[0].label,
                bobot,
                nilai,
                _persen(nilai, bobot),
                tuple(p.code for p in parts),
            )
        )
    return result


def _require_minimum(rule: RuleSpec) -> Decimal:
    if rule.minimum is None:
        raise ScoringError(f"aturan {rule.predikat} {rule.kind} ({rule.label}) tanpa minimum")
    return rule.minimum


def _evaluate_rule(
    rule: RuleSpec,
    report: ScoreReport,
    nodes: Mapping[str, Decimal],
    held: str | None,
    implicit: bool,
) -> RuleResult:
    kind = rule.kind
    if kind in ("total", "pengungkit"):
        minimum = _require_minimum(rule)
        actual = report.total.nilai if kind == "total" else report.pengungkit.nilai
        return RuleResult(
            rule.predikat, kind, rule.label, rule.target, minimum, actual, _reaches(actual, minimum)
        )
    if kind == "unsur":
        minimum = _require_minimum(rule)
        if rule.target is None:
            raise ScoringError(f"aturan unsur {rule.label!r} tanpa target")
        found = nodes.get(rule.target)
        if found is None:
            return RuleResult(
                rule.predikat,
                kind,
                rule.label,
                rule.target,
                minimum,
                None,
                False,
                note=f"kode {rule.target} tidak ada dalam model",
            )
        return RuleResult(
            rule.predikat, kind, rule.label, rule.target, minimum, found, _reaches(found, minimum)
        )
    if kind == "area_persen":
        minimum = _require_minimum(rule)
        failing: list[str] = []
        worst: CombinedAreaScore | None = None
        for area in report.combined_areas:
            if area.persen is None:
                continue
            # nilai / bobot * 100 >= minimum, compared without a division.
            if not _reaches(area.nilai * HUNDRED, minimum * area.bobot):
                failing.append(area.code)
            if worst is None or (worst.persen is not None and area.persen < worst.persen):
                worst = area
        return RuleResult(
            rule.predikat,
            kind,
            rule.label,
            rule.target,
            minimum,
            None if worst is None else worst.persen,
            not failing,
            worst_area=None if worst is None else worst.code,
            failing_areas=tuple(failing),
            note="" if worst is not None else "model tidak memiliki area",
        )
    if kind == "predikat_sebelumnya":
        if rule.target is None:
            raise ScoringError(f"aturan predikat_sebelumnya {rule.label!r} tanpa target")
        target = rule.target.strip().upper()
        if held is None:
            passed = False
        elif target in PREDIKAT_RANK and held in PREDIKAT_RANK:
            passed = PREDIKAT_RANK[held] >= PREDIKAT_RANK[target]
        else:
            passed = held == target
        return RuleResult(
            rule.predikat, kind, rule.label, rule.target, target, held, passed, implicit=implicit
        )
    raise ScoringError(f"jenis aturan tidak dikenal {kind!r}")


def _model_rules(model: ModelSpec) -> list[tuple[RuleSpec, bool]]:
    rules = [(rule, False) for rule in model.rules]
    wbbm = [r for r in model.rules if r.predikat.strip().upper() == "WBBM"]
    if wbbm and not any(r.kind == "predikat_sebelumnya" for r in wbbm):
        # domain.md rule 6: WBBM also needs the unit to hold WBK already.
        rules.append(
            (
                RuleSpec("WBBM", "predikat_sebelumnya", "Unit telah berpredikat WBK", target="WBK"),
                True,
            )
        )
    return rules


def _verdict(results: Iterable[RuleResult]) -> Verdict:
    by_predikat: dict[str, list[bool]] = {}
    for result in results:
        by_predikat.setdefault(result.predikat.strip().upper(), []).append(result.passed)
    wbbm, wbk = by_predikat.get("WBBM"), by_predikat.get("WBK")
    if wbbm and all(wbbm):
        return "WBBM"
    if wbk and all(wbk):
        return "WBK"
    return "belum memenuhi"


def score(model: ModelSpec, answers: AnswerSet) -> ScoreReport:
    """Score one answer set against one model.

    Unanswered questions count 0 in their indikator's mean; a persen question whose
    denominator is 0 ("tidak dapat dihitung") follows its ``zero_policy`` (default: it
    leaves the mean) and an indikator with no computable question its ``empty_policy``
    (default: 0); both are reported with the score. Every level is the plain
    sum of its children's unrounded nilai. Every rule of the model is evaluated (plus the
    implicit "already WBK" rule for WBBM when the model lacks one) and reported; rules
    compare unrounded values with >= (ignoring only :data:`COMPARE_TOLERANCE`).
    Raises :class:`ScoringError` for an invalid option or hasil value or an incomplete rule.
    """
    if bool(model.bagian) == bool(model.areas):
        raise ScoringError(f"{model.code}: tepat satu dari bagian / areas harus berisi")
    with localcontext(DECIMAL_CONTEXT):
        questions: list[QuestionScore] = []
        indikator: list[IndikatorScore] = []
        areas: list[AreaScore] = []
        bagian: list[NodeScore] = []
        area_specs: list[AreaSpec] = []

        def score_area(area: AreaSpec, bagian_code: str | None) -> AreaScore:
            nilai = ZERO
            for ind in area.indikator:
                result = _score_indikator(ind, area.code, answers, questions)
                indikator.append(result)
                nilai += result.nilai
            area_specs.append(area)
            score_ = AreaScore(
                area.code,
                area.number,
                area.label,
                area.bobot,
                nilai,
                _persen(nilai, area.bobot),
                bagian_code,
            )
            areas.append(score_)
            return score_

        pengungkit_nilai = ZERO
        if model.bagian:
            for bg in model.bagian:
                bg_nilai = ZERO
                for area in bg.areas:
                    bg_nilai += score_area(area, bg.code).nilai
                bagian.append(
                    NodeScore(bg.code, bg.label, bg.bobot, bg_nilai, _persen(bg_nilai, bg.bobot))
                )
                pengungkit_nilai += bg_nilai
        else:
            for area in model.areas:
                pengungkit_nilai += score_area(area, None).nilai
        combined = _combine_areas(areas, area_specs)

        hasil_items: list[HasilItemScore] = []
        hasil_groups: list[NodeScore] = []
        hasil_nilai = ZERO
        for group in model.hasil_groups:
            g_nilai = ZERO
            for item in group.items:
                item_score = _score_hasil_item(item, group.code, answers.hasil.get(item.code))
                hasil_items.append(item_score)
                g_nilai += item_score.nilai
            hasil_groups.append(
                NodeScore(
                    group.code, group.label, group.bobot, g_nilai, _persen(g_nilai, group.bobot)
                )
            )
            hasil_nilai += g_nilai

        total_bobot = model.pengungkit_bobot + model.hasil_bobot
        total_nilai = pengungkit_nilai + hasil_nilai
        answered = sum(i.answered for i in indikator)
        report = ScoreReport(
            model_code=model.code,
            total=NodeScore(
                "total",
                _DEFAULT_LABELS["total"],
                total_bobot,
                total_nilai,
                _persen(total_nilai, total_bobot),
            ),
            pengungkit=NodeScore(
                "A",
                _DEFAULT_LABELS["A"],
                model.pengungkit_bobot,
                pengungkit_nilai,
                _persen(pengungkit_nilai, model.pengungkit_bobot),
            ),
            hasil=NodeScore(
                "B",
                _DEFAULT_LABELS["B"],
                model.hasil_bobot,
                hasil_nilai,
                _persen(hasil_nilai, model.hasil_bobot),
            ),
            completeness=Completeness(
                answered=answered,
                total=len(questions),
                persen=None if not questions else Decimal(answered) * HUNDRED / len(questions),
                hasil_answered=sum(1 for h in hasil_items if h.status == "dijawab"),
                hasil_total=len(hasil_items),
                indikator=tuple(
                    IndikatorCompleteness(i.code, i.answered, i.question_count) for i in indikator
                ),
            ),
            verdict="belum memenuhi",
            questions=tuple(questions),
            indikator=tuple(indikator),
            areas=tuple(areas),
            combined_areas=tuple(combined),
            bagian=tuple(bagian),
            hasil_items=tuple(hasil_items),
            hasil_groups=tuple(hasil_groups),
            rules=(),
        )
        nodes = _node_values(report)
        held = (
            None if answers.held_predikat is None else answers.held_predikat.strip().upper() or None
        )
        results = tuple(
            _evaluate_rule(rule, report, nodes, held, implicit)
            for rule, implicit in _model_rules(model)
        )
        return replace(report, verdict=_verdict(results), rules=results)


def gap_advisor(
    model: ModelSpec, answers: AnswerSet, report: ScoreReport | None = None
) -> list[Gain]:
    """Rank questions by the points the total gains if only that question gets its best answer.

    Best answer: "Ya"/"A", or for a persen question inputs giving a ratio of 1 (which also
    brings a "tidak dapat dihitung" question back into the mean). Largest gain first
    (model order on ties); zero gains are omitted. ``report`` may pass ``score(model,
    answers)`` if already computed.
    """
    if report is None:
        report = score(model, answers)
    with localcontext(DECIMAL_CONTEXT):
        by_indikator: dict[str, list[QuestionScore]] = {}
        for q in report.questions:
            by_indikator.setdefault(q.indikator_code, []).append(q)
        gains: list[Gain] = []
        for ind in report.indikator:
            qs = by_indikator.get(ind.code, [])
            current_sum = sum((q.value for q in qs if q.in_mean and q.value is not None), ZERO)
            for q in qs:
                if q.in_mean and q.value == ONE:
                    continue
                if not q.in_mean:
                    new_sum, new_count = current_sum + ONE, ind.counted + 1
                else:
                    new_sum, new_count = current_sum - (q.value or ZERO) + ONE, ind.counted
                gain = new_sum * ind.bobot / new_count - ind.nilai
                if gain > COMPARE_TOLERANCE:
                    gains.append(
                        Gain(
                            q.code,
                            q.label,
                            ind.code,
                            ind.area_code,
                            q.status,
                            q.value,
                            BEST_ANSWER[q.answer_type],
                            gain,
                            report.total.nilai + gain,
                        )
                    )
    gains.sort(key=lambda g: g.gain, reverse=True)
    return gains
