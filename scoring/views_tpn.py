"""The TPN's result typed in (issue 16 part 3): per area, beside the mandiri and TPI
answers, then the hasil inputs and the recording of the result. Thin views: the rule is
`scoring.workflow.tpn_refusal`, the writes are `jawaban_save` / `jawaban_hasil_save`,
the recording is `scoring.tpn.tpn_tetapkan`. The worksheet import (`documents:impor`,
column *Jawaban TPN*) is the other door."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lke.access import get_penilaian_for_user
from lke.models import HasilItem, Penilaian, Pertanyaan
from scoring.models import Jawaban, JawabanHasil, SetJawaban
from scoring.selectors import area_tabs
from scoring.services import JawabanTidakValid, jawaban_hasil_save, jawaban_save
from scoring.tpn import TpnDitolak, blocking_tpn, tpn_tetapkan
from scoring.workflow import tpn_refusal, tpn_result
from units.access import Izin, UnitAccess


@dataclass
class BarisTpn:
    q: Pertanyaan
    mandiri: Jawaban | None
    tpi: Jawaban | None
    tpn: Jawaban | None
    error: str = ""
    typed: dict[str, str] | None = None

    @property
    def beda(self) -> bool:
        """The TPN answer differs from the TPI's."""
        if self.tpn is None or not self.tpn.is_answered() or self.tpi is None:
            return False
        return (self.tpn.opsi, self.tpn.angka) != (self.tpi.opsi, self.tpi.angka)

    def nilai(self, kode: str) -> str:
        if self.typed is not None:
            return self.typed.get(kode, "")
        return str((self.tpn.angka or {}).get(kode, "")) if self.tpn else ""

    @property
    def isian(self) -> list[tuple[Any, str]]:
        """The typed inputs of a % question with their TPN values (derived totals left out)."""
        return [(n, self.nilai(n.kode)) for n in self.q.input.all() if not n.turunan_dari]

    @property
    def opsi(self) -> str:
        if self.typed is not None:
            return self.typed.get("opsi", "")
        return self.tpn.opsi if self.tpn else ""

    @property
    def catatan(self) -> str:
        if self.typed is not None:
            return self.typed.get("catatan", "")
        return self.tpn.catatan if self.tpn else ""


def _rows(penilaian: Penilaian, nomor: int) -> list[BarisTpn]:
    questions = list(
        Pertanyaan.objects.filter(model=penilaian.model, indikator__area__nomor=nomor)
        .select_related("indikator__area")
        .prefetch_related("input", "opsi")
        .order_by(
            "indikator__area__komponen__urutan",
            "indikator__area__bagian__urutan",
            "indikator__area__urutan",
            "indikator__urutan",
            "urutan",
        )
    )
    answers = {
        (j.set, j.pertanyaan_id): j
        for j in Jawaban.objects.filter(penilaian=penilaian, pertanyaan__in=questions)
    }
    return [
        BarisTpn(
            q,
            answers.get((SetJawaban.MANDIRI, q.pk)),
            answers.get((SetJawaban.TPI, q.pk)),
            answers.get((SetJawaban.TPN, q.pk)),
        )
        for q in questions
    ]


def _access(request: HttpRequest, code: str) -> tuple[Penilaian, UnitAccess]:
    return get_penilaian_for_user(request.user, code, Izin.ISI_TPN)


@require_http_methods(["GET", "POST"])
@login_required
def tpn_area(request: HttpRequest, code: str, nomor: int) -> HttpResponse:
    """One area's questions: the TPN's answer beside the mandiri and TPI answers."""
    penilaian, access = _access(request, code)
    rows = _rows(penilaian, nomor)
    if not rows:
        raise Http404
    refusal = tpn_refusal(access, penilaian)
    failed = False
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("scoring:tpn_area", code=penilaian.code, nomor=nomor)
        # Every question of the area or none.
        try:
            with transaction.atomic():
                for row in rows:
                    q = row.q
                    typed = {"catatan": request.POST.get(f"catatan-{q.pk}", "")}
                    if q.jenis == "persen":
                        angka = {
                            n.kode: request.POST.get(f"angka-{q.pk}-{n.kode}", "").strip()
                            for n in q.input.all()
                            if not n.turunan_dari
                        }
                        typed.update(angka)
                        opsi, values = "", {k: v for k, v in angka.items() if v}
                    else:
                        opsi = request.POST.get(f"opsi-{q.pk}", "").strip()
                        typed["opsi"], values = opsi, {}
                    if row.tpn is None and not (opsi or values or typed["catatan"].strip()):
                        continue  # nothing typed, nothing stored before
                    try:
                        row.tpn = jawaban_save(
                            penilaian=penilaian,
                            set_=SetJawaban.TPN,
                            pertanyaan=q,
                            opsi=opsi,
                            angka=values or None,
                            catatan=typed["catatan"],
                            user=request.user,
                            access=access,
                        )
                    except JawabanTidakValid as exc:
                        row.error, row.typed, failed = str(exc), typed, True
                if failed:
                    raise JawabanTidakValid("ada kesalahan")
        except JawabanTidakValid:
            for row in rows:  # rolled back: show what was typed, not a half-saved state
                if row.typed is None:
                    row.typed = {"opsi": request.POST.get(f"opsi-{row.q.pk}", "")}
        else:
            messages.success(request, _("Jawaban TPN area %(n)d tersimpan.") % {"n": nomor})
            return redirect("scoring:tpn_area", code=penilaian.code, nomor=nomor)
    return render(
        request,
        "scoring/tpn_area.html",
        {
            "penilaian": penilaian,
            "access": access,
            "rows": rows,
            "nomor": nomor,
            "areas": area_tabs(penilaian),
            "editable": refusal is None,
            "refusal": refusal,
        },
        status=422 if failed else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def tpn(request: HttpRequest, code: str) -> HttpResponse:
    """The TPN's result: its hasil inputs, what is still missing, and the recording."""
    penilaian, access = _access(request, code)
    items = list(
        HasilItem.objects.filter(model=penilaian.model)
        .select_related("bagian")
        .prefetch_related("opsi")
        .order_by("bagian__urutan", "urutan")
    )
    current = {
        (j.set, j.hasil_item_id): j
        for j in JawabanHasil.objects.filter(penilaian=penilaian, hasil_item__in=items)
    }
    refusal = tpn_refusal(access, penilaian)
    errors: dict[int, str] = {}
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("scoring:tpn", code=penilaian.code)
        try:
            with transaction.atomic():
                for item in items:
                    try:
                        jawaban_hasil_save(
                            penilaian=penilaian,
                            set_=SetJawaban.TPN,
                            hasil_item=item,
                            value=request.POST.get(f"hasil_{item.pk}", ""),
                            catatan=request.POST.get(f"catatan_{item.pk}", ""),
                            user=request.user,
                            access=access,
                        )
                    except JawabanTidakValid as exc:
                        errors[item.pk] = str(exc)
                if errors:
                    raise JawabanTidakValid("ada kesalahan")
        except JawabanTidakValid:
            pass
        else:
            messages.success(request, _("Nilai hasil TPN tersimpan."))
            return redirect("scoring:tpn", code=penilaian.code)
    rows: list[dict[str, Any]] = []
    for item in items:
        tpn_answer = current.get((SetJawaban.TPN, item.pk))
        posted = request.method == "POST"
        rows.append(
            {
                "item": item,
                "tpi": current.get((SetJawaban.TPI, item.pk)),
                "value": request.POST.get(f"hasil_{item.pk}", "")
                if posted
                else _hasil_text(tpn_answer),
                "catatan": request.POST.get(f"catatan_{item.pk}", "")
                if posted
                else getattr(tpn_answer, "catatan", ""),
                "error": errors.get(item.pk),
            }
        )
    result = tpn_result(penilaian)
    return render(
        request,
        "scoring/tpn.html",
        {
            "penilaian": penilaian,
            "access": access,
            "rows": rows,
            "areas": area_tabs(penilaian),
            "refusal": refusal,
            "editable": refusal is None,
            "result": result,
            "blocking": blocking_tpn(penilaian) if refusal is None else [],
        },
        status=422 if errors else 200,
    )


def _hasil_text(j: JawabanHasil | None) -> str:
    if j is None:
        return ""
    if j.opsi:
        return j.opsi
    return "" if j.nilai is None else format(j.nilai.normalize(), "f").replace(".", ",")


@require_POST
@login_required
def tpn_tetapkan_view(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = _access(request, code)
    if request.POST.get("konfirmasi") != "ya":
        messages.error(request, _("Centang konfirmasi sebelum menetapkan hasil TPN."))
        return redirect("scoring:tpn", code=penilaian.code)
    try:
        result = tpn_tetapkan(penilaian=penilaian, user=request.user, access=access)
    except TpnDitolak as exc:
        messages.error(request, str(exc))
        return redirect("scoring:tpn", code=penilaian.code)
    messages.success(
        request,
        _("Hasil TPN ditetapkan: %(hasil)s.") % {"hasil": result.predikat.upper()},
    )
    return redirect("scoring:skor", code=penilaian.code)
