"""Signing an approved rencana kerja: render, sign (PAdES), store, register.

The approval flow calls `rencana_kerja_sign` once the pimpinan approves; the stored
DokumenTertandatangan is what the public verification page (/verifikasi/<code>/) checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from documents.models import DokumenTertandatangan
from documents.pdf import rencana_kerja_pdf, rencana_kerja_penandatangan
from documents.signing import (
    DEV_SIGNER_CN,
    SignerSpec,
    ensure_dev_certificate,
    load_signer,
    sign_pdf_signers,
    signature_anchor,
    signature_field,
    signer_p12_path,
)
from evidence.models import RencanaKerja, StatusPersetujuan, StatusTandaTangan
from evidence.persetujuan import (
    rencana_kerja_decide,
    rencana_kerja_sign_retry,
    rencana_kerja_signed,
)
from zi_portal.lib.antrean import AntreanTidakTersedia, enqueue

log = logging.getLogger(__name__)


def verification_url(dokumen: DokumenTertandatangan) -> str:
    """Absolute link of the public verification page, as printed in the QR code."""
    return f"{settings.ZI_PUBLIC_BASE_URL}/verifikasi/{dokumen.code}/"


def _signer_name(rk: RencanaKerja, user: AbstractBaseUser) -> str:
    if rk.penandatangan_nama.strip():
        return rk.penandatangan_nama.strip()
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


def ensure_dev_certificates(rk: RencanaKerja) -> list[str]:
    """Development only: a certificate from the development CA for every signer of `rk`
    that has none at its `signer_p12_path`; returns the paths created."""
    created = []
    for p in rencana_kerja_penandatangan(rk):
        path = signer_p12_path(p.index)
        name = DEV_SIGNER_CN if p.index == 0 else f"{p.nama} - {DEV_SIGNER_CN}"
        if ensure_dev_certificate(path, settings.ZI_SIGNING_P12_PASSPHRASE, common_name=name):
            created.append(str(path))
    return created


class RencanaKerjaBerubah(Exception):
    """The rencana kerja changed while its PDF was being rendered and signed: the
    signed file is discarded; the caller may try again."""


def rencana_kerja_sign(rk: RencanaKerja, *, user: AbstractBaseUser) -> DokumenTertandatangan:
    """Render the document, sign it once per signer (in order) and store it.

    Every signer's certificate is `documents.signing.signer_p12_path(index)`. The slow
    work (render, sign, store the file) runs first, holding no row lock; then the
    rencana kerja is locked and re-checked: when its status or text changed since the
    render (`updated_at`), the file is deleted and `RencanaKerjaBerubah` is raised.
    Otherwise the new document becomes the only `aktif` one and the approval is marked
    signed (`evidence.persetujuan.rencana_kerja_signed`). Nothing is kept when a step
    fails. Raises `documents.signing.SigningError` when a certificate cannot be used
    (that never passes by itself); any other error may pass on a retry.
    """
    rk = RencanaKerja.objects.select_related("penilaian__unit").get(pk=rk.pk)
    penandatangan = rencana_kerja_penandatangan(rk, fallback=_signer_name(rk, user))
    # Fail before anything is rendered or stored.
    loaded = [load_signer(signer_p12_path(p.index)) for p in penandatangan]
    seen = (rk.status, rk.updated_at)
    now = timezone.now()
    location = rk.kota.strip() or rk.penilaian.unit.kota.strip()
    dokumen = DokumenTertandatangan(  # its code is the QR link, before the row exists
        rencana_kerja=rk,
        penandatangan_id=cast(int, user.pk),
        nama_penandatangan="; ".join(p.nama for p in penandatangan)[:200],
        jabatan_penandatangan="; ".join(p.jabatan for p in penandatangan if p.jabatan)[:300],
        subjek_sertifikat="; ".join(str(s.subject_name) for s in loaded)[:500],
        ditandatangani_pada=now,
        sha256="",
        ukuran=0,
    )
    url = verification_url(dokumen)
    # The date line is the approval's date, the day the stamps' times fall on.
    approved = timezone.localdate(rk.disetujui_pada or now)
    stored_name = ""
    try:
        pdf = rencana_kerja_pdf(
            rk, tanggal=approved, verification_url=url, penandatangan=penandatangan
        )
        dokumen.ditandatangani_pada = timezone.now()  # the time in the signatures
        signed = sign_pdf_signers(
            pdf,
            [
                SignerSpec(
                    signer=signer,
                    name=p.nama,
                    jabatan=p.jabatan,
                    location=location,
                    reason=(
                        "Persetujuan Rencana Kerja Pembangunan Zona Integritas"
                        if p.keterangan
                        else "Penyusunan Rencana Kerja Pembangunan Zona Integritas"
                    ),
                    verification_url=url,
                    field_name=signature_field(p.index),
                    anchor=signature_anchor(p.index),
                )
                for p, signer in zip(penandatangan, loaded, strict=True)
            ],
        )
        dokumen.berkas.save(f"{dokumen.code}.pdf", ContentFile(signed), save=False)
        stored_name = dokumen.berkas.name or ""
        dokumen.sha256 = hashlib.sha256(signed).hexdigest()
        dokumen.ukuran = len(signed)
        with transaction.atomic():
            # Lock, re-check, store: two approvals at once must not leave two aktif rows,
            # and a text changed during the render must not be signed as approved.
            locked = (
                RencanaKerja.objects.select_for_update(of=("self",))
                .select_related("penilaian__unit")
                .get(pk=rk.pk)
            )
            if (locked.status, locked.updated_at) != seen:
                raise RencanaKerjaBerubah(
                    f"rencana kerja {rk.pk} changed while it was being signed"
                )
            dokumen.save()
            DokumenTertandatangan.objects.filter(rencana_kerja=rk, aktif=True).exclude(
                pk=dokumen.pk
            ).update(aktif=False)
            if locked.status == StatusPersetujuan.DISETUJUI:
                rencana_kerja_signed(locked)
    except BaseException:
        if stored_name:
            DokumenTertandatangan._meta.get_field("berkas").storage.delete(stored_name)
        raise
    return dokumen


def rencana_kerja_decide_and_sign(
    *, rk: RencanaKerja, user: Any, approve: bool, catatan: str
) -> RencanaKerja:
    """The pimpinan's decision (evidence.persetujuan); an approval is recorded as
    *disetujui, menunggu tanda tangan* and queues the signing once it has committed.

    Raises `PenandatanganTertunda` after the commit when the queue could not take it;
    the approval stays waiting and the sweep (`rencana_kerja_sign_sweep`) queues it later.
    """
    queued: list[bool] = []
    with transaction.atomic():
        decided = rencana_kerja_decide(rk=rk, user=user, approve=approve, catatan=catatan)
        if approve:
            transaction.on_commit(lambda: queued.append(rencana_kerja_sign_enqueue(decided)))
    if queued == [False]:
        raise PenandatanganTertunda(decided)
    return decided


def rencana_kerja_sign_again(*, rk: RencanaKerja, user: Any, access: Any) -> RencanaKerja:
    """*Coba lagi* (the one way to sign an approval again, for the pimpinan or an admin):
    *gagal* → *menunggu*, then the signing is queued after the commit.

    Raises `PersetujuanDitolak` when nothing waits for a signature, and
    `PenandatanganTertunda` when the queue could not take it.
    """
    queued: list[bool] = []
    with transaction.atomic():
        retried = rencana_kerja_sign_retry(rk=rk, user=user, access=access)
        transaction.on_commit(lambda: queued.append(rencana_kerja_sign_enqueue(retried)))
    if queued == [False]:
        raise PenandatanganTertunda(retried)
    return retried


class PenandatanganTertunda(Exception):
    """The decision is committed, but its signing could not be queued (queue down)."""

    def __init__(self, rk: RencanaKerja) -> None:
        super().__init__(rk)
        self.rk = rk


def rencana_kerja_sign_enqueue(rk: RencanaKerja, *, user: Any = None) -> bool:
    """Queue the signing of an approved rencana kerja; False when the queue is down.

    The approval stands either way, waiting for its signature: the sweep queues it
    again, and the page offers *coba lagi*.
    """
    from celery.exceptions import Retry

    from documents.tasks import sign_rencana_kerja_task

    try:
        enqueue(sign_rencana_kerja_task, rk.pk)
    except AntreanTidakTersedia:
        log.warning("could not queue the signing of rencana kerja %s", rk.pk, exc_info=True)
        return False
    except Retry:
        # In-process Celery (no broker): a failure that may pass leaves the approval
        # waiting; the sweep or "coba lagi" signs it later.
        log.warning("signing of rencana kerja %s will be tried again", rk.pk)
    return True


def rencana_kerja_sign_pending(rk: RencanaKerja) -> bool:
    """Approved, and no signed document of this approval yet (queued, retrying, stranded
    or failed)."""
    return rk.status == StatusPersetujuan.DISETUJUI and rk.status_tanda_tangan in (
        StatusTandaTangan.MENUNGGU,
        StatusTandaTangan.GAGAL,
    )


def rencana_kerja_current_document(rk: RencanaKerja) -> DokumenTertandatangan | None:
    """The signed document of the current approval, or None.

    An older signed PDF is never the current one: while an approval waits for (or
    failed) its signature, or the text changed after it, there is none.
    """
    if (
        rk.status != StatusPersetujuan.DISETUJUI
        or rk.status_tanda_tangan != StatusTandaTangan.SELESAI
        or rk.disetujui_pada is None
    ):
        return None
    return (
        rk.dokumen.filter(aktif=True, ditandatangani_pada__gte=rk.disetujui_pada)
        .order_by("-ditandatangani_pada")
        .first()
    )


def rencana_kerja_sign_sweep(*, older_than: dt.timedelta | None = None) -> int:
    """Queue the signing of every approval still waiting for its document after
    `older_than` (default ZI_SIGN_SWEEP_MINUTES): a broker that was down, a worker that
    died, retries that ran out. Failed ones (*gagal*) wait for *coba lagi*. Returns the
    number queued; stops at the first queue failure (the next sweep tries again).
    """
    age = (
        older_than
        if older_than is not None
        else dt.timedelta(minutes=settings.ZI_SIGN_SWEEP_MINUTES)
    )
    stranded = RencanaKerja.objects.filter(
        status=StatusPersetujuan.DISETUJUI,
        status_tanda_tangan=StatusTandaTangan.MENUNGGU,
        updated_at__lte=timezone.now() - age,
    ).order_by("updated_at")
    count = 0
    for rk in stranded:
        if not rencana_kerja_sign_enqueue(rk):
            break
        count += 1
    return count
