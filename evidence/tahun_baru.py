"""Starting a unit's next penilaian year (issue 16 part 2).

`penilaian_tahun_baru` creates the year's penilaian and, as chosen on the start-year
form, copies last year's rencana aksi (status reset, `rencana_aksi_copy_rows`) and
carries last year's current bukti forward as *perlu dicek ulang*. A carried bukti is a
new row of the new penilaian pointing at the same stored file (files are never copied
needlessly); its row is its own, so deleting last year's row or penilaian leaves it
whole (`dibawa_dari` is SET_NULL, and `storage_reconcile` keeps a file while any row
names it). Its text is taken over from last year's reading, and its checks are queued
again after the commit, so the findings are recomputed against the new year (dates,
relevance, the question it now answers). Everything in one transaction, recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evidence.models import Bukti, TeksBukti
from evidence.services import rencana_aksi_copy_rows
from evidence.tasks import bukti_periksa_on_commit
from evidence.validators import BuktiDitolak
from lke.models import HasilItem, ModelPenilaian, Penilaian, Pertanyaan
from units.access import Izin, UnitAccess
from units.audit import riwayat_record
from units.models import Riwayat, UnitKerja

TEXT_COPIED = ("status", "alasan", "halaman", "phash", "catatan", "versi_teks")


@dataclass(frozen=True)
class TahunBaru:
    penilaian: Penilaian
    sumber: Penilaian | None
    rencana_aksi: int  # rows copied
    bukti: int  # bukti carried forward
    bukti_dilewati: int  # bukti whose question the new model lacks


def tahun_baru_refusal(access: UnitAccess | None, unit: UnitKerja, tahun: int) -> str | None:
    if access is not None and not access.can(Izin.MULAI_TAHUN):
        return _("Hanya admin yang dapat memulai penilaian tahun baru.")
    if Penilaian.objects.filter(unit=unit, tahun=tahun).exists():
        return _("Penilaian %(unit)s tahun %(tahun)d sudah ada.") % {
            "unit": unit.nama,
            "tahun": tahun,
        }
    return None


def penilaian_tahun_baru(
    *,
    unit: UnitKerja,
    tahun: int,
    model: ModelPenilaian,
    salin_rencana_aksi: bool,
    bawa_bukti: bool,
    user: Any,
    access: UnitAccess | None,
) -> TahunBaru:
    """Create `unit`'s penilaian of `tahun` on `model`, copying from the latest earlier year.

    Raises `BuktiDitolak` (nothing written) without the right or when the year exists.
    """
    refusal = tahun_baru_refusal(access, unit, tahun)
    if refusal:
        raise BuktiDitolak(refusal)
    source = (
        Penilaian.objects.filter(unit=unit, tahun__lt=tahun)
        .select_related("model")
        .order_by("-tahun")
        .first()
    )
    try:
        with transaction.atomic():
            target = Penilaian.objects.create(unit=unit, tahun=tahun, model=model)
            copied: dict[int, Any] = {}
            if salin_rencana_aksi and source is not None:
                rows = list(
                    source.rencana_aksi.select_related("indikator", "hasil_item").order_by(
                        "urutan", "id"
                    )
                )
                copied = rencana_aksi_copy_rows(source=source, target=target, rows=rows, user=user)
            carried: list[Bukti] = []
            skipped = 0
            if bawa_bukti and source is not None:
                carried, skipped = _carry_bukti(source, target, copied)
            riwayat_record(
                user=user,
                unit=unit,
                tahun=tahun,
                objek="penilaian",
                objek_id=target.code,
                kode="",
                aksi=Riwayat.Aksi.BUAT,
                perubahan={
                    "tahun": ["", str(tahun)],
                    "model": ["", model.kode],
                    "disalin_dari": ["", str(source.tahun) if source else "-"],
                    "rencana_aksi_disalin": ["", str(len(copied))],
                    "bukti_dibawa": ["", f"{len(carried)} (perlu dicek ulang)"],
                },
            )
    except IntegrityError:  # the same year started concurrently
        raise BuktiDitolak(
            _("Penilaian %(unit)s tahun %(tahun)d sudah ada.") % {"unit": unit.nama, "tahun": tahun}
        ) from None
    for bukti in carried:
        bukti_periksa_on_commit(bukti.pk)
    return TahunBaru(target, source, len(copied), len(carried), skipped)


def _carry_bukti(
    source: Penilaian, target: Penilaian, rencana_aksi: dict[int, Any]
) -> tuple[list[Bukti], int]:
    questions = {q.kode: q for q in Pertanyaan.objects.filter(model=target.model)}
    hasil = {h.kode: h for h in HasilItem.objects.filter(model=target.model)}
    old = list(
        Bukti.objects.filter(penilaian=source, aktif=True, realisasi__isnull=True)
        .select_related("pertanyaan", "hasil_item", "teks")
        .order_by("diunggah_pada", "id")
    )
    made: list[Bukti] = []
    skipped = 0
    for b in old:
        q = questions.get(b.pertanyaan.kode) if b.pertanyaan else None
        h = hasil.get(b.hasil_item.kode) if b.hasil_item else None
        if q is None and h is None:
            skipped += 1
            continue
        copy = Bukti(
            penilaian=target,
            pertanyaan=q,
            hasil_item=h if q is None else None,
            rencana_aksi=rencana_aksi.get(b.rencana_aksi_id) if b.rencana_aksi_id else None,
            jenis=b.jenis,
            url=b.url,
            nama_asli=b.nama_asli,
            judul=b.judul,
            ukuran=b.ukuran,
            sha256=b.sha256,
            tipe_konten=b.tipe_konten,
            diunggah_oleh_id=b.diunggah_oleh_id,
            tanggal_efektif=b.tanggal_efektif,
            dibawa_dari=b,
            perlu_dicek_ulang=True,
        )
        copy.berkas.name = b.berkas.name  # the same stored file: no copy
        made.append(copy)
    Bukti.objects.bulk_create(made)
    texts = []
    for copy in made:
        teks = getattr(copy.dibawa_dari, "teks", None)
        if teks is not None:
            # Last year's reading of the same file; the checks run again (versi_pemeriksa
            # empty), so the findings are the new year's.
            texts.append(TeksBukti(bukti=copy, **{f: getattr(teks, f) for f in TEXT_COPIED}))
    TeksBukti.objects.bulk_create(texts)
    for copy in made:
        riwayat_record(
            user=None,
            unit=target.unit,
            tahun=target.tahun,
            objek="bukti",
            objek_id=copy.code,
            kode=copy.pertanyaan.kode if copy.pertanyaan else copy.hasil_item.kode,  # type: ignore[union-attr]
            aksi=Riwayat.Aksi.BUAT,
            perubahan={
                "dibawa_dari": ["", str(source.tahun)],
                "status": ["", "perlu dicek ulang"],
            },
        )
    return made, skipped
