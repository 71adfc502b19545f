"""What the evidence checks need from the answers: the mandiri option and its catatan.

Registered with `evidence.checks.consistency` at start-up (scoring/apps.py), so the
lower room (evidence) reads the answers without importing this one.
"""

from __future__ import annotations

from scoring.models import Jawaban, SetJawaban


def mandiri_answer(penilaian_id: int, pertanyaan_id: int) -> tuple[str, str] | None:
    row = (
        Jawaban.objects.filter(
            penilaian_id=penilaian_id, pertanyaan_id=pertanyaan_id, set=SetJawaban.MANDIRI
        )
        .values_list("opsi", "catatan")
        .first()
    )
    if row is None or not row[0]:
        return None
    return row[0], row[1]
