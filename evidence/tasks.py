"""Tasks of the evidence room: the checks of a bukti (issue 14)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(
    name="evidence.bukti_periksa",
    ignore_result=True,  # the TeksBukti row is the result
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=420,
    time_limit=480,
)
def bukti_periksa(bukti_id: int) -> str | None:
    """Read one bukti's text and run its checks; queued on commit of an upload (ids only).

    Never retried: a file that cannot be read is stored as *tidak terbaca* with its
    reason, and any other failure is logged, so the task cannot loop on a bad file.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    from evidence.checks.run import mark_unreadable, periksa_bukti

    try:
        teks = periksa_bukti(bukti_id)
    except SoftTimeLimitExceeded:
        mark_unreadable(bukti_id, "Pemeriksaan melebihi batas waktu tugas.")
        return None
    except Exception:
        log.exception("checking bukti %s failed", bukti_id)
        mark_unreadable(bukti_id, "Pemeriksaan gagal karena kesalahan sistem.")
        return None
    return None if teks is None else teks.status


def bukti_periksa_on_commit(bukti_id: int) -> None:
    """Queue the checks of a bukti once the transaction that stored it commits.

    A broker outage never fails the upload: the bukti stays without a text row, and
    `manage.py bukti_check` (which picks up every bukti not yet checked) catches up.
    With the setting `ZI_BUKTI_CHECKS` false nothing is queued.
    """
    from django.conf import settings
    from django.db import transaction

    from zi_portal.lib.antrean import AntreanTidakTersedia, enqueue

    if not getattr(settings, "ZI_BUKTI_CHECKS", True):
        return

    def dispatch() -> None:
        try:
            enqueue(bukti_periksa, bukti_id)
        except AntreanTidakTersedia:
            log.warning("could not queue the checks of bukti %s", bukti_id, exc_info=True)

    transaction.on_commit(dispatch)
