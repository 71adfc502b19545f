"""The uncertainty a model carries as data: its notes, unverified thresholds, indikator sources.

Shown to users on the score page and on the Excel *Ringkasan* sheet (issue 12 part 8):
a threshold not checked against the regulation (`AturanPredikat.terverifikasi`), the
source of an indikator's questions when they are derived or reused (`Indikator.catatan`,
`sumber_pertanyaan`) and the model's own note (`ModelPenilaian.catatan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _

from lke.models import AturanPredikat, Indikator, ModelPenilaian

Tingkat = Literal["model", "aturan", "indikator"]


@dataclass(frozen=True)
class CatatanModel:
    """One notice: which part of the model (`tingkat`, `kode`, `judul`) and what to know."""

    tingkat: Tingkat
    kode: str
    judul: str
    teks: str
    terverifikasi: bool = True
    aturan: tuple[str, str] | None = None  # a rule's (predikat, label), as the engine reports it
    ref: str = ""  # what tells two notices with the same kode apart (a rule's urutan)

    @property
    def anchor(self) -> str:
        """The id of this notice on the score page (indikator rows link to it)."""
        return "-".join(p for p in ("catatan", self.tingkat, self.kode, self.ref) if p).replace(
            ".", "-"
        )

    @property
    def status(self) -> str:
        """The word the Excel shows: belum terverifikasi, or what kind of note it is."""
        if not self.terverifikasi:
            return _("Belum terverifikasi")
        return _("Catatan") if self.tingkat == "model" else _("Sumber")


def model_notices(model: ModelPenilaian) -> list[CatatanModel]:
    """Every note of `model`, unverified thresholds first after the model's own note.

    Two queries (rules, indikator with a note). The model's note is shown whenever it is
    set; a rule when it is unverified or carries a note; an indikator when its questions
    come from another model (`sumber_pertanyaan`) or it has a source note.
    """
    notices: list[CatatanModel] = []
    if model.catatan.strip():
        notices.append(CatatanModel("model", model.kode, model.nama, model.catatan.strip()))
    rules = AturanPredikat.objects.filter(model=model).filter(
        Q(terverifikasi=False) | ~Q(catatan="")
    )
    for rule in sorted(rules, key=lambda r: (r.terverifikasi, r.predikat != "WBK", r.urutan)):
        notices.append(
            CatatanModel(
                "aturan",
                rule.predikat,
                f"{rule.predikat}: {rule.label}",
                rule.catatan.strip() or _("Ambang ini belum dicocokkan dengan naskah peraturan."),
                rule.terverifikasi,
                (rule.predikat, rule.label),
                str(rule.urutan),
            )
        )
    indikator = (
        Indikator.objects.filter(model=model)
        .filter(~Q(catatan="") | ~Q(sumber_pertanyaan=""))
        .order_by("area__bagian__urutan", "area__urutan", "urutan", "id")
    )
    for ind in indikator:
        parts = []
        if ind.sumber_pertanyaan:
            parts.append(
                _("Pertanyaan memakai ulang indikator %(kode)s PermenPANRB 90/2021.")
                % {"kode": ind.sumber_pertanyaan}
            )
        if ind.catatan.strip():
            parts.append(ind.catatan.strip())
        notices.append(CatatanModel("indikator", ind.kode, ind.nama, " ".join(parts)))
    return notices


def unverified_rules(notices: list[CatatanModel]) -> set[tuple[str, str]]:
    """(predikat, label) of every threshold not checked against the regulation."""
    return {n.aturan for n in notices if n.aturan is not None and not n.terverifikasi}
