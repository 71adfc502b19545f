"""Documents rendered in the background: the registry, starting a job, running it.

A job row carries the state; the Celery task gets only the job id, after commit. A run
claims the job with a token and keeps a heartbeat on the row; a sweep re-queues a job
whose heartbeat stopped (a dead worker), and only the run holding the claim may finish
it, so a job ends with exactly one file. A write that fails removes what it wrote.
Finished files expire after `ZI_EXPORT_TTL_DAYS`.

An exporter either renders its document into memory (`render`: workbooks, PDFs) or
yields it in chunks (`stream`: the evidence dossier), which the worker writes to storage
as they come. Links in a document follow the address the job was started at
(`ExportJob.alamat_publik`, zi_portal.lib.urls).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from documents.models import ExportJob, JenisEkspor, StatusEkspor
from evidence.models import RencanaKerja
from lke.models import Penilaian
from scoring.models import Pengusulan, SetJawaban
from units.access import Izin
from zi_portal.lib.antrean import AntreanTidakTersedia, enqueue
from zi_portal.lib.storage import discard, store
from zi_portal.lib.streams import chunks_file
from zi_portal.lib.urls import links_from, public_base_url

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


class EksporGagal(Exception):
    """An expected failure, shown to the user.

    Raised in the request (`export_start`), the message is already in the user's language.
    Raised while rendering (in the worker, which knows no user language), it is the
    Indonesian source text: stored on the job and translated when the job is shown.
    """


Render = Callable[[Penilaian, dict[str, Any], Progress], tuple[str, bytes]]
Stream = Callable[[Penilaian, dict[str, Any], Progress], tuple[str, Iterator[bytes]]]
# A document of an instansi's pengusulan to the TPN (not of one penilaian).
RenderPengusulan = Callable[[Pengusulan, dict[str, Any], Progress], tuple[str, bytes]]


@dataclass(frozen=True)
class Exporter:
    jenis: str
    permission: Izin
    render: Render | None = None
    # Documents too large for memory: chunks, written to storage as they are made.
    stream: Stream | None = None
    # Documents of a pengusulan (ExportJob.pengusulan instead of .penilaian).
    render_pengusulan: RenderPengusulan | None = None


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


def _stream_berkas_bukti(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, Iterator[bytes]]:
    from documents.dossier import dossier_filename, dossier_stream

    return dossier_filename(penilaian), dossier_stream(penilaian, progress)


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
    url = public_base_url() + reverse("scoring:rkt", args=[penilaian.code])
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


def _render_pengusulan(
    pengusulan: Pengusulan, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    """The surat pengajuan evaluasi with the SPTJM and Lampiran (documents.pengusulan):
    a marked draft, or, started by the pimpinan instansi (`params["tandatangani"]`),
    signed twice and registered, which marks the pengusulan *ditandatangani*."""
    from django.contrib.auth import get_user_model

    from documents.pengusulan import (
        LampiranGagal,
        pengusulan_filename,
        pengusulan_pdf,
        pengusulan_sign,
    )
    from documents.signing import SigningError
    from scoring.pengusulan import PengusulanDitolak, pengusulan_signing_refusal
    from units.access import instansi_access

    progress(5)
    if not params.get("tandatangani"):
        try:
            pdf = pengusulan_pdf(pengusulan, draf=True, progress=progress)
        except LampiranGagal as exc:
            raise EksporGagal(str(exc)) from exc
        progress(95)
        return pengusulan_filename(pengusulan, signed=False), pdf
    user = get_user_model().objects.filter(pk=int(params.get("oleh") or 0)).first()
    access = instansi_access(user, pengusulan.instansi) if user is not None else None
    refusal = pengusulan_signing_refusal(pengusulan, access)
    if refusal is not None:
        raise EksporGagal(refusal)
    try:
        _dokumen, signed = pengusulan_sign(pengusulan, user=user)
    except SigningError as exc:
        log.warning("pengusulan %s not signed: %s", pengusulan.pk, exc)
        raise EksporGagal(
            gettext_noop(
                "Sertifikat penandatanganan pimpinan instansi tidak dapat dipakai "
                "(create_dev_certificate --penanda-tangan 2 membuat sertifikat pengembangan)."
            )
        ) from exc
    except (PengusulanDitolak, LampiranGagal) as exc:
        raise EksporGagal(str(exc)) from exc
    progress(95)
    return pengusulan_filename(pengusulan, signed=True), signed


def _render_lhe(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    """The TPI's LHE of the final TPI score, signed by the TPI (`documents.lhe`): the
    registered document of that score, made by the first request."""
    from documents.lhe import LheTidakTersedia, lhe_filename, lhe_sign
    from documents.signing import SigningError

    try:
        dokumen = lhe_sign(penilaian, progress=progress)
    except LheTidakTersedia as exc:
        raise EksporGagal(str(exc)) from exc  # an Indonesian msgid (gettext_noop)
    except SigningError as exc:
        log.warning("LHE of %s not signed: %s", penilaian.pk, exc)
        raise EksporGagal(
            gettext_noop("Sertifikat penandatanganan TPI tidak dapat dipakai.")
        ) from exc
    with dokumen.berkas.open("rb") as handle:
        data: bytes = handle.read()
    progress(95)
    return lhe_filename(penilaian).replace(".pdf", "-ditandatangani.pdf"), data


def _monev(penilaian: Penilaian, params: dict[str, Any], progress: Progress) -> Any:
    from django.contrib.auth import get_user_model

    from documents.monev import MonevTidakValid, laporan_monev

    pengguna = params.get("pengguna")
    user = get_user_model().objects.filter(pk=int(pengguna)).first() if pengguna else None
    try:
        triwulan = int(params.get("triwulan", 0))
        return laporan_monev(penilaian, triwulan, user=user, progress=progress)
    except (MonevTidakValid, TypeError, ValueError) as exc:
        raise EksporGagal(gettext_noop("Triwulan harus 1, 2, 3 atau 4 (I–IV).")) from exc


def _render_monev_pdf(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    """The laporan monev triwulan (documents.monev) as PDF; records the quarter's snapshot."""
    from documents.monev import monev_filename, monev_pdf

    laporan = _monev(penilaian, params, progress)
    pdf = monev_pdf(laporan)
    progress(95)
    return monev_filename(penilaian, laporan.triwulan, "pdf"), pdf


def _render_monev_docx(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    """The laporan monev triwulan as Word (python-docx), with the same content."""
    from documents.monev import monev_docx, monev_filename

    laporan = _monev(penilaian, params, progress)
    data = monev_docx(laporan)
    progress(95)
    return monev_filename(penilaian, laporan.triwulan, "docx"), data


def _render_instansi(
    penilaian: Penilaian, params: dict[str, Any], progress: Progress
) -> tuple[str, bytes]:
    """Every unit of the penilaian's instansi and year (the instansi page's table)."""
    from documents.instansi_xlsx import instansi_filename, instansi_workbook
    from scoring.rekap import Filter

    instansi, tahun = penilaian.unit.instansi, penilaian.tahun
    f = Filter(**{k: v for k, v in params.get("filter", {}).items() if k in FILTER_KEYS})
    return instansi_filename(instansi, tahun), instansi_workbook(instansi, tahun, f, progress)


FILTER_KEYS = ("status", "predikat", "area_kurang", "urut")

EXPORTERS: dict[str, Exporter] = {
    JenisEkspor.LKE_XLSX: Exporter(JenisEkspor.LKE_XLSX, Izin.EXPORT, _render_lke),
    JenisEkspor.RENCANA_KERJA_PDF: Exporter(
        JenisEkspor.RENCANA_KERJA_PDF, Izin.EXPORT, _render_rencana_kerja
    ),
    JenisEkspor.BERKAS_BUKTI_ZIP: Exporter(
        JenisEkspor.BERKAS_BUKTI_ZIP, Izin.EXPORT, stream=_stream_berkas_bukti
    ),
    JenisEkspor.RKT_PDF: Exporter(JenisEkspor.RKT_PDF, Izin.EXPORT, _render_rkt),
    JenisEkspor.PENGUSULAN_PDF: Exporter(
        JenisEkspor.PENGUSULAN_PDF, Izin.VIEW, render_pengusulan=_render_pengusulan
    ),
    # Only roles who may see the TPI result (units.access: TPI, pimpinan, admin).
    JenisEkspor.LHE_PDF: Exporter(JenisEkspor.LHE_PDF, Izin.UNDUH_LHE, _render_lhe),
    JenisEkspor.MONEV_PDF: Exporter(JenisEkspor.MONEV_PDF, Izin.EXPORT, _render_monev_pdf),
    JenisEkspor.MONEV_DOCX: Exporter(JenisEkspor.MONEV_DOCX, Izin.EXPORT, _render_monev_docx),
    JenisEkspor.INSTANSI_XLSX: Exporter(JenisEkspor.INSTANSI_XLSX, Izin.EXPORT, _render_instansi),
}
CONTENT_TYPES = {
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def export_start(
    *,
    user: Any,
    penilaian: Penilaian | None = None,
    pengusulan: Pengusulan | None = None,
    jenis: str,
    params: dict[str, Any],
    base_url: str = "",
) -> ExportJob:
    """Create the job and queue its task once the job row is committed.

    `base_url`: where links in the document point (`public_base_url(request)`).

    Raises `AntreanTidakTersedia` (and removes the job) when the broker or the result
    store is down, within about two seconds (zi_portal.lib.antrean).
    """
    from documents.tasks import export_task

    if jenis not in EXPORTERS:
        raise EksporGagal(_("Jenis ekspor %(jenis)r tidak dikenal.") % {"jenis": jenis})
    if (EXPORTERS[jenis].render_pengusulan is None) != (pengusulan is None) or (
        (penilaian is None) == (pengusulan is None)
    ):
        raise EksporGagal(_("Jenis ekspor %(jenis)r tidak dikenal.") % {"jenis": jenis})
    job = ExportJob.objects.create(
        owner=user,
        penilaian=penilaian,
        pengusulan=pengusulan,
        jenis=jenis,
        params=params,
        alamat_publik=base_url[:200],
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


class KlaimHilang(Exception):
    """This run no longer owns its job: a sweep presumed its worker dead and re-queued it."""


class EksporSibuk(Exception):
    """Another live run owns the job (its heartbeat is fresh); look again later."""


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.ZI_EXPORT_STALE_SECONDS)


def _claim(job: ExportJob, *, rerun_finished: bool) -> str | None:
    """Take the job for this run (a fresh token), unless a live run holds it."""
    now = timezone.now()
    token = uuid.uuid4().hex
    free = [StatusEkspor.ANTRE, StatusEkspor.GAGAL]
    if rerun_finished:
        free.append(StatusEkspor.SELESAI)
    claimable = Q(status__in=free) | Q(
        Q(detak__lt=_stale_before(now)) | Q(detak__isnull=True), status=StatusEkspor.PROSES
    )
    taken = (
        ExportJob.objects.filter(pk=job.pk)
        .filter(claimable)
        .update(status=StatusEkspor.PROSES, progress=0, error="", percobaan=token, detak=now)
    )
    return token if taken else None


def _beat(job_id: Any, token: str, **fields: Any) -> bool:
    """Refresh the heartbeat (and `fields`) while this run still owns the job."""
    return bool(
        ExportJob.objects.filter(pk=job_id, percobaan=token, status=StatusEkspor.PROSES).update(
            detak=timezone.now(), **fields
        )
    )


class _Heartbeat(threading.Thread):
    """Beats every `ZI_EXPORT_HEARTBEAT_SECONDS` while the render runs (a render may go
    long between two progress calls); dies with its worker, which is the point."""

    def __init__(self, job_id: Any, token: str) -> None:
        super().__init__(name=f"export-heartbeat-{job_id}", daemon=True)
        self.job_id, self.token = job_id, token
        self.halt = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        try:
            while not self.halt.wait(settings.ZI_EXPORT_HEARTBEAT_SECONDS):
                try:
                    if not _beat(self.job_id, self.token):
                        self.lost.set()
                        return
                except DatabaseError:
                    log.warning("export %s: heartbeat not written", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)


def export_run(job_id: str) -> ExportJob | None:
    """Render the job's document and store it; safe to run again for the same job.

    The run claims the job with a token and keeps a heartbeat on the row; it finishes the
    job only while it still holds the claim, so a run whose worker was presumed dead
    (and which wakes up later) removes its own file instead of making a second one.
    Raises `EksporSibuk` when a live run holds the job.
    """
    job = (
        ExportJob.objects.select_related(
            "penilaian__unit", "penilaian__model", "pengusulan__instansi"
        )
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        return None  # deleted (expired, or queue failure) before the worker got to it
    finished = job.status == StatusEkspor.SELESAI
    if finished and job.berkas and job.berkas.storage.exists(job.berkas.name):
        return job
    token = _claim(job, rerun_finished=finished)
    if token is None:
        job.refresh_from_db()
        if job.status in (StatusEkspor.SELESAI, StatusEkspor.GAGAL):
            return job
        raise EksporSibuk(str(job.pk))
    heartbeat = _Heartbeat(job.pk, token)

    def progress(value: int) -> None:
        if heartbeat.lost.is_set() or not _beat(
            job.pk, token, progress=max(0, min(99, int(value)))
        ):
            raise KlaimHilang(str(job.pk))

    exporter = EXPORTERS[job.jenis]
    heartbeat.start()
    try:
        with links_from(job.alamat_publik):
            try:
                content: File  # type: ignore[type-arg]
                if exporter.render_pengusulan is not None:
                    assert job.pengusulan is not None
                    filename, data = exporter.render_pengusulan(
                        job.pengusulan, job.params, progress
                    )
                    content = ContentFile(data)
                elif exporter.stream is not None:
                    assert job.penilaian is not None
                    filename, chunks = exporter.stream(job.penilaian, job.params, progress)
                    content = chunks_file(chunks, filename)
                else:
                    assert exporter.render is not None and job.penilaian is not None
                    filename, data = exporter.render(job.penilaian, job.params, progress)
                    content = ContentFile(data)
                # One folder per run: a run that lost its claim can never touch the
                # winner's file. A streamed document is made while it is written, so the
                # heartbeat runs until it is stored; `store` removes a half-written file.
                storage = job.berkas.storage
                stored = store(
                    storage,
                    f"ekspor/{job.id}/{token[:12]}/{filename}",
                    content,
                    max_length=job.berkas.field.max_length,
                )
            finally:
                heartbeat.stop()
        if heartbeat.lost.is_set():
            discard(storage, stored)
            raise KlaimHilang(str(job.pk))
    except EksporGagal as exc:
        ExportJob.objects.filter(pk=job.pk, percobaan=token).update(
            status=StatusEkspor.GAGAL, error=str(exc)
        )
        return job
    except KlaimHilang:
        log.warning("export %s: claim lost (re-queued by the sweep); this run stops", job.pk)
        job.refresh_from_db()
        return job
    except BaseException:
        # Hand the job back at once, so the task's retry can claim it.
        ExportJob.objects.filter(pk=job.pk, percobaan=token, status=StatusEkspor.PROSES).update(
            status=StatusEkspor.ANTRE, percobaan="", detak=timezone.now()
        )
        raise
    done = ExportJob.objects.filter(pk=job.pk, percobaan=token, status=StatusEkspor.PROSES).update(
        status=StatusEkspor.SELESAI,
        progress=100,
        berkas=stored,
        nama_berkas=filename,
        selesai_pada=timezone.now(),
        detak=timezone.now(),
    )
    if not done:
        log.warning("export %s: claim lost before finishing; own file removed", job.pk)
        discard(storage, stored)
    elif job.berkas.name and job.berkas.name != stored:
        discard(storage, job.berkas.name)  # the lost file of an earlier run
    job.refresh_from_db()
    return job


def exports_requeue_stale(*, now: dt.datetime | None = None) -> list[str]:
    """Re-queue jobs whose run stopped beating (a dead worker) or whose message was lost.

    A job `proses` without a heartbeat for `ZI_EXPORT_STALE_SECONDS`, or `antre` for
    `ZI_EXPORT_QUEUED_STALE_SECONDS`, goes back to `antre` and gets a new message. The
    change is conditional on the row being as seen, so two sweeps re-queue a job once;
    when the queue is down the row is put back as it was for the next sweep.
    """
    from documents.tasks import export_task

    now = now or timezone.now()
    queued_before = now - dt.timedelta(seconds=settings.ZI_EXPORT_QUEUED_STALE_SECONDS)
    stale = ExportJob.objects.filter(kedaluwarsa__gt=now).filter(
        Q(Q(detak__lt=_stale_before(now)) | Q(detak__isnull=True), status=StatusEkspor.PROSES)
        | Q(
            Q(detak__lt=queued_before) | Q(detak__isnull=True, dibuat_pada__lt=queued_before),
            status=StatusEkspor.ANTRE,
        )
    )
    requeued: list[str] = []
    for pk, status, detak, token in stale.values_list("pk", "status", "detak", "percobaan"):
        seen = {"pk": pk, "status": status, "detak": detak, "percobaan": token}
        if not ExportJob.objects.filter(**seen).update(
            status=StatusEkspor.ANTRE, percobaan="", detak=now, progress=0
        ):
            continue  # a run claimed or finished it meanwhile
        try:
            enqueue(export_task, str(pk))
        except AntreanTidakTersedia:
            ExportJob.objects.filter(pk=pk, status=StatusEkspor.ANTRE, detak=now).update(
                status=status, detak=detak, percobaan=token
            )
            log.warning("export sweep: queue unavailable, %s left for the next sweep", pk)
            break
        log.warning("export %s re-queued (was %s, last heartbeat %s)", pk, status, detak)
        requeued.append(str(pk))
    return requeued


def export_fail(job_id: str, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status=StatusEkspor.SELESAI).update(
        status=StatusEkspor.GAGAL, error=message
    )


def exports_prune(*, now: dt.datetime | None = None) -> int:
    """Delete expired jobs and their files; return how many jobs were removed."""
    now = now or timezone.now()
    removed = 0
    for job in ExportJob.objects.filter(kedaluwarsa__lt=now):
        if job.berkas and not discard(job.berkas.storage, job.berkas.name):
            continue
        job.delete()
        removed += 1
    return removed


def content_type_for(filename: str) -> str:
    for suffix, content_type in CONTENT_TYPES.items():
        if filename.endswith(suffix):
            return content_type
    return "application/octet-stream"
