from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lke.access import get_penilaian_for_user
from lke.catatan import model_notices, unverified_rules
from lke.models import HasilItem, Penilaian, Pertanyaan, StatusPenilaian
from scoring.engine import AnswerSet, ScoreReport, gap_advisor, score
from scoring.forms import HasilForm, ReviuForm
from scoring.fragments import question_context
from scoring.models import Jawaban, JawabanHasil, Reviu, SetJawaban, SnapshotSkor, StatusReviu
from scoring.selectors import (
    area_lines,
    area_tabs,
    combined_areas,
    legend,
    lke_tree,
    penilaian_with_figures,
    question_history,
    returned_items,
    rkt_laporan,
    rkt_of_penilaian,
    rule_gap_text,
    tree_legend,
    worksheet,
)
from scoring.services import (
    JawabanTidakValid,
    KonflikVersi,
    answer_set,
    jawaban_hasil_save,
    model_spec,
    report_json,
)
from scoring.workflow import (
    BukaKembaliDitolak,
    FinalisasiDitolak,
    blocking_finalize,
    can_edit_tpi,
    may_reopen,
    penilaian_finalize,
    penilaian_reopen,
    reviu_notify_returned,
    reviu_save,
)
from units.access import Izin, UnitAccess, instansi_for_user, units_with_role
from units.models import Peran

QUEUE_PAGE_SIZE = 50


@require_GET
@login_required
def tpi_antrean(request: HttpRequest) -> HttpResponse:
    """Submitted penilaian of the units the TPI covers, under review first, oldest first.

    A page holds QUEUE_PAGE_SIZE rows, so the page costs the same however many units and
    years the TPI covers; the figures are counted for that page's rows only.
    """
    order = ("-status", "updated_at", "pk")
    submitted = (
        Penilaian.objects.filter(unit__in=units_with_role(request.user, Peran.TPI))
        .exclude(status=StatusPenilaian.PENGISIAN)
        .order_by(*order)
    )
    page = Paginator(submitted.values_list("pk", flat=True), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    waiting = (
        Reviu.objects.filter(penilaian=OuterRef("pk"), status=StatusReviu.DIPERBAIKI)
        .order_by()
        .values("penilaian")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    queue = (
        penilaian_with_figures(Penilaian.objects.filter(pk__in=list(page)))
        .annotate(n_menunggu=Coalesce(Subquery(waiting, output_field=IntegerField()), 0))
        .order_by(*order)
    )
    return render(
        request,
        "scoring/antrean.html",
        {"queue": queue, "page": page, "instansi_rekap": list(instansi_for_user(request.user))},
    )


def _reviu_ctx(
    penilaian: Penilaian, access: UnitAccess, row: Any, nomor: int, **extra: Any
) -> dict[str, Any]:
    return question_context(
        penilaian,
        access,
        row,
        nomor,
        editable=access.can(Izin.REVIEW) and can_edit_tpi(access, penilaian),
        history=question_history(penilaian, [row.q.kode]).get(row.q.kode, []),
        **extra,
    )


@require_GET
@login_required
def reviu_area(request: HttpRequest, code: str, nomor: int) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.REVIEW)
    blocks = worksheet(penilaian, nomor)
    if not blocks:
        raise Http404
    kodes = [row.q.kode for b in blocks for i in b.indikator for row in i.questions]
    return render(
        request,
        "scoring/reviu.html",
        {
            "penilaian": penilaian,
            "access": access,
            "blocks": blocks,
            "nomor": nomor,
            "areas": area_tabs(penilaian),
            "history": question_history(penilaian, kodes),
            "editable": can_edit_tpi(access, penilaian),
        },
    )


@require_POST
@login_required
def reviu_simpan(request: HttpRequest, code: str, pertanyaan_id: int) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.REVIEW)
    try:
        q = Pertanyaan.objects.select_related("indikator__area").get(
            pk=pertanyaan_id, model=penilaian.model
        )
    except Pertanyaan.DoesNotExist as exc:
        raise Http404 from exc
    if not can_edit_tpi(access, penilaian):
        raise PermissionDenied
    nomor = q.indikator.area.nomor
    form = ReviuForm(request.POST, pertanyaan=q)
    error = conflict = None
    try:
        if not form.is_valid():
            raise JawabanTidakValid(form.error_text())
        reviu = reviu_save(
            penilaian=penilaian,
            pertanyaan=q,
            opsi=form.cleaned_data["opsi"],
            angka=form.angka,
            status=form.cleaned_data["status"],
            catatan=form.cleaned_data["catatan"],
            user=request.user,
            expected_versi=form.expected_versi,
            access=access,
        )
        if reviu.status == StatusReviu.PERLU_PERBAIKAN:
            reviu_notify_returned(penilaian=penilaian, reviu=reviu)
    except JawabanTidakValid as exc:
        error = str(exc)
    except KonflikVersi as exc:
        conflict = exc.current
    row = worksheet(penilaian, nomor, only_question=q.pk)[0].indikator[0].questions[0]
    typed = form.typed()
    saved = error is None and conflict is None
    ctx = _reviu_ctx(
        penilaian,
        access,
        row,
        nomor,
        error=error,
        conflict=conflict,
        saved=saved,
        typed=None if saved else typed,
    )
    return render(
        request,
        "scoring/partials/_reviu_question.html",
        ctx,
        status=200 if saved else (409 if conflict else 422),
    )


def _hasil_value(jawaban: JawabanHasil | None) -> str:
    """The stored hasil input as the user typed it: a letter, or "3,62"."""
    if jawaban is None:
        return ""
    if jawaban.opsi:
        return jawaban.opsi
    if jawaban.nilai is None:
        return ""
    return format(jawaban.nilai.normalize(), "f").replace(".", ",")


@require_http_methods(["GET", "POST"])
@login_required
def hasil_isi(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.REVIEW)
    items = list(
        HasilItem.objects.filter(model=penilaian.model)
        .select_related("bagian")
        .prefetch_related("opsi")
        .order_by("bagian__urutan", "urutan")
    )
    current = {j.hasil_item_id: j for j in penilaian.jawaban_hasil.filter(set=SetJawaban.TPI)}
    # Capaian kinerja (B.I.b): the portal's suggestion from the unit's RKT, beside the input.
    rkt = rkt_of_penilaian(penilaian) if any(i.jenis == "capaian" for i in items) else None
    laporan = rkt_laporan(rkt, with_bukti=False) if rkt is not None else None
    saran = (laporan.saran.opsi or "", "\n".join(laporan.alasan)) if laporan else None
    errors: dict[int, str] = {}
    form = HasilForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST":
        if not can_edit_tpi(access, penilaian):
            raise PermissionDenied
        form.is_valid()  # plain text fields: the service judges each value
        # Validate every item; write all of them or none.
        try:
            with transaction.atomic():
                for item in items:
                    try:
                        jawaban_hasil_save(
                            penilaian=penilaian,
                            set_=SetJawaban.TPI,
                            hasil_item=item,
                            value=form.value(item),
                            catatan=form.catatan(item),
                            user=request.user,
                            access=access,
                            saran=saran if item.jenis == "capaian" else None,
                        )
                    except JawabanTidakValid as exc:
                        errors[item.pk] = str(exc)
                if errors:
                    raise JawabanTidakValid("ada kesalahan")
        except JawabanTidakValid:
            pass
        if not errors:
            messages.success(request, _("Nilai komponen hasil tersimpan."))
            return redirect("scoring:skor", code=penilaian.code)
    posted = form.is_bound
    rows = [
        {
            "item": item,
            "value": form.value(item) if posted else _hasil_value(current.get(item.pk)),
            "catatan": form.catatan(item)
            if posted
            else getattr(current.get(item.pk), "catatan", ""),
            "error": errors.get(item.pk),
            "laporan": laporan if item.jenis == "capaian" else None,
            "tersimpan": current.get(item.pk),
        }
        for item in items
    ]
    return render(
        request,
        "scoring/hasil.html",
        {
            "penilaian": penilaian,
            "access": access,
            "rows": rows,
            "editable": can_edit_tpi(access, penilaian),
        },
        status=422 if errors else 200,
    )


@require_POST
@login_required
def finalkan(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.FINALIZE)
    if request.POST.get("konfirmasi") != "ya":
        messages.error(request, _("Centang konfirmasi sebelum memfinalkan penilaian."))
        return redirect("scoring:skor", code=penilaian.code)
    try:
        penilaian_finalize(penilaian=penilaian, user=request.user, access=access)
    except FinalisasiDitolak as exc:
        if not exc.blocking:
            messages.error(request, str(exc))
            return redirect("scoring:skor", code=penilaian.code)
        # Every blocking item, each with a link to where it is fixed.
        return render(
            request,
            "scoring/final_ditolak.html",
            {
                "penilaian": penilaian,
                "access": access,
                "message": str(exc),
                "blocking": exc.blocking,
                # The returned items named as on the dashboard and the submit page (code,
                # question, the TPI's catatan), each linking to its review.
                "returned": [
                    replace(item, url=_reviu_link(penilaian, item.pertanyaan))
                    for item in returned_items(penilaian)
                ],
            },
            status=409,
        )
    else:
        messages.success(
            request, _("Penilaian telah difinalkan; pimpinan dan tim kerja telah diberi tahu.")
        )
    return redirect("scoring:skor", code=penilaian.code)


def _reviu_link(penilaian: Penilaian, q: Pertanyaan) -> str:
    nomor = q.indikator.area.nomor
    return reverse("scoring:reviu", args=[penilaian.code, nomor]) + f"#r-{q.pk}"


@require_POST
@login_required
def buka_kembali(request: HttpRequest, code: str) -> HttpResponse:
    """Buka kembali: an admin reopens a final penilaian with a reason (recorded)."""
    penilaian, _access = get_penilaian_for_user(request.user, code)
    if not may_reopen(request.user, penilaian):
        raise PermissionDenied
    try:
        penilaian_reopen(
            penilaian=penilaian, user=request.user, alasan=request.POST.get("alasan", "")
        )
    except BukaKembaliDitolak as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Penilaian dibuka kembali ke tahap reviu TPI; nilai final lama tidak berlaku lagi."),
        )
    return redirect("scoring:skor", code=penilaian.code)


@require_GET
@login_required
# After a submit, Back must fetch the page anew, not offer its stale form again.
@never_cache
def skor(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    by = request.GET.get("oleh") or (
        SetJawaban.MANDIRI if penilaian.status == StatusPenilaian.PENGISIAN else SetJawaban.TPI
    )
    snapshots = {
        s.set: s
        for s in SnapshotSkor.objects.filter(penilaian=penilaian, final=True).order_by(
            "dibuat_pada"
        )
    }
    # The TPN's column once it has evaluated: its recorded result, or its answers being
    # entered (possible only while final: scoring.workflow.tpn_refusal).
    has_tpn = SetJawaban.TPN in snapshots or (
        penilaian.status == StatusPenilaian.FINAL
        and (
            Jawaban.objects.filter(penilaian=penilaian, set=SetJawaban.TPN).exists()
            or JawabanHasil.objects.filter(penilaian=penilaian, set=SetJawaban.TPN).exists()
        )
    )
    sets = [s for s in SetJawaban.values if s != SetJawaban.TPN or has_tpn]
    if by not in sets:
        by = SetJawaban.TPI
    spec = model_spec(penilaian.model)
    answers: dict[str, AnswerSet] = {}  # each set read once, scored once

    def answers_of(set_: str) -> AnswerSet:
        if set_ not in answers:
            answers[set_] = answer_set(penilaian, set_)
        return answers[set_]

    scored: dict[str, ScoreReport] = {}
    reports: dict[str, dict[str, Any]] = {}
    for set_ in sets:
        if set_ in snapshots:
            reports[set_] = snapshots[set_].laporan
        else:
            scored[set_] = score(spec, answers_of(set_))
            reports[set_] = report_json(scored[set_], penilaian=penilaian, by=set_)
    for data in reports.values():
        for rule in data["rules"]:
            rule["gap"] = rule_gap_text(rule)
    # The tree takes each set's figures from the live engine report (Decimal), or from
    # the frozen snapshot once final.
    figures: dict[str, Any] = {**reports, **scored}
    notices = model_notices(penilaian.model)
    unverified = unverified_rules(notices)
    for data in reports.values():
        for rule in data["rules"]:
            rule["terverifikasi"] = (rule["predikat"], rule["rule"]) not in unverified
    # Advice on what to improve ends with the final score; each item links to its question.
    advice = (
        []
        if penilaian.status == StatusPenilaian.FINAL
        else gap_advisor(spec, answers_of(by), scored.get(by))[:15]
    )
    where = {
        q.kode: (q.indikator.area.nomor, q.pk)
        for q in Pertanyaan.objects.filter(
            model=penilaian.model, kode__in=[g.question_code for g in advice]
        ).select_related("indikator__area")
    }
    gains = [
        (
            g,
            reverse("scoring:worksheet", args=[penilaian.code, where[g.question_code][0]])
            + f"#q-{where[g.question_code][1]}",
        )
        for g in advice
        if g.question_code in where
    ]
    can_finalize = access.can(Izin.FINALIZE) and penilaian.status == StatusPenilaian.REVIU_TPI
    return render(
        request,
        "scoring/skor.html",
        {
            "penilaian": penilaian,
            "access": access,
            "by": by,
            "reports": reports,
            "current": reports[by],
            "tree": lke_tree(penilaian, spec, figures, notices),
            "areas": combined_areas(spec, figures),
            "area_lines": area_lines(spec),
            "area_legend": legend(area_lines(spec)),
            "tree_legend": tree_legend(spec),
            "notices": notices,
            "gains": gains,
            "snapshots": snapshots,
            "has_tpn": has_tpn,
            "tpn_result": snapshots.get(SetJawaban.TPN),
            "can_enter_tpn": access.can(Izin.ISI_TPN) and penilaian.status == StatusPenilaian.FINAL,
            "can_finalize": can_finalize,
            # The LHE reports the final TPI score (documents.lhe), for who sees the TPI result.
            "can_lhe": SetJawaban.TPI in snapshots
            and penilaian.status == StatusPenilaian.FINAL
            and access.can(Izin.UNDUH_LHE),
            "can_reopen": penilaian.status == StatusPenilaian.FINAL
            and may_reopen(request.user, penilaian),
            "blocking": blocking_finalize(penilaian) if can_finalize else [],
        },
    )
