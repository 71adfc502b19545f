"""Model specs and answer sets built in code for the scoring engine tests (no Django).

- ``model_10_2019()``: the 10/2019 model as used by the worked example in the research
  note, section (b) (81 questions, answer types as listed there), thresholds from
  domain.md (no explicit "already WBK" rule: the engine adds it).
- ``model_90_2021()``: the full 90/2021 LKE shape (110 questions, research note c.2 and
  a.5) with the a.7.3 thresholds.
- ``small_model_bagian()`` / ``small_model_flat()``: small models for property tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from scoring.engine import (
    AnswerSet,
    AnswerType,
    AreaSpec,
    BagianSpec,
    HasilGroupSpec,
    HasilItemSpec,
    IndikatorSpec,
    InputRole,
    InputSpec,
    ModelSpec,
    QuestionSpec,
    RuleSpec,
)

D = Decimal
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
LETTERS = "abcdefgh"

# A question is written as its answer type, or as a persen tuple
# ("persen", formula, ((input label, role), ...)).
Formula = Literal["rasio", "penurunan"]
PersenDef = tuple[str, Formula, tuple[tuple[str, InputRole], ...]]
QuestionDef = AnswerType | PersenDef
IndikatorDef = tuple[str, str, Sequence[QuestionDef]]  # label, bobot, questions


def _question(code: str, label: str, definition: QuestionDef) -> QuestionSpec:
    if isinstance(definition, str):
        return QuestionSpec(code, label, definition)
    _, formula, inputs = definition
    return QuestionSpec(
        code,
        label,
        "persen",
        formula,
        tuple(
            InputSpec(f"{code}.{n}", text, role) for n, (text, role) in enumerate(inputs, start=1)
        ),
    )


def build_area(
    code: str, number: int, label: str, bobot: str, indikator: Sequence[IndikatorDef]
) -> AreaSpec:
    specs = []
    for roman, (ind_label, ind_bobot, questions) in zip(ROMAN, indikator, strict=False):
        ind_code = f"{code}.{roman}"
        specs.append(
            IndikatorSpec(
                ind_code,
                ind_label,
                D(ind_bobot),
                tuple(
                    _question(f"{ind_code}.{letter}", f"{ind_label} ({letter})", q)
                    for letter, q in zip(LETTERS, questions, strict=False)
                ),
            )
        )
    return AreaSpec(code, number, label, D(bobot), tuple(specs))


AREA_LABELS = (
    "MANAJEMEN PERUBAHAN",
    "PENATAAN TATALAKSANA",
    "PENATAAN SISTEM MANAJEMEN SDM APARATUR",
    "PENGUATAN AKUNTABILITAS",
    "PENGUATAN PENGAWASAN",
    "PENINGKATAN KUALITAS PELAYANAN PUBLIK",
)

# --------------------------------------------------------------------------------------
# 10/2019 and the worked example, research note section (b)
# --------------------------------------------------------------------------------------

# (label, bobot, ((answer type, worked-example answer), ...)) per area, in order.
WORKED_10_2019: tuple[
    tuple[str, tuple[tuple[str, str, tuple[tuple[AnswerType, str], ...]], ...]], ...
] = (
    (
        "8",
        (
            ("Penyusunan Tim Kerja", "1", (("ya_tidak", "Ya"), ("abc", "A"))),
            ("Rencana Pembangunan ZI", "2", (("ya_tidak", "Ya"), ("abc", "B"), ("abc", "A"))),
            ("Pemantauan & Evaluasi", "2", (("abcd", "B"), ("abcd", "A"), ("abcd", "B"))),
            (
                "Pola pikir & budaya kerja",
                "3",
                (("ya_tidak", "Ya"), ("abc", "A"), ("abc", "B"), ("abcd", "B")),
            ),
        ),
    ),
    (
        "7",
        (
            ("SOP kegiatan utama", "2", (("abcd", "B"), ("abcde", "B"), ("abcde", "C"))),
            ("E-Office", "4", (("abc", "A"), ("abc", "B"), ("abc", "A"), ("abc", "B"))),
            ("Keterbukaan Informasi Publik", "1", (("abc", "A"), ("abc", "B"))),
        ),
    ),
    (
        "10",
        (
            (
                "Perencanaan kebutuhan pegawai",
                "0.5",
                (("ya_tidak", "Ya"), ("abcd", "B"), ("ya_tidak", "Ya")),
            ),
            (
                "Pola mutasi internal",
                "1",
                (("ya_tidak", "Ya"), ("abcde", "C"), ("ya_tidak", "Tidak")),
            ),
            (
                "Pengembangan kompetensi",
                "2.5",
                (
                    ("ya_tidak", "Ya"),
                    ("abcd", "B"),
                    ("abcd", "B"),
                    ("abcd", "A"),
                    ("abcd", "B"),
                    ("abc", "B"),
                ),
            ),
            (
                "Penetapan kinerja individu",
                "4",
                (("abcd", "A"), ("abcd", "B"), ("abcde", "A"), ("ya_tidak", "Ya")),
            ),
            ("Penegakan disiplin", "1.5", (("abcd", "B"),)),
            ("Sistem informasi kepegawaian", "0.5", (("abc", "A"),)),
        ),
    ),
    (
        "10",
        (
            ("Keterlibatan pimpinan", "5", (("abc", "A"), ("abc", "A"), ("abcd", "B"))),
            (
                "Pengelolaan AK",
                "5",
                (
                    ("ya_tidak", "Ya"),
                    ("ya_tidak", "Ya"),
                    ("ya_tidak", "Ya"),
                    ("abcd", "B"),
                    ("ya_tidak", "Ya"),
                    ("abc", "A"),
                    ("ya_tidak", "Ya"),
                    ("abc", "B"),
                ),
            ),
        ),
    ),
    (
        "15",
        (
            ("Pengendalian gratifikasi", "3", (("abc", "A"), ("abcd", "B"))),
            (
                "Penerapan SPIP",
                "3",
                (("abcde", "B"), ("abcde", "C"), ("abc", "A"), ("abc", "B")),
            ),
            (
                "Pengaduan masyarakat",
                "3",
                (("abc", "A"), ("ya_tidak", "Ya"), ("abc", "B"), ("abc", "B")),
            ),
            (
                "Whistle-Blowing System",
                "3",
                (("abc", "A"), ("abc", "A"), ("abc", "B"), ("abc", "C")),
            ),
            (
                "Benturan kepentingan",
                "3",
                (("abcd", "B"), ("abcd", "A"), ("abcd", "B"), ("abc", "B"), ("abc", "C")),
            ),
        ),
    ),
    (
        "10",
        (
            (
                "Standar pelayanan",
                "3",
                (("abcde", "B"), ("abcd", "A"), ("abcd", "A"), ("abcd", "B")),
            ),
            (
                "Budaya pelayanan prima",
                "3",
                (("abcde", "A"), ("abcd", "A"), ("abcd", "B"), ("abcd", "A"), ("abc", "B")),
            ),
            ("Penilaian kepuasan", "4", (("abcde", "B"), ("abc", "A"), ("abcd", "B"))),
        ),
    ),
)

# Printed results of the worked example (4 decimals).
WORKED_INDIKATOR = (
    "1.0000", "1.6667", "1.5600", "2.3775",
    "1.2800", "3.0000", "0.7500",
    "0.4450", "0.5000", "1.8792", "3.6700", "1.0050", "0.5000",
    "4.4500", "4.4813",
    "2.5050", "2.0625", "2.2500", "1.8750", "1.7040",
    "2.5650", "2.5020", "3.2267",
)  # fmt: skip
WORKED_AREAS = ("6.6042", "5.0300", "7.9992", "8.9313", "10.3965", "8.2937")
WORKED_AREA_PERSEN = ("82.55", "71.86", "79.99", "89.31", "69.31", "82.94")


def rules_10_2019() -> tuple[RuleSpec, ...]:
    return (
        RuleSpec("WBK", "total", "Nilai total", D("75")),
        RuleSpec("WBK", "unsur", "Pemerintah yang bersih", D("18.25"), "B.I"),
        RuleSpec("WBK", "unsur", "IPAK", D("15.75"), "B.I.a"),
        RuleSpec("WBK", "unsur", "TLHP", D("2.5"), "B.I.b"),
        RuleSpec("WBBM", "total", "Nilai total", D("85")),
        RuleSpec("WBBM", "unsur", "Pemerintah yang bersih", D("19.5"), "B.I"),
        RuleSpec("WBBM", "unsur", "IPAK", D("15.75"), "B.I.a"),
        RuleSpec("WBBM", "unsur", "TLHP", D("3.75"), "B.I.b"),
        RuleSpec("WBBM", "unsur", "Pelayanan publik", D("15.75"), "B.II"),
    )


def model_10_2019() -> ModelSpec:
    areas = tuple(
        build_area(
            f"A.{number}",
            number,
            AREA_LABELS[number - 1],
            bobot,
            [(label, w, [t for t, _ in qs]) for label, w, qs in indikator],
        )
        for number, (bobot, indikator) in enumerate(WORKED_10_2019, start=1)
    )
    return ModelSpec(
        code="permenpanrb-10-2019",
        pengungkit_bobot=D("60"),
        bagian=(),
        areas=areas,
        hasil_bobot=D("40"),
        hasil_groups=(
            HasilGroupSpec(
                "B.I",
                "Pemerintah yang bersih dan bebas KKN",
                D("22.5"),
                (
                    HasilItemSpec("B.I.a", "IPAK", D("17.5"), "indeks"),
                    HasilItemSpec("B.I.b", "TLHP", D("5"), "tlhp"),
                ),
            ),
            HasilGroupSpec(
                "B.II",
                "Kualitas pelayanan publik",
                D("17.5"),
                (HasilItemSpec("B.II.a", "IPKP", D("17.5"), "indeks"),),
            ),
        ),
        rules=rules_10_2019(),
    )


def worked_example_answers(
    ipak: str = "3.62", tlhp: str = "80", ipkp: str = "3.45", held: str | None = None
) -> AnswerSet:
    options: dict[str, str] = {}
    for number, (_, indikator) in enumerate(WORKED_10_2019, start=1):
        for roman, (_, _, qs) in zip(ROMAN, indikator, strict=False):
            for letter, (_, answer) in zip(LETTERS, qs, strict=False):
                options[f"A.{number}.{roman}.{letter}"] = answer
    return AnswerSet(
        options=options,
        numbers={},
        hasil={"B.I.a": D(ipak), "B.I.b": D(tlhp), "B.II.a": D(ipkp)},
        held_predikat=held,
    )


# --------------------------------------------------------------------------------------
# 90/2021 (research note c.2, a.5, a.7.3)
# --------------------------------------------------------------------------------------

PEMENUHAN_90_2021: tuple[tuple[str, tuple[IndikatorDef, ...]], ...] = (
    (
        "4",
        (
            ("Penyusunan Tim Kerja", "0.50", ("ya_tidak", "abc")),
            ("Rencana Pembangunan ZI", "1.00", ("ya_tidak", "abc", "abc")),
            ("Pemantauan dan Evaluasi", "1.00", ("abcd", "abcd", "abcd")),
            ("Perubahan pola pikir", "1.50", ("ya_tidak", "abc", "abc", "abcd")),
        ),
    ),
    (
        "3.5",
        (
            ("SOP", "1.00", ("abcd", "abcde", "abcde")),
            ("SPBE", "2.00", ("abc", "abc", "abc", "abc")),
            ("Keterbukaan Informasi Publik", "0.50", ("abc", "abc")),
        ),
    ),
    (
        "5",
        (
            ("Perencanaan kebutuhan pegawai", "0.25", ("ya_tidak", "abcd", "ya_tidak")),
            ("Pola mutasi internal", "0.50", ("ya_tidak", "abcde", "ya_tidak")),
            (
                "Pengembangan kompetensi",
                "1.25",
                ("ya_tidak", "abcd", "abcd", "abcd", "abcd", "abc"),
            ),
            ("Penetapan kinerja individu", "2.00", ("abcd", "abcd", "abcde", "ya_tidak")),
            ("Penegakan aturan disiplin", "0.75", ("abcd",)),
            ("Sistem informasi kepegawaian", "0.25", ("abc",)),
        ),
    ),
    (
        "5",
        (
            ("Keterlibatan pimpinan", "2.50", ("abc", "abc", "abcd")),
            (
                "Pengelolaan akuntabilitas kinerja",
                "2.50",
                ("ya_tidak", "ya_tidak", "ya_tidak", "abcd", "ya_tidak", "abc", "ya_tidak", "abc"),
            ),
        ),
    ),
    (
        "7.5",
        (
            ("Pengendalian gratifikasi", "1.50", ("abc", "abcd")),
            ("Penerapan SPIP", "1.50", ("abcde", "abcde", "abc", "abc")),
            ("Pengaduan masyarakat", "1.50", ("abc", "ya_tidak", "abc", "abc")),
            ("Whistle-Blowing System", "1.50", ("abc", "abc", "abc")),
            ("Penanganan benturan kepentingan", "1.50", ("abcd", "abcd", "abcd", "abc", "abc")),
        ),
    ),
    (
        "5",
        (
            ("Standar pelayanan", "1.00", ("abcde", "abcd", "abcd", "ya_tidak")),
            ("Budaya pelayanan prima", "1.00", ("abcde", "abcd", "abcd", "abcd", "abcd", "abcde")),
            ("Pengelolaan pengaduan", "1.00", ("abcde", "abc", "abc")),
            ("Penilaian kepuasan", "1.00", ("abcde", "abc", "abcd")),
            ("Pemanfaatan teknologi informasi", "1.00", ("abcd", "ya_tidak", "abc")),
        ),
    ),
)

REFORM_90_2021: tuple[tuple[str, tuple[IndikatorDef, ...]], ...] = (
    (
        "4",
        (
            (
                "Komitmen dalam perubahan",
                "2.00",
                (
                    (
                        "persen",
                        "rasio",
                        (("Jumlah agen perubahan", "penyebut"), ("Jumlah perubahan", "pembilang")),
                    ),
                    (
                        "persen",
                        "rasio",
                        (
                            ("Jumlah perubahan dibuat", "penyebut"),
                            ("Jumlah terintegrasi", "pembilang"),
                        ),
                    ),
                ),
            ),
            ("Komitmen pimpinan", "1.00", ("abcde",)),
            ("Membangun budaya kerja", "1.00", ("abcd",)),
        ),
    ),
    (
        "3.5",
        (
            ("Peta proses bisnis", "0.50", ("abcd",)),
            ("SPBE yang terintegrasi", "1.00", ("abc", "abc")),
            ("Transformasi digital", "2.00", ("abcde", "abcde", "abcde")),
        ),
    ),
    (
        "5",
        (
            ("Kinerja individu", "1.50", ("abc",)),
            ("Assessment pegawai", "1.50", ("abc",)),
            (
                "Pelanggaran disiplin pegawai",
                "2.00",
                (
                    (
                        "persen",
                        "penurunan",
                        (
                            ("Jumlah pelanggaran tahun sebelumnya", "sebelumnya"),
                            ("Jumlah pelanggaran tahun ini", "sekarang"),
                            ("Jumlah pelanggaran yang telah diberikan sanksi", "info"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "5",
        (
            (
                "Meningkatnya capaian kinerja unit kerja",
                "2.00",
                (
                    (
                        "persen",
                        "rasio",
                        (("Jumlah sasaran kinerja", "penyebut"), ("Jumlah tercapai", "pembilang")),
                    ),
                ),
            ),
            ("Pemberian reward and punishment", "1.50", ("abcd",)),
            ("Kerangka logis kinerja", "1.50", ("abcd",)),
        ),
    ),
    (
        "7.5",
        (
            ("Mekanisme pengendalian", "2.50", ("abcde",)),
            (
                "Penanganan pengaduan masyarakat",
                "3.00",
                (
                    (
                        "persen",
                        "rasio",
                        (
                            ("Jumlah harus ditindaklanjuti", "penyebut"),
                            ("Jumlah sedang diproses", "info"),
                            ("Jumlah selesai ditindaklanjuti", "pembilang"),
                        ),
                    ),
                ),
            ),
            (
                "Penyampaian laporan harta kekayaan",
                "2.00",
                (
                    (
                        "persen",
                        "rasio",
                        (
                            ("Kepala satker", "penyebut"),
                            ("Pejabat wajib LHKPN", "penyebut"),
                            ("Wajib LHKPN lainnya", "penyebut"),
                            ("Sudah lapor LHKPN", "pembilang"),
                        ),
                    ),
                    (
                        "persen",
                        "rasio",
                        (
                            ("Eselon III", "penyebut"),
                            ("Eselon IV", "penyebut"),
                            ("Fungsional dan pelaksana", "penyebut"),
                            ("Sudah lapor LHKASN", "pembilang"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "5",
        (
            (
                "Upaya dan/atau inovasi pelayanan publik",
                "2.50",
                (
                    "abcd",
                    (
                        "persen",
                        "rasio",
                        (
                            ("Jumlah layanan terdata", "penyebut"),
                            ("Jumlah dipermudah", "pembilang"),
                        ),
                    ),
                ),
            ),
            ("Penanganan pengaduan pelayanan dan konsultasi", "2.50", ("abcd",)),
        ),
    ),
)


def rules_90_2021() -> tuple[RuleSpec, ...]:
    return (
        RuleSpec("WBK", "total", "Nilai total", D("75.00")),
        RuleSpec("WBK", "pengungkit", "Nilai pengungkit", D("40.00")),
        RuleSpec("WBK", "area_persen", "Setiap area pengungkit", D("60.00")),
        RuleSpec("WBK", "unsur", "Birokrasi bersih", D("18.25"), "B.I"),
        RuleSpec("WBK", "unsur", "IPAK", D("15.75"), "B.I.a"),
        RuleSpec("WBK", "unsur", "Capaian kinerja", D("2.50"), "B.I.b"),
        RuleSpec("WBK", "unsur", "Pelayanan prima", D("14.00"), "B.II"),
        RuleSpec("WBBM", "total", "Nilai total", D("85.00")),
        RuleSpec("WBBM", "pengungkit", "Nilai pengungkit", D("48.00")),
        RuleSpec("WBBM", "area_persen", "Setiap area pengungkit", D("75.00")),
        RuleSpec("WBBM", "unsur", "Birokrasi bersih", D("19.50"), "B.I"),
        RuleSpec("WBBM", "unsur", "IPAK", D("15.75"), "B.I.a"),
        RuleSpec("WBBM", "unsur", "Capaian kinerja", D("3.75"), "B.I.b"),
        RuleSpec("WBBM", "unsur", "Pelayanan prima", D("15.75"), "B.II"),
        RuleSpec("WBBM", "predikat_sebelumnya", "Unit telah berpredikat WBK", target="WBK"),
    )


def model_90_2021() -> ModelSpec:
    bagian = []
    for roman, label, defs in (
        ("I", "PEMENUHAN", PEMENUHAN_90_2021),
        ("II", "REFORM", REFORM_90_2021),
    ):
        areas = tuple(
            build_area(f"A.{roman}.{n}", n, AREA_LABELS[n - 1], bobot, indikator)
            for n, (bobot, indikator) in enumerate(defs, start=1)
        )
        bagian.append(BagianSpec(f"A.{roman}", label, D("30"), areas))
    return ModelSpec(
        code="permenpanrb-90-2021",
        pengungkit_bobot=D("60"),
        bagian=tuple(bagian),
        areas=(),
        hasil_bobot=D("40"),
        hasil_groups=(
            HasilGroupSpec(
                "B.I",
                "Birokrasi yang bersih dan akuntabel",
                D("22.5"),
                (
                    HasilItemSpec("B.I.a", "IPAK", D("17.5"), "indeks"),
                    HasilItemSpec("B.I.b", "Capaian kinerja", D("5"), "capaian"),
                ),
            ),
            HasilGroupSpec(
                "B.II",
                "Pelayanan publik yang prima",
                D("17.5"),
                (HasilItemSpec("B.II.a", "IPKP", D("17.5"), "indeks"),),
            ),
        ),
        rules=rules_90_2021(),
    )


def best_answers(
    model: ModelSpec, hasil: dict[str, Decimal | str] | None = None, held: str | None = None
) -> AnswerSet:
    """Every option question at its best answer and every persen input giving ratio 1."""
    options: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for q in iter_questions(model):
        if q.answer_type == "persen":
            for spec in q.inputs:
                numbers[spec.code] = D(0) if spec.role == "sekarang" else D(1)
            if q.formula == "rasio":
                penyebut = sum(1 for s in q.inputs if s.role == "penyebut")
                first = next(s for s in q.inputs if s.role == "pembilang")
                numbers[first.code] = D(penyebut)
        else:
            options[q.code] = "Ya" if q.answer_type == "ya_tidak" else "A"
    if hasil is None:
        perfect: dict[str, Decimal | str] = {"indeks": D(4), "capaian": "A", "tlhp": D(100)}
        hasil = {}
        for group in model.hasil_groups:
            for item in group.items:
                hasil[item.code] = perfect[item.kind]
    return AnswerSet(options=options, numbers=numbers, hasil=hasil, held_predikat=held)


def iter_questions(model: ModelSpec) -> list[QuestionSpec]:
    areas = [a for b in model.bagian for a in b.areas] + list(model.areas)
    return [q for a in areas for i in a.indikator for q in i.questions]


def mini_reform_answers(held: str | None = None) -> AnswerSet:
    """Research note c.4: reform inputs and hasil of the 90/2021 mini example.

    All other questions get their best answer.
    """
    base = best_answers(model_90_2021(), held=held)
    numbers = dict(base.numbers)
    numbers.update(
        {
            # Komitmen dalam perubahan: 5 agents, 4 changes; 4 made, 3 integrated.
            "A.II.1.i.a.1": D(5),
            "A.II.1.i.a.2": D(4),
            "A.II.1.i.b.1": D(4),
            "A.II.1.i.b.2": D(3),
            # Pelanggaran disiplin: P = 4, N = 1 (third input informational).
            "A.II.3.iii.a.1": D(4),
            "A.II.3.iii.a.2": D(1),
            "A.II.3.iii.a.3": D(1),
            # Capaian kinerja unit: 9 of 10 sasaran.
            "A.II.4.i.a.1": D(10),
            "A.II.4.i.a.2": D(9),
            # Pengaduan: H = 20, diproses 2, S = 18.
            "A.II.5.ii.a.1": D(20),
            "A.II.5.ii.a.2": D(2),
            "A.II.5.ii.a.3": D(18),
            # LHKPN 3/3, LHKASN 38/40.
            "A.II.5.iii.a.1": D(1),
            "A.II.5.iii.a.2": D(1),
            "A.II.5.iii.a.3": D(1),
            "A.II.5.iii.a.4": D(3),
            "A.II.5.iii.b.1": D(5),
            "A.II.5.iii.b.2": D(10),
            "A.II.5.iii.b.3": D(25),
            "A.II.5.iii.b.4": D(38),
            # Inovasi: b = 6 of 8 services made easier (a = A below).
            "A.II.6.i.b.1": D(8),
            "A.II.6.i.b.2": D(6),
        }
    )
    options = dict(base.options)
    options["A.II.6.i.a"] = "A"
    return AnswerSet(
        options=options,
        numbers=numbers,
        hasil={"B.I.a": D("3.58"), "B.I.b": "B", "B.II.a": D("3.40")},
        held_predikat=held,
    )


# --------------------------------------------------------------------------------------
# Small models for property tests
# --------------------------------------------------------------------------------------

_SMALL_AREA_1: tuple[IndikatorDef, ...] = (
    ("Satu", "1.5", ("ya_tidak", "abc", "abcd")),
    (
        "Dua",
        "2.5",
        (
            "abcde",
            ("persen", "rasio", (("penyebut 1", "penyebut"), ("pembilang", "pembilang"))),
        ),
    ),
)
_SMALL_AREA_2: tuple[IndikatorDef, ...] = (
    (
        "Tiga",
        "3",
        (
            (
                "persen",
                "penurunan",
                (("tahun lalu", "sebelumnya"), ("tahun ini", "sekarang"), ("disanksi", "info")),
            ),
            "abcd",
        ),
    ),
    (
        "Empat",
        "1",
        (
            (
                "persen",
                "rasio",
                (
                    ("wajib a", "penyebut"),
                    ("wajib b", "penyebut"),
                    ("lapor a", "pembilang"),
                    ("lapor b", "pembilang"),
                ),
            ),
        ),
    ),
)


def _small_hasil(capaian: bool) -> tuple[HasilGroupSpec, ...]:
    second: HasilItemSpec = (
        HasilItemSpec("B.I.b", "Capaian kinerja", D("5"), "capaian")
        if capaian
        else HasilItemSpec("B.I.b", "TLHP", D("5"), "tlhp")
    )
    return (
        HasilGroupSpec(
            "B.I",
            "Bersih",
            D("22.5"),
            (HasilItemSpec("B.I.a", "IPAK", D("17.5"), "indeks"), second),
        ),
        HasilGroupSpec(
            "B.II", "Pelayanan", D("17.5"), (HasilItemSpec("B.II.a", "IPKP", D("17.5"), "indeks"),)
        ),
    )


def small_model_bagian() -> ModelSpec:
    """Two bagian x two areas (numbers 1 and 2), mixed answer types; pengungkit 16."""
    bagian = tuple(
        BagianSpec(
            f"A.{roman}",
            label,
            D("8"),
            (
                build_area(f"A.{roman}.1", 1, "SATU", "4", _SMALL_AREA_1),
                build_area(f"A.{roman}.2", 2, "DUA", "4", _SMALL_AREA_2),
            ),
        )
        for roman, label in (("I", "PEMENUHAN"), ("II", "REFORM"))
    )
    return ModelSpec(
        code="small-bagian",
        pengungkit_bobot=D("16"),
        bagian=bagian,
        areas=(),
        hasil_bobot=D("40"),
        hasil_groups=_small_hasil(capaian=True),
        rules=rules_90_2021(),
    )


def small_model_flat() -> ModelSpec:
    """Two areas listed directly (no bagian); pengungkit 8."""
    return ModelSpec(
        code="small-flat",
        pengungkit_bobot=D("8"),
        bagian=(),
        areas=(
            build_area("A.1", 1, "SATU", "4", _SMALL_AREA_1),
            build_area("A.2", 2, "DUA", "4", _SMALL_AREA_2),
        ),
        hasil_bobot=D("40"),
        hasil_groups=_small_hasil(capaian=False),
        rules=rules_10_2019(),
    )
