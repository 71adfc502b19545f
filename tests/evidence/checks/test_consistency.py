from __future__ import annotations

from evidence.checks.base import PERLU_DICEK
from evidence.checks.consistency import FaktaJawaban, catatan_level, check_consistency
from tests.evidence.checks.test_labelled_set import CONSISTENCY_CASES


def fakta(opsi: str, catatan: str = "", n: int = 1, lolos: int = 1) -> FaktaJawaban:
    return FaktaJawaban("A.I.1.i.a", ("A", "B", "C"), opsi, catatan, n, lolos)


def test_best_answer_without_bukti() -> None:
    (found,) = check_consistency(fakta("A", n=0, lolos=0))
    assert found.status == PERLU_DICEK
    assert found.reason == "Jawaban mandiri A tanpa bukti dukung."
    (found,) = check_consistency(FaktaJawaban("x", ("Ya", "Tidak"), "Ya", "", 0, 0))
    assert found.reason == "Jawaban mandiri Ya tanpa bukti dukung."


def test_best_answer_no_bukti_supports() -> None:
    (found,) = check_consistency(fakta("A", n=3, lolos=0))
    assert found.detail["kunci"] == "melebihi_bukti"
    assert "3 bukti" in found.reason


def test_catatan_against_the_option_level() -> None:
    assert catatan_level("Baru sebagian unit") == "partial"
    assert catatan_level("Belum ada SK") == "none"
    assert catatan_level("Seluruh pegawai") == "full"
    assert catatan_level("Belum seluruhnya") == "partial"
    assert catatan_level("SK terlampir") is None
    (found,) = check_consistency(fakta("A", "Belum ada SK, masih konsep"))
    assert found.detail["kunci"] == "catatan"
    assert "“belum/tidak ada”" in found.reason and "jawaban A" in found.reason
    assert check_consistency(fakta("B", "Sebagian sudah")) == []
    assert check_consistency(fakta("C", "Belum dilaksanakan", n=0, lolos=0)) == []


def test_every_finding_is_perlu_dicek_never_blocking() -> None:
    for case, _ in CONSISTENCY_CASES:
        assert all(t.status == PERLU_DICEK for t in check_consistency(case))


def test_unanswered_gives_nothing() -> None:
    assert check_consistency(fakta("", n=0, lolos=0)) == []
