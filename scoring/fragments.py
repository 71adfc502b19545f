"""The context of one question's fragment, shared by every view that renders it.

The worksheet (`partials/_question.html`) and the TPI review
(`partials/_reviu_question.html`) render one question on the full page and again as an
HTMX fragment after a save or an upload; all of those views build its context here.
"""

from __future__ import annotations

from typing import Any

from lke.models import Penilaian
from scoring.selectors import QuestionRow
from units.access import UnitAccess


def question_context(
    penilaian: Penilaian,
    access: UnitAccess,
    row: QuestionRow,
    nomor: int,
    *,
    editable: bool,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "penilaian": penilaian,
        "access": access,
        "row": row,
        "nomor": nomor,
        "editable": editable,
        **extra,
    }
