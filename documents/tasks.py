from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils.translation import gettext_noop

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
    autoretry_for=(DatabaseError, OSError, _Berubah),
    retry_backoff=5,
    max_retries=3,
)
def sign_rencana_kerja_task(  # type: ignore[no-untyped-def]
    self, rencana_kerja_id: int, user_id: int, base_url: str = ""
) -> str | None:
    """Render and sign an approved rencana kerja (PAdES) as the approving pimpinan.

    `base_url`: the address the approval was made at; the QR code links there.

    When the rencana kerja changed during the render the task is retried; the retry
    stops at once if it is no longer approved.
    """
    from django.contrib.auth import get_user_model

    from documents.rencana_kerja import RencanaKerjaBerubah, rencana_kerja_sign
    from evidence.models import RencanaKerja, StatusPersetujuan
    from zi_portal.lib.urls import links_from

    rk = RencanaKerja.objects.select_related("penilaian__unit").filter(pk=rencana_kerja_id).first()
    if rk is None or rk.status != StatusPersetujuan.DISETUJUI:
        return None
    if rk.dokumen.filter(aktif=True, ditandatangani_pada__gte=rk.disetujui_pada).exists():
        return None  # already signed for this approval (a redelivered task)
    try:
        with links_from(base_url):
            dokumen = rencana_kerja_sign(rk, user=get_user_model().objects.get(pk=user_id))
    except RencanaKerjaBerubah as exc:
        raise _Berubah(str(exc)) from exc
    return str(dokumen.code)
