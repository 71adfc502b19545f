"""Precision and recall of every check on the labelled set (corpus.py).

The figures must not fall below those written in docs/evidence-checks.md (the table
between the `figures` markers); the test prints what it measured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from evidence.checks.base import LOLOS
from evidence.checks.consistency import FaktaJawaban, check_consistency
from evidence.checks.dates import check_dates, document_date, find_dates
from evidence.checks.duplicates import Jejak, check_duplicates
from evidence.checks.relevance import check_relevance
from evidence.checks.text import HasilTeks, TidakTerbaca, extract, tesseract_available
from tests.conftest import require
from tests.evidence.checks.corpus import CODES, TAHUN, Dok, build

DOC = Path(__file__).resolve().parents[3] / "docs" / "evidence-checks.md"
UNIT_IDS = {"rutan-kupang": 1, "biro-hp": 2, "pusat-tik": 3, "bkkbn-sumsel": 4}


def confusion(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for truth, predicted in pairs:
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
        tn += not truth and not predicted
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def written_figures() -> dict[str, dict[str, float]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- figures:start -->")[1].split("<!-- figures:end -->")[0]
    figures = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        check, tp, fp, fn, tn, precision, recall = cells
        figures[check] = {
            "tp": int(tp),
            "fp": int(fp),
            "fn": int(fn),
            "tn": int(tn),
            "precision": float(precision.replace(",", ".")),
            "recall": float(recall.replace(",", ".")),
        }
    return figures


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Dok, HasilTeks | None]]:
    require(tesseract_available(), "tesseract dengan data bahasa ind")
    docs = build(tmp_path_factory.mktemp("corpus"))

    def read(dok: Dok) -> tuple[Dok, HasilTeks | None]:
        assert dok.path is not None
        try:
            return dok, extract(dok.path, dok.mime)
        except TidakTerbaca:
            return dok, None

    # each extraction is its own process: two at a time use both cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(read, docs))


@pytest.fixture(scope="module")
def rutan(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    from evidence.checks.run import data_dukung_for, relevance_corpus
    from lke.models import Penilaian, Pertanyaan

    with django_db_blocker.unblock():
        penilaian = Penilaian.objects.select_related("unit", "model").get(
            unit__slug="rutan-kupang", tahun=TAHUN
        )
        codes = [*CODES, "A.II.5.iii.a"]
        questions = {
            q.kode: q for q in Pertanyaan.objects.filter(model=penilaian.model, kode__in=codes)
        }
        return {
            "data_dukung": {c: data_dukung_for(penilaian, questions[c]) for c in codes},
            "corpus": relevance_corpus(penilaian),
        }


def pages(result: HasilTeks | None) -> list[tuple[int, str]]:
    return [] if result is None else [(h.nomor, h.teks) for h in result.halaman]


def measure(corpus: list[tuple[Dok, HasilTeks | None]], rutan: dict[str, Any]) -> dict[str, Any]:
    """The figures of the tuned part, then of the held-out part (suffix `_uji`)."""
    tuned = measure_part(corpus, rutan, uji=False)
    held_out = measure_part(corpus, rutan, uji=True)
    held_out.pop("konsistensi")
    return tuned | {f"{name}_uji": values for name, values in held_out.items()}


def measure_part(
    corpus: list[tuple[Dok, HasilTeks | None]], rutan: dict[str, Any], *, uji: bool
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    part = [n for n, (d, _) in enumerate(corpus) if d.uji == uji]
    dated = [corpus[n] for n in part if corpus[n][0].date is not None]
    figures["tanggal"] = confusion(
        (d.outside, check_dates(pages(r), tahun=TAHUN, tanggal_efektif=None).status != LOLOS)
        for d, r in dated
    )

    def exact(d: Dok, r: HasilTeks | None) -> tuple[bool, bool]:
        found = document_date(find_dates(pages(r)))
        right = found is not None and found.label() == d.date_label and found.halaman == d.page
        return (right or found is None, found is not None)

    # tanggal_tepat: a date found is a positive; it is true when it is the signature's
    figures["tanggal_tepat"] = confusion(exact(d, r) for d, r in dated)

    prints = [
        Jejak(
            bukti_id=n,
            unit_id=UNIT_IDS[d.unit],
            tempat=d.name,
            sha256=_sha(d),
            phash=tuple(r.phash) if r else (),
            kata=frozenset(t for h in (r.halaman if r else []) if h.ocr for t in _tokens(h.teks)),
        )
        for n, (d, r) in enumerate(corpus)
    ]
    groups = [d.group for d, _ in corpus]
    dup_pairs = []
    for n in part:
        this = prints[n]
        truth = groups[n] is not None and groups.count(groups[n]) > 1
        found = check_duplicates(this, prints)
        named = found.detail.get("sama_dengan", [])
        right = bool(named) and all(groups[m] == groups[n] for m in named)
        dup_pairs.append((truth, found.status != LOLOS and (right or not truth)))
        if found.status != LOLOS and not right and truth:
            dup_pairs[-1] = (False, True)  # named the wrong document: a false positive
            dup_pairs.append((True, False))
    figures["duplikat"] = confusion(dup_pairs)

    rel_pairs = []
    for n in part:
        d, r = corpus[n]
        if d.fits is None or r is None:
            continue
        other = (
            CODES[(CODES.index(d.fits) + 3 + n % 4) % len(CODES)]
            if d.fits in CODES
            else CODES[n % len(CODES)]
        )
        for code, truth in ((d.fits, True), (other, False)):
            found = check_relevance(pages(r), rutan["data_dukung"][code], rutan["corpus"])
            rel_pairs.append((truth, found.status == LOLOS))
    figures["relevansi"] = confusion(rel_pairs)

    figures["konsistensi"] = confusion(
        (flagged, bool(check_consistency(fakta))) for fakta, flagged in CONSISTENCY_CASES
    )
    return figures


def _sha(d: Dok) -> str:
    import hashlib

    assert d.path is not None
    return hashlib.sha256(d.path.read_bytes()).hexdigest()


def _tokens(text: str) -> list[str]:
    from evidence.checks.relevance import tokens

    return tokens(text)


ABC = ("A", "B", "C")
YT = ("Ya", "Tidak")
ABCDE = ("A", "B", "C", "D", "E")


def _f(pilihan: tuple[str, ...], opsi: str, catatan: str, n: int, lolos: int) -> FaktaJawaban:
    return FaktaJawaban("A.I.1.i.a", pilihan, opsi, catatan, n, lolos)


# (facts, whether a reviewer would want it flagged)
CONSISTENCY_CASES: list[tuple[FaktaJawaban, bool]] = [
    (_f(YT, "Ya", "", 0, 0), True),
    (_f(ABC, "A", "SK sudah ditetapkan", 0, 0), True),
    (_f(ABC, "A", "", 2, 0), True),
    (_f(ABC, "A", "Tim sudah dibentuk dan SK ditetapkan", 2, 2), False),
    (_f(ABC, "A", "Baru sebagian unit yang melaksanakan", 3, 2), True),
    (_f(ABC, "A", "Belum ada SK, masih konsep", 1, 1), True),
    (_f(ABC, "B", "Sebagian kegiatan sudah dilaksanakan", 1, 1), False),
    (_f(ABC, "B", "Seluruh kegiatan sudah dilaksanakan", 2, 2), True),
    (_f(ABC, "B", "", 0, 0), False),
    (_f(ABC, "C", "Belum dilaksanakan", 0, 0), False),
    (_f(ABC, "C", "Seluruhnya sudah lengkap", 1, 1), True),
    (_f(ABC, "C", "Sebagian sudah berjalan", 1, 0), True),
    (_f(YT, "Tidak", "Belum ada tim", 0, 0), False),
    (_f(YT, "Tidak", "Semua pegawai sudah menandatangani", 2, 1), True),
    (_f(YT, "Ya", "Laporan lengkap terlampir", 1, 1), False),
    (_f(YT, "Ya", "Laporan bulan Januari sampai Juni", 6, 4), False),
    (_f(ABCDE, "A", "Seluruh pegawai telah mengikuti", 3, 3), False),
    (_f(ABCDE, "C", "Beberapa bagian belum", 2, 1), False),
    (_f(ABCDE, "E", "Tidak ada kegiatan", 0, 0), False),
    (_f(ABCDE, "A", "Survei dilakukan oleh pihak ketiga", 1, 0), True),
    (_f(ABC, "A", "Sudah dilaksanakan, dokumen terlampir", 2, 1), False),
    (_f(ABC, "", "", 0, 0), False),
]


@pytest.mark.django_db
def test_the_labelled_set_has_the_documents_the_issue_asks_for(corpus) -> None:
    docs = [d for d, _ in corpus]
    assert len(docs) >= 60
    kinds = {d.kind for d in docs}
    assert {"pdf", "png", "docx", "jpg", "scanpdf", "photo", "xlsx"} <= kinds
    assert sum(1 for d in docs if d.group) >= 10
    assert sum(1 for d in docs if d.outside) >= 10
    # every OCR'd document gave text, so the OCR figures are about the checks
    ocr = [r for d, r in corpus if d.kind in {"png", "jpg", "scanpdf"} and d.fits]
    assert all(r is not None and r.halaman for r in ocr)


@pytest.mark.django_db
def test_no_check_falls_below_the_figures_written_in_the_doc(corpus, rutan) -> None:
    measured = measure(corpus, rutan)
    for check, values in measured.items():
        print(
            f"| {check} | {values['tp']} | {values['fp']} | {values['fn']} | {values['tn']} "
            f"| {values['precision']:.2f} | {values['recall']:.2f} |"
        )
    written = written_figures()
    assert set(written) == set(measured)
    for check, values in written.items():
        # the doc writes them rounded to two decimals
        assert measured[check]["precision"] >= values["precision"] - 0.005, check
        assert measured[check]["recall"] >= values["recall"] - 0.005, check


def test_the_doc_table_is_read_as_written() -> None:
    figures = written_figures()
    assert re.fullmatch(r"[a-z_]+", "".join(figures))
    for values in figures.values():
        total = values["tp"] + values["fp"]
        assert total == 0 or abs(values["precision"] - values["tp"] / total) < 0.006
