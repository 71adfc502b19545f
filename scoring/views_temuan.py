"""The TPI sets a finding of the evidence checks aside (*diabaikan*) with a reason.

The review rule (who may, and when) is the workflow's; the decision itself and its
Riwayat entry are written by `evidence.checks.decisions.temuan_abaikan`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from evidence.checks.decisions import KeputusanDitolak, temuan_abaikan
from evidence.models import TemuanBukti
from lke.access import get_penilaian_for_user
from scoring.selectors import worksheet
from scoring.views import _reviu_ctx
from scoring.workflow import can_edit_tpi
from units.access import Izin


@require_POST
@login_required
def temuan_abaikan_view(request: HttpRequest, code: str, temuan_id: int) -> HttpResponse:
    # Who may see the penilaian finds out first whether the finding is of it (404), then
    # whether they may review (403), like the other object routes.
    penilaian, access = get_penilaian_for_user(request.user, code)
    temuan = (
        TemuanBukti.objects.select_related("pertanyaan__indikator__area")
        .filter(pk=temuan_id, penilaian=penilaian, pertanyaan__isnull=False)
        .first()
    )
    if temuan is None or temuan.pertanyaan is None:
        raise Http404
    if not access.can(Izin.REVIEW) or not can_edit_tpi(access, penilaian):
        raise PermissionDenied
    q = temuan.pertanyaan
    nomor = q.indikator.area.nomor
    error = None
    try:
        temuan_abaikan(temuan, request.user, request.POST.get("alasan", ""))
    except KeputusanDitolak as exc:
        error = str(exc)
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return redirect(f"{reverse('scoring:reviu', args=[penilaian.code, nomor])}#r-{q.pk}")
    row = worksheet(penilaian, nomor, only_question=q.pk)[0].indikator[0].questions[0]
    ctx = _reviu_ctx(penilaian, access, row, nomor, error=error)
    return render(
        request, "scoring/partials/_reviu_question.html", ctx, status=422 if error else 200
    )
