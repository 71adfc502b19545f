"""Bukti write pages (upload, replace, withdraw): they pass the workflow's mandiri rule.

They live in scoring because the rule (the penilaian status and the items the TPI
returned) is the workflow's (`scoring.workflow`); evidence stores the files. The URL
paths stay under /penilaian/<code>/... as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidence.forms import BuktiForm
from evidence.models import Bukti, JenisBukti, RencanaAksi
from evidence.validators import BuktiDitolak
from lke.access import get_penilaian_for_user
from lke.models import Penilaian, Pertanyaan
from scoring.fragments import question_context
from scoring.selectors import worksheet
from scoring.workflow import (
    PerubahanDitolak,
    bukti_add,
    bukti_confirm,
    bukti_replace,
    bukti_withdraw,
    can_edit_mandiri,
    mandiri_refusal,
    returned_questions,
)
from units.access import Izin, UnitAccess


def _question(penilaian: Penilaian, pertanyaan_id: int) -> Pertanyaan:
    try:
        return Pertanyaan.objects.select_related("indikator__area").get(
            pk=pertanyaan_id, model=penilaian.model
        )
    except Pertanyaan.DoesNotExist as exc:
        raise Http404 from exc


def _bukti(penilaian: Penilaian, code: str) -> Bukti:
    try:
        bukti = Bukti.objects.select_related("pertanyaan__indikator__area").get(
            code=code, penilaian=penilaian
        )
    except (Bukti.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    bukti.penilaian = penilaian
    return bukti


def _require_question_rw(access: UnitAccess, penilaian: Penilaian, q: Pertanyaan) -> None:
    """403 for a page that offers no form now (the services check the same rule)."""
    if mandiri_refusal(access, penilaian, q, permission=Izin.UPLOAD_BUKTI):
        raise PermissionDenied


def _question_response(
    request: HttpRequest,
    penilaian: Penilaian,
    access: UnitAccess,
    q: Pertanyaan,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    nomor = q.indikator.area.nomor
    if not request.htmx:  # type: ignore[attr-defined]
        for text in filter(None, [extra.get("bukti_error")]):
            messages.error(request, text)
        if extra.get("bukti_saved"):
            messages.success(request, extra["bukti_saved"])
        return redirect(f"{reverse('scoring:worksheet', args=[penilaian.code, nomor])}#q-{q.pk}")
    returned = returned_questions(penilaian)
    row = worksheet(penilaian, nomor, only_question=q.pk)[0].indikator[0].questions[0]
    editable = can_edit_mandiri(access, penilaian, q, returned, nomor)
    ctx = question_context(penilaian, access, row, nomor, editable=editable, **extra)
    return render(request, "scoring/partials/_question.html", ctx, status=status)


@require_POST
@login_required
def bukti_unggah(request: HttpRequest, code: str, pertanyaan_id: int) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    q = _question(penilaian, pertanyaan_id)
    _require_question_rw(access, penilaian, q)
    form = BuktiForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _question_response(request, penilaian, access, q, status=422, bukti_error=error)
    data = form.cleaned_data
    rencana = None
    if data.get("rencana_aksi"):
        rencana = RencanaAksi.objects.filter(penilaian=penilaian, code=data["rencana_aksi"]).first()
        if rencana is None:
            message = _("Baris rencana aksi yang dipilih tidak ditemukan pada penilaian ini.")
            return _question_response(
                request, penilaian, access, q, status=422, bukti_error=message
            )
    try:
        if not data["berkas"] and not data["url"]:
            raise BuktiDitolak(_("Pilih berkas atau isi tautan bukti."))
        stored = bukti_add(
            access=access,
            penilaian=penilaian,
            pertanyaan=q,
            user=request.user,
            tanggal_efektif=data["tanggal_efektif"],
            rencana_aksi=rencana,
            files=data["berkas"] or None,
            url=data["url"] or "",
            judul=data["judul"] or "",
            kunci=data["kunci"] or "",
        )
        saved = (
            _("%(n)d berkas bukti tersimpan.") % {"n": len(stored)}
            if data["berkas"]
            else _("Tautan bukti tersimpan.")
        )
    except (BuktiDitolak, PerubahanDitolak, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return _question_response(request, penilaian, access, q, status=422, bukti_error=message)
    return _question_response(request, penilaian, access, q, bukti_saved=saved)


@require_POST
@login_required
def bukti_ganti(request: HttpRequest, code: str, bukti_code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    old = _bukti(penilaian, bukti_code)
    if old.pertanyaan is None or old.jenis != JenisBukti.FILE:
        raise Http404
    _require_question_rw(access, penilaian, old.pertanyaan)
    try:
        bukti_replace(
            access=access,
            penilaian=penilaian,
            old=old,
            files=request.FILES.getlist("berkas"),
            user=request.user,
        )
    except (BuktiDitolak, PerubahanDitolak) as exc:
        return _question_response(
            request, penilaian, access, old.pertanyaan, status=422, bukti_error=str(exc)
        )
    return _question_response(
        request,
        penilaian,
        access,
        old.pertanyaan,
        bukti_saved=_("Versi baru tersimpan; versi lama tetap disimpan dalam riwayat."),
    )


def _bukti_action(
    request: HttpRequest,
    code: str,
    bukti_code: str,
    service: Callable[..., Any],
    saved: str,
) -> HttpResponse:
    """A workflow action on one current bukti of a question, answered with the card."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    bukti = _bukti(penilaian, bukti_code)
    if bukti.pertanyaan is None or not bukti.aktif:
        raise Http404
    _require_question_rw(access, penilaian, bukti.pertanyaan)
    try:
        service(access=access, penilaian=penilaian, bukti=bukti, user=request.user)
    except PerubahanDitolak as exc:
        return _question_response(
            request, penilaian, access, bukti.pertanyaan, status=422, bukti_error=str(exc)
        )
    return _question_response(request, penilaian, access, bukti.pertanyaan, bukti_saved=saved)


@require_POST
@login_required
def bukti_tarik(request: HttpRequest, code: str, bukti_code: str) -> HttpResponse:
    return _bukti_action(request, code, bukti_code, bukti_withdraw, _("Bukti ditarik."))


@require_POST
@login_required
def bukti_berlaku(request: HttpRequest, code: str, bukti_code: str) -> HttpResponse:
    """A bukti carried forward as *perlu dicek ulang* was checked and still holds."""
    return _bukti_action(
        request, code, bukti_code, bukti_confirm, _("Bukti dinyatakan masih berlaku.")
    )
