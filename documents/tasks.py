from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils.translation import gettext_noop

from documents.signing import SigningError

log = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="documents.export",
    ignore_result=True,  # the job row carries the state; no result store on enqueue
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    max_retries=3,
)
def export_task(self, job_id: str) -> str | None:  # type: ignore[no-untyped-def]
    """Render one export job. Late acknowledgement: a job whose worker died is redelivered."""
    from documents.exports import export_fail, export_run

    try:
        job = export_run(job_id)
    except Exception:
        if self.request.retries >= self.max_retries:
            log.exception("export %s failed for good", job_id)
            # Stored in Indonesian; the status page translates it for the viewer.
            export_fail(
                job_id,
                gettext_noop(
                    "Dokumen gagal dibuat. Coba lagi; bila berulang, hubungi admin portal."
                ),
            )
        raise
    return None if job is None else str(job.pk)


@shared_task(name="documents.prune_exports")
def prune_exports_task() -> int:
    from documents.exports import exports_prune

    return exports_prune()


class _Berubah(Exception):
    pass


@shared_task(
    bind=True,
    name="documents.sign_rencana_kerja",
    ignore_result=True,  # the signed document is the result
    acks_late=True,
    reject_on_worker_lost=True,
    # Every failure that may pass (broker, database, storage, render, a change during
    # the render) is retried with backoff; a certificate that cannot be opened is not.
    autoretry_for=(Exception,),
    dont_autoretry_for=(SigningError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=False,
    max_retries=6,
)
def sign_rencana_kerja_task(self, rencana_kerja_id: int, user_id: int | None = None) -> str | None:  # type: ignore[no-untyped-def]
    """Render and sign an approved rencana kerja (PAdES) as its approving pimpinan.

    Stops at once when the rencana kerja is no longer waiting for its signature. A
    `SigningError` (certificate unreadable, wrong passphrase) marks the approval
    *penandatanganan gagal* with the reason, for the pimpinan and admin to fix and *coba
    lagi*. When the retries run out the approval stays *menunggu* and the periodic sweep
    (`documents.sign_sweep`) queues it again. `user_id` is ignored (older messages).
    """
    from documents.rencana_kerja import RencanaKerjaBerubah, rencana_kerja_sign
    from evidence.models import RencanaKerja, StatusPersetujuan, StatusTandaTangan
    from evidence.persetujuan import rencana_kerja_sign_failed

    rk = (
        RencanaKerja.objects.select_related("penilaian__unit", "disetujui_oleh")
        .filter(pk=rencana_kerja_id)
        .first()
    )
    if (
        rk is None
        or rk.status != StatusPersetujuan.DISETUJUI
        or rk.status_tanda_tangan != StatusTandaTangan.MENUNGGU
        or rk.disetujui_oleh is None
    ):
        return None
    try:
        dokumen = rencana_kerja_sign(rk, user=rk.disetujui_oleh)
    except SigningError as exc:
        log.error("signing rencana kerja %s failed for good: %s", rencana_kerja_id, exc)
        rencana_kerja_sign_failed(rk, alasan=str(exc))
        return None
    except RencanaKerjaBerubah as exc:
        raise _Berubah(str(exc)) from exc
    except Exception:
        log.warning(
            "signing rencana kerja %s failed (try %s), retrying",
            rencana_kerja_id,
            self.request.retries + 1,
            exc_info=True,
        )
        raise
    return str(dokumen.code)


@shared_task(name="documents.sign_sweep")
def sign_sweep_task() -> int:
    """Queue the signing of approvals left without their signed document."""
    from documents.rencana_kerja import rencana_kerja_sign_sweep

    return rencana_kerja_sign_sweep()
