"""The TPN's evaluation as the third answer set (issue 16 part 3).

After the TPI's score is final, the TPN of Kementerian PANRB evaluates the unit at its
desk. Its result arrives as the LKE worksheet with a ``Jawaban TPN`` column (imported by
`documents.xlsx_import.lke_import(by="tpn")`) or is typed on the TPN pages; either way
every answer goes through `scoring.services.jawaban_save` / `jawaban_hasil_save`, whose
rule is `scoring.workflow.tpn_refusal`. `tpn_tetapkan` records the result: it freezes
the TPN set's score (a final `SnapshotSkor` of set ``tpn``) and, when the TPN awards a
predikat, makes it the unit's predikat row with source TPN (`units.predikat.
predikat_ensure`, idempotent).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lke.models import HasilItem, Penilaian, StatusPenilaian
from scoring.models import SetJawaban, SnapshotSkor
from scoring.workflow import (
    Blocking,
    TransisiDitolak,
    _answered,
    _lock,
    _questions,
    hasil_terisi,
    tpn_result,
)
from units.access import Izin, UnitAccess
from units.audit import riwayat_record
from units.models import PredikatUnit, Riwayat
from units.predikat import predikat_ensure

PREDIKAT = ("WBK", "WBBM")


class TpnDitolak(TransisiDitolak):
    def __init__(self, message: str, blocking: list[Blocking] | None = None) -> None:
        super().__init__(message)
        self.blocking = blocking or []


def blocking_tpn(penilaian: Penilaian) -> list[Blocking]:
    """What stops recording the TPN's result: every question and hasil input of the TPN
    set must be filled (an empty one would silently count as 0)."""
    answered = _answered(penilaian, SetJawaban.TPN)
    items = [
        Blocking(
            q.kode,
            _("Jawaban TPN belum diisi."),
            reverse("scoring:tpn_area", args=[penilaian.code, q.indikator.area.nomor])
            + f"#t-{q.pk}",
        )
        for q in _questions(penilaian)
        if q.pk not in answered
    ]
    filled = hasil_terisi(penilaian, SetJawaban.TPN)
    url = reverse("scoring:tpn", args=[penilaian.code])
    items += [
        Blocking(h.kode, _("Nilai hasil TPN belum diisi (%(nama)s).") % {"nama": h.nama}, url)
        for h in HasilItem.objects.filter(model=penilaian.model).order_by(
            "bagian__urutan", "urutan"
        )
        if h.pk not in filled
    ]
    return items


def tpn_predikat(penilaian: Penilaian, result: SnapshotSkor, user: Any) -> PredikatUnit | None:
    """The TPN's verdict as the unit's predikat row (source TPN), once; None when the TPN
    awards none. Calling it again finds the same row."""
    if result.predikat not in PREDIKAT:
        return None
    row, _created = predikat_ensure(
        penilaian.unit,
        predikat=result.predikat,
        tahun=penilaian.tahun,
        sumber=PredikatUnit.Sumber.TPN,
        catatan=_("Hasil evaluasi TPN atas penilaian %(tahun)d.") % {"tahun": penilaian.tahun},
        user=user,
    )
    return row


def tpn_tetapkan(*, penilaian: Penilaian, user: Any, access: UnitAccess | None) -> SnapshotSkor:
    """Record the TPN's result: freeze the TPN set's score and its predikat.

    Admin or the instansi's TPI, only while the penilaian is final, with every TPN
    answer and hasil input filled (`TpnDitolak.blocking` lists what is missing).
    Idempotent: once recorded, the same result is returned and no second row is made.
    """
    from scoring.services import penilaian_score, report_json

    if access is not None and not access.can(Izin.ISI_TPN):
        raise TpnDitolak(_("Hasil TPN hanya dapat ditetapkan oleh admin atau TPI instansi."))
    with transaction.atomic():
        locked = _lock(penilaian)
        recorded = tpn_result(locked)
        if recorded is not None:
            tpn_predikat(locked, recorded, user)
            return recorded
        if locked.status != StatusPenilaian.FINAL:
            raise TpnDitolak(_("Hasil TPN hanya dapat ditetapkan setelah nilai TPI final."))
        blocking = blocking_tpn(locked)
        if blocking:
            raise TpnDitolak(
                _("Hasil TPN belum dapat ditetapkan: %(n)d butir belum diisi.")
                % {"n": len(blocking)},
                blocking,
            )
        report = penilaian_score(locked, SetJawaban.TPN)
        result = SnapshotSkor.objects.create(
            penilaian=locked,
            set=SetJawaban.TPN,
            dibuat_oleh=user,
            total=report.total.nilai.quantize(Decimal("1e-8")),
            predikat=report.verdict,
            laporan=report_json(report, penilaian=locked, by=SetJawaban.TPN),
            final=True,
        )
        riwayat_record(
            user=user,
            unit=locked.unit,
            tahun=locked.tahun,
            objek="penilaian",
            objek_id=locked.code,
            kode="",
            aksi=Riwayat.Aksi.UBAH,
            perubahan={"nilai_tpn": ["", str(result.total)], "hasil_tpn": ["", result.predikat]},
        )
        tpn_predikat(locked, result, user)
    return result
