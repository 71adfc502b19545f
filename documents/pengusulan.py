"""The surat pengajuan evaluasi and the SPTJM of a pengusulan to the TPN, with annexes.

One PDF (PermenPANRB 5/2024, Lampiran II Bab II A, Gambar 6 and 7): the letter listing
every proposed unit and the predikat asked for, then *Lampiran 1* the SPTJM, then per
unit *Lampiran 2, 3, ...*: its final TPI result and Tabel 5 checklist, followed by the
pages of the unit's signed LHE (`documents.lhe`; its stamp flattened into the copy, the
Lampiran names the LHE's own verification page). Both the letter and the
SPTJM are signed by the pimpinan instansi (two PAdES signatures of the same signer, in
the boxes `ruang-tanda-tangan` and `ruang-tanda-tangan-2`), with the certificate of the
instansi's signer, `signer_p12_path(1)` (the Sekretaris Jenderal of the RKT's
*Menyetujui*; `create_dev_certificate --penanda-tangan 2` makes a development one).

Anyone who may see the pengusulan gets a marked draft; the signed version is registered
as a DokumenTertandatangan (public verification page) and marks the pengusulan
*ditandatangani* through scoring.pengusulan.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from typing import Any, cast

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop

from documents.models import DokumenTertandatangan, JenisDokumen
from documents.pdf import html_pdf
from documents.signing import (
    STAMP_HEIGHT_PT,
    STAMP_WIDTH_PT,
    SignerSpec,
    load_signer,
    sign_pdf_signers,
    signature_anchor,
    signature_field,
    signer_p12_path,
)
from scoring.models import Pengusulan, PengusulanUnit
from scoring.pengusulan import (
    final_tpi,
    pengusulan_ditandatangani,
    pengusulan_units,
    pimpinan_instansi,
)
from scoring.syarat import Checklist, tabel5_checklist
from zi_portal.lib.dates import tanggal_indonesia
from zi_portal.lib.numbers import format_id
from zi_portal.lib.storage import store
from zi_portal.lib.urls import public_base_url

log = logging.getLogger(__name__)

# The pimpinan instansi's certificate: the instansi-level signer (see module docstring).
PIMPINAN_INSTANSI_SIGNER = 1
ANCHOR_SURAT = signature_anchor(0)
ANCHOR_SPTJM = signature_anchor(1)

ANGKA = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def terbilang(n: int) -> str:
    """`3 (tiga)` for the letter's counts; digits only beyond eleven."""
    return f"{n} ({ANGKA[n]})" if 0 <= n < len(ANGKA) else str(n)


@dataclass(frozen=True)
class Lampiran:
    nomor: int
    usulan: PengusulanUnit
    checklist: Checklist
    total: str
    predikat_tpi: str
    lhe: bool  # the unit's LHE pages follow
    lhe_url: str = ""  # the verification page of the unit's signed LHE


class LampiranGagal(Exception):
    """An annex cannot be made (the TPI's LHE cannot be signed); Indonesian message."""


def _lhe(usulan: PengusulanUnit) -> tuple[bytes, str]:
    """The unit's signed LHE (documents.lhe: one registered document per final TPI
    score) as bytes and the address of its verification page."""
    from documents.lhe import LheTidakTersedia, lhe_sign
    from documents.signing import SigningError

    try:
        dokumen = lhe_sign(usulan.penilaian)
    except SigningError as exc:
        raise LampiranGagal(
            gettext_noop(
                "LHE TPI untuk lampiran tidak dapat ditandatangani: sertifikat TPI tidak "
                "dapat dipakai."
            )
        ) from exc
    except LheTidakTersedia as exc:
        raise LampiranGagal(str(exc)) from exc
    with dokumen.berkas.open("rb") as handle:
        data: bytes = handle.read()
    return data, verification_url(dokumen)


def _flat(data: bytes) -> Any:
    """The LHE's pages as they print: its signature stamp baked into the page content
    (the copy's signature cannot hold inside another PDF; the original is verified at
    its own page, named in the Lampiran), form fields dropped."""
    import pikepdf

    annex = pikepdf.open(io.BytesIO(data))
    annex.flatten_annotations(mode="all")
    if "/AcroForm" in annex.Root:
        del annex.Root["/AcroForm"]
    return annex


def pengusulan_context(
    pengusulan: Pengusulan,
    *,
    verification_url: str = "",
    draf: bool = False,
    with_lhe: bool = True,
) -> dict[str, Any]:
    instansi = pengusulan.instansi
    units = pengusulan_units(pengusulan)
    signer = pimpinan_instansi(instansi)
    nama = ""
    if signer is not None:
        nama = signer.user.get_full_name() or signer.user.get_username()
    lampiran = []
    for index, u in enumerate(units, start=2):
        snap = final_tpi(u.penilaian)
        lampiran.append(
            Lampiran(
                nomor=index,
                usulan=u,
                checklist=tabel5_checklist(u.penilaian.unit, u.penilaian.tahun),
                total=format_id(snap.total) if snap else "-",
                predikat_tpi=snap.predikat if snap else "-",
                lhe=with_lhe,
            )
        )
    tanggal = timezone.localdate(pengusulan.ditandatangani_pada or timezone.now())
    model = units[0].penilaian.model if units else None
    tempat = pengusulan.tempat.strip()
    return {
        "p": pengusulan,
        "instansi": instansi,
        "units": units,
        "jumlah": terbilang(len(units)),
        "lampiran": lampiran,
        "dasar_hukum": _regulation(model.dasar_hukum) if model else "",
        "jumlah_lampiran": terbilang(len(units) + 1),
        "nama": nama,
        "jabatan": signer.jabatan if signer else "",
        "nip": signer.nip if signer else "",
        "tanggal": tanggal_indonesia(tanggal),
        "tempat_tanggal": f"{tempat}, {tanggal_indonesia(tanggal)}"
        if tempat
        else tanggal_indonesia(tanggal),
        "tembusan": [t.strip() for t in pengusulan.tembusan.splitlines() if t.strip()],
        "anchor_surat": ANCHOR_SURAT,
        "anchor_sptjm": ANCHOR_SPTJM,
        "stamp_width": f"{STAMP_WIDTH_PT}pt",
        "stamp_height": f"{STAMP_HEIGHT_PT}pt",
        "verification_url": verification_url,
        "draf": draf,
        "generator": "ZI Portal",
    }


def _regulation(dasar_hukum: str) -> str:
    """The model's legal basis as the letter cites it: the regulation without the annex
    ("..., Lampiran III.") and without the final full stop."""
    text = " ".join(dasar_hukum.split())
    text = re.sub(r",?\s*Lampiran\s+[IVX]+\.?$", "", text)
    return text.rstrip(". ")


def _merge(first: bytes, annexes: list[Any]) -> bytes:
    """`first` with the pages of every annex (open pikepdf documents) appended in order;
    `first` keeps its metadata and named destinations (the signature boxes)."""
    import pikepdf

    from documents.pdf import without_object_streams

    out = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(first)) as document:
            for annex in annexes:
                document.pages.extend(annex.pages)
            document.save(out)
    finally:
        for annex in annexes:
            annex.close()
    return without_object_streams(out.getvalue())


def pengusulan_pdf(
    pengusulan: Pengusulan,
    *,
    verification_url: str = "",
    draf: bool = False,
    progress: Any = None,
    with_lhe: bool = True,
) -> bytes:
    """The letter and the SPTJM, then per unit its Lampiran (TPI result, Tabel 5
    checklist) followed by the pages of its signed LHE, as one PDF (unsigned).

    Without LHE pages (`with_lhe=False`) it is one archival, tagged render; with them,
    each part is rendered by `html_pdf` and the LHE pages are appended after their unit's
    Lampiran. Raises LampiranGagal when an LHE cannot be made.
    """
    context = pengusulan_context(
        pengusulan, verification_url=verification_url, draf=draf, with_lhe=with_lhe
    )
    if not with_lhe or not context["lampiran"]:
        html = render_to_string(
            "documents/pdf/pengusulan.html", {**context, "lampiran_sekaligus": True}
        )
        return html_pdf(html)
    items: list[Lampiran] = []
    lhe_pages: list[bytes] = []
    total = len(context["lampiran"])
    for done, item in enumerate(context["lampiran"], start=1):
        data, url = _lhe(item.usulan)
        items.append(dataclasses.replace(item, lhe_url=url))
        lhe_pages.append(data)
        if progress is not None:
            progress(10 + 40 * done // total)
    context["lampiran"] = items
    first = html_pdf(render_to_string("documents/pdf/pengusulan.html", context))
    annexes: list[Any] = []
    import pikepdf

    for item, data in zip(items, lhe_pages, strict=True):
        part = html_pdf(
            render_to_string("documents/pdf/pengusulan_lampiran.html", {**context, "l": item})
        )
        annexes.append(pikepdf.open(io.BytesIO(part)))
        annexes.append(_flat(data))
    return _merge(first, annexes)


def pengusulan_filename(pengusulan: Pengusulan, *, signed: bool) -> str:
    suffix = "-ditandatangani" if signed else "-draf"
    return f"pengusulan-tpn-{pengusulan.instansi.kode}-{pengusulan.tahun}{suffix}.pdf"


def verification_url(dokumen: DokumenTertandatangan) -> str:
    return f"{public_base_url()}/verifikasi/{dokumen.code}/"


def pengusulan_sign(pengusulan: Pengusulan, *, user: Any) -> tuple[DokumenTertandatangan, bytes]:
    """Render, sign the letter and the SPTJM as the pimpinan instansi, store, register.

    The slow work holds no lock; then scoring.pengusulan.pengusulan_ditandatangani locks
    the pengusulan and refuses when it changed since the render (the file is removed).
    Raises SigningError when the certificate cannot be used, PengusulanDitolak when the
    draf changed.
    """
    pengusulan = Pengusulan.objects.select_related("instansi").get(pk=pengusulan.pk)
    signer = load_signer(signer_p12_path(PIMPINAN_INSTANSI_SIGNER))
    seen = pengusulan.diubah_pada
    membership = pimpinan_instansi(pengusulan.instansi)
    nama = (user.get_full_name() or user.get_username()) if user is not None else ""
    jabatan = membership.jabatan if membership is not None else ""
    dokumen = DokumenTertandatangan(
        jenis=JenisDokumen.PENGUSULAN,
        pengusulan=pengusulan,
        penandatangan_id=cast(int, user.pk),
        nama_penandatangan=nama[:200],
        jabatan_penandatangan=jabatan[:300],
        subjek_sertifikat=str(signer.subject_name)[:500],
        ditandatangani_pada=timezone.now(),
        sha256="",
        ukuran=0,
    )
    url = verification_url(dokumen)
    pdf = pengusulan_pdf(pengusulan, verification_url=url)
    location = pengusulan.tempat.strip() or "Jakarta"
    dokumen.ditandatangani_pada = timezone.now()
    signed = sign_pdf_signers(
        pdf,
        [
            SignerSpec(
                signer=signer,
                name=nama,
                jabatan=jabatan,
                location=location,
                reason=reason,
                verification_url=url,
                field_name=signature_field(index),
                anchor=signature_anchor(index),
            )
            for index, reason in enumerate(
                (
                    f"Surat Pengajuan Evaluasi Zona Integritas {pengusulan.tahun}",
                    f"Surat Pernyataan Tanggung Jawab Mutlak {pengusulan.tahun}",
                )
            )
        ],
    )
    field = dokumen.berkas.field
    stored = store(
        dokumen.berkas.storage,
        field.generate_filename(dokumen, f"{dokumen.code}.pdf"),
        ContentFile(signed),
        max_length=field.max_length,
    )
    dokumen.berkas.name = stored
    dokumen.sha256 = hashlib.sha256(signed).hexdigest()
    dokumen.ukuran = len(signed)
    try:
        with transaction.atomic():
            pengusulan_ditandatangani(
                pengusulan=pengusulan, user=user, seen=seen, dokumen_code=str(dokumen.code)
            )
            dokumen.save()
    except BaseException:
        dokumen.berkas.storage.delete(stored)
        raise
    return dokumen, signed


def pengusulan_current_document(pengusulan: Pengusulan) -> DokumenTertandatangan | None:
    return pengusulan.dokumen.filter(aktif=True).order_by("-ditandatangani_pada").first()
