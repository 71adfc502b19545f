"""The penilaian workflow: one state machine, the rules of who may change what and when.

*pengisian* (tim kerja answer, upload) → *reviu TPI* (the TPI answers its set and decides
per question; returned questions are editable again by the tim kerja until resubmitted)
→ *final* (scores frozen). *Buka kembali* (final → reviu TPI or pengisian) only by an
admin, with a reason. `_status_write` is the only code that writes `Penilaian.status`;
every door (page, fragment, import, command, task, admin) goes through the functions here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from evidence import services as evidence_services
from evidence.models import Bukti, RencanaAksi
from lke.models import HasilItem, Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, JawabanHasil, Reviu, SetJawaban, SnapshotSkor, StatusReviu
from units.access import Izin, UnitAccess, penilaian_access
from units.audit import diff, riwayat_record
from units.models import Peran, Riwayat
from units.notify import notify, unit_members

# The allowed transitions: from status → the statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    StatusPenilaian.PENGISIAN: frozenset({StatusPenilaian.REVIU_TPI}),
    StatusPenilaian.REVIU_TPI: frozenset({StatusPenilaian.FINAL}),
    # buka kembali
    StatusPenilaian.FINAL: frozenset({StatusPenilaian.REVIU_TPI, StatusPenilaian.PENGISIAN}),
}


class TransisiDitolak(ValueError):
    """A workflow action that is not allowed now; the message says why (Indonesian)."""


class PengajuanDitolak(TransisiDitolak):
    pass


class FinalisasiDitolak(TransisiDitolak):
    def __init__(self, message: str, blocking: list[Blocking] | None = None) -> None:
        super().__init__(message)
        self.blocking = blocking or []


class BukaKembaliDitolak(TransisiDitolak):
    pass


class PerubahanDitolak(TransisiDitolak):
    """A write to an answer, review, hasil or bukti the workflow does not allow now."""


@dataclass(frozen=True)
class Blocking:
    """One item that stops the next step: its code, why, and where to fix it."""

    code: str
    reason: str
    url: str


def _status_label(status: str) -> str:
    return str(StatusPenilaian(status).label)


def _status_write(
    locked: Penilaian, new: str, *, user: Any, extra: dict[str, list[str]] | None = None
) -> None:
    """The one writer of `Penilaian.status`: checks TRANSITIONS, saves, records Riwayat.

    `locked` must be a row fetched with select_for_update() inside the caller's transaction.
    """
    old = locked.status
    if new not in TRANSITIONS.get(old, frozenset()):
        raise TransisiDitolak(
            _("Status penilaian tidak dapat diubah dari %(lama)s ke %(baru)s.")
            % {"lama": _status_label(old), "baru": _status_label(new)}
        )
    locked.status = new
    locked.save(update_fields=["status", "updated_at"])
    riwayat_record(
        user=user,
        unit=locked.unit,
        tahun=locked.tahun,
        objek="penilaian",
        objek_id=locked.code,
        kode="",
        aksi=Riwayat.Aksi.UBAH,
        perubahan={"status": [_status_label(old), _status_label(new)], **(extra or {})},
    )


def _lock(penilaian: Penilaian) -> Penilaian:
    return (
        Penilaian.objects.select_for_update().select_related("unit", "model").get(pk=penilaian.pk)
    )


# --------------------------------------------------------------------------------------
# Who may change what, and when
# --------------------------------------------------------------------------------------


def returned_questions(penilaian: Penilaian) -> set[int]:
    """Questions the TPI sent back and the tim kerja may edit again."""
    return set(
        Reviu.objects.filter(penilaian=penilaian, status=StatusReviu.PERLU_PERBAIKAN).values_list(
            "pertanyaan_id", flat=True
        )
    )


def _area_nomor(pertanyaan: Pertanyaan) -> int:
    return int(pertanyaan.indikator.area.nomor)


def mandiri_refusal(
    access: UnitAccess | None,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    *,
    returned: set[int] | None = None,
    permission: Izin = Izin.EDIT_MANDIRI,
    nomor: int | None = None,
) -> str | None:
    """Why the mandiri answer or bukti of `pertanyaan` may not change now (None: it may).

    `access` None means a caller without a user (a system step): only the status rules.
    While the unit fills in, every question of the user's areas; during the TPI's review,
    only the questions the TPI returned; never once final.
    """
    if access is not None:
        if not access.can(permission):
            return _("Anda tidak berhak mengubah jawaban mandiri dan bukti unit ini.")
        if access.areas and (nomor or _area_nomor(pertanyaan)) not in access.areas:
            return _("Pertanyaan %(kode)s berada di luar area yang menjadi tugas Anda.") % {
                "kode": pertanyaan.kode
            }
    if penilaian.status == StatusPenilaian.PENGISIAN:
        return None
    if penilaian.status == StatusPenilaian.REVIU_TPI:
        if returned is None:
            returned = returned_questions(penilaian)
        if pertanyaan.pk in returned:
            return None
        return _(
            "Penilaian sedang direviu TPI: jawaban mandiri dan bukti %(kode)s hanya dapat "
            "diubah bila butir itu dikembalikan TPI."
        ) % {"kode": pertanyaan.kode}
    return _final_refusal()


def _final_refusal() -> str:
    return _(
        "Penilaian sudah final: tidak ada yang dapat diubah kecuali penilaian dibuka kembali "
        "oleh admin."
    )


def can_edit_mandiri(
    access: UnitAccess | None,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    returned: set[int] | None = None,
    nomor: int | None = None,
) -> bool:
    return mandiri_refusal(access, penilaian, pertanyaan, returned=returned, nomor=nomor) is None


def tpi_refusal(access: UnitAccess | None, penilaian: Penilaian) -> str | None:
    """Why the TPI answers, reviews and TPI hasil may not change now (None: they may)."""
    if access is not None and not access.can(Izin.EDIT_TPI):
        return _("Anda tidak berhak mengisi jawaban TPI unit ini.")
    if penilaian.status == StatusPenilaian.REVIU_TPI:
        return None
    if penilaian.status == StatusPenilaian.FINAL:
        return _final_refusal()
    return _("Penilaian ini tidak sedang dalam tahap reviu TPI.")


def can_edit_tpi(
    access: UnitAccess | None, penilaian: Penilaian, pertanyaan: Pertanyaan | None = None
) -> bool:
    return tpi_refusal(access, penilaian) is None


def answer_refusal(
    access: UnitAccess | None,
    penilaian: Penilaian,
    set_: str,
    pertanyaan: Pertanyaan,
    *,
    returned: set[int] | None = None,
) -> str | None:
    """The rule for one answer of one set (used by `scoring.services.jawaban_save`)."""
    if set_ == SetJawaban.MANDIRI:
        return mandiri_refusal(access, penilaian, pertanyaan, returned=returned)
    if set_ == SetJawaban.TPI:
        return tpi_refusal(access, penilaian)
    return tpn_refusal(access, penilaian)


def tpn_result(penilaian: Penilaian) -> SnapshotSkor | None:
    """The recorded result of the TPN (its final snapshot), None while not recorded."""
    return (
        SnapshotSkor.objects.filter(penilaian=penilaian, set=SetJawaban.TPN, final=True)
        .order_by("-dibuat_pada")
        .first()
    )


def tpn_refusal(access: UnitAccess | None, penilaian: Penilaian) -> str | None:
    """Why the TPN's answers and hasil may not change now (None: they may).

    The TPN evaluates after the TPI's score is final: its answers are entered (typed or
    imported) by an admin or the instansi's TPI only while the penilaian is *final* and
    until the TPN's result is recorded (`tpn_tetapkan`).
    """
    if access is not None and not access.can(Izin.ISI_TPN):
        return _("Jawaban TPN hanya dapat diisi oleh admin atau TPI instansi.")
    if penilaian.status != StatusPenilaian.FINAL:
        return _("Jawaban TPN hanya dapat diisi setelah nilai TPI final.")
    if tpn_result(penilaian) is not None:
        return _("Hasil TPN sudah ditetapkan; jawaban TPN tidak dapat diubah lagi.")
    return None


def hasil_refusal(access: UnitAccess | None, penilaian: Penilaian, set_: str) -> str | None:
    """Hasil inputs: mandiri only in pengisian, TPI only in reviu TPI."""
    if set_ == SetJawaban.TPI:
        return tpi_refusal(access, penilaian)
    if set_ == SetJawaban.MANDIRI:
        if access is not None and not access.can(Izin.EDIT_MANDIRI):
            return _("Anda tidak berhak mengubah jawaban mandiri dan bukti unit ini.")
        if access is not None and access.areas:
            return unit_wide_refusal(access)
        if penilaian.status == StatusPenilaian.PENGISIAN:
            return None
        if penilaian.status == StatusPenilaian.FINAL:
            return _final_refusal()
        return _("Nilai hasil mandiri hanya dapat diubah pada tahap pengisian.")
    return tpn_refusal(access, penilaian)


def unit_wide_refusal(access: UnitAccess) -> str | None:
    """Unit-wide actions need a membership that covers every area."""
    if access.covers_every_area():
        return None
    return _(
        "Tindakan ini berlaku untuk seluruh unit, sedangkan keanggotaan Anda terbatas pada "
        "area %(areas)s."
    ) % {"areas": ", ".join(str(a) for a in sorted(access.areas))}


# --------------------------------------------------------------------------------------
# What blocks the next step
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kekurangan:
    unanswered: list[Pertanyaan]
    without_evidence: list[Pertanyaan]

    @property
    def empty(self) -> bool:
        return not self.unanswered and not self.without_evidence


def _questions(penilaian: Penilaian) -> list[Pertanyaan]:
    return list(
        Pertanyaan.objects.filter(model=penilaian.model)
        .select_related("indikator__area")
        .order_by(  # the LKE's printed order
            "indikator__area__komponen__urutan",
            "indikator__area__bagian__urutan",
            "indikator__area__urutan",
            "indikator__urutan",
            "urutan",
        )
    )


def _answered(penilaian: Penilaian, set_: str) -> set[int]:
    return {
        pk
        for pk, opsi, angka in Jawaban.objects.filter(penilaian=penilaian, set=set_).values_list(
            "pertanyaan_id", "opsi", "angka"
        )
        if opsi or angka
    }


def penilaian_kekurangan(penilaian: Penilaian) -> Kekurangan:
    """Questions without a mandiri answer and questions without current evidence.

    These are warnings of the submission page, not blocking: an unanswered question
    counts as 0 (domain.md, scoring rule 3).
    """
    questions = _questions(penilaian)
    answered = _answered(penilaian, SetJawaban.MANDIRI)
    with_evidence = set(
        Bukti.objects.filter(penilaian=penilaian, aktif=True, pertanyaan__isnull=False).values_list(
            "pertanyaan_id", flat=True
        )
    )
    return Kekurangan(
        unanswered=[q for q in questions if q.pk not in answered],
        without_evidence=[q for q in questions if q.pk not in with_evidence],
    )


def _reviu_url(penilaian: Penilaian, q: Pertanyaan) -> str:
    return f"{reverse('scoring:reviu', args=[penilaian.code, _area_nomor(q)])}#r-{q.pk}"


def _worksheet_url(penilaian: Penilaian, q: Pertanyaan) -> str:
    return f"{reverse('scoring:worksheet', args=[penilaian.code, _area_nomor(q)])}#q-{q.pk}"


def blocking_submit(penilaian: Penilaian) -> list[Blocking]:
    """What stops the tim kerja's (re)submission. A first submission is never blocked by
    content (unanswered questions count as 0); a resubmission needs returned items."""
    if penilaian.status == StatusPenilaian.PENGISIAN:
        return []
    if penilaian.status == StatusPenilaian.FINAL:
        return [Blocking("", _final_refusal(), reverse("scoring:dashboard", args=[penilaian.code]))]
    if not returned_questions(penilaian):
        return [
            Blocking(
                "",
                _("Tidak ada butir yang dikembalikan TPI untuk diajukan ulang."),
                reverse("scoring:dashboard", args=[penilaian.code]),
            )
        ]
    return []


def hasil_terisi(penilaian: Penilaian, set_: str) -> set[int]:
    """The hasil items of the penilaian that the answer set has filled (nilai or opsi)."""
    return {
        pk
        for pk, nilai, opsi in JawabanHasil.objects.filter(
            penilaian=penilaian, set=set_
        ).values_list("hasil_item_id", "nilai", "opsi")
        if nilai is not None or opsi
    }


def blocking_finalize(penilaian: Penilaian) -> list[Blocking]:
    """Every item that stops the TPI from finalizing, in LKE order, with a link to it.

    Finalizing needs every question answered by the TPI and reviewed, every TPI hasil
    input filled, and nothing returned or waiting for re-review.
    """
    if penilaian.status != StatusPenilaian.REVIU_TPI:
        return [
            Blocking(
                "",
                _("Hanya penilaian dalam tahap reviu TPI yang dapat difinalkan."),
                reverse("scoring:dashboard", args=[penilaian.code]),
            )
        ]
    answered = _answered(penilaian, SetJawaban.TPI)
    reviews = dict(Reviu.objects.filter(penilaian=penilaian).values_list("pertanyaan_id", "status"))
    items: list[Blocking] = []
    for q in _questions(penilaian):
        review = reviews.get(q.pk)
        if review == StatusReviu.PERLU_PERBAIKAN:
            reason = _("Dikembalikan ke tim kerja dan belum diajukan ulang.")
        elif review == StatusReviu.DIPERBAIKI:
            reason = _("Sudah diperbaiki tim kerja, menunggu reviu ulang TPI.")
        elif review is None:
            reason = _("Belum direviu TPI.")
        elif q.pk not in answered:
            reason = _("Jawaban TPI belum diisi.")
        else:
            continue
        items.append(Blocking(q.kode, reason, _reviu_url(penilaian, q)))
    filled = hasil_terisi(penilaian, SetJawaban.TPI)
    hasil_url = reverse("scoring:hasil", args=[penilaian.code])
    for h in HasilItem.objects.filter(model=penilaian.model).order_by("bagian__urutan", "urutan"):
        if h.pk not in filled:
            items.append(
                Blocking(
                    h.kode,
                    _("Nilai hasil belum diisi TPI (%(nama)s).") % {"nama": h.nama},
                    f"{hasil_url}#h-{h.pk}",
                )
            )
    return items


def next_step(penilaian: Penilaian) -> str | None:
    """ "ajukan" (the tim kerja submits), "finalkan" (the TPI finalizes), None once final."""
    if penilaian.status == StatusPenilaian.PENGISIAN:
        return "ajukan"
    if penilaian.status == StatusPenilaian.REVIU_TPI:
        return "finalkan"
    return None


def blocking_next(penilaian: Penilaian) -> list[Blocking]:
    step = next_step(penilaian)
    if step == "ajukan":
        return blocking_submit(penilaian)
    if step == "finalkan":
        return blocking_finalize(penilaian)
    return []


# --------------------------------------------------------------------------------------
# Transitions
# --------------------------------------------------------------------------------------


def penilaian_submit(*, penilaian: Penilaian, user: Any, access: UnitAccess) -> int:
    """Send the penilaian mandiri to the TPI, or resubmit the items they returned.

    A unit-wide action: needs the submit permission on every area. Returns the number of
    resubmitted items (0 for a first submission).
    """
    if not access.can(Izin.SUBMIT):
        raise PengajuanDitolak(_("Anda tidak berhak mengajukan penilaian unit ini."))
    refusal = unit_wide_refusal(access)
    if refusal:
        raise PengajuanDitolak(refusal)
    with transaction.atomic():
        locked = _lock(penilaian)
        if locked.status == StatusPenilaian.PENGISIAN:
            _status_write(locked, StatusPenilaian.REVIU_TPI, user=user)
            resubmitted = 0
        elif locked.status == StatusPenilaian.REVIU_TPI:
            resubmitted = Reviu.objects.filter(
                penilaian=locked, status=StatusReviu.PERLU_PERBAIKAN
            ).update(status=StatusReviu.DIPERBAIKI)
            if not resubmitted:
                raise PengajuanDitolak(
                    _("Tidak ada butir yang dikembalikan TPI untuk diajukan ulang.")
                )
            riwayat_record(
                user=user,
                unit=locked.unit,
                tahun=locked.tahun,
                objek="penilaian",
                objek_id=locked.code,
                kode="",
                aksi=Riwayat.Aksi.UBAH,
                perubahan={"diajukan_ulang": ["", f"{resubmitted} butir"]},
            )
        else:
            raise PengajuanDitolak(_("Penilaian ini sudah final dan tidak dapat diajukan lagi."))
    penilaian.refresh_from_db(fields=["status", "updated_at"])
    return resubmitted


def penilaian_finalize(
    *, penilaian: Penilaian, user: Any, access: UnitAccess | None = None
) -> SnapshotSkor:
    """Freeze the official (TPI) score and the mandiri score, close the penilaian and
    notify the unit's pimpinan and tim kerja (after commit).

    Refused with every blocking item (`FinalisasiDitolak.blocking`) unless every question
    is answered and reviewed by the TPI, every hasil input is filled and nothing is
    returned or waiting.
    """
    from scoring.services import penilaian_score, report_json

    if access is not None and not access.can(Izin.FINALIZE):
        raise FinalisasiDitolak(_("Anda tidak berhak memfinalkan penilaian unit ini."))
    with transaction.atomic():
        locked = _lock(penilaian)
        if locked.status != StatusPenilaian.REVIU_TPI:
            raise FinalisasiDitolak(
                _("Hanya penilaian dalam tahap reviu TPI yang dapat difinalkan.")
            )
        blocking = blocking_finalize(locked)
        if blocking:
            raise FinalisasiDitolak(
                _("Penilaian belum dapat difinalkan: %(n)d butir belum selesai.")
                % {"n": len(blocking)},
                blocking,
            )
        snapshots = []
        for set_ in (SetJawaban.MANDIRI, SetJawaban.TPI):
            report = penilaian_score(locked, set_)
            snapshots.append(
                SnapshotSkor.objects.create(
                    penilaian=locked,
                    set=set_,
                    dibuat_oleh=user,
                    total=report.total.nilai.quantize(Decimal("1e-8")),
                    predikat=report.verdict,
                    laporan=report_json(report, penilaian=locked, by=set_),
                    final=True,
                )
            )
        official = snapshots[-1]
        _status_write(
            locked,
            StatusPenilaian.FINAL,
            user=user,
            extra={"nilai_tpi": ["", str(official.total)], "hasil": ["", official.predikat]},
        )
        total = official.laporan["total"]
        notify(
            unit_members(locked.unit, (Peran.PIMPINAN, Peran.TIM_KERJA)),
            subject=f"[ZI Portal] Hasil penilaian {locked.unit.nama} {locked.tahun}",
            pesan=(
                f"TPI memfinalkan penilaian {locked.unit.nama} {locked.tahun}: nilai "
                f"{total:.2f}".replace(".", ",")
                + f", {official.predikat}."
            ),
            url=reverse("scoring:skor", args=[locked.code]),
        )
    penilaian.refresh_from_db(fields=["status", "updated_at"])
    return official


def may_reopen(user: Any, penilaian: Penilaian) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    access = penilaian_access(user, penilaian)
    return access is not None and Peran.ADMIN in access.roles


def penilaian_reopen(
    *,
    penilaian: Penilaian,
    user: Any,
    alasan: str,
    ke: str = StatusPenilaian.REVIU_TPI,
) -> int:
    """Buka kembali: a final penilaian goes back to reviu TPI (or pengisian).

    Admin only, with a reason, recorded. The final snapshots are kept but no longer
    current (final=False), so the score pages show live scores again. Returns the number
    of snapshots superseded.
    """
    alasan = (alasan or "").strip()
    if not may_reopen(user, penilaian):
        raise BukaKembaliDitolak(_("Hanya admin yang dapat membuka kembali penilaian."))
    if not alasan:
        raise BukaKembaliDitolak(_("Tuliskan alasan membuka kembali penilaian."))
    if ke not in (StatusPenilaian.REVIU_TPI, StatusPenilaian.PENGISIAN):
        raise BukaKembaliDitolak(
            _("Penilaian hanya dapat dibuka kembali ke tahap pengisian atau reviu TPI.")
        )
    with transaction.atomic():
        locked = _lock(penilaian)
        if locked.status != StatusPenilaian.FINAL:
            raise BukaKembaliDitolak(_("Hanya penilaian final yang dapat dibuka kembali."))
        # The TPN's recorded result is the TPN's, not the portal's: it stays.
        superseded = (
            SnapshotSkor.objects.filter(penilaian=locked, final=True)
            .exclude(set=SetJawaban.TPN)
            .update(final=False)
        )
        _status_write(locked, ke, user=user, extra={"alasan_buka_kembali": ["", alasan]})
        notify(
            unit_members(locked.unit, (Peran.PIMPINAN, Peran.TIM_KERJA, Peran.TPI)),
            subject=f"[ZI Portal] Penilaian {locked.unit.nama} {locked.tahun} dibuka kembali",
            pesan=(f"Admin membuka kembali penilaian {locked.unit.nama} {locked.tahun}: {alasan}"),
            url=reverse("scoring:dashboard", args=[locked.code]),
        )
    penilaian.refresh_from_db(fields=["status", "updated_at"])
    return superseded


# --------------------------------------------------------------------------------------
# The TPI's review of one question
# --------------------------------------------------------------------------------------


def _answer_text(j: Jawaban | None) -> str:
    if j is None:
        return ""
    if j.opsi:
        return j.opsi
    return ", ".join(f"{k}={v}" for k, v in sorted((j.angka or {}).items()))


def catatan_refusal(tpi: Jawaban, mandiri: Jawaban | None, catatan: str) -> str | None:
    """A TPI answer that differs from the mandiri one needs a catatan (domain.md rule 7)."""
    if tpi.is_answered() and _answer_text(tpi) != _answer_text(mandiri) and not catatan.strip():
        return _("Jawaban TPI berbeda dari jawaban mandiri: tuliskan catatan alasannya.")
    return None


def reviu_save(
    *,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    opsi: str,
    angka: dict[str, Any],
    status: str,
    catatan: str,
    user: Any,
    expected_versi: int | None,
    access: UnitAccess | None = None,
) -> Reviu:
    """Store the TPI answer and the review decision of one question, all or nothing.

    A catatan is required when the item is returned and when the TPI answer differs
    from the mandiri answer (domain.md rule 7).
    """
    from scoring.services import JawabanTidakValid, jawaban_save

    refusal = tpi_refusal(access, penilaian)
    if refusal:
        raise JawabanTidakValid(refusal)
    if status not in (StatusReviu.DITERIMA, StatusReviu.PERLU_PERBAIKAN):
        raise JawabanTidakValid(_("Pilih status reviu: diterima atau perlu perbaikan."))
    catatan = (catatan or "").strip()
    if status == StatusReviu.PERLU_PERBAIKAN and not catatan:
        raise JawabanTidakValid(_("Tulis catatan untuk butir yang dikembalikan ke tim kerja."))
    with transaction.atomic():
        tpi = jawaban_save(
            penilaian=penilaian,
            set_=SetJawaban.TPI,
            pertanyaan=pertanyaan,
            opsi=opsi,
            angka=angka,
            catatan=catatan,
            user=user,
            expected_versi=expected_versi,
            access=access,
        )
        mandiri = Jawaban.objects.filter(
            penilaian=penilaian, set=SetJawaban.MANDIRI, pertanyaan=pertanyaan
        ).first()
        refusal = catatan_refusal(tpi, mandiri, catatan)
        if refusal:
            raise JawabanTidakValid(refusal)
        current = (
            Reviu.objects.select_for_update()
            .filter(penilaian=penilaian, pertanyaan=pertanyaan)
            .first()
        )
        old = {"status": current.status, "catatan": current.catatan} if current else {}
        if current is None:
            current = Reviu(penilaian=penilaian, pertanyaan=pertanyaan)
        current.status, current.catatan = status, catatan
        current.diubah_oleh = user
        current.save()
        riwayat_record(
            user=user,
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            objek="reviu",
            objek_id=current.pk,
            kode=pertanyaan.kode,
            aksi=Riwayat.Aksi.UBAH if old else Riwayat.Aksi.BUAT,
            perubahan=diff(old, {"status": status, "catatan": catatan}),
        )
    return current


def reviu_notify_returned(*, penilaian: Penilaian, reviu: Reviu) -> None:
    """Tell the tim kerja which item the TPI returned: its code, question and the TPI's
    catatan, linking straight to the question on the worksheet."""
    q = reviu.pertanyaan
    teks = q.teks if len(q.teks) <= 120 else q.teks[:119] + "…"
    notify(
        unit_members(penilaian.unit, (Peran.TIM_KERJA,)),
        subject=_("[ZI Portal] Butir %(kode)s LKE dikembalikan TPI") % {"kode": q.kode},
        pesan=_(
            "TPI mengembalikan butir %(kode)s (%(teks)s) penilaian %(unit)s %(tahun)s untuk "
            "diperbaiki. Catatan TPI: %(catatan)s"
        )
        % {
            "kode": q.kode,
            "teks": teks,
            "unit": penilaian.unit.nama,
            "tahun": penilaian.tahun,
            "catatan": reviu.catatan,
        },
        url=reverse("scoring:worksheet", args=[penilaian.code, _area_nomor(q)]) + f"#q-{q.pk}",
    )


# --------------------------------------------------------------------------------------
# Bukti: the doors that check the mandiri rule, then call evidence.services
# --------------------------------------------------------------------------------------


def _bukti_check(access: UnitAccess | None, penilaian: Penilaian, pertanyaan: Pertanyaan) -> None:
    penilaian.refresh_from_db(fields=["status"])
    refusal = mandiri_refusal(access, penilaian, pertanyaan, permission=Izin.UPLOAD_BUKTI)
    if refusal:
        raise PerubahanDitolak(refusal)


def bukti_add(
    *,
    access: UnitAccess | None,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    user: Any,
    tanggal_efektif: Any,
    rencana_aksi: RencanaAksi | None,
    files: Iterable[Any] | None = None,
    url: str = "",
    judul: str = "",
    kunci: str = "",
) -> list[Bukti]:
    """Upload files, or add a link, as evidence of one question (mandiri rule applies).

    `kunci`: the form's submission key; a repeated submission returns the first's bukti.
    """
    _bukti_check(access, penilaian, pertanyaan)
    if files:
        return list(
            evidence_services.bukti_upload(
                penilaian=penilaian,
                pertanyaan=pertanyaan,
                files=list(files),
                user=user,
                tanggal_efektif=tanggal_efektif,
                rencana_aksi=rencana_aksi,
                kunci=kunci,
            )
        )
    return [
        evidence_services.bukti_link_add(
            penilaian=penilaian,
            pertanyaan=pertanyaan,
            url=url,
            judul=judul,
            user=user,
            tanggal_efektif=tanggal_efektif,
            rencana_aksi=rencana_aksi,
            kunci=kunci,
        )
    ]


def bukti_replace(
    *, access: UnitAccess | None, penilaian: Penilaian, old: Bukti, files: list[Any], user: Any
) -> list[Bukti]:
    """A new version of an evidence file (the old one stays in the history)."""
    if old.pertanyaan is None:
        raise PerubahanDitolak(_("Bukti ini tidak terkait dengan pertanyaan."))
    _bukti_check(access, penilaian, old.pertanyaan)
    return list(
        evidence_services.bukti_upload(
            penilaian=penilaian,
            pertanyaan=old.pertanyaan,
            files=files,
            user=user,
            tanggal_efektif=old.tanggal_efektif,
            rencana_aksi=old.rencana_aksi,
            replaces=old,
        )
    )


def bukti_withdraw(
    *, access: UnitAccess | None, penilaian: Penilaian, bukti: Bukti, user: Any
) -> None:
    if bukti.pertanyaan is None:
        raise PerubahanDitolak(_("Bukti ini tidak terkait dengan pertanyaan."))
    _bukti_check(access, penilaian, bukti.pertanyaan)
    evidence_services.bukti_withdraw(bukti=bukti, user=user)


def bukti_confirm(
    *, access: UnitAccess | None, penilaian: Penilaian, bukti: Bukti, user: Any
) -> None:
    """A bukti carried forward from last year still holds (mandiri rule applies)."""
    if bukti.pertanyaan is None:
        raise PerubahanDitolak(_("Bukti ini tidak terkait dengan pertanyaan."))
    _bukti_check(access, penilaian, bukti.pertanyaan)
    evidence_services.bukti_dicek_ulang(bukti=bukti, user=user)


__all__ = [
    "TRANSITIONS",
    "Blocking",
    "BukaKembaliDitolak",
    "FinalisasiDitolak",
    "Kekurangan",
    "PengajuanDitolak",
    "PerubahanDitolak",
    "TransisiDitolak",
    "answer_refusal",
    "blocking_finalize",
    "blocking_next",
    "blocking_submit",
    "bukti_add",
    "bukti_confirm",
    "bukti_replace",
    "bukti_withdraw",
    "can_edit_mandiri",
    "can_edit_tpi",
    "catatan_refusal",
    "hasil_refusal",
    "mandiri_refusal",
    "next_step",
    "penilaian_finalize",
    "penilaian_kekurangan",
    "penilaian_reopen",
    "penilaian_submit",
    "returned_questions",
    "reviu_notify_returned",
    "reviu_save",
    "tpi_refusal",
    "tpn_refusal",
    "tpn_result",
    "unit_wide_refusal",
]
