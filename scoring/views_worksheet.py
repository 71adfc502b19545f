from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.checks.selectors import kesiapan
from lke.access import get_penilaian_for_user
from lke.models import Penilaian, Pertanyaan
from scoring.forms import JawabanForm
from scoring.fragments import question_context
from scoring.models import Jawaban, SetJawaban
from scoring.selectors import (
    QuestionRow,
    area_tabs,
    dashboard,
    question_history,
    returned_items,
    rkt_zi_targets,
    worksheet,
)
from scoring.services import JawabanTidakValid, KonflikVersi, jawaban_save
from scoring.views_predikat import may_enter_predikat
from scoring.workflow import (
    PengajuanDitolak,
    can_edit_mandiri,
    penilaian_kekurangan,
    penilaian_submit,
    returned_questions,
    unit_wide_refusal,
)
from units.access import Izin, UnitAccess
from units.predikat import predikat_held, predikat_history


@require_GET
@login_required
def penilaian_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    data = dashboard(penilaian)
    return render(
        request,
        "scoring/dashboard.html",
        {
            "penilaian": penilaian,
            "access": access,
            "dash": data,
            "areas": area_tabs(penilaian),
            "predikat_rows": predikat_history(penilaian.unit),
            "predikat_tahun_ini": predikat_held(penilaian.unit, penilaian.tahun),
            "predikat_isi": may_enter_predikat(access),
            "returned": returned_items(penilaian),
            "zi_targets": rkt_zi_targets(penilaian),
        },
    )


def _question_context(
    penilaian: Penilaian,
    access: UnitAccess,
    row: QuestionRow,
    nomor: int,
    returned: set[int],
    **extra: Any,
) -> dict[str, Any]:
    editable = can_edit_mandiri(access, penilaian, row.q, returned, nomor)
    return question_context(penilaian, access, row, nomor, editable=editable, **extra)


@require_GET
@login_required
def worksheet_area(request: HttpRequest, code: str, nomor: int) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    blocks = worksheet(penilaian, nomor)
    if not blocks:
        raise Http404
    returned = returned_questions(penilaian)
    editable = {
        row.q.pk
        for block in blocks
        for ind in block.indikator
        for row in ind.questions
        if can_edit_mandiri(access, penilaian, row.q, returned, nomor)
    }
    return render(
        request,
        "scoring/worksheet.html",
        {
            "penilaian": penilaian,
            "access": access,
            "blocks": blocks,
            "nomor": nomor,
            "areas": area_tabs(penilaian),
            "editable": editable,
            "history": question_history(
                penilaian, [r.q.kode for b in blocks for i in b.indikator for r in i.questions]
            ),
        },
    )


@require_POST
@login_required
def jawaban_simpan(request: HttpRequest, code: str, pertanyaan_id: int) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    try:
        q = Pertanyaan.objects.select_related("indikator__area").get(
            pk=pertanyaan_id, model=penilaian.model
        )
    except Pertanyaan.DoesNotExist as exc:
        raise Http404 from exc
    nomor = q.indikator.area.nomor
    returned = returned_questions(penilaian)
    if not can_edit_mandiri(access, penilaian, q, returned, nomor):
        raise PermissionDenied
    form = JawabanForm(request.POST, pertanyaan=q)
    error = conflict = None
    saved = False
    try:
        if not form.is_valid():
            raise JawabanTidakValid(form.error_text())
        if (
            form.is_blank()
            and not Jawaban.objects.filter(
                penilaian=penilaian, set=SetJawaban.MANDIRI, pertanyaan=q
            ).exists()
        ):
            # Nothing chosen, nothing typed, nothing stored yet: say so and record nothing.
            # Emptying an existing answer stays possible: that is a change, recorded as one.
            raise JawabanTidakValid(_("Belum ada jawaban yang dipilih."))
        jawaban_save(
            penilaian=penilaian,
            set_=SetJawaban.MANDIRI,
            pertanyaan=q,
            opsi=form.cleaned_data["opsi"],
            angka=form.angka,
            catatan=form.cleaned_data["catatan"],
            user=request.user,
            expected_versi=form.expected_versi,
            access=access,
            returned=returned,
        )
        saved = True
    except JawabanTidakValid as exc:
        error = str(exc)
    except KonflikVersi as exc:
        conflict = exc.current
    row = worksheet(penilaian, nomor, only_question=q.pk)[0].indikator[0].questions[0]
    ctx = _question_context(
        penilaian,
        access,
        row,
        nomor,
        returned,
        error=error,
        conflict=conflict,
        saved=saved,
        typed=None if saved else form.typed(),
        history=question_history(penilaian, [q.kode]).get(q.kode, []),
    )
    status = 200 if saved else (409 if conflict is not None else 422)
    # 409 and 422 carry the form back with the user's input (base.html lets HTMX swap them).
    return render(request, "scoring/partials/_question.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
@login_required
# After a submit, Back must fetch the page anew, not offer its stale form again.
@never_cache
def penilaian_ajukan(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.SUBMIT)
    kekurangan = penilaian_kekurangan(penilaian)
    returned = returned_questions(penilaian)
    if request.method == "POST":
        if request.POST.get("konfirmasi") != "ya":
            messages.error(request, _("Centang konfirmasi sebelum mengajukan penilaian."))
            return redirect("scoring:ajukan", code=penilaian.code)
        try:
            resubmitted = penilaian_submit(penilaian=penilaian, user=request.user, access=access)
        except PengajuanDitolak as exc:
            messages.error(request, str(exc))
            return redirect("scoring:dashboard", code=penilaian.code)
        if resubmitted:
            messages.success(
                request, _("%(n)d butir perbaikan diajukan ulang ke TPI.") % {"n": resubmitted}
            )
        else:
            messages.success(request, _("Penilaian mandiri telah diajukan ke TPI untuk direviu."))
        return redirect("scoring:dashboard", code=penilaian.code)
    return render(
        request,
        "scoring/ajukan.html",
        {
            "penilaian": penilaian,
            "access": access,
            "kekurangan": kekurangan,
            "kesiapan": kesiapan(penilaian),
            "n_returned": len(returned),
            "returned": returned_items(penilaian) if returned else [],
            "unit_wide_refusal": unit_wide_refusal(access),
        },
    )
