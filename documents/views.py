"""Export jobs (start, wait, download), LKE import, and the rencana kerja approval."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.exports import (
    EXPORTERS,
    EksporGagal,
    content_type_for,
    export_start,
)
from documents.lhe import PESAN_BELUM_FINAL, final_tpi_snapshot
from documents.models import DokumenTertandatangan, ExportJob, JenisEkspor, StatusEkspor
from documents.pdf import rencana_kerja_penandatangan
from documents.rencana_kerja import (
    PenandatanganTertunda,
    rencana_kerja_current_document,
    rencana_kerja_decide_and_sign,
    rencana_kerja_sign_again,
    rencana_kerja_sign_pending,
)
from evidence.models import RencanaKerja, StatusTandaTangan
from evidence.persetujuan import (
    EDITABLE,
    RK_CHAPTER_FIELDS,
    RK_TEXT_FIELDS,
    PersetujuanDitolak,
    rencana_kerja_submit,
    rencana_kerja_update,
)
from lke.access import get_penilaian_for_user
from lke.models import Penilaian
from scoring.models import SetJawaban
from scoring.rekap import filter_from
from units.access import (
    Izin,
    UnitAccess,
    get_instansi_for_user,
    instansi_access,
    instansi_for_user,
    penilaian_access,
)
from units.evaluator import akses_berkas_catat
from units.models import AksesBerkas
from zi_portal.lib.antrean import AntreanTidakTersedia
from zi_portal.lib.http import file_response
from zi_portal.lib.urls import public_base_url


@require_POST
@login_required
def ekspor_mulai(request: HttpRequest, code: str, jenis: str) -> HttpResponse:
    if jenis not in EXPORTERS:
        raise Http404
    penilaian, access = get_penilaian_for_user(request.user, code, EXPORTERS[jenis].permission)
    by = request.POST.get("oleh", SetJawaban.TPI)
    params: dict[str, Any] = {"by": by if by in SetJawaban.values else SetJawaban.TPI}
    if jenis == JenisEkspor.RKT_PDF:  # signed for those who approve, a draft for the rest
        params["ditandatangani"] = access.can(Izin.APPROVE)
    if jenis == JenisEkspor.LHE_PDF and final_tpi_snapshot(penilaian) is None:
        messages.error(request, _(PESAN_BELUM_FINAL))
        return redirect("scoring:skor", code=penilaian.code)
    if jenis in (JenisEkspor.MONEV_PDF, JenisEkspor.MONEV_DOCX):
        triwulan = request.POST.get("triwulan", "")
        if triwulan not in ("1", "2", "3", "4"):
            messages.error(request, _("Pilih triwulan I, II, III atau IV untuk laporan monev."))
            return redirect("scoring:dashboard", code=penilaian.code)
        params["triwulan"] = int(triwulan)
        params["pengguna"] = request.user.pk  # who records the quarter's snapshot
    try:
        job = export_start(
            user=request.user,
            penilaian=penilaian,
            jenis=jenis,
            params=params,
            base_url=public_base_url(request),
        )
    except AntreanTidakTersedia as exc:
        messages.error(request, str(exc))
        return redirect("scoring:dashboard", code=penilaian.code)
    except EksporGagal as exc:
        messages.error(request, str(exc))
        return redirect("scoring:dashboard", code=penilaian.code)
    return redirect("ekspor:halaman", job_id=job.pk)


@require_POST
@login_required
def instansi_ekspor(request: HttpRequest, kode: str) -> HttpResponse:
    """The instansi recap as Excel, for those who see the instansi page."""
    instansi = get_object_or_404(instansi_for_user(request.user), kode=kode)
    tahun = request.POST.get("tahun", "")
    anchor = (
        Penilaian.objects.filter(unit__instansi=instansi, tahun=int(tahun))
        .order_by("unit__nama", "pk")
        .first()
        if tahun.isdigit()
        else None
    )
    if anchor is None:
        raise Http404
    f = filter_from(request.POST)
    try:
        job = export_start(
            user=request.user,
            penilaian=anchor,
            jenis=JenisEkspor.INSTANSI_XLSX,
            params={"filter": asdict(f)},
            base_url=public_base_url(request),
        )
    except (AntreanTidakTersedia, EksporGagal) as exc:
        messages.error(request, str(exc))
        return redirect(reverse("scoring:instansi", args=[instansi.kode]) + f"?tahun={tahun}")
    return redirect("ekspor:halaman", job_id=job.pk)


def _job_for_user(request: HttpRequest, job_id: str) -> tuple[ExportJob, UnitAccess | None]:
    """The requester's own job and their access to its penilaian (None for a job of a
    pengusulan, which needs an instansi-wide role: no outside evaluator has one)."""
    try:
        job = ExportJob.objects.select_related(
            "penilaian__unit", "penilaian__model", "pengusulan__instansi"
        ).get(pk=job_id)
    except (ExportJob.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    if job.owner_id != request.user.pk:
        raise Http404
    if job.pengusulan is not None:
        if instansi_access(request.user, job.pengusulan.instansi) is None:
            raise Http404
        return job, None
    # A job belongs to the user who started it, only while they still see the penilaian
    # (an outside evaluator: only during their grant) and may still have its kind of
    # document (an LHE only for who sees the TPI result).
    assert job.penilaian is not None
    access = penilaian_access(request.user, job.penilaian)
    if access is None:
        raise Http404
    if (
        job.jenis == JenisEkspor.INSTANSI_XLSX
        and not instansi_for_user(request.user).filter(pk=job.penilaian.unit.instansi_id).exists()
    ):
        raise Http404  # an instansi recap: only while the owner sees the whole instansi
    exporter = EXPORTERS.get(job.jenis)
    if exporter is not None and not access.can(exporter.permission):
        raise PermissionDenied
    return job, access


@require_GET
@login_required
def ekspor_halaman(request: HttpRequest, job_id: str) -> HttpResponse:
    job, _access = _job_for_user(request, job_id)
    return render(
        request,
        "documents/ekspor.html",
        {"job": job, "penilaian": job.penilaian, "pengusulan": job.pengusulan},
    )


@require_POST
@login_required
def pengusulan_dokumen(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    """Start the letter + SPTJM job: a draft for whoever sees the pengusulan, the signed
    version when the pimpinan instansi asks for it (`aksi=tandatangani`)."""
    from scoring.pengusulan import pengusulan_of, pengusulan_signing_refusal

    instansi, access = get_instansi_for_user(request.user, slug)
    row = pengusulan_of(instansi, tahun)
    back = redirect("scoring:pengusulan", slug=instansi.kode, tahun=tahun)
    if row is None:
        messages.error(request, _("Simpan dulu pilihan unit yang diusulkan."))
        return back
    params: dict[str, Any] = {}
    if request.POST.get("aksi") == "tandatangani":
        if not access.can(Izin.TANDATANGANI_PENGUSULAN):
            raise PermissionDenied
        refusal = pengusulan_signing_refusal(row, access)
        if refusal is not None:
            messages.error(request, refusal)
            return back
        params = {"tandatangani": True, "oleh": request.user.pk}
    elif not row.units.exists():
        messages.error(request, _("Pilih paling sedikit satu unit kerja yang diusulkan."))
        return back
    try:
        job = export_start(
            user=request.user,
            pengusulan=row,
            jenis=JenisEkspor.PENGUSULAN_PDF,
            params=params,
            base_url=public_base_url(request),
        )
    except (AntreanTidakTersedia, EksporGagal) as exc:
        messages.error(request, str(exc))
        return back
    return redirect("ekspor:halaman", job_id=job.pk)


@require_GET
@login_required
def pengusulan_dokumen_unduh(
    request: HttpRequest, slug: str, tahun: int, dokumen_code: str
) -> FileResponse:
    """The signed letter + SPTJM, for everyone who sees the pengusulan."""
    instansi, _access = get_instansi_for_user(request.user, slug)
    try:
        dokumen = DokumenTertandatangan.objects.select_related("pengusulan").get(
            code=dokumen_code, pengusulan__instansi=instansi, pengusulan__tahun=tahun
        )
    except (DokumenTertandatangan.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    filename = f"pengusulan-tpn-{instansi.kode}-{tahun}-ditandatangani.pdf"
    return file_response(dokumen.berkas, filename=filename, content_type="application/pdf")


@require_GET
@login_required
def ekspor_status(request: HttpRequest, job_id: str) -> HttpResponse:
    job, _access = _job_for_user(request, job_id)
    return render(request, "documents/partials/_ekspor_status.html", {"job": job})


@require_GET
@login_required
def ekspor_unduh(request: HttpRequest, job_id: str) -> FileResponse:
    job, access = _job_for_user(request, job_id)
    if job.status != StatusEkspor.SELESAI or not job.berkas:
        raise Http404
    if access is not None and job.penilaian is not None:
        akses_berkas_catat(
            access,
            user=request.user,
            tahun=job.penilaian.tahun,
            jenis=AksesBerkas.Jenis.EKSPOR,
            objek_id=job.pk,
            nama_berkas=job.nama_berkas,
        )
    return file_response(
        job.berkas, filename=job.nama_berkas, content_type=content_type_for(job.nama_berkas)
    )


class ImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas LKE (.xlsx)"))
    oleh = forms.ChoiceField(label=gettext_lazy("Kolom yang dibaca"), choices=SetJawaban.choices)


@require_http_methods(["GET", "POST"])
@login_required
def lke_impor(request: HttpRequest, code: str) -> HttpResponse:
    from documents.xlsx_import import ImportGagal, lke_import

    penilaian, access = get_penilaian_for_user(request.user, code)
    allowed = {
        s
        for s, perm in (
            (SetJawaban.MANDIRI, Izin.EDIT_MANDIRI),
            (SetJawaban.TPI, Izin.EDIT_TPI),
            (SetJawaban.TPN, Izin.ISI_TPN),
        )
        if access.can(perm)
    }
    if not allowed:
        raise PermissionDenied
    errors: list[str] = []
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"oleh": next(iter(sorted(allowed)))}
    )
    if request.method == "POST" and form.is_valid():
        by = form.cleaned_data["oleh"]
        if by not in allowed:
            raise PermissionDenied
        # The import applies the workflow, the area limits and the catatan rule itself.
        try:
            result = lke_import(
                penilaian, form.cleaned_data["berkas"], by=by, user=request.user, access=access
            )
        except ImportGagal as exc:
            errors = list(exc.errors)
        else:
            messages.success(
                request, _("Impor selesai: %(n)s jawaban berubah.") % {"n": result.changed}
            )
            return redirect("scoring:dashboard", code=penilaian.code)
    return render(
        request,
        "documents/impor.html",
        {"penilaian": penilaian, "form": form, "errors": errors},
        status=422 if errors else 200,
    )


_SIGNER_KEYS = ("keterangan", "jabatan", "nama", "nip")


class PenandatanganLainField(forms.Field):
    """The signers after the first, one a line: `keterangan | jabatan | nama | nip`."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(
                " | ".join(str(item.get(k, "")) for k in _SIGNER_KEYS).rstrip(" |")
                for item in value
                if isinstance(item, dict)
            )
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:
        if isinstance(value, list):
            return value
        result = []
        for number, line in enumerate(str(value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > len(_SIGNER_KEYS) or len(parts) < 3 or not parts[2]:
                raise ValidationError(
                    _(
                        "Baris %(n)s: tulis keterangan | jabatan | nama | NIP (NIP boleh "
                        "kosong), misalnya \u201cMenyetujui, | Sekretaris Jenderal | "
                        "M. Guntur Hamzah\u201d."
                    )
                    % {"n": number}
                )
            parts += [""] * (len(_SIGNER_KEYS) - len(parts))
            result.append(dict(zip(_SIGNER_KEYS, parts, strict=True)))
        return result


class RencanaKerjaForm(forms.ModelForm):  # type: ignore[type-arg]
    penandatangan_lain = PenandatanganLainField(
        label=gettext_lazy("Penanda tangan berikutnya (berurutan)"),
        required=False,
        help_text=gettext_lazy(
            "Satu baris per penanda tangan sesudah penanda tangan di atas, misalnya yang "
            "menyetujui: keterangan | jabatan | nama | NIP. Setiap penanda tangan "
            "membubuhkan tanda tangan elektroniknya sendiri, berurutan."
        ),
    )

    class Meta:
        model = RencanaKerja
        fields = list(RK_TEXT_FIELDS)
        widgets = {
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{f: forms.Textarea(attrs={"rows": 6}) for f in RK_CHAPTER_FIELDS},
        }


def _sign_not_queued() -> str:
    return _(
        "Rencana kerja disetujui, tetapi penandatanganan belum dapat diantrekan karena "
        "antrean tugas sedang tidak tersedia. Portal akan mencobanya lagi secara otomatis; "
        "Anda juga dapat memilih \u201cCoba lagi\u201d beberapa saat lagi."
    )


def _rk(penilaian: Any) -> RencanaKerja:
    rk, _created = RencanaKerja.objects.get_or_create(
        penilaian=penilaian, defaults={"kota": penilaian.unit.kota}
    )
    return rk


@require_http_methods(["GET", "POST"])
@login_required
# After a submit, Back must fetch the page anew, not offer its stale form again.
@never_cache
def rencana_kerja(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    rk = _rk(penilaian)
    can_edit = access.can(Izin.EDIT_RENCANA_AKSI) and not access.areas and rk.status in EDITABLE
    form = RencanaKerjaForm(instance=rk)
    if request.method == "POST":
        action = request.POST.get("aksi", "")
        try:
            if action == "simpan":
                if not can_edit:
                    raise PermissionDenied
                form = RencanaKerjaForm(request.POST, instance=RencanaKerja.objects.get(pk=rk.pk))
                if form.is_valid():
                    rencana_kerja_update(
                        rk=rk,
                        values={f: form.cleaned_data[f] for f in RK_TEXT_FIELDS},
                        user=request.user,
                    )
                    messages.success(request, _("Teks rencana kerja tersimpan."))
                    return redirect("documents:rencana_kerja", code=penilaian.code)
            elif action == "ajukan":
                if not access.can(Izin.SUBMIT):
                    raise PermissionDenied
                rencana_kerja_submit(rk=rk, user=request.user, access=access)
                messages.success(request, _("Rencana kerja diajukan ke pimpinan."))
                return redirect("documents:rencana_kerja", code=penilaian.code)
            elif action in ("setujui", "kembalikan"):
                if not access.can(Izin.APPROVE):
                    raise PermissionDenied
                try:
                    decided = rencana_kerja_decide_and_sign(
                        rk=rk,
                        user=request.user,
                        approve=action == "setujui",
                        catatan=request.POST.get("catatan", ""),
                        base_url=public_base_url(request),
                    )
                except PenandatanganTertunda:
                    messages.warning(request, _sign_not_queued())
                    return redirect("documents:rencana_kerja", code=penilaian.code)
                decided.refresh_from_db(fields=["status_tanda_tangan"])
                if action != "setujui":
                    messages.success(request, _("Rencana kerja dikembalikan ke tim kerja."))
                elif decided.status_tanda_tangan == StatusTandaTangan.GAGAL:
                    # In-process signing (no broker) already failed: say so, not "signing".
                    messages.error(
                        request, _("Rencana kerja disetujui, tetapi penandatanganannya gagal.")
                    )
                else:
                    messages.success(
                        request, _("Rencana kerja disetujui dan sedang ditandatangani.")
                    )
                return redirect("documents:rencana_kerja", code=penilaian.code)
            elif action == "tandatangani":  # "Coba lagi": the one way to sign again
                if not access.can(Izin.APPROVE):
                    raise PermissionDenied
                try:
                    rencana_kerja_sign_again(
                        rk=rk, user=request.user, access=access, base_url=public_base_url(request)
                    )
                except PenandatanganTertunda:
                    messages.warning(request, _sign_not_queued())
                else:
                    messages.success(request, _("Penandatanganan diantrekan kembali."))
                return redirect("documents:rencana_kerja", code=penilaian.code)
            else:
                raise Http404
        except PersetujuanDitolak as exc:
            messages.error(request, str(exc))
            return redirect("documents:rencana_kerja", code=penilaian.code)
        rk.refresh_from_db()
    current = rencana_kerja_current_document(rk)
    return render(
        request,
        "documents/rencana_kerja.html",
        {
            "penilaian": penilaian,
            "access": access,
            "rk": rk,
            "form": form,
            "can_edit": can_edit,
            "dokumen_terkini": current,
            "dokumen_lama": [
                d for d in rk.dokumen.order_by("-ditandatangani_pada") if d != current
            ],
            "sign_pending": rencana_kerja_sign_pending(rk),
            "penandatangan": rencana_kerja_penandatangan(rk),
        },
        status=422 if form.errors else 200,
    )


@require_GET
@login_required
def dokumen_unduh(request: HttpRequest, code: str, dokumen_code: str) -> FileResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    try:
        dokumen = DokumenTertandatangan.objects.get(
            code=dokumen_code, rencana_kerja__penilaian=penilaian
        )
    except (DokumenTertandatangan.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    filename = f"rencana-kerja-{penilaian.unit.slug}-{penilaian.tahun}-ditandatangani.pdf"
    akses_berkas_catat(
        access,
        user=request.user,
        tahun=penilaian.tahun,
        jenis=AksesBerkas.Jenis.DOKUMEN,
        objek_id=dokumen.code,
        nama_berkas=filename,
    )
    return file_response(dokumen.berkas, filename=filename, content_type="application/pdf")
