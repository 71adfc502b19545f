"""Tests of the pure scoring engine (domain.md "Scoring"); no Django needed."""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import (
    DECIMAL_CONTEXT,
    AnswerSet,
    AnswerType,
    AreaSpec,
    HasilGroupSpec,
    HasilItemSpec,
    HasilKind,
    IndikatorSpec,
    InputSpec,
    ModelSpec,
    QuestionSpec,
    RuleResult,
    RuleSpec,
    ScoreReport,
    ScoringError,
    gap_advisor,
    score,
)
from tests.scoring.engine_models import (
    WORKED_AREA_PERSEN,
    WORKED_AREAS,
    WORKED_INDIKATOR,
    best_answers,
    iter_questions,
    mini_reform_answers,
    model_10_2019,
    model_90_2021,
    small_model_bagian,
    small_model_flat,
    worked_example_answers,
)
from zi_portal.lib.numbers import format_id, format_persen

D = Decimal


def q4(value: Decimal) -> Decimal:
    return value.quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def q2(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def rule(report: ScoreReport, predikat: str, label: str) -> RuleResult:
    matches = [r for r in report.rules if r.predikat == predikat and r.label == label]
    assert len(matches) == 1, (predikat, label)
    return matches[0]


def failed(report: ScoreReport, predikat: str) -> set[str]:
    return {r.label for r in report.rules if r.predikat == predikat and not r.passed}


def one_indikator_model(
    *questions: QuestionSpec, bobot: str = "1", rules: tuple[RuleSpec, ...] = ()
) -> ModelSpec:
    ind = IndikatorSpec("A.1.i", "Indikator", D(bobot), tuple(questions))
    return ModelSpec(
        code="test",
        pengungkit_bobot=D(bobot),
        bagian=(),
        areas=(AreaSpec("A.1", 1, "AREA", D(bobot), (ind,)),),
        hasil_bobot=D("0"),
        hasil_groups=(),
        rules=rules,
    )


def answers(
    options: dict[str, str] | None = None,
    numbers: dict[str, int | str] | None = None,
    hasil: dict[str, Decimal | str] | None = None,
    held: str | None = None,
) -> AnswerSet:
    return AnswerSet(
        options=options or {},
        numbers={k: D(v) for k, v in (numbers or {}).items()},
        hasil=hasil or {},
        held_predikat=held,
    )


def rasio_question(code: str = "A.1.i.a") -> QuestionSpec:
    return QuestionSpec(
        code,
        "Rasio",
        "persen",
        "rasio",
        (
            InputSpec(f"{code}.1", "penyebut", "penyebut"),
            InputSpec(f"{code}.2", "diproses", "info"),
            InputSpec(f"{code}.3", "pembilang", "pembilang"),
        ),
    )


def penurunan_question(code: str = "A.1.i.a") -> QuestionSpec:
    return QuestionSpec(
        code,
        "Penurunan",
        "persen",
        "penurunan",
        (
            InputSpec(f"{code}.1", "P", "sebelumnya"),
            InputSpec(f"{code}.2", "N", "sekarang"),
            InputSpec(f"{code}.3", "disanksi", "info"),
        ),
    )


# --------------------------------------------------------------------------------------
# (1) The 10/2019 worked example, research note section (b)
# --------------------------------------------------------------------------------------


def test_it_reproduces_every_indikator_score_of_the_10_2019_worked_example() -> None:
    report = score(model_10_2019(), worked_example_answers())

    assert [str(q4(i.nilai)) for i in report.indikator] == list(WORKED_INDIKATOR)
    assert all(q.status == "dijawab" for q in report.questions)
    assert report.completeness.answered == report.completeness.total == 81


def test_it_reproduces_the_area_sums_and_percentages_of_the_worked_example() -> None:
    report = score(model_10_2019(), worked_example_answers())

    assert [str(q4(a.nilai)) for a in report.areas] == list(WORKED_AREAS)
    assert [str(q2(a.persen)) for a in report.areas if a.persen is not None] == list(
        WORKED_AREA_PERSEN
    )
    assert [a.code for a in report.combined_areas] == [a.code for a in report.areas]
    assert report.bagian == ()


def test_it_reproduces_pengungkit_hasil_and_total_of_the_worked_example() -> None:
    report = score(model_10_2019(), worked_example_answers())

    assert q4(report.pengungkit.nilai) == D("47.2548")
    assert q2(report.pengungkit.persen or D(0)) == D("78.76")
    items = {h.code: h.nilai for h in report.hasil_items}
    assert items == {"B.I.a": D("15.8375"), "B.I.b": D("4"), "B.II.a": D("15.09375")}
    assert [g.nilai for g in report.hasil_groups] == [D("19.8375"), D("15.09375")]
    assert q4(report.hasil.nilai) == D("34.9313")
    assert q2(report.total.nilai) == D("82.19")
    assert format_id(report.total.nilai) == "82,19"


def test_it_gives_the_worked_example_wbk_and_not_wbbm() -> None:
    report = score(model_10_2019(), worked_example_answers())

    assert report.verdict == "WBK"
    assert failed(report, "WBK") == set()
    assert failed(report, "WBBM") == {
        "Nilai total",
        "Pelayanan publik",
        "Unit telah berpredikat WBK",
    }


def test_it_adds_the_already_wbk_rule_when_a_model_lacks_it() -> None:
    report = score(model_10_2019(), worked_example_answers())

    implicit = [r for r in report.rules if r.implicit]
    assert len(implicit) == 1
    assert (implicit[0].predikat, implicit[0].kind, implicit[0].target) == (
        "WBBM",
        "predikat_sebelumnya",
        "WBK",
    )
    explicit = score(model_90_2021(), best_answers(model_90_2021()))
    assert not any(r.implicit for r in explicit.rules)


# --------------------------------------------------------------------------------------
# (2) The 90/2021 reform mini example, research note c.4
# --------------------------------------------------------------------------------------


def test_it_reproduces_the_90_2021_reform_mini_example() -> None:
    report = score(model_90_2021(), mini_reform_answers())
    nilai = {i.code: i.nilai for i in report.indikator}

    assert nilai["A.II.1.i"] == D("1.55")
    assert nilai["A.II.3.iii"] == D("1.50")
    assert nilai["A.II.4.i"] == D("1.80")
    assert nilai["A.II.5.ii"] == D("2.70")
    assert nilai["A.II.5.iii"] == D("1.95")
    assert nilai["A.II.6.i"] == D("2.1875")
    values = {q.code: q.value for q in report.questions}
    assert values["A.II.1.i.a"] == D("0.8")
    assert values["A.II.1.i.b"] == D("0.75")
    assert values["A.II.5.iii.b"] == D("0.95")


def test_it_converts_the_mini_example_hasil_and_fails_ipak() -> None:
    report = score(model_90_2021(), mini_reform_answers(held="WBK"))
    items = {h.code: h.nilai for h in report.hasil_items}

    assert items == {"B.I.a": D("15.6625"), "B.I.b": D("3.75"), "B.II.a": D("14.875")}
    assert report.nilai_of("B.I") == D("19.4125")
    assert failed(report, "WBK") == {"IPAK"}
    assert failed(report, "WBBM") == {"IPAK", "Birokrasi bersih", "Pelayanan prima"}
    assert rule(report, "WBK", "Pelayanan prima").passed
    assert report.total.nilai > D("85")
    assert report.verdict == "belum memenuhi"


def test_it_sums_bagian_into_pengungkit_for_90_2021() -> None:
    report = score(model_90_2021(), mini_reform_answers())

    assert [b.code for b in report.bagian] == ["A.I", "A.II"]
    assert report.bagian[0].nilai == D("30")
    assert report.bagian[1].nilai == D("28.1875")
    assert report.pengungkit.nilai == D("58.1875")
    assert report.total.nilai == D("92.475")
    assert len(report.questions) == 110


# --------------------------------------------------------------------------------------
# (3) Sensitivity: every sub-threshold is evaluated, not just the total
# --------------------------------------------------------------------------------------


def test_it_fails_wbk_on_ipak_3_58_although_the_total_is_above_75() -> None:
    report = score(model_10_2019(), worked_example_answers(ipak="3.58"))

    assert report.nilai_of("B.I.a") == D("15.6625")
    assert q2(report.total.nilai) == D("82.01")
    assert rule(report, "WBK", "Nilai total").passed
    assert failed(report, "WBK") == {"IPAK"}
    assert report.verdict == "belum memenuhi"


def test_it_compares_unrounded_values_with_the_thresholds() -> None:
    # IPAK 3.5999 -> 15.7495625, which displays as 15,75 but is below 15.75.
    report = score(model_10_2019(), worked_example_answers(ipak="3.5999"))

    actual = rule(report, "WBK", "IPAK").actual
    assert isinstance(actual, Decimal)
    assert format_id(actual) == "15,75"
    assert not rule(report, "WBK", "IPAK").passed
    at_threshold = score(model_10_2019(), worked_example_answers(ipak="3.60"))
    assert rule(at_threshold, "WBK", "IPAK").passed


def test_it_ignores_decimal_representation_error_at_a_threshold() -> None:
    # Three indikator of exactly 1/3 each sum to 1, but Decimal holds 0.999...9.
    def third(code: str) -> IndikatorSpec:
        return IndikatorSpec(
            code,
            "Sepertiga",
            D(1),
            tuple(QuestionSpec(f"{code}.{x}", x, "ya_tidak") for x in "abc"),
        )

    model = ModelSpec(
        code="thirds",
        pengungkit_bobot=D(3),
        bagian=(),
        areas=(
            AreaSpec("A.1", 1, "AREA", D(3), (third("A.1.i"), third("A.1.ii"), third("A.1.iii"))),
        ),
        hasil_bobot=D(0),
        hasil_groups=(),
        rules=(RuleSpec("WBK", "unsur", "Area 1", D(1), "A.1"),),
    )
    options = {
        f"A.1.{r}.{x}": ("Ya" if x == "a" else "Tidak") for r in ("i", "ii", "iii") for x in "abc"
    }
    report = score(model, answers(options))

    assert report.areas[0].nilai < D(1)  # representation error
    assert report.verdict == "WBK"


# --------------------------------------------------------------------------------------
# (4) Answer types, numeric questions, clamping, zero denominators
# --------------------------------------------------------------------------------------

OPTION_CASES = [
    ("ya_tidak", "Ya", "1"),
    ("ya_tidak", "Tidak", "0"),
    ("abc", "A", "1"),
    ("abc", "B", "0.5"),
    ("abc", "C", "0"),
    ("abcd", "A", "1"),
    ("abcd", "B", "0.67"),
    ("abcd", "C", "0.33"),
    ("abcd", "D", "0"),
    ("abcde", "A", "1"),
    ("abcde", "B", "0.75"),
    ("abcde", "C", "0.5"),
    ("abcde", "D", "0.25"),
    ("abcde", "E", "0"),
]


@pytest.mark.parametrize(("answer_type", "option", "expected"), OPTION_CASES)
def test_it_values_every_option_of_every_answer_type(
    answer_type: AnswerType, option: str, expected: str
) -> None:
    model = one_indikator_model(QuestionSpec("A.1.i.a", "Q", answer_type), bobot="2")
    report = score(model, answers({"A.1.i.a": option}))

    assert report.questions[0].value == D(expected)
    assert report.questions[0].status == "dijawab"
    assert report.indikator[0].nilai == D(expected) * 2


def test_it_reads_options_case_insensitively_and_normalises_them() -> None:
    model = one_indikator_model(
        QuestionSpec("A.1.i.a", "Q", "ya_tidak"), QuestionSpec("A.1.i.b", "Q", "abcd")
    )
    report = score(model, answers({"A.1.i.a": " ya ", "A.1.i.b": "b"}))

    assert [q.answer for q in report.questions] == ["Ya", "B"]
    assert [q.value for q in report.questions] == [D(1), D("0.67")]


@pytest.mark.parametrize(
    ("answer_type", "option"), [("abc", "D"), ("abcd", "E"), ("ya_tidak", "A")]
)
def test_it_rejects_an_option_outside_the_answer_type(answer_type: AnswerType, option: str) -> None:
    model = one_indikator_model(QuestionSpec("A.1.i.a", "Q", answer_type))

    with pytest.raises(ScoringError, match=r"A\.1\.i\.a"):
        score(model, answers({"A.1.i.a": option}))


def test_it_counts_an_unanswered_question_as_zero_and_reports_completeness() -> None:
    model = one_indikator_model(
        QuestionSpec("A.1.i.a", "Q", "abc"), QuestionSpec("A.1.i.b", "Q", "abc"), bobot="2"
    )
    report = score(model, answers({"A.1.i.a": "A", "A.1.i.b": ""}))

    assert report.indikator[0].nilai == D(1)
    assert report.questions[1].status == "belum dijawab"
    assert report.questions[1].value is None
    assert (report.completeness.answered, report.completeness.total) == (1, 2)
    assert report.completeness.persen == D(50)
    assert report.completeness.indikator[0].answered == 1
    assert not report.completeness.complete


@pytest.mark.parametrize(
    ("penyebut", "pembilang", "expected"),
    [(10, 9, "0.9"), (4, 6, "1"), (5, -2, "0"), (3, 3, "1"), (8, 0, "0")],
)
def test_it_clamps_a_ratio_to_zero_and_one(penyebut: int, pembilang: int, expected: str) -> None:
    model = one_indikator_model(rasio_question(), bobot="3")
    report = score(model, answers(numbers={"A.1.i.a.1": penyebut, "A.1.i.a.3": pembilang}))

    assert report.questions[0].value == D(expected)
    assert report.indikator[0].nilai == D(expected) * 3


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [(4, 1, "0.75"), (4, 0, "1"), (4, 6, "0"), (0, 0, "1"), (0, 2, "0"), (2, 2, "0")],
)
def test_it_scores_the_decrease_in_disciplinary_violations(
    before: int, now: int, expected: str
) -> None:
    model = one_indikator_model(penurunan_question(), bobot="2")
    report = score(model, answers(numbers={"A.1.i.a.1": before, "A.1.i.a.2": now}))

    assert report.questions[0].status == "dijawab"
    assert report.questions[0].value == D(expected)
    assert report.indikator[0].nilai == D(expected) * 2


def test_it_takes_a_zero_penyebut_out_of_the_mean() -> None:
    model = one_indikator_model(rasio_question(), QuestionSpec("A.1.i.b", "Q", "abc"), bobot="2")
    report = score(model, answers({"A.1.i.b": "B"}, numbers={"A.1.i.a.1": 0, "A.1.i.a.3": 0}))

    assert report.questions[0].status == "tidak dapat dihitung"
    assert report.questions[0].value is None
    assert report.indikator[0].counted == 1
    assert report.indikator[0].nilai == D(1)  # mean of B alone (0.5) x 2
    assert report.completeness.answered == 2


def test_it_gives_zero_when_no_question_of_an_indikator_can_be_computed() -> None:
    model = one_indikator_model(rasio_question(), bobot="2")
    report = score(model, answers(numbers={"A.1.i.a.1": 0, "A.1.i.a.3": 5}))

    assert report.indikator[0].nilai == D(0)
    assert report.indikator[0].mean is None
    assert "tidak dapat dihitung" in report.indikator[0].note


def test_it_treats_a_persen_question_with_a_missing_input_as_unanswered() -> None:
    model = one_indikator_model(rasio_question(), QuestionSpec("A.1.i.b", "Q", "abc"), bobot="2")
    report = score(model, answers({"A.1.i.b": "A"}, numbers={"A.1.i.a.3": 4}))

    assert report.questions[0].status == "belum dijawab"
    assert report.indikator[0].nilai == D(1)  # (0 + 1) / 2 x 2
    assert report.completeness.answered == 1


def test_it_does_not_need_the_informational_input() -> None:
    model = one_indikator_model(rasio_question())
    report = score(model, answers(numbers={"A.1.i.a.1": 20, "A.1.i.a.3": 18}))

    assert report.questions[0].value == D("0.9")


def test_it_sums_several_pembilang_and_penyebut_inputs() -> None:
    model = model_90_2021()
    base = best_answers(model)
    numbers = dict(base.numbers)
    numbers.update(
        {
            "A.II.5.iii.a.1": D(1),
            "A.II.5.iii.a.2": D(2),
            "A.II.5.iii.a.3": D(5),
            "A.II.5.iii.a.4": D(6),
        }
    )
    report = score(model, AnswerSet(base.options, numbers, base.hasil))

    assert {q.code: q.value for q in report.questions}["A.II.5.iii.a"] == D("0.75")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("indeks", D("3.62"), "15.8375"),
        ("indeks", D("4.5"), "17.5"),
        ("indeks", D("-1"), "0"),
        ("tlhp", D("80"), "4"),
        ("tlhp", D("120"), "5"),
        ("tlhp", D("-5"), "0"),
        ("capaian", "A", "5"),
        ("capaian", "B", "3.75"),
        ("capaian", "c", "2.5"),
        ("capaian", "D", "1.25"),
        ("capaian", "E", "0"),
    ],
)
def test_it_converts_hasil_items_to_points(
    kind: HasilKind, raw: Decimal | str, expected: str
) -> None:
    bobot = D("17.5") if kind == "indeks" else D(5)
    model = ModelSpec(
        code="hasil",
        pengungkit_bobot=D(1),
        bagian=(),
        areas=(AreaSpec("A.1", 1, "AREA", D(1), ()),),
        hasil_bobot=bobot,
        hasil_groups=(
            HasilGroupSpec("B.I", "G", bobot, (HasilItemSpec("B.I.a", "X", bobot, kind),)),
        ),
        rules=(),
    )
    report = score(model, answers(hasil={"B.I.a": raw}))

    assert report.hasil_items[0].nilai == D(expected)
    assert report.hasil.nilai == D(expected)
    assert report.completeness.hasil_answered == 1


@pytest.mark.parametrize(("kind", "raw"), [("indeks", "3.5"), ("capaian", D(3)), ("capaian", "F")])
def test_it_rejects_a_hasil_value_of_the_wrong_kind(kind: HasilKind, raw: Decimal | str) -> None:
    model = ModelSpec(
        code="hasil",
        pengungkit_bobot=D(0),
        bagian=(),
        areas=(AreaSpec("A.1", 1, "AREA", D(0), ()),),
        hasil_bobot=D(5),
        hasil_groups=(
            HasilGroupSpec("B.I", "G", D(5), (HasilItemSpec("B.I.a", "X", D(5), kind),)),
        ),
        rules=(),
    )

    with pytest.raises(ScoringError, match=r"B\.I\.a"):
        score(model, answers(hasil={"B.I.a": raw}))


def test_it_scores_a_missing_hasil_item_as_zero_and_unanswered() -> None:
    report = score(model_10_2019(), AnswerSet(worked_example_answers().options, {}, {}))

    assert report.hasil.nilai == D(0)
    assert {h.status for h in report.hasil_items} == {"belum dijawab"}
    assert report.completeness.hasil_answered == 0
    assert report.verdict == "belum memenuhi"


def test_it_rejects_a_model_with_both_bagian_and_areas() -> None:
    flat = small_model_flat()
    both = ModelSpec(
        flat.code, flat.pengungkit_bobot, small_model_bagian().bagian, flat.areas,
        flat.hasil_bobot, flat.hasil_groups, flat.rules,
    )  # fmt: skip

    with pytest.raises(ScoringError):
        score(both, answers())


# --------------------------------------------------------------------------------------
# (5) Verdicts and rules
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_factory", [model_10_2019, model_90_2021])
@pytest.mark.parametrize(
    ("held", "expected"), [(None, "WBK"), ("WBK", "WBBM"), ("wbbm", "WBBM"), ("", "WBK")]
)
def test_it_gives_wbbm_only_to_a_unit_already_holding_wbk(
    model_factory, held: str | None, expected: str
) -> None:
    model = model_factory()
    report = score(model, best_answers(model, held=held))

    assert report.total.nilai == D(100)
    assert report.verdict == expected
    assert failed(report, "WBBM") <= {"Unit telah berpredikat WBK"}


def test_it_reports_every_rule_with_required_actual_and_result() -> None:
    report = score(model_90_2021(), mini_reform_answers())

    assert len(report.rules) == len(model_90_2021().rules)
    ipak = rule(report, "WBK", "IPAK")
    assert (ipak.kind, ipak.target, ipak.required, ipak.actual, ipak.passed) == (
        "unsur",
        "B.I.a",
        D("15.75"),
        D("15.6625"),
        False,
    )
    held = rule(report, "WBBM", "Unit telah berpredikat WBK")
    assert (held.required, held.actual, held.passed) == ("WBK", None, False)


def test_it_applies_the_area_minimum_to_the_combined_area() -> None:
    model = model_90_2021()
    base = best_answers(model)
    options = dict(base.options)
    # Pemenuhan PP (7.5): all five indikator at 0 -> pemenuhan area 0 %,
    # combined PP = 7.5 / 15 = 50 % (< 60 %). Pemenuhan MP (4): three of four indikator
    # at 0 -> combined MP = (1.5 + 4) / 8 = 68.75 % (>= 60 %, < 75 %).
    for q in iter_questions(model):
        if q.code.startswith("A.I.5.") or q.code.startswith(
            ("A.I.1.i.", "A.I.1.ii.", "A.I.1.iii.")
        ):
            options[q.code] = (
                "Tidak" if q.answer_type == "ya_tidak" else "ABCDE"[len(q.answer_type) - 1]
            )
    report = score(model, AnswerSet(options, base.numbers, base.hasil, "WBK"))
    combined = {a.code: a for a in report.combined_areas}

    assert combined["A.5"].parts == ("A.I.5", "A.II.5")
    assert combined["A.5"].bobot == D(15)
    assert combined["A.5"].persen == D(50)
    assert combined["A.1"].persen == D("68.75")
    wbk = rule(report, "WBK", "Setiap area pengungkit")
    assert (wbk.passed, wbk.worst_area, wbk.failing_areas, wbk.actual) == (
        False,
        "A.5",
        ("A.5",),
        D(50),
    )
    wbbm = rule(report, "WBBM", "Setiap area pengungkit")
    assert wbbm.failing_areas == ("A.1", "A.5")


def test_it_passes_the_area_minimum_when_only_one_half_is_low() -> None:
    model = model_90_2021()
    base = best_answers(model)
    options = dict(base.options)
    for q in iter_questions(model):
        if q.code.startswith("A.I.6.") and q.code.endswith(".a"):
            options[q.code] = (
                "Tidak" if q.answer_type == "ya_tidak" else "ABCDE"[len(q.answer_type) - 1]
            )
    report = score(model, AnswerSet(options, base.numbers, base.hasil, "WBK"))
    areas = {a.code: a for a in report.areas}

    assert areas["A.I.6"].persen is not None and areas["A.I.6"].persen < 75
    assert rule(report, "WBBM", "Setiap area pengungkit").passed


def test_it_fails_an_unsur_rule_whose_target_is_not_in_the_model() -> None:
    model = one_indikator_model(
        QuestionSpec("A.1.i.a", "Q", "abc"), rules=(RuleSpec("WBK", "unsur", "X", D(0), "B.IX"),)
    )
    report = score(model, answers({"A.1.i.a": "A"}))

    assert not report.rules[0].passed
    assert "B.IX" in report.rules[0].note
    assert report.verdict == "belum memenuhi"


def test_it_never_gives_a_predikat_the_model_has_no_rules_for() -> None:
    model = one_indikator_model(QuestionSpec("A.1.i.a", "Q", "abc"))

    assert score(model, answers({"A.1.i.a": "A"})).verdict == "belum memenuhi"


def test_it_rejects_a_threshold_rule_without_minimum() -> None:
    model = one_indikator_model(
        QuestionSpec("A.1.i.a", "Q", "abc"), rules=(RuleSpec("WBK", "total", "Total"),)
    )

    with pytest.raises(ScoringError):
        score(model, answers())


# --------------------------------------------------------------------------------------
# (6) Indonesian number formatting
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("1.335"), 2, "1,34"),
        (D("2.675"), 2, "2,68"),
        (D("1.345"), 2, "1,35"),
        (D("0.125"), 2, "0,13"),
        (D("17.5"), 2, "17,50"),
        (D("1234.5"), 2, "1.234,50"),
        (D("1234567.891"), 2, "1.234.567,89"),
        (D("-1.335"), 2, "-1,34"),
        (D("-0.001"), 2, "0,00"),
        (D("0"), 2, "0,00"),
        (D("47.25475"), 4, "47,2548"),
        (D("999.995"), 2, "1.000,00"),
        (D("12.5"), 0, "13"),
        (7, 2, "7,00"),
    ],
)
def test_it_formats_numbers_half_up_with_a_decimal_comma(
    value: Decimal, places: int, expected: str
) -> None:
    assert format_id(value, places) == expected


def test_it_formats_percentages() -> None:
    assert format_persen(D(11) * 100 / 12) == "91,67%"
    assert format_persen(D(100)) == "100,00%"


def test_it_refuses_to_format_a_float() -> None:
    with pytest.raises(TypeError):
        format_id(1.335)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# (7) Properties on random answer sets
# --------------------------------------------------------------------------------------

SMALL_MODELS = {"bagian": small_model_bagian(), "flat": small_model_flat()}
OPTION_LETTERS = {
    "ya_tidak": ["Ya", "Tidak"],
    "abc": list("ABC"),
    "abcd": list("ABCD"),
    "abcde": list("ABCDE"),
}


@st.composite
def answer_sets(draw: st.DrawFn, model: ModelSpec) -> AnswerSet:
    options: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for q in iter_questions(model):
        if q.answer_type == "persen":
            for spec in q.inputs:
                value = draw(st.none() | st.integers(0, 12))
                if value is not None:
                    numbers[spec.code] = D(value)
        else:
            option = draw(st.none() | st.sampled_from(OPTION_LETTERS[q.answer_type]))
            if option is not None:
                options[q.code] = option
    hasil: dict[str, Decimal | str] = {}
    for group in model.hasil_groups:
        for item in group.items:
            if item.kind == "capaian":
                raw: Decimal | str | None = draw(st.none() | st.sampled_from(list("ABCDE")))
            else:
                high = 5 if item.kind == "indeks" else 120
                raw = draw(st.none() | st.decimals(-1, high, places=2))
            if raw is not None:
                hasil[item.code] = raw
    held = draw(st.sampled_from([None, "WBK", "WBBM"]))
    return AnswerSet(options, numbers, hasil, held)


def all_nodes(report: ScoreReport) -> dict[str, tuple[Decimal, Decimal]]:
    nodes: dict[str, tuple[Decimal, Decimal]] = {}
    for group in (
        report.indikator,
        report.areas,
        report.combined_areas,
        report.bagian,
        report.hasil_items,
        report.hasil_groups,
        (report.pengungkit, report.hasil, report.total),
    ):
        for node in group:
            nodes[f"{type(node).__name__}:{node.code}"] = (node.nilai, node.bobot)
    return nodes


def model_and_answers() -> st.SearchStrategy[tuple[ModelSpec, AnswerSet]]:
    return st.sampled_from(sorted(SMALL_MODELS)).flatmap(
        lambda key: st.tuples(st.just(SMALL_MODELS[key]), answer_sets(SMALL_MODELS[key]))
    )


@settings(max_examples=300, deadline=None)
@given(model_and_answers())
def test_it_keeps_every_node_between_zero_and_its_bobot(case: tuple[ModelSpec, AnswerSet]) -> None:
    model, answer_set = case
    report = score(model, answer_set)

    assert report.total.nilai <= model.pengungkit_bobot + model.hasil_bobot
    for nilai, bobot in all_nodes(report).values():
        assert D(0) <= nilai <= bobot
    for q in report.questions:
        assert q.value is None or D(0) <= q.value <= D(1)


@settings(max_examples=300, deadline=None)
@given(model_and_answers())
def test_it_makes_every_level_the_exact_sum_of_its_children(
    case: tuple[ModelSpec, AnswerSet],
) -> None:
    model, answer_set = case
    report = score(model, answer_set)

    with localcontext(DECIMAL_CONTEXT):
        for area in report.areas:
            children = [i.nilai for i in report.indikator if i.area_code == area.code]
            assert area.nilai == sum(children, D(0))
        for combined in report.combined_areas:
            parts = [a.nilai for a in report.areas if a.code in combined.parts]
            assert combined.nilai == sum(parts, D(0))
        for bg in report.bagian:
            assert bg.nilai == sum(
                (a.nilai for a in report.areas if a.bagian_code == bg.code), D(0)
            )
        pengungkit_parts = report.bagian or report.areas
        assert report.pengungkit.nilai == sum((p.nilai for p in pengungkit_parts), D(0))
        for group in report.hasil_groups:
            items = [h.nilai for h in report.hasil_items if h.group_code == group.code]
            assert group.nilai == sum(items, D(0))
        assert report.hasil.nilai == sum((g.nilai for g in report.hasil_groups), D(0))
        assert report.total.nilai == report.pengungkit.nilai + report.hasil.nilai


def raise_one_answer(model: ModelSpec, answer_set: AnswerSet, data: st.DataObject) -> AnswerSet:
    questions = iter_questions(model)
    q = data.draw(st.sampled_from(questions))
    options = dict(answer_set.options)
    numbers = dict(answer_set.numbers)
    if q.answer_type == "persen":
        if q.formula == "rasio":
            spec = data.draw(st.sampled_from([s for s in q.inputs if s.role == "pembilang"]))
            numbers[spec.code] = numbers.get(spec.code, D(0)) + data.draw(st.integers(1, 10))
        else:
            spec = next(s for s in q.inputs if s.role == "sekarang")
            current = numbers.get(spec.code)
            if current is not None:
                numbers[spec.code] = D(data.draw(st.integers(0, int(current))))
    else:
        letters = OPTION_LETTERS[q.answer_type]
        current_option = options.get(q.code)
        worse_than = letters.index(current_option) if current_option else len(letters)
        if worse_than > 0:
            options[q.code] = data.draw(st.sampled_from(letters[:worse_than]))
    return AnswerSet(options, numbers, answer_set.hasil, answer_set.held_predikat)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_and_answers(), st.data())
def test_it_never_lowers_a_node_when_one_answer_improves(
    case: tuple[ModelSpec, AnswerSet], data: st.DataObject
) -> None:
    model, answer_set = case
    before = all_nodes(score(model, answer_set))
    after = all_nodes(score(model, raise_one_answer(model, answer_set, data)))

    for code, (nilai, _) in before.items():
        assert after[code][0] >= nilai, code


# --------------------------------------------------------------------------------------
# (8) Gap advisor
# --------------------------------------------------------------------------------------


def gap_model() -> ModelSpec:
    def ind(code: str, bobot: str, *questions: QuestionSpec) -> IndikatorSpec:
        return IndikatorSpec(code, code, D(bobot), questions)

    return ModelSpec(
        code="gap",
        pengungkit_bobot=D(7),
        bagian=(),
        areas=(
            AreaSpec(
                "A.1",
                1,
                "AREA",
                D(7),
                (
                    ind(
                        "A.1.i",
                        "4",
                        QuestionSpec("A.1.i.a", "a", "abc"),
                        QuestionSpec("A.1.i.b", "b", "abc"),
                    ),
                    ind("A.1.ii", "1", QuestionSpec("A.1.ii.a", "a", "ya_tidak")),
                    ind(
                        "A.1.iii",
                        "2",
                        rasio_question("A.1.iii.a"),
                        QuestionSpec("A.1.iii.b", "b", "abc"),
                    ),
                ),
            ),
        ),
        hasil_bobot=D(0),
        hasil_groups=(),
        rules=(),
    )


def test_it_ranks_questions_by_the_points_the_total_would_gain() -> None:
    answer_set = answers(
        {"A.1.i.a": "A", "A.1.i.b": "C", "A.1.ii.a": "Tidak", "A.1.iii.b": "B"},
        numbers={"A.1.iii.a.1": 0, "A.1.iii.a.3": 0},
    )
    report = score(gap_model(), answer_set)
    gains = gap_advisor(gap_model(), answer_set)

    assert report.total.nilai == D(3)  # 2 + 0 + 1 (zero penyebut leaves the mean)
    assert [(g.question_code, g.gain, g.best_answer) for g in gains] == [
        ("A.1.i.b", D(2), "A"),
        ("A.1.ii.a", D(1), "Ya"),
        ("A.1.iii.b", D(1), "A"),
        ("A.1.iii.a", D("0.5"), "100%"),
    ]
    assert gains[0].new_total == D(5)
    assert gains[3].status == "tidak dapat dihitung"


def test_it_includes_unanswered_questions_in_the_gap_advice() -> None:
    gains = gap_advisor(gap_model(), answers({"A.1.i.a": "A"}))

    assert [g.question_code for g in gains][:1] == ["A.1.i.b"]
    assert {g.question_code for g in gains} == {"A.1.i.b", "A.1.ii.a", "A.1.iii.a", "A.1.iii.b"}
    assert all(g.gain > 0 for g in gains)


def test_it_advises_nothing_for_a_perfect_answer_set() -> None:
    model = model_90_2021()

    assert gap_advisor(model, best_answers(model)) == []


def apply_gain(model: ModelSpec, answer_set: AnswerSet, code: str) -> AnswerSet:
    q = next(q for q in iter_questions(model) if q.code == code)
    options = dict(answer_set.options)
    numbers = dict(answer_set.numbers)
    if q.answer_type != "persen":
        options[code] = "Ya" if q.answer_type == "ya_tidak" else "A"
    elif q.formula == "penurunan":
        for spec in q.inputs:
            numbers.setdefault(spec.code, D(0))
            if spec.role == "sekarang":
                numbers[spec.code] = D(0)
    else:
        for spec in q.inputs:
            if spec.role == "penyebut" and not numbers.get(spec.code):
                numbers[spec.code] = D(1)
        penyebut = sum((numbers[s.code] for s in q.inputs if s.role == "penyebut"), D(0))
        pembilang = [s for s in q.inputs if s.role == "pembilang"]
        for spec in pembilang:
            numbers[spec.code] = D(0)
        numbers[pembilang[0].code] = penyebut
    return AnswerSet(options, numbers, answer_set.hasil, answer_set.held_predikat)


@settings(max_examples=150, deadline=None)
@given(model_and_answers())
def test_it_predicts_the_total_reached_by_following_each_advice(
    case: tuple[ModelSpec, AnswerSet],
) -> None:
    model, answer_set = case
    gains = gap_advisor(model, answer_set)

    assert [g.gain for g in gains] == sorted((g.gain for g in gains), reverse=True)
    for gain in gains:
        rescored = score(model, apply_gain(model, answer_set, gain.question_code))
        assert abs(rescored.total.nilai - gain.new_total) < D("1e-20"), gain.question_code


# --------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------


def test_it_scores_a_110_question_model_a_thousand_times_quickly() -> None:
    model = model_90_2021()
    answer_set = mini_reform_answers()
    started = time.perf_counter()
    for _ in range(1000):
        score(model, answer_set)
    elapsed = time.perf_counter() - started

    # Target is < 1 s on a normal machine; the bound leaves room for slow CI runners.
    assert elapsed < 3, elapsed
