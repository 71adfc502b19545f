"""The engine's types: frozen specs built from the database, and the score reports.

Pure Python (no Django): ``scoring/services.py`` builds these from rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# --------------------------------------------------------------------------------------
# Input types (built by the Django loader)
# --------------------------------------------------------------------------------------

AnswerType = Literal["ya_tidak", "abc", "abcd", "abcde", "persen"]
InputRole = Literal["pembilang", "penyebut", "sebelumnya", "sekarang", "info"]
HasilKind = Literal["indeks", "capaian", "tlhp"]
RuleKind = Literal["total", "pengungkit", "area_persen", "unsur", "predikat_sebelumnya"]
QuestionStatus = Literal["dijawab", "belum dijawab", "tidak dapat dihitung"]
ZeroPolicy = Literal["keluar_dari_rerata", "nilai_penuh", "nilai_nol"]
"""What a % question scores when its denominator is 0 (domain.md Scoring rule 9)."""
EmptyPolicy = Literal["nol", "penuh"]
"""What an indikator scores when none of its questions can be computed."""
HasilStatus = Literal["dijawab", "belum dijawab"]
Verdict = Literal["WBBM", "WBK", "belum memenuhi"]


@dataclass(frozen=True)
class InputSpec:
    code: str
    label: str
    role: InputRole
    derived_from: tuple[str, ...] = ()  # a derived total: the sum of these inputs, never typed


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    label: str
    answer_type: AnswerType
    formula: Literal["rasio", "penurunan"] | None = None
    inputs: tuple[InputSpec, ...] = ()
    zero_policy: ZeroPolicy = "keluar_dari_rerata"


@dataclass(frozen=True)
class IndikatorSpec:
    code: str
    label: str
    bobot: Decimal
    questions: tuple[QuestionSpec, ...]
    empty_policy: EmptyPolicy = "nol"


@dataclass(frozen=True)
class AreaSpec:
    code: str
    number: int
    label: str
    bobot: Decimal
    indikator: tuple[IndikatorSpec, ...]


@dataclass(frozen=True)
class BagianSpec:
    code: str
    label: str
    bobot: Decimal
    areas: tuple[AreaSpec, ...]


@dataclass(frozen=True)
class HasilItemSpec:
    code: str
    label: str
    bobot: Decimal
    kind: HasilKind


@dataclass(frozen=True)
class HasilGroupSpec:
    code: str
    label: str
    bobot: Decimal
    items: tuple[HasilItemSpec, ...]


@dataclass(frozen=True)
class RuleSpec:
    predikat: str
    kind: RuleKind
    label: str
    minimum: Decimal | None = None
    target: str | None = None


@dataclass(frozen=True)
class ModelSpec:
    """One model penilaian. Exactly one of ``bagian`` / ``areas`` is non-empty."""

    code: str
    pengungkit_bobot: Decimal
    bagian: tuple[BagianSpec, ...]
    areas: tuple[AreaSpec, ...]
    hasil_bobot: Decimal
    hasil_groups: tuple[HasilGroupSpec, ...]
    rules: tuple[RuleSpec, ...]


@dataclass(frozen=True)
class AnswerSet:
    """One answer set (mandiri or TPI).

    ``options``: question code -> "Ya"/"Tidak"/"A".."E" (case-insensitive; "" = unanswered).
    ``numbers``: input code -> count. ``hasil``: IPAK/IPKP index 0-4 and TLHP percent
    0-100 as Decimal, capaian kinerja as a letter "A".."E".
    """

    options: Mapping[str, str]
    numbers: Mapping[str, Decimal]
    hasil: Mapping[str, Decimal | str]
    held_predikat: str | None = None


# --------------------------------------------------------------------------------------
# Report types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionScore:
    code: str
    label: str
    answer_type: AnswerType
    indikator_code: str
    area_code: str
    answer: str | None  # normalised option ("Ya", "B"); None for persen or unanswered
    value: Decimal | None  # 0..1; None when unanswered or not computable
    status: QuestionStatus
    note: str = ""
    policy: ZeroPolicy | None = None  # applied when status is "tidak dapat dihitung"

    @property
    def in_mean(self) -> bool:
        """Does this question enter its indikator's mean?"""
        return self.status != "tidak dapat dihitung" or self.policy in ("nilai_penuh", "nilai_nol")


@dataclass(frozen=True, slots=True)
class IndikatorScore:
    code: str
    label: str
    area_code: str
    bobot: Decimal
    nilai: Decimal
    persen: Decimal | None
    mean: Decimal | None  # None when no question enters the mean
    question_count: int
    answered: int  # status != "belum dijawab"
    counted: int  # questions in the mean (not "tidak dapat dihitung")
    note: str = ""
    policy: EmptyPolicy | None = None  # applied when no question could be computed


@dataclass(frozen=True, slots=True)
class AreaScore:
    code: str
    number: int
    label: str
    bobot: Decimal
    nilai: Decimal
    persen: Decimal | None
    bagian_code: str | None


@dataclass(frozen=True, slots=True)
class CombinedAreaScore:
    """All areas with the same number (Pemenuhan + Reform) against their summed bobot."""

    code: str
    number: int
    label: str
    bobot: Decimal
    nilai: Decimal
    persen: Decimal | None
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NodeScore:
    code: str
    label: str
    bobot: Decimal
    nilai: Decimal
    persen: Decimal | None


@dataclass(frozen=True, slots=True)
class HasilItemScore:
    code: str
    label: str
    kind: HasilKind
    group_code: str
    bobot: Decimal
    nilai: Decimal
    persen: Decimal | None
    raw: Decimal | str | None
    status: HasilStatus


@dataclass(frozen=True, slots=True)
class IndikatorCompleteness:
    code: str
    answered: int
    total: int


@dataclass(frozen=True, slots=True)
class Completeness:
    """Questions answered (a "tidak dapat dihitung" question counts as answered)."""

    answered: int
    total: int
    persen: Decimal | None
    hasil_answered: int
    hasil_total: int
    indikator: tuple[IndikatorCompleteness, ...]

    @property
    def complete(self) -> bool:
        return self.answered == self.total and self.hasil_answered == self.hasil_total


@dataclass(frozen=True, slots=True)
class RuleResult:
    predikat: str
    kind: RuleKind
    label: str
    target: str | None
    required: Decimal | str | None  # minimum (area_persen: percent) or required predikat
    actual: Decimal | str | None  # area_persen: the worst combined area's percent
    passed: bool
    worst_area: str | None = None
    failing_areas: tuple[str, ...] = ()
    implicit: bool = False  # added by the engine (domain rule 6), not in the model
    note: str = ""


@dataclass(frozen=True, slots=True)
class ScoreReport:
    model_code: str
    total: NodeScore
    pengungkit: NodeScore
    hasil: NodeScore
    completeness: Completeness
    verdict: Verdict
    questions: tuple[QuestionScore, ...]
    indikator: tuple[IndikatorScore, ...]
    areas: tuple[AreaScore, ...]
    combined_areas: tuple[CombinedAreaScore, ...]
    bagian: tuple[NodeScore, ...]
    hasil_items: tuple[HasilItemScore, ...]
    hasil_groups: tuple[NodeScore, ...]
    rules: tuple[RuleResult, ...]

    def nilai_of(self, code: str) -> Decimal | None:
        """Return the nilai of the node with this code ("total", "A", "B", any node)."""
        return _node_values(self).get(code)


@dataclass(frozen=True, slots=True)
class Gain:
    """Points the total would gain if one question were raised to its best answer."""

    question_code: str
    question_label: str
    indikator_code: str
    area_code: str
    status: QuestionStatus
    current_value: Decimal | None
    best_answer: str
    gain: Decimal
    new_total: Decimal


class ScoringError(ValueError):
    """The model or answer set cannot be scored (invalid option, bad hasil, bad rule)."""


def _node_values(report: ScoreReport) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    for group in (
        report.indikator,
        report.combined_areas,
        report.areas,
        report.bagian,
        report.hasil_items,
        report.hasil_groups,
        (report.pengungkit, report.hasil, report.total),
    ):
        for node in group:
            values[node.code] = node.nilai
    return values
