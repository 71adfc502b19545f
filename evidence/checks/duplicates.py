"""The same file (SHA-256) or a near-identical image (perceptual hash) elsewhere.

Photos and scanned pages are compared by their pHash (64 bits, imagehash): two images
within `MAX_DISTANCE` bits are taken as the same picture re-encoded, resized or lightly
retouched. A copy in another unit is *gagal*; in the same unit (another question or
year, or twice under one question) it is *perlu dicek*: reuse may be legitimate, the TPI
decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import imagehash

from evidence.checks.base import DUPLIKAT, GAGAL, LOLOS, PERLU_DICEK, Temuan
from evidence.checks.relevance import tokens

MAX_DISTANCE = 8
# Scanned pages of different documents share a layout (white page, dark lines), so
# their pHashes are close; for two images that both carry text the words must agree too.
MIN_TEXT_OVERLAP = 0.7


@dataclass(frozen=True)
class Jejak:
    """A bukti's fingerprints and where it is attached."""

    bukti_id: int
    unit_id: int
    tempat: str  # "Biro HP 2022, pertanyaan A.I.1.i.a (sk-tim.pdf)"
    sha256: str = ""
    phash: tuple[str, ...] = field(default_factory=tuple)
    url: str = ""
    kata: frozenset[str] = frozenset()  # the words of an image's or scan's text


def distance(a: str, b: str) -> int:
    return int(imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b))


def closest(a: Sequence[str], b: Sequence[str]) -> int | None:
    pairs = [distance(x, y) for x in a for y in b]
    return min(pairs) if pairs else None


def image_words(halaman: Sequence[dict[str, object]]) -> frozenset[str]:
    """The words of the OCR'd pages (those that have a pHash), normalised."""
    return frozenset(t for h in halaman if h.get("ocr") for t in tokens(str(h.get("teks", ""))))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def near_identical(this: Jejak, other: Jejak) -> int | None:
    """The pHash distance of two near-identical images, or None if they differ."""
    gap = closest(this.phash, other.phash)
    if gap is None or gap > MAX_DISTANCE:
        return None
    if this.kata and other.kata and overlap(this.kata, other.kata) < MIN_TEXT_OVERLAP:
        return None
    return gap


def check_duplicates(this: Jejak, others: Sequence[Jejak]) -> Temuan:
    same: list[tuple[Jejak, str]] = []
    for other in others:
        if other.bukti_id == this.bukti_id:
            continue
        if this.sha256 and other.sha256 == this.sha256:
            same.append((other, "berkas sama (SHA-256)"))
        elif this.url and other.url == this.url:
            same.append((other, "tautan sama"))
        else:
            gap = near_identical(this, other)
            if gap is not None:
                same.append((other, f"gambar hampir identik (selisih pHash {gap} bit)"))
    if not same:
        return Temuan(
            DUPLIKAT, LOLOS, "Tidak ditemukan salinan pada pertanyaan, unit, atau tahun lain."
        )
    other_unit = any(o.unit_id != this.unit_id for o, _ in same)
    places = "; ".join(f"{o.tempat}: {how}" for o, how in same)
    status = GAGAL if other_unit else PERLU_DICEK
    prefix = (
        "Bukti yang sama dipakai unit kerja lain"
        if other_unit
        else "Bukti yang sama juga dilampirkan"
    )
    return Temuan(
        DUPLIKAT,
        status,
        f"{prefix}: {places}.",
        detail={"sama_dengan": [o.bukti_id for o, _ in same]},
    )
