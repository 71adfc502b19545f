from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lke.access import get_penilaian_for_user
from lke.models import Penilaian
from scoring.selectors import penilaian_with_figures
from units.access import Izin, evaluator_grants_current, instansi_for_user, units_for_user
from units.models import AksesEvaluator, Riwayat
from zi_portal.lib.spreadsheet import csv_safe

HOME_PAGE_SIZE = 25  # units per page: a TPI or admin may see hundreds


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    units = (
        units_for_user(request.user)
        .select_related("instansi")
        .order_by("instansi__nama", "nama", "pk")
    )
    page = Paginator(units, HOME_PAGE_SIZE).get_page(request.GET.get("halaman"))
    penilaian = penilaian_with_figures(
        Penilaian.objects.filter(unit__in=[unit.pk for unit in page]).order_by("-tahun")
    )
    by_unit: dict[int, list[Penilaian]] = {}
    for p in penilaian:
        by_unit.setdefault(p.unit_id, []).append(p)
    rows = [(unit, by_unit.get(unit.pk, [])) for unit in page]
    return render(
        request,
        "scoring/home.html",
        {
            "rows": rows,
            "page": page,
            "evaluasi": _evaluator_penilaian(request),
            "instansi_rekap": list(instansi_for_user(request.user)),
        },
    )


def _evaluator_penilaian(request: HttpRequest) -> list[tuple[Penilaian, AksesEvaluator]]:
    """The penilaian an outside evaluator is granted today, each with its grant."""
    grants = {
        (g.unit_id, g.tahun): g
        for g in evaluator_grants_current(request.user).order_by("selesai", "pk")
    }
    if not grants:
        return []
    match = Q()
    for unit_id, tahun in grants:
        match |= Q(unit_id=unit_id, tahun=tahun)
    found = (
        Penilaian.objects.filter(match)
        .select_related("unit__instansi", "model")
        .order_by("unit__nama", "-tahun")
    )
    return [(p, grants[(p.unit_id, p.tahun)]) for p in found]


RIWAYAT_PAGE_SIZE = 100


@require_GET
@login_required
def riwayat(request: HttpRequest, code: str) -> HttpResponse | StreamingHttpResponse:
    """The audit trail of a penilaian (and its unit's memberships): TPI and admins only."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    if not (access.can(Izin.REVIEW) or access.can(Izin.MANAGE)):
        raise PermissionDenied
    rows = (
        Riwayat.objects.filter(
            Q(tahun=penilaian.tahun) | Q(tahun__isnull=True), unit=penilaian.unit
        )
        # Rows of a save that changed nothing (written before riwayat_record skipped them).
        .exclude(Q(perubahan={}) & ~Q(aksi=Riwayat.Aksi.HAPUS))
        .select_related("user")
    )
    filters = {
        k: request.GET.get(k, "").strip() for k in ("objek", "kode", "oleh", "dari", "sampai")
    }
    if filters["objek"]:
        rows = rows.filter(objek=filters["objek"])
    if filters["kode"]:
        rows = rows.filter(kode__startswith=filters["kode"])
    if filters["oleh"]:
        rows = rows.filter(user__username=filters["oleh"])
    for key, lookup in (("dari", "waktu__date__gte"), ("sampai", "waktu__date__lte")):
        if filters[key]:
            try:
                rows = rows.filter(**{lookup: dt.date.fromisoformat(filters[key])})
            except ValueError:
                messages.error(
                    request,
                    _("Tanggal “%(v)s” tidak sah; gunakan format TTTT-BB-HH.")
                    % {"v": filters[key]},
                )
    rows = rows.order_by("-waktu", "-id")
    if request.GET.get("format") == "csv":
        return _riwayat_csv(rows, penilaian)
    page = Paginator(rows, RIWAYAT_PAGE_SIZE).get_page(request.GET.get("halaman"))
    objek_choices = (
        Riwayat.objects.filter(unit=penilaian.unit)
        .order_by("objek")
        .values_list("objek", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "scoring/riwayat.html",
        {
            "penilaian": penilaian,
            "page": page,
            "filters": filters,
            "objek_choices": list(objek_choices),
            "query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _riwayat_csv(rows: Any, penilaian: Any) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(
            ["waktu", "oleh", "jenis_data", "kode", "aksi", "kolom", "lama", "baru"]
        )
        for r in rows.iterator(chunk_size=500):
            who = r.user.get_username() if r.user else ""
            for field, (old, new) in sorted((r.perubahan or {}).items()) or [("", ("", ""))]:
                # Every field as text: user names, kode and values are user input.
                yield writer.writerow(
                    [
                        csv_safe(value)
                        for value in (
                            timezone.localtime(r.waktu).isoformat(),
                            who,
                            r.objek,
                            r.kode,
                            r.aksi,
                            field,
                            old,
                            new,
                        )
                    ]
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"riwayat-{penilaian.unit.slug}-{penilaian.tahun}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
