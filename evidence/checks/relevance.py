"""How well a bukti's text matches the data dukung its question asks for.

A transparent lexical method over Indonesian text:
1. normalisation: lower case, accents removed, punctuation to spaces, the Indonesian
   stop words of `stopwords_id.txt` dropped, a few fixed phrases and spellings folded
   to one form ("surat keputusan" = "sk", "zona integritas" = "zi", "notulen" = "notula");
2. the data dukung text is split into its header and its items ("a) undangan rapat b)
   daftar hadir ..."); the terms asked for are the header's and the best-matching item's;
3. each term weighs its BM25 inverse document frequency over every data dukung of the
   model (rank-bm25), so words every data dukung shares ("dokumen", "daftar hadir") count
   little and distinctive ones ("agen perubahan", "gratifikasi") count much;
4. coverage = weight of the terms found ÷ weight of the terms asked for; BM25 also ranks
   the document's pages, so the finding cites the page that matches best.
The finding names the words found and their pages, so a reader sees why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from rank_bm25 import BM25Okapi

from evidence.checks.base import GAGAL, LOLOS, PERLU_DICEK, RELEVANSI, Temuan

LOLOS_FROM = 0.5  # coverage at or above: lolos, if the most distinctive word is found
LOLOS_ANYWAY = 0.75  # coverage at or above: lolos even without it
GAGAL_BELOW = 0.25  # coverage below: gagal; between: perlu dicek

PHRASES: tuple[tuple[str, str], ...] = (
    ("surat keputusan", "sk"),
    ("keputusan kepala", "sk kepala"),
    ("zona integritas", "zi"),
    ("wilayah bebas dari korupsi", "wbk"),
    ("wilayah bebas korupsi", "wbk"),
    ("wilayah birokrasi bersih dan melayani", "wbbm"),
    ("unit pengendalian gratifikasi", "upg"),
    ("laporan kinerja", "lkj"),
    ("indeks kepuasan masyarakat", "ikm survei kepuasan masyarakat"),
    ("monev", "monitoring evaluasi"),
    ("notulen", "notula"),
    ("notulensi", "notula"),
    ("resiko", "risiko"),
    ("matriks", "matrik"),
    ("survey", "survei"),
    ("absensi", "daftar hadir"),
)
DISPLAY = {
    "sk": "Surat Keputusan (SK)",
    "zi": "Zona Integritas (ZI)",
    "wbk": "WBK",
    "wbbm": "WBBM",
    "upg": "UPG",
    "lkj": "Laporan Kinerja (LKj)",
}
_ITEM_MARK = re.compile(r"(?:^|\s)(?:[a-z]|\d{1,2})[.)](?=\s|[A-Za-z])|\n|;|:")
_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBERISH = re.compile(r"^\d+$|^b\d{2}$")


@cache
def stop_words() -> frozenset[str]:
    path = Path(__file__).with_name("stopwords_id.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = f" {text} "
    for phrase, canonical in PHRASES:
        text = text.replace(f" {phrase} ", f" {canonical} ")
    return text


def tokens(text: str) -> list[str]:
    stops = stop_words()
    out = []
    for token in _TOKEN.findall(normalise(text)):
        if token.endswith("nya") and len(token) > 5:
            token = token[:-3]
        if len(token) < 2 or token in stops or _NUMBERISH.match(token):
            continue
        out.append(token)
    return out


_NOTE = re.compile(r"\bcatatan\s*:", re.IGNORECASE)


def split_items(nama: str) -> tuple[str, list[str]]:
    """The header of a data dukung text and its listed items (a "Catatan:" is no item)."""
    nama = _NOTE.split(nama, maxsplit=1)[0]
    parts = [p.strip() for p in _ITEM_MARK.split(nama) if p and p.strip()]
    if len(parts) <= 1:
        return nama, []
    return parts[0], parts[1:]


class Corpus:
    """Every data dukung text of a model: the reference for the terms' weights."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        docs = [tokens(t) or ["_"] for t in self.texts] or [["_"]]
        self.bm25 = BM25Okapi(docs)
        self.top_idf = max(self.bm25.idf.values(), default=1.0)

    def weight(self, term: str) -> float:
        # a term no data dukung uses is as distinctive as the rarest one
        return max(float(self.bm25.idf.get(term, self.top_idf)), 0.05)


@dataclass
class Cocok:
    nama: str
    coverage: float
    found: dict[str, list[int]]  # term -> pages
    missing: list[str]
    best_page: int | None
    key_term: str  # the most distinctive word of the item asked for

    @property
    def passes(self) -> bool:
        return self.coverage >= LOLOS_ANYWAY or (
            self.coverage >= LOLOS_FROM and self.key_term in self.found
        )


def _display(term: str) -> str:
    return DISPLAY.get(term, term)


def _phrases(
    terms: list[str], found: dict[str, list[int]], page_tokens: dict[int, list[str]]
) -> list[tuple[str, list[int]]]:
    """Join found terms that stand next to each other in both texts into phrases."""
    pairs = {(a, b): page for page, toks in page_tokens.items() for a, b in pairwise(toks)}
    out: list[tuple[list[str], set[int]]] = []
    for term in terms:
        if term not in found:
            continue
        if out and (out[-1][0][-1], term) in pairs and term not in out[-1][0]:
            out[-1][0].append(term)
            out[-1][1].add(pairs[(out[-1][0][-2], term)])
        elif not any(term in words for words, _ in out):
            out.append(([term], set(found[term])))
    return [(" ".join(_display(t) for t in words), sorted(pages)) for words, pages in out]


def match(nama: str, pages: Sequence[tuple[int, str]], corpus: Corpus) -> Cocok:
    page_tokens = {number: tokens(text) for number, text in pages}
    where: dict[str, list[int]] = {}
    for number, toks in page_tokens.items():
        for token in set(toks):
            where.setdefault(token, []).append(number)

    def cover(terms: list[str]) -> float:
        total = sum(corpus.weight(t) for t in set(terms))
        return sum(corpus.weight(t) for t in set(terms) if t in where) / total if total else 0

    header, items = split_items(nama)
    head = tokens(header)
    # (terms asked for, the item's own terms: the most distinctive of these is the key)
    candidates = [(head + tokens(item), tokens(item)) for item in items] or [(head, head)]
    asked, own = max(candidates, key=lambda c: cover(c[0]))
    asked = list(dict.fromkeys(asked))
    own = own or asked
    found = {t: sorted(where[t]) for t in asked if t in where}
    best_page = None
    if found and page_tokens:
        scorer = BM25Okapi([toks or ["_"] for toks in page_tokens.values()])
        scores = scorer.get_scores(asked)
        best_page = list(page_tokens)[max(range(len(scores)), key=lambda i: scores[i])]
    return Cocok(
        nama=nama,
        coverage=cover(asked),
        found=found,
        missing=[t for t in asked if t not in where],
        best_page=best_page,
        key_term=max(own, key=corpus.weight) if own else "",
    )


def check_relevance(
    pages: Sequence[tuple[int, str]], data_dukung: Sequence[str], corpus: Corpus
) -> Temuan:
    """Match against each data dukung of the question and keep the best."""
    if not data_dukung:
        return Temuan(
            RELEVANSI,
            PERLU_DICEK,
            "Pertanyaan ini belum memiliki daftar data dukung; kesesuaian isi tidak dinilai.",
        )
    if not any(text.strip() for _, text in pages):
        return Temuan(RELEVANSI, PERLU_DICEK, "Tidak ada teks untuk dicocokkan dengan data dukung.")
    best = max(
        (match(nama, pages, corpus) for nama in data_dukung),
        key=lambda c: (c.passes, c.coverage),
    )
    page_tokens = {number: tokens(text) for number, text in pages}
    asked = list(best.found) + best.missing
    ordered = [t for t in tokens(best.nama) if t in set(asked)]
    phrases = _phrases(list(dict.fromkeys(ordered)), best.found, page_tokens)
    percent = f"{best.coverage * 100:.0f}%"
    short = " ".join(best.nama.split())[:120]
    if phrases:
        pages_all = sorted({p for _, ps in phrases for p in ps})
        found_text = ", ".join(f"*{text}*" for text, _ in phrases)
        where = ", ".join(str(p) for p in pages_all)
        explanation = f"ditemukan: {found_text}, halaman {where}"
    else:
        explanation = "tidak ada kata dari data dukung yang ditemukan"
    missing = ", ".join(_display(t) for t in best.missing[:8])
    if best.passes:
        status = LOLOS
        reason = f"Sesuai dengan data dukung “{short}” ({percent}); {explanation}."
    elif best.coverage >= LOLOS_FROM:
        status = PERLU_DICEK
        reason = (
            f"Sebagian sesuai dengan data dukung “{short}” ({percent}); {explanation}; "
            f"kata terpenting *{_display(best.key_term)}* tidak ditemukan."
        )
    elif best.coverage >= GAGAL_BELOW:
        status = PERLU_DICEK
        reason = (
            f"Sebagian sesuai dengan data dukung “{short}” ({percent}); {explanation}; "
            f"tidak ditemukan: {missing}."
        )
    else:
        status = GAGAL
        reason = (
            f"Isi dokumen tidak cocok dengan data dukung “{short}” ({percent}); "
            f"{explanation}; tidak ditemukan: {missing}."
        )
    return Temuan(
        RELEVANSI,
        status,
        reason,
        halaman=best.best_page,
        detail={
            "data_dukung": best.nama,
            "cakupan": round(best.coverage, 4),
            "ditemukan": best.found,
            "tidak_ditemukan": best.missing,
        },
    )
