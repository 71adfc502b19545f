"""Does the answer agree with its evidence and its own catatan?

Pure rules over plain facts (no Django), every finding *perlu dicek* and never blocking:
- `tanpa_bukti`: the best option (A, Ya) with no bukti at all;
- `melebihi_bukti`: the best option while no bukti passes the checks (none lolos on
  relevance, or every one is dated outside the year);
- `catatan`: a catatan whose words say a level other than the chosen option's ("belum",
  "sebagian" under A; "seluruh" under the lowest option).

The answers live above this room (scoring); scoring registers the function that reads
them (`register_answer_source`), so this module never imports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from evidence.checks.base import KONSISTENSI, PERLU_DICEK, Temuan

NONE_WORDS = re.compile(
    r"\b(belum ada|tidak ada|belum (?:di)?(?:laksanakan|bentuk|susun|buat|tetapkan)|"
    r"tidak (?:di)?laksanakan|belum pernah|tidak pernah)\b"
)
PARTIAL_WORDS = re.compile(
    r"\b(sebagian|beberapa|belum (?:se)?(?:luruh|mua|lengkap)|belum seluruhnya|"
    r"masih dalam proses|dalam proses|baru sebagian|kurang lengkap|tidak lengkap)\b"
)
FULL_WORDS = re.compile(r"\b(seluruh(?:nya)?|semua(?:nya)?|lengkap|sepenuhnya|100 ?%)\b")


@dataclass(frozen=True)
class FaktaJawaban:
    kode: str
    pilihan: tuple[str, ...]  # the question's options, best first: ("A", "B", "C")
    opsi: str  # the mandiri answer ("" if unanswered)
    catatan: str
    jumlah_bukti: int
    bukti_lolos: int  # bukti passing relevance with a date inside the year


def catatan_level(catatan: str) -> str | None:
    """ "none", "partial" or "full" as the catatan's words say; None if they say nothing."""
    text = " ".join(catatan.lower().split())
    if not text:
        return None
    if PARTIAL_WORDS.search(text):
        return "partial"
    if NONE_WORDS.search(text):
        return "none"
    if FULL_WORDS.search(text):
        return "full"
    return None


def check_consistency(fakta: FaktaJawaban) -> list[Temuan]:
    if not fakta.opsi or fakta.opsi not in fakta.pilihan:
        return []
    best = fakta.opsi == fakta.pilihan[0]
    worst = fakta.opsi == fakta.pilihan[-1]
    found: list[Temuan] = []
    if best and fakta.jumlah_bukti == 0:
        found.append(
            Temuan(
                KONSISTENSI,
                PERLU_DICEK,
                f"Jawaban mandiri {fakta.opsi} tanpa bukti dukung.",
                detail={"kunci": "tanpa_bukti"},
            )
        )
    elif best and fakta.bukti_lolos == 0:
        found.append(
            Temuan(
                KONSISTENSI,
                PERLU_DICEK,
                f"Jawaban mandiri {fakta.opsi}, tetapi tidak satu pun dari "
                f"{fakta.jumlah_bukti} bukti lolos pemeriksaan tanggal dan kesesuaian isi.",
                detail={"kunci": "melebihi_bukti"},
            )
        )
    level = catatan_level(fakta.catatan)
    if best:
        contradicts = level in {"none", "partial"}
    elif worst:
        contradicts = level == "full" or (level == "partial" and len(fakta.pilihan) > 2)
    else:
        contradicts = level in {"none", "full"}
    if contradicts:
        words = {"none": "belum/tidak ada", "partial": "sebagian", "full": "seluruhnya"}[str(level)]
        found.append(
            Temuan(
                KONSISTENSI,
                PERLU_DICEK,
                f"Catatan menyatakan “{words}”, tidak sejalan dengan jawaban {fakta.opsi}.",
                detail={"kunci": "catatan", "level_catatan": level},
            )
        )
    return found


# (penilaian id, pertanyaan id) -> (mandiri option, its catatan), or None if unanswered
AnswerSource = Callable[[int, int], tuple[str, str] | None]
_sources: list[AnswerSource] = []


def register_answer_source(source: AnswerSource) -> None:
    """Called by the room that owns the answers (scoring), once, at start-up."""
    if source not in _sources:
        _sources.append(source)


def mandiri_answer(penilaian_id: int, pertanyaan_id: int) -> tuple[str, str] | None:
    for source in _sources:
        answer = source(penilaian_id, pertanyaan_id)
        if answer is not None:
            return answer
    return None
