"""Year over year page of a unit (issue 16 part 2); the figures are `scoring.tahunan`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lke.access import get_penilaian_for_user
from scoring.tahunan import antar_tahun
from units.access import Izin


@require_GET
@login_required
def antar_tahun_view(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    data = antar_tahun(penilaian.unit)
    return render(
        request,
        "scoring/antar_tahun.html",
        {
            "penilaian": penilaian,
            "access": access,
            "data": data,
            "can_start": access.can(Izin.MULAI_TAHUN),
        },
    )
