"""Engine: derived totals (domain.md Scoring rule 8) and the zero-denominator policies the
model carries as data (rule 9). Pure: no Django."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from scoring.engine import (
    IndikatorSpec,
    InputSpec,
    QuestionSpec,
    derived_values,
    gap_advisor,
    score,
)
from tests.scoring.engine_models import best_answers, model_90_2021
from tests.scoring.test_engine import answers, one_indikator_model, rasio_question

D = Decimal


def lhkpn(code: str = "A.1.i.a") -> QuestionSpec:
    """5.iii.a as in the fixture: the total (row 1) is the sum of rows 2-4."""
    return QuestionSpec(
        code,
        "LHKPN",
        "persen",
        "rasio",
        (
            InputSpec(
                f"{code}.1",
                "Jumlah yang harus melaporkan",
                "info",
                (f"{code}.2", f"{code}.3", f"{code}.4"),
            ),
            InputSpec(f"{code}.2", "Kepala satuan kerja", "penyebut"),
            InputSpec(f"{code}.3", "Pejabat", "penyebut"),
            InputSpec(f"{code}.4", "Lainnya", "penyebut"),
            InputSpec(f"{code}.5", "Sudah melaporkan", "pembilang"),
        ),
    )


# -- derived totals --------------------------------------------------------------------


def test_the_derived_total_is_the_sum_of_its_rows() -> None:
    # The regulation's printed example: 3 = 1 + 1 + 1.
    q = lhkpn()
    numbers = {"A.1.i.a.2": D(1), "A.1.i.a.3": D(1), "A.1.i.a.4": D(1)}
    assert derived_values(q, numbers) == {"A.1.i.a.1": D(3)}
    assert derived_values(q, {"A.1.i.a.2": D(1)}) == {"A.1.i.a.1": None}


def test_a_typed_total_never_changes_the_score() -> None:
    model = one_indikator_model(lhkpn())
    parts: dict[str, int | str] = {"A.1.i.a.2": 1, "A.1.i.a.3": 1, "A.1.i.a.4": 1, "A.1.i.a.5": 3}
    plain = score(model, answers(numbers=parts))
    typed = score(model, answers(numbers={**parts, "A.1.i.a.1": 99}))
    assert plain.questions[0].value == typed.questions[0].value == D(1)


def test_a_total_without_its_rows_leaves_the_question_unanswered() -> None:
    model = one_indikator_model(lhkpn())
    report = score(model, answers(numbers={"A.1.i.a.1": 3, "A.1.i.a.5": 3}))
    assert report.questions[0].status == "belum dijawab"


def test_a_derived_input_with_a_role_enters_the_formula_as_its_sum() -> None:
    q = QuestionSpec(
        "A.1.i.a",
        "Rasio",
        "persen",
        "rasio",
        (
            InputSpec("A.1.i.a.1", "total", "penyebut", ("A.1.i.a.2", "A.1.i.a.3")),
            InputSpec("A.1.i.a.2", "x", "info"),
            InputSpec("A.1.i.a.3", "y", "info"),
            InputSpec("A.1.i.a.4", "pembilang", "pembilang"),
        ),
    )
    report = score(
        one_indikator_model(q),
        answers(numbers={"A.1.i.a.1": 100, "A.1.i.a.2": 2, "A.1.i.a.3": 2, "A.1.i.a.4": 3}),
    )
    assert report.questions[0].value == D("0.75")


# -- zero-denominator policies ----------------------------------------------------------


def option_question(code: str) -> QuestionSpec:
    return QuestionSpec(code, "Opsi", "ya_tidak")


def zero_report(policy: str):  # type: ignore[no-untyped-def]
    q = replace(rasio_question("A.1.i.b"), zero_policy=policy)  # type: ignore[arg-type]
    model = one_indikator_model(option_question("A.1.i.a"), q, bobot="3")
    return score(
        model,
        answers(options={"A.1.i.a": "Tidak"}, numbers={"A.1.i.b.1": 0, "A.1.i.b.3": 0}),
    )


def test_by_default_a_zero_denominator_leaves_the_mean() -> None:
    assert QuestionSpec("x", "x", "persen").zero_policy == "keluar_dari_rerata"
    report = zero_report("keluar_dari_rerata")
    q = report.questions[1]
    assert (q.status, q.value, q.policy, q.in_mean) == (
        "tidak dapat dihitung",
        None,
        "keluar_dari_rerata",
        False,
    )
    assert report.indikator[0].counted == 1
    assert report.indikator[0].nilai == D(0)  # the option question alone: Tidak


@pytest.mark.parametrize(
    ("policy", "value", "nilai"), [("nilai_penuh", 1, "1.5"), ("nilai_nol", 0, "0")]
)
def test_a_policy_can_score_a_zero_denominator(policy: str, value: int, nilai: str) -> None:
    report = zero_report(policy)
    q = report.questions[1]
    assert (q.status, q.value, q.policy, q.in_mean) == (
        "tidak dapat dihitung",
        D(value),
        policy,
        True,
    )
    assert report.indikator[0].counted == 2
    assert report.indikator[0].nilai == D(nilai)


def test_no_policy_is_reported_for_a_computable_question() -> None:
    report = score(
        one_indikator_model(rasio_question()), answers(numbers={"A.1.i.a.1": 4, "A.1.i.a.3": 2})
    )
    assert report.questions[0].policy is None
    assert report.indikator[0].policy is None


def _pengaduan_model(empty: str):  # type: ignore[no-untyped-def]
    model = one_indikator_model(rasio_question(), bobot="3")
    area = model.areas[0]
    ind = replace(area.indikator[0], empty_policy=empty)  # type: ignore[arg-type]
    return replace(model, areas=(replace(area, indikator=(ind,)),))


def test_by_default_an_indikator_without_a_computable_question_scores_0() -> None:
    # Today's rule: a unit with no complaints to handle loses Reform 5.ii's 3,00.
    assert IndikatorSpec("x", "x", D(1), ()).empty_policy == "nol"
    report = score(_pengaduan_model("nol"), answers(numbers={"A.1.i.a.1": 0, "A.1.i.a.3": 0}))
    ind = report.indikator[0]
    assert (ind.nilai, ind.mean, ind.policy) == (D(0), None, "nol")


def test_the_penuh_policy_gives_the_indikator_its_bobot() -> None:
    model = _pengaduan_model("penuh")
    numbers = answers(numbers={"A.1.i.a.1": 0, "A.1.i.a.3": 0})
    report = score(model, numbers)
    ind = report.indikator[0]
    assert (ind.nilai, ind.policy) == (D(3), "penuh")
    assert report.total.nilai == D(3)
    assert gap_advisor(model, numbers, report) == []  # nothing left to gain


def test_5iii_with_one_sub_item_not_computable_takes_the_other_alone() -> None:
    model = model_90_2021()
    base = best_answers(model)
    numbers = dict(base.numbers)
    numbers.update(
        {
            # LHKPN: nobody must report -> tidak dapat dihitung (this spec has no total row).
            "A.II.5.iii.a.1": D(0),
            "A.II.5.iii.a.2": D(0),
            "A.II.5.iii.a.3": D(0),
            "A.II.5.iii.a.4": D(0),
            # LHKASN 30 of 40.
            "A.II.5.iii.b.1": D(10),
            "A.II.5.iii.b.2": D(10),
            "A.II.5.iii.b.3": D(20),
            "A.II.5.iii.b.4": D(30),
        }
    )
    report = score(model, replace(base, numbers=numbers))
    by_code = {q.code: q for q in report.questions}
    assert by_code["A.II.5.iii.a"].policy == "keluar_dari_rerata"
    assert by_code["A.II.5.iii.b"].value == D("0.75")
    assert report.nilai_of("A.II.5.iii") == D("1.5")  # 0.75 x 2.00, LHKASN alone


def test_gap_advisor_counts_a_scored_zero_denominator_in_the_mean() -> None:
    q = replace(rasio_question("A.1.i.b"), zero_policy="nilai_nol")
    model = one_indikator_model(option_question("A.1.i.a"), q, bobot="2")
    numbers = answers(options={"A.1.i.a": "Ya"}, numbers={"A.1.i.b.1": 0, "A.1.i.b.3": 0})
    gains = gap_advisor(model, numbers)
    assert [(g.question_code, g.gain) for g in gains] == [("A.1.i.b", D(1))]
