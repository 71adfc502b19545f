"""Evaluasi menuju WBK secara mandiri (PermenPANRB 5/2024, Lampiran II Bab II B).

"Instansi Pemerintah dapat menyelenggarakan evaluasi Zona Integritas secara mandiri bagi
unit kerja/satuan kerja untuk mendapatkan predikat Menuju WBK" - only Menuju WBK; the
predikat equals the TPN's and counts for a later WBBM proposal. The regulation leaves the
conditions an instansi must meet to the Minister ("ditetapkan oleh Menteri"); the portal
records that the instansi evaluates its own units and, after its TPI's final, the
pimpinan instansi's penetapan, which becomes a predikat row (units.predikat).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidence.services import max_upload_bytes, upload_sha256
from evidence.validators import detect_and_validate
from lke.models import Penilaian, StatusPenilaian
from lke.syarat import evaluasi_mandiri_allowed
from scoring.models import EvaluasiMandiri, PenetapanMandiri, SetJawaban, SnapshotSkor
from units.access import Izin, UnitAccess
from units.audit import diff, riwayat_record
from units.models import Instansi, PredikatUnit, Riwayat, UnitKerja
from units.predikat import predikat_add

log = logging.getLogger(__name__)


def _signature_count(upload: UploadedFile) -> int:
    """How many electronic signatures the PDF embeds (0 when none or unreadable)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    upload.seek(0)
    try:
        return len(PdfFileReader(upload, strict=False).embedded_signatures)
    except Exception:  # a scanned or unusual PDF is still a valid SK upload
        log.info("SK without readable signature fields", exc_info=True)
        return 0
    finally:
        upload.seek(0)


class PenetapanDitolak(ValueError):
    pass


NOT_YET = gettext_lazy(
    "Evaluasi menuju WBK secara mandiri belum berlaku untuk tahun %(t)d: baru diatur "
    "PermenPANRB 5/2024 (berlaku sejak tahun 2024)."
)


def evaluasi_mandiri_of(instansi: Instansi, tahun: int) -> EvaluasiMandiri | None:
    return EvaluasiMandiri.objects.filter(instansi=instansi, tahun=tahun).first()


def evaluasi_mandiri_catat(
    *, instansi: Instansi, tahun: int, dasar: str, user: Any, access: UnitAccess | None
) -> EvaluasiMandiri:
    """Record that `instansi` evaluates its own units for Menuju WBK in `tahun`."""
    if access is not None and not access.can(Izin.TETAPKAN_MANDIRI):
        raise PenetapanDitolak(_("Hanya pimpinan instansi yang dapat mencatat evaluasi mandiri."))
    if not evaluasi_mandiri_allowed(tahun):
        raise PenetapanDitolak(str(NOT_YET) % {"t": tahun})
    with transaction.atomic():
        row, created = EvaluasiMandiri.objects.get_or_create(
            instansi=instansi,
            tahun=tahun,
            defaults={"dasar": dasar.strip(), "dicatat_oleh": user},
        )
        if not created:
            raise PenetapanDitolak(
                _("Evaluasi mandiri instansi ini untuk tahun %(t)d sudah dicatat.") % {"t": tahun}
            )
        for unit in UnitKerja.objects.filter(instansi=instansi):
            riwayat_record(
                user=user,
                unit=unit,
                tahun=tahun,
                objek="evaluasi_mandiri",
                objek_id=row.pk,
                kode=instansi.kode,
                aksi=Riwayat.Aksi.BUAT,
                perubahan=diff({}, {"evaluasi_mandiri": "ya", "dasar": row.dasar}),
            )
    return row


def penetapan_refusal(penilaian: Penilaian) -> str | None:
    """Why no penetapan can be recorded for `penilaian` now (None: it can)."""
    if hasattr(penilaian, "penetapan_mandiri"):
        return _("Penetapan untuk penilaian ini sudah dicatat.")
    if not evaluasi_mandiri_allowed(penilaian.tahun):
        return str(NOT_YET) % {"t": penilaian.tahun}
    if evaluasi_mandiri_of(penilaian.unit.instansi, penilaian.tahun) is None:
        return _("Instansi belum mencatat evaluasi mandiri untuk tahun %(t)d.") % {
            "t": penilaian.tahun
        }
    if penilaian.status != StatusPenilaian.FINAL:
        return _("Penetapan hanya setelah TPI memfinalkan penilaian.")
    official = (
        SnapshotSkor.objects.filter(penilaian=penilaian, set=SetJawaban.TPI, final=True)
        .order_by("-dibuat_pada")
        .first()
    )
    if official is None or official.predikat not in ("WBK", "WBBM"):
        return _("Hasil final TPI belum memenuhi ambang Menuju WBK.")
    return None


def penetapan_catat(
    *,
    penilaian: Penilaian,
    nomor_sk: str,
    tanggal_sk: dt.date,
    berkas: UploadedFile,
    user: Any,
    access: UnitAccess | None,
) -> PenetapanMandiri:
    """Record the pimpinan instansi's penetapan Menuju WBK with the signed SK.

    Refused (PenetapanDitolak, nothing changed) without the right, the instansi's
    evaluasi mandiri of the year, the TPI's final, a final TPI result reaching Menuju
    WBK, or when one is already recorded. The predikat row has source *evaluasi mandiri*.
    """
    if access is not None and not access.can(Izin.TETAPKAN_MANDIRI):
        raise PenetapanDitolak(_("Hanya pimpinan instansi yang dapat mencatat penetapan."))
    nomor_sk = nomor_sk.strip()
    if not nomor_sk:
        raise PenetapanDitolak(_("Nomor SK wajib diisi."))
    if tanggal_sk.year < penilaian.tahun:
        raise PenetapanDitolak(_("Tanggal SK tidak boleh sebelum tahun penilaian."))
    name, _mime = detect_and_validate(berkas, max_bytes=max_upload_bytes())
    if not name.lower().endswith(".pdf"):
        raise PenetapanDitolak(_("SK bertanda tangan diunggah sebagai PDF."))
    sha = upload_sha256(berkas)
    signatures = _signature_count(berkas)
    with transaction.atomic():
        locked = (
            Penilaian.objects.select_for_update()
            .select_related("unit__instansi")
            .get(pk=penilaian.pk)
        )
        refusal = penetapan_refusal(locked)
        if refusal:
            raise PenetapanDitolak(refusal)
        try:
            row: PredikatUnit = predikat_add(
                locked.unit,
                predikat="WBK",
                tahun=locked.tahun,
                sumber=PredikatUnit.Sumber.MANDIRI,
                nomor_sk=nomor_sk,
                tanggal_sk=tanggal_sk,
                catatan=_("Penetapan pimpinan instansi setelah evaluasi mandiri (5/2024 B)."),
                user=user,
            )
        except ValidationError as exc:
            raise PenetapanDitolak(" ".join(exc.messages)) from exc
        penetapan = PenetapanMandiri(
            penilaian=locked,
            predikat=row,
            nomor_sk=nomor_sk,
            tanggal_sk=tanggal_sk,
            nama_asli=name,
            sha256=sha,
            tanda_tangan_elektronik=signatures,
            ditetapkan_oleh=user,
        )
        penetapan.berkas_sk.save(name, berkas, save=False)
        try:
            penetapan.save()
        except Exception:
            penetapan.berkas_sk.storage.delete(penetapan.berkas_sk.name)
            raise
        riwayat_record(
            user=user,
            unit=locked.unit,
            tahun=locked.tahun,
            objek="penetapan_mandiri",
            objek_id=penetapan.pk,
            kode="WBK",
            aksi=Riwayat.Aksi.BUAT,
            perubahan=diff(
                {},
                {
                    "nomor_sk": nomor_sk,
                    "tanggal_sk": tanggal_sk.isoformat(),
                    "berkas_sk": name,
                    "sha256": sha,
                    "tanda_tangan_elektronik": str(signatures),
                },
            ),
        )
    return penetapan
