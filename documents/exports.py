"""Documents rendered in the background: the registry, starting a job, running it.

A job row carries the state; the Celery task gets only the job id, after commit. A
job's file has one fixed name, so a retried or repeated run replaces its own file and
never leaves a second one. Finished files expire after `ZI_EXPORT_TTL_DAYS`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from documents.models import ExportJob, JenisEkspor, StatusEkspor
from evidence.models import RencanaKerja
from lke.models import Penilaian
from scoring.models import SetJawaban
from units.access import Izin
from zi_portal.lib.antrean import AntreanTidakTersedia, enqueue

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


class EksporGagal(Exception):
    """An expected failure, shown to the user.

    Raised in the request (`export_start`), the message is already in the user's language.
    Raised while rendering (in the worker, which knows no user language), it is the
    Indonesian source text: stored on the job and translated when the job is shown.
    """


@dataclass(frozen=True)
class Exporter:
    jenis: str
    permission: Izin
    render: Callable[[Penilaian, dict[str, Any], Progress], tuple[str, bytes]]


def _render_lke(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    from documents.xlsx_export import lke_filename, lke_workbook

    by = params.get("by", SetJawaban.TPI)
    return lke_filename(penilaian, by), lke_workbook(penilaian, by=by, progress=progress)


def _render_rencana_kerja(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    from documents.pdf import rencana_kerja_pdf

    rk = RencanaKerja.objects.filter(penilaian=penilaian).first()
    if rk is None:
        raise EksporGagal(gettext_noop("Unit ini belum memiliki teks rencana kerja."))
    progress(10)
    pdf = rencana_kerja_pdf(rk)
    progress(95)
    return f"rencana-kerja-{penilaian.unit.slug}-{penilaian.tahun}.pdf", pdf


def _render_rkt(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    """The unit's RKT of the penilaian's year in seed 002's layout.

    For a requester who may approve it is signed in order, one PAdES signature each
    (`documents.signing.sign_pdf_signers`): first the Kepala Biro (the RKT's
    `penandatangan`, box `ruang-tanda-tangan`, certificate `signer_p12_path(0)`), then,
    when the RKT names one, the Sekretaris Jenderal who approves (*Menyetujui*, box
    `ruang-tanda-tangan-2`, `signer_p12_path(1)`). Anyone else gets a marked draft.
    """
    from django.urls import reverse

    from documents.pdf import rkt_pdf
    from documents.signing import (
        SignerSpec,
        SigningError,
        load_signer,
        sign_pdf_signers,
        signature_anchor,
        signature_field,
        signer_p12_path,
    )
    from evidence.models import RencanaKinerjaTahunan

    rkt = (
        RencanaKinerjaTahunan.objects.select_related("unit__instansi")
        .filter(unit=penilaian.unit, tahun=penilaian.tahun)
        .first()
    )
    if rkt is None or not rkt.sasaran.exists():
        raise EksporGagal(gettext_noop("Unit ini belum memiliki RKT tahun ini."))
    name = f"rkt-{penilaian.unit.slug}-{penilaian.tahun}.pdf"
    progress(10)
    if not params.get("ditandatangani"):
        return name, rkt_pdf(rkt, draf=True)
    signers = [
        (rkt.penandatangan_nama or penilaian.unit.nama, rkt.penandatangan_jabatan, "Penyusunan"),
    ]
    if rkt.penyetuju_nama.strip():
        signers.append((rkt.penyetuju_nama, rkt.penyetuju_jabatan, "Persetujuan"))
    try:
        loaded = [load_signer(signer_p12_path(i)) for i in range(len(signers))]
    except SigningError as exc:
        log.warning("RKT %s not signed: %s", rkt.pk, exc)
        raise EksporGagal(gettext_noop("Sertifikat penandatanganan tidak dapat dipakai.")) from exc
    url = settings.ZI_PUBLIC_BASE_URL + reverse("scoring:rkt", args=[penilaian.code])
    pdf = rkt_pdf(rkt, verification_url=url)
    progress(50)
    location = rkt.kota or penilaian.unit.kota
    signed = sign_pdf_signers(
        pdf,
        [
            SignerSpec(
                signer=signer,
                name=nama,
                jabatan=jabatan,
                location=location,
                reason=f"{alasan} Rencana Kinerja Tahunan {rkt.tahun}",
                verification_url=url,
                field_name=signature_field(i),
                anchor=signature_anchor(i),
            )
            for i, ((nama, jabatan, alasan), signer) in enumerate(zip(signers, loaded, strict=True))
        ],
    )
    progress(95)
    return name.replace(".pdf", "-ditandatangani.pdf"), signed


EXPORTERS: dict[str, Exporter] = {
    JenisEkspor.LKE_XLSX: Exporter(JenisEkspor.LKE_XLSX, Izin.EXPORT, _render_lke),
    JenisEkspor.RENCANA_KERJA_PDF: Exporter(
        JenisEkspor.RENCANA_KERJA_PDF, Izin.EXPORT, _render_rencana_kerja
    ),
    JenisEkspor.RKT_PDF: Exporter(JenisEkspor.RKT_PDF, Izin.EXPORT, _render_rkt),
}
CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}


def export_start(
    *, user: Any, penilaian: Penilaian, jenis: str, params: dict[str, Any]
) -> ExportJob:
    """Create the job and queue its task once the job row is committed.

    Raises `AntreanTidakTersedia` (and removes the job) when the broker or the result
    store is down, within about two seconds (zi_portal.lib.antrean).
    """
    from documents.tasks import export_task

    if jenis not in EXPORTERS:
        raise EksporGagal(_("Jenis ekspor %(jenis)r tidak dikenal.") % {"jenis": jenis})
    job = ExportJob.objects.create(
        owner=user,
        penilaian=penilaian,
        jenis=jenis,
        params=params,
        kedaluwarsa=timezone.now() + dt.timedelta(days=settings.ZI_EXPORT_TTL_DAYS),
    )

    def dispatch() -> None:
        try:
            enqueue(export_task, str(job.id))
        except AntreanTidakTersedia as exc:
            ExportJob.objects.filter(pk=job.pk).delete()
            raise AntreanTidakTersedia(
                _("Antrean tugas sedang tidak tersedia; coba lagi beberapa saat lagi.")
            ) from exc

    transaction.on_commit(dispatch, robust=False)
    return job


def export_run(job_id: str) -> ExportJob | None:
    """Render the job's document and store it; safe to run again for the same job."""
    job = (
        ExportJob.objects.select_related("penilaian__unit", "penilaian__model")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        return None  # deleted (expired, or queue failure) before the worker got to it
    if (
        job.status == StatusEkspor.SELESAI
        and job.berkas
        and job.berkas.storage.exists(job.berkas.name)
    ):
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=StatusEkspor.PROSES, progress=0, error="")

    def progress(value: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=max(0, min(99, int(value))))

    exporter = EXPORTERS[job.jenis]
    try:
        filename, content = exporter.render(job.penilaian, job.params, progress)
    except EksporGagal as exc:
        ExportJob.objects.filter(pk=job.pk).update(status=StatusEkspor.GAGAL, error=str(exc))
        return job
    name = f"ekspor/{job.id}/{filename}"
    storage = job.berkas.storage
    if storage.exists(name):
        storage.delete(name)  # a retried run replaces its own file
    stored = storage.save(name, ContentFile(content))
    ExportJob.objects.filter(pk=job.pk).update(
        status=StatusEkspor.SELESAI,
        progress=100,
        berkas=stored,
        nama_berkas=filename,
        selesai_pada=timezone.now(),
    )
    job.refresh_from_db()
    return job


def export_fail(job_id: str, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status=StatusEkspor.SELESAI).update(
        status=StatusEkspor.GAGAL, error=message
    )


def exports_prune(*, now: dt.datetime | None = None) -> int:
    """Delete expired jobs and their files; return how many jobs were removed."""
    now = now or timezone.now()
    removed = 0
    for job in ExportJob.objects.filter(kedaluwarsa__lt=now):
        if job.berkas:
            try:
                job.berkas.storage.delete(job.berkas.name)
            except OSError:
                log.exception("could not delete %s", job.berkas.name)
                continue
        job.delete()
        removed += 1
    return removed


def content_type_for(filename: str) -> str:
    for suffix, content_type in CONTENT_TYPES.items():
        if filename.endswith(suffix):
            return content_type
    return "application/octet-stream"
