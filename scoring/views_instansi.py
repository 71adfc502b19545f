"""The instansi page: every unit's penilaian of a year with its figures (issue 16)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lke.models import StatusPenilaian
from scoring.pengusulan import pengusulan_tenggat
from scoring.rekap import (
    PAGE_SIZE,
    SORTS,
    VERDICTS,
    ambang_total,
    distribusi,
    filter_from,
    rekap_baris,
    rekap_refresh,
    rekap_rows,
    ringkasan_predikat,
    tahun_pilihan,
    units_without,
)
from units.access import instansi_for_user
from units.models import Instansi

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 180, 28


def pilih_tahun(request: HttpRequest, instansi: Instansi) -> tuple[int | None, list[int]]:
    years = tahun_pilihan(instansi)
    raw = request.GET.get("tahun", "")
    if raw:
        if raw.isdigit() and int(raw) in years:
            return int(raw), years
        messages.warning(request, _("Tahun tidak tersedia; ditampilkan tahun terakhir."))
    return (years[0] if years else None), years


def _c(value: float) -> str:
    """An SVG coordinate: a dot decimal whatever the locale."""
    return f"{value:.1f}"


def _chart(instansi: Instansi, tahun: int) -> dict[str, Any]:
    """Geometry of the SVG bar chart of the TPI totals (0-100) with the thresholds."""
    bars = distribusi(instansi, tahun)
    top = max((b.n for b in bars), default=0) or 1
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    step = inner_w / len(bars)
    drawn = []
    for i, b in enumerate(bars):
        h = inner_h * b.n / top
        y = CHART_PAD + inner_h - h
        drawn.append(
            {
                "x": _c(CHART_PAD + i * step + 1),
                "y": _c(y),
                "w": _c(step - 2),
                "h": _c(h),
                "bar": b,
                "label_x": _c(CHART_PAD + i * step + step / 2),
                "label_y": _c(y - 3),
            }
        )
    lines = []
    # Labels left of the first threshold line and right of the others, so 75 and 85 do
    # not overlap.
    ordered = sorted(ambang_total(instansi, tahun).items(), key=lambda x: x[1])
    for i, (predikat, nilai) in enumerate(ordered):
        x = CHART_PAD + inner_w * nilai / 100
        lines.append(
            {
                "predikat": predikat,
                "nilai": nilai,
                "x": _c(x),
                "label_x": _c(x - 3 if i == 0 else x + 3),
                "anchor": "end" if i == 0 else "start",
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "base": CHART_HEIGHT - CHART_PAD,
        "top": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "bars": drawn,
        "lines": lines,
        "ticks": [{"x": _c(CHART_PAD + inner_w * t / 100), "t": t} for t in range(0, 101, 25)],
        "tick_y": CHART_HEIGHT - CHART_PAD + 14,
        "line_top": CHART_PAD - 10,
        "line_label_y": CHART_PAD - 13,
        "max": top,
        "n": sum(b.n for b in bars),
    }


@require_GET
@login_required
def instansi_rekap(request: HttpRequest, kode: str) -> HttpResponse:
    """Every unit of the instansi in one year: TPI, pimpinan instansi and admin only (404
    for anyone else, like a unit page)."""
    instansi = get_object_or_404(instansi_for_user(request.user), kode=kode)
    tahun, years = pilih_tahun(request, instansi)
    f = filter_from(request.GET)
    context: dict[str, Any] = {
        "instansi": instansi,
        "tahun": tahun,
        "years": years,
        "filter": f,
        "statuses": StatusPenilaian.choices,
        "verdicts": VERDICTS,
        "sorts": SORTS,
    }
    if tahun is not None:
        rekap_refresh(instansi, tahun)
        page = Paginator(rekap_rows(instansi, tahun, f), PAGE_SIZE).get_page(
            request.GET.get("halaman")
        )
        without = units_without(instansi, tahun).order_by("nama")
        context |= {
            "page": page,
            "rows": rekap_baris(list(page)),
            "chart": _chart(instansi, tahun),
            "ringkasan": ringkasan_predikat(instansi, tahun),
            # The deadline of the proposal to the TPN (5/2024 Bab II A: 31 May).
            "tenggat": pengusulan_tenggat(instansi, tahun),
            "tanpa_penilaian": list(without.values_list("nama", flat=True)[:20]),
            "n_tanpa_penilaian": without.count(),
            "query": _query(request, exclude={"halaman"}),
            "query_sort": _query(request, exclude={"halaman", "urut"}),
        }
    return render(request, "scoring/instansi.html", context)


def _query(request: HttpRequest, *, exclude: set[str]) -> str:
    params = request.GET.copy()
    for key in exclude:
        params.pop(key, None)
    return params.urlencode()
