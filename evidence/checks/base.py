"""What every check returns: a finding with its status, reason and page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOLOS = "lolos"
PERLU_DICEK = "perlu_dicek"
GAGAL = "gagal"

TANGGAL = "tanggal"
DUPLIKAT = "duplikat"
RELEVANSI = "relevansi"
KONSISTENSI = "konsistensi"
TEKS = "teks"


@dataclass
class Temuan:
    check: str
    status: str
    reason: str  # in Bahasa Indonesia
    halaman: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
