"""The pengusulan to the TPN of an instansi and year: choose the units, see their Tabel 5
checklist, generate the letter and SPTJM (documents), mark it sent. Thin views: the rules
are in scoring.pengusulan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from scoring.models import PredikatUsulan, StatusPengusulan
from scoring.pengusulan import (
    LETTER_FIELDS,
    PengusulanDitolak,
    pengusulan_kandidat,
    pengusulan_kirim,
    pengusulan_of,
    pengusulan_signing_refusal,
    pengusulan_simpan,
    pengusulan_tenggat,
    pengusulan_units,
    pimpinan_instansi,
)
from units.access import Izin, get_instansi_for_user

TAHUN_MIN, TAHUN_MAX = 2010, 2100


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def pengusulan(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise Http404
    instansi, access = get_instansi_for_user(request.user, slug)
    back = redirect("scoring:pengusulan", slug=instansi.kode, tahun=tahun)
    if request.method == "POST":
        aksi = request.POST.get("aksi", "")
        try:
            if aksi == "simpan":
                if not access.can(Izin.SIAPKAN_PENGUSULAN):
                    raise PermissionDenied
                codes = request.POST.getlist("usul")
                usulan = [(c, request.POST.get(f"predikat-{c}", "")) for c in codes]
                pengusulan_simpan(
                    instansi=instansi,
                    tahun=tahun,
                    usulan=usulan,
                    surat={f: request.POST.get(f, "") for f in LETTER_FIELDS},
                    user=request.user,
                    access=access,
                )
                messages.success(request, _("Pilihan unit dan isian surat disimpan."))
            elif aksi == "kirim":
                row = pengusulan_of(instansi, tahun)
                if row is None:
                    raise Http404
                pengusulan_kirim(pengusulan=row, user=request.user, access=access)
                messages.success(request, _("Pengusulan ditandai sudah dikirim ke TPN."))
            else:
                raise Http404
        except PengusulanDitolak as exc:
            messages.error(request, str(exc))
        return back
    row = pengusulan_of(instansi, tahun)
    chosen = {u.penilaian_id: u for u in pengusulan_units(row)} if row else {}
    kandidat = pengusulan_kandidat(instansi, tahun)
    return render(
        request,
        "scoring/pengusulan.html",
        {
            "instansi": instansi,
            "tahun": tahun,
            "access": access,
            "pengusulan": row,
            "kandidat": [(k, chosen.get(k.penilaian.pk)) for k in kandidat],
            "predikat_choices": PredikatUsulan.choices,
            "tenggat": pengusulan_tenggat(instansi, tahun),
            "may_prepare": access.can(Izin.SIAPKAN_PENGUSULAN)
            and (row is None or row.status == StatusPengusulan.DRAF),
            "may_sign": access.can(Izin.TANDATANGANI_PENGUSULAN),
            "sign_refusal": pengusulan_signing_refusal(row, access) if row else None,
            "pimpinan": pimpinan_instansi(instansi),
        },
    )
