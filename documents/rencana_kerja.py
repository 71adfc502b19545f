"""Signing an approved rencana kerja: render, sign (PAdES), store, register.

The approval flow calls `rencana_kerja_sign` once the pimpinan approves; the stored
DokumenTertandatangan is what the public verification page (/verifikasi/<code>/) checks.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from documents.models import DokumenTertandatangan
from documents.pdf import rencana_kerja_pdf
from documents.signing import load_signer, sign_pdf
from evidence.models import RencanaKerja, StatusPersetujuan
from evidence.persetujuan import rencana_kerja_decide
from zi_portal.lib.antrean import AntreanTidakTersedia, enqueue
from zi_portal.lib.urls import public_base_url

log = logging.getLogger(__name__)


def verification_url(dokumen: DokumenTertandatangan) -> str:
    """Absolute link of the public verification page, as printed in the QR code."""
    return f"{public_base_url()}/verifikasi/{dokumen.code}/"


def _signer_name(rk: RencanaKerja, user: AbstractBaseUser) -> str:
    if rk.penandatangan_nama.strip():
        return rk.penandatangan_nama.strip()
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


class RencanaKerjaBerubah(Exception):
    """The rencana kerja changed while its PDF was being rendered and signed: the
    signed file is discarded; the caller may try again."""


def rencana_kerja_sign(rk: RencanaKerja, *, user: AbstractBaseUser) -> DokumenTertandatangan:
    """Render the document, sign it with the unit's certificate and store it.

    The slow work (render, sign, store the file) runs first, holding no row lock; then
    the rencana kerja is locked and re-checked: when its status or text changed since
    the render (`updated_at`), the file is deleted and `RencanaKerjaBerubah` is raised.
    Otherwise the new document becomes the only `aktif` one of the rencana kerja.
    Nothing is kept when a step fails. Raises `documents.signing.SigningError` when the
    certificate cannot be used.
    """
    signer = load_signer()  # fail before anything is rendered or stored
    rk = RencanaKerja.objects.select_related("penilaian__unit").get(pk=rk.pk)
    seen = (rk.status, rk.updated_at)
    now = timezone.now()
    name = _signer_name(rk, user)
    jabatan = rk.penandatangan_jabatan.strip()
    location = rk.kota.strip() or rk.penilaian.unit.kota.strip()
    dokumen = DokumenTertandatangan(  # its code is the QR link, before the row exists
        rencana_kerja=rk,
        penandatangan_id=cast(int, user.pk),
        nama_penandatangan=name[:200],
        jabatan_penandatangan=jabatan[:300],
        subjek_sertifikat=str(signer.subject_name)[:500],
        ditandatangani_pada=now,
        sha256="",
        ukuran=0,
    )
    url = verification_url(dokumen)
    stored_name = ""
    try:
        pdf = rencana_kerja_pdf(
            rk, tanggal=rk.tanggal or timezone.localdate(now), verification_url=url
        )
        dokumen.ditandatangani_pada = timezone.now()  # the time in the signature
        signed = sign_pdf(
            pdf,
            name=name,
            jabatan=jabatan,
            location=location,
            verification_url=url,
            signer=signer,
        )
        dokumen.berkas.save(f"{dokumen.code}.pdf", ContentFile(signed), save=False)
        stored_name = dokumen.berkas.name or ""
        dokumen.sha256 = hashlib.sha256(signed).hexdigest()
        dokumen.ukuran = len(signed)
        with transaction.atomic():
            # Lock, re-check, store: two approvals at once must not leave two aktif rows,
            # and a text changed during the render must not be signed as approved.
            locked = RencanaKerja.objects.select_for_update().get(pk=rk.pk)
            if (locked.status, locked.updated_at) != seen:
                raise RencanaKerjaBerubah(
                    f"rencana kerja {rk.pk} changed while it was being signed"
                )
            dokumen.save()
            DokumenTertandatangan.objects.filter(rencana_kerja=rk, aktif=True).exclude(
                pk=dokumen.pk
            ).update(aktif=False)
    except BaseException:
        if stored_name:
            DokumenTertandatangan._meta.get_field("berkas").storage.delete(stored_name)
        raise
    return dokumen


def rencana_kerja_decide_and_sign(
    *, rk: RencanaKerja, user: Any, approve: bool, catatan: str, base_url: str = ""
) -> RencanaKerja:
    """The pimpinan's decision (evidence.persetujuan); an approval queues the signing
    (`documents.sign_rencana_kerja`) once the decision has committed. `base_url` is the
    address the QR code links to (zi_portal.lib.urls.public_base_url of the request).

    Raises `PenandatanganTertunda` after the commit when the queue could not take it.
    """
    queued: list[bool] = []
    with transaction.atomic():
        decided = rencana_kerja_decide(rk=rk, user=user, approve=approve, catatan=catatan)
        if approve:
            transaction.on_commit(
                lambda: queued.append(
                    rencana_kerja_sign_enqueue(decided, user=user, base_url=base_url)
                )
            )
    if queued == [False]:
        raise PenandatanganTertunda(decided)
    return decided


class PenandatanganTertunda(Exception):
    """The decision is committed, but its signing could not be queued (queue down)."""

    def __init__(self, rk: RencanaKerja) -> None:
        super().__init__(rk)
        self.rk = rk


def rencana_kerja_sign_enqueue(rk: RencanaKerja, *, user: Any, base_url: str = "") -> bool:
    """Queue the signing of an approved rencana kerja; False when the queue is down.

    The approval stands either way: the page then offers the pimpinan to queue the
    signing again (`rencana_kerja_sign_pending`).
    """
    from documents.tasks import sign_rencana_kerja_task

    try:
        enqueue(sign_rencana_kerja_task, rk.pk, user.pk, base_url)
    except AntreanTidakTersedia:
        log.warning("could not queue the signing of rencana kerja %s", rk.pk, exc_info=True)
        return False
    return True


def rencana_kerja_sign_pending(rk: RencanaKerja) -> bool:
    """Approved, but no signed document of this approval yet (signing queued or lost)."""
    return (
        rk.status == StatusPersetujuan.DISETUJUI
        and rk.disetujui_pada is not None
        and not rk.dokumen.filter(aktif=True, ditandatangani_pada__gte=rk.disetujui_pada).exists()
    )
