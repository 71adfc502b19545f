"""Public (no login) verification page of signed documents: /verifikasi/<code>/.

The QR code in a signed rencana kerja or LHE leads here. The page shows what the portal
registered (unit, document, signer, time, SHA-256), checks the stored file's signature
and lets anyone upload a copy to see whether it is the same, validly signed document.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from documents.models import DokumenTertandatangan, JenisDokumen
from documents.signing import VerificationResult, verify_pdf, waktu_indonesia

MAX_UNGGAH = 25 * 1024 * 1024


class SalinanPdfForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Salinan dokumen (PDF)"),
        help_text=gettext_lazy("Berkas PDF, paling besar 25 MB. Berkas tidak disimpan."),
        error_messages={
            "required": gettext_lazy("Pilih berkas PDF yang akan diperiksa."),
            "empty": gettext_lazy("Berkas yang diunggah kosong."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_berkas(self) -> UploadedFile:
        berkas: UploadedFile = self.cleaned_data["berkas"]
        if (berkas.size or 0) > MAX_UNGGAH:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(mb).1f MB); batasnya 25 MB.")
                % {"mb": (berkas.size or 0) / 1024 / 1024}
            )
        head = berkas.read(1024)
        berkas.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError(_("Berkas ini bukan PDF. Unggah salinan dokumen PDF."))
        return berkas


@dataclass(frozen=True)
class HasilSalinan:
    nama: str
    ukuran: int
    identik: bool
    hasil: VerificationResult


def _hasil_tersimpan(dokumen: DokumenTertandatangan) -> tuple[VerificationResult | None, bool]:
    """Verification of the stored file and whether it still matches the registered hash."""
    try:
        with dokumen.berkas.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None, False
    hasil = verify_pdf(data)
    return hasil, hasil.sha256 == dokumen.sha256


@require_http_methods(["GET", "HEAD", "POST"])
def verifikasi(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    dokumen = get_object_or_404(
        DokumenTertandatangan.objects.select_related(
            "rencana_kerja__penilaian__unit__instansi", "snapshot__penilaian__unit__instansi"
        ),
        code=code,
    )
    tersimpan, hash_cocok = _hasil_tersimpan(dokumen)
    sah = tersimpan is not None and tersimpan.valid and hash_cocok
    salinan: HasilSalinan | None = None
    if request.method == "POST":
        form = SalinanPdfForm(request.POST, request.FILES)
        if form.is_valid():
            berkas: UploadedFile = form.cleaned_data["berkas"]
            data = berkas.read()
            hasil = verify_pdf(data)
            salinan = HasilSalinan(
                nama=berkas.name or "",
                ukuran=len(data),
                identik=hashlib.sha256(data).hexdigest() == dokumen.sha256,
                hasil=hasil,
            )
    else:
        form = SalinanPdfForm()
    penilaian = dokumen.penilaian
    rk = dokumen.rencana_kerja
    if dokumen.jenis == JenisDokumen.LHE:
        jenis = _("Laporan Hasil Evaluasi Internal Zona Integritas (TPI)")
    else:
        jenis = _("Rencana Kerja Pembangunan Zona Integritas")
    response = render(
        request,
        "documents/verifikasi.html",
        {
            "dokumen": dokumen,
            "rk": rk,
            "penilaian": penilaian,
            "unit": penilaian.unit,
            "jenis_dokumen": jenis,
            "waktu": waktu_indonesia(dokumen.ditandatangani_pada),
            "tersimpan": tersimpan,
            "hash_cocok": hash_cocok,
            "sah": sah,
            "form": form,
            "salinan": salinan,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
