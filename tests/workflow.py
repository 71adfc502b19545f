"""Test set-up helpers for the penilaian workflow.

The services refuse answers the workflow does not allow (scoring.workflow); set-up code
that writes both answer sets of one penilaian puts it, for the duration, in the stage
where that set may change. `review_everything` brings a penilaian under reviu TPI to the
point where it may be finalized: every question answered by the TPI and accepted, every
hasil input filled.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lke.models import HasilItem, Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, JawabanHasil, Reviu, SetJawaban, StatusReviu
from scoring.services import jawaban_hasil_save
from scoring.workflow import reviu_save

STAGE: dict[str, str] = {
    SetJawaban.MANDIRI: StatusPenilaian.PENGISIAN,
    SetJawaban.TPI: StatusPenilaian.REVIU_TPI,
    SetJawaban.TPN: StatusPenilaian.FINAL,  # the TPN evaluates after the TPI's final
}
HASIL_VALUE = {"indeks": "3,5", "capaian": "B", "tlhp": "100"}


def put_status(penilaian: Penilaian, status: str) -> None:
    """Set-up only: place a penilaian in a stage without walking the workflow."""
    Penilaian.objects.filter(pk=penilaian.pk).update(status=status)
    penilaian.refresh_from_db(fields=["status"])


@contextmanager
def writable(penilaian: Penilaian, set_: str) -> Iterator[Penilaian]:
    """Within the block, answers of `set_` may be written; the status is restored after."""
    before = Penilaian.objects.values_list("status", flat=True).get(pk=penilaian.pk)
    put_status(penilaian, STAGE.get(set_, before))
    try:
        yield penilaian
    finally:
        put_status(penilaian, before)


def _answer(q: Pertanyaan, mandiri: Jawaban | None) -> tuple[str, dict[str, Any]]:
    if mandiri is not None and mandiri.is_answered():
        return mandiri.opsi, dict(mandiri.angka or {})
    if q.jenis == "persen":
        return "", {n.kode: 1 for n in q.input.all() if not n.turunan_dari}
    return q.pilihan[-1], {}  # the weakest option: the score stays modest


def review_everything(penilaian: Penilaian, user: Any) -> None:
    """The TPI answers every question not accepted yet (as the mandiri answer, or the
    last option), accepts it, and fills every empty hasil input. The penilaian must be
    under reviu TPI."""
    assert penilaian.status == StatusPenilaian.REVIU_TPI
    mandiri = {
        j.pertanyaan_id: j
        for j in Jawaban.objects.filter(penilaian=penilaian, set=SetJawaban.MANDIRI)
    }
    tpi = {j.pertanyaan_id: j for j in Jawaban.objects.filter(penilaian=penilaian, set="tpi")}
    accepted = set(
        Reviu.objects.filter(penilaian=penilaian, status=StatusReviu.DITERIMA).values_list(
            "pertanyaan_id", flat=True
        )
    )
    for q in Pertanyaan.objects.filter(model=penilaian.model).prefetch_related("input"):
        if q.pk in accepted:
            continue
        own = mandiri.get(q.pk)
        opsi, angka = _answer(q, own)
        reviu_save(
            penilaian=penilaian,
            pertanyaan=q,
            opsi=opsi,
            angka=angka,
            status=StatusReviu.DITERIMA,
            catatan="" if own and own.is_answered() else "Tidak dijawab unit; dinilai dari bukti.",
            user=user,
            expected_versi=tpi[q.pk].versi if q.pk in tpi else 0,
        )
    filled = {
        j.hasil_item_id
        for j in JawabanHasil.objects.filter(penilaian=penilaian, set=SetJawaban.TPI)
        if j.nilai is not None or j.opsi
    }
    for h in HasilItem.objects.filter(model=penilaian.model):
        if h.pk not in filled:
            jawaban_hasil_save(
                penilaian=penilaian,
                set_=SetJawaban.TPI,
                hasil_item=h,
                value=HASIL_VALUE[h.jenis],
                user=user,
            )


def finalize_reaching_wbk(penilaian: Penilaian, tpi: Any) -> Any:
    """Walk a penilaian in pengisian or reviu TPI to a final TPI score reaching Menuju WBK:
    the TPI answers every question with its best option (numeric inputs 1 of 1) and
    fills the hasil inputs high (indeks 3,8, capaian A, TLHP 100); returns the official
    snapshot (scoring.workflow.penilaian_finalize)."""
    from scoring.workflow import penilaian_finalize
    from units.access import unit_access

    put_status(penilaian, StatusPenilaian.REVIU_TPI)
    current = {j.pertanyaan_id: j for j in Jawaban.objects.filter(penilaian=penilaian, set="tpi")}
    for q in Pertanyaan.objects.filter(model=penilaian.model).prefetch_related("input"):
        if q.jenis == "persen":
            opsi, angka = "", {n.kode: 1 for n in q.input.all() if not n.turunan_dari}
        else:
            opsi, angka = q.pilihan[0], {}
        reviu_save(
            penilaian=penilaian,
            pertanyaan=q,
            opsi=opsi,
            angka=angka,
            status=StatusReviu.DITERIMA,
            catatan="Dinilai TPI dari bukti yang diunggah.",
            user=tpi,
            expected_versi=current[q.pk].versi if q.pk in current else 0,
        )
    high = {"indeks": "3,8", "capaian": "A", "tlhp": "100"}
    for h in HasilItem.objects.filter(model=penilaian.model):
        jawaban_hasil_save(
            penilaian=penilaian, set_=SetJawaban.TPI, hasil_item=h, value=high[h.jenis], user=tpi
        )
    return penilaian_finalize(
        penilaian=penilaian, user=tpi, access=unit_access(tpi, penilaian.unit)
    )
