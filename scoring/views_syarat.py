"""Tabel 5 checklist of a unit and year, its values, and the evaluasi mandiri (issue 12
parts 3 and 4). Thin views: the rules are in scoring.syarat, evidence.syarat and
scoring.penetapan."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from evidence.models import IsianSyarat
from evidence.syarat import isian_syarat_simpan
from evidence.validators import BuktiDitolak
from lke.access import get_penilaian_for_user
from lke.models import Penilaian
from lke.syarat import Isian, evaluasi_mandiri_allowed, isian_of, tabel_for_year
from scoring.models import PenetapanMandiri
from scoring.penetapan import (
    PenetapanDitolak,
    evaluasi_mandiri_catat,
    evaluasi_mandiri_of,
    penetapan_catat,
    penetapan_refusal,
)
from scoring.selectors import area_tabs
from scoring.syarat import tabel5_checklist
from units.access import Izin, UnitAccess
from units.evaluator import akses_berkas_catat
from units.models import AksesBerkas
from zi_portal.lib.http import file_response


def _may_fill(access: UnitAccess, isian: Isian) -> bool:
    if isian.tingkat == "instansi":
        return access.can(Izin.ISI_SYARAT_INSTANSI)
    return access.can(Izin.ISI_SYARAT_UNIT) and access.covers_every_area()


class PenetapanForm(forms.Form):
    nomor_sk = forms.CharField(label=gettext_lazy("nomor SK"), max_length=200)
    tanggal_sk = forms.DateField(label=gettext_lazy("tanggal SK"))
    berkas = forms.FileField(label=gettext_lazy("SK bertanda tangan (PDF)"))


@require_GET
@login_required
def syarat(request: HttpRequest, code: str) -> HttpResponse:
    """The Tabel 5 checklist of the penilaian's unit and year, for WBK and WBBM."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    checklist = tabel5_checklist(penilaian.unit, penilaian.tahun)
    mandiri = evaluasi_mandiri_of(penilaian.unit.instansi, penilaian.tahun)
    penetapan = PenetapanMandiri.objects.filter(penilaian=penilaian).first()
    return render(
        request,
        "scoring/syarat.html",
        {
            "penilaian": penilaian,
            "access": access,
            "syarat_page": True,
            "areas": area_tabs(penilaian),
            "checklist": checklist,
            "groups": [
                (_("Tingkat instansi pemerintah"), checklist.instansi),
                (_("Tingkat unit kerja/satuan kerja"), checklist.unit_kerja),
            ],
            "editable": {v.isian.kode for v in checklist.isian if _may_fill(access, v.isian)},
            "evaluasi_mandiri": mandiri,
            "mandiri_berlaku": evaluasi_mandiri_allowed(penilaian.tahun),
            "penetapan": penetapan,
            "penetapan_refusal": None if penetapan else penetapan_refusal(penilaian),
            "may_tetapkan": access.can(Izin.TETAPKAN_MANDIRI),
        },
    )


def _isian(penilaian: Penilaian, kode: str) -> Isian:
    tabel = tabel_for_year(penilaian.tahun)
    found = isian_of(tabel).get(kode) if tabel else None
    if found is None:
        raise Http404
    return found


@require_POST
@login_required
def syarat_isi(request: HttpRequest, code: str) -> HttpResponse:
    """Save one Tabel 5 value of the unit or of its instansi (kode in the form)."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    isian = _isian(penilaian, request.POST.get("kode", ""))
    if not _may_fill(access, isian):
        raise PermissionDenied
    back = redirect(reverse("scoring:syarat", args=[penilaian.code]) + f"#isian-{isian.kode}")
    if isian.dari_lke:
        checklist = tabel5_checklist(penilaian.unit, penilaian.tahun)
        if any(v.dari_lke for v in checklist.isian if v.isian.kode == isian.kode):
            messages.error(
                request,
                _("%(label)s dihitung dari angka LKE %(kode)s; ubah angkanya di lembar kerja.")
                % {"label": isian.label, "kode": isian.dari_lke},
            )
            return back
    try:
        isian_syarat_simpan(
            isian=isian,
            tahun=penilaian.tahun,
            instansi=penilaian.unit.instansi,
            unit=penilaian.unit,
            nilai=request.POST.get("nilai", ""),
            catatan=request.POST.get("catatan", ""),
            berkas=request.FILES.get("berkas"),
            url=request.POST.get("url", ""),
            user=request.user,
        )
    except (ValidationError, BuktiDitolak) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(
            request,
            _("%(label)s tidak disimpan: %(why)s")
            % {
                "label": isian.label,
                "why": text,
            },
        )
        return back
    messages.success(request, _("%(label)s disimpan.") % {"label": isian.label})
    return back


@require_GET
@login_required
def syarat_berkas(request: HttpRequest, code: str, kode: str) -> FileResponse:
    """The evidence file of one Tabel 5 value of the penilaian's unit or instansi."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    isian = _isian(penilaian, kode)
    owner: dict[str, object] = (
        {"unit": penilaian.unit}
        if isian.tingkat == "unit"
        else {"instansi": penilaian.unit.instansi}
    )
    row = IsianSyarat.objects.filter(tahun=penilaian.tahun, kode=kode, **owner).first()
    if row is None or not row.berkas:
        raise Http404
    akses_berkas_catat(
        access,
        user=request.user,
        tahun=penilaian.tahun,
        jenis=AksesBerkas.Jenis.SYARAT,
        objek_id=row.pk,
        nama_berkas=row.nama_asli,
    )
    return file_response(
        row.berkas, filename=row.nama_asli, content_type=row.tipe_konten or "application/pdf"
    )


@require_POST
@login_required
def evaluasi_mandiri(request: HttpRequest, code: str) -> HttpResponse:
    """The pimpinan instansi records that the instansi evaluates its units in this year."""
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.TETAPKAN_MANDIRI)
    back = redirect("scoring:syarat", code=penilaian.code)
    try:
        evaluasi_mandiri_catat(
            instansi=penilaian.unit.instansi,
            tahun=penilaian.tahun,
            dasar=request.POST.get("dasar", "")[:2000],
            user=request.user,
            access=access,
        )
    except PenetapanDitolak as exc:
        messages.error(request, str(exc))
        return back
    messages.success(request, _("Evaluasi mandiri instansi dicatat."))
    return back


@require_POST
@login_required
def penetapan(request: HttpRequest, code: str) -> HttpResponse:
    """The pimpinan instansi's penetapan Menuju WBK (SK number, date, signed SK)."""
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.TETAPKAN_MANDIRI)
    back = redirect("scoring:syarat", code=penilaian.code)
    form = PenetapanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            _("Penetapan tidak dicatat: %s")
            % "; ".join(
                f"{form.fields[k].label}: {' '.join(str(m) for m in v)}"
                for k, v in form.errors.items()
            ),
        )
        return back
    tanggal: dt.date = form.cleaned_data["tanggal_sk"]
    try:
        penetapan_catat(
            penilaian=penilaian,
            nomor_sk=form.cleaned_data["nomor_sk"],
            tanggal_sk=tanggal,
            berkas=form.cleaned_data["berkas"],
            user=request.user,
            access=access,
        )
    except (PenetapanDitolak, BuktiDitolak) as exc:
        messages.error(request, _("Penetapan tidak dicatat: %s") % exc)
        return back
    messages.success(request, _("Penetapan Menuju WBK dicatat dan masuk riwayat predikat unit."))
    return back


@require_GET
@login_required
def penetapan_sk(request: HttpRequest, code: str) -> FileResponse:
    """The signed SK of the penetapan (every member of the unit may read it)."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    row = PenetapanMandiri.objects.filter(penilaian=penilaian).first()
    if row is None:
        raise Http404
    akses_berkas_catat(
        access,
        user=request.user,
        tahun=penilaian.tahun,
        jenis=AksesBerkas.Jenis.SK_PENETAPAN,
        objek_id=row.pk,
        nama_berkas=row.nama_asli,
    )
    return file_response(row.berkas_sk, filename=row.nama_asli, content_type="application/pdf")
