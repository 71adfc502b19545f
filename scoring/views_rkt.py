"""The unit's Rencana Kinerja Tahunan page: targets, realisasi, capaian, the B.I.b advice.

It lives in scoring because the capaian of an indikator tied to the ZI score follows the
portal's own score (evidence may not import scoring); every write goes through the
evidence doors (`evidence.views.rkt_*` → `evidence.rkt`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evidence.forms import RealisasiForm
from evidence.rkt import rkt_refusal
from lke.access import get_penilaian_for_user
from scoring.selectors import TRIWULAN_LABEL, area_tabs, rkt_laporan, rkt_of_penilaian
from units.access import Izin


@require_GET
@login_required
def rkt(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    rkt = rkt_of_penilaian(penilaian)
    may_edit = rkt_refusal(access, penilaian.unit, penilaian.tahun) is None
    return render(
        request,
        "scoring/rkt.html",
        {
            "penilaian": penilaian,
            "access": access,
            "rkt": rkt,
            "laporan": rkt_laporan(rkt) if rkt is not None else None,
            "triwulan": TRIWULAN_LABEL,
            "areas": area_tabs(penilaian),
            "editable": may_edit,
            "may_upload": may_edit and access.can(Izin.UPLOAD_BUKTI),
            "may_export": access.can(Izin.EXPORT),
            "signs": access.can(Izin.APPROVE),
            "form": RealisasiForm(),
        },
    )
