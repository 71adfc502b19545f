"""Predikat history entry from the penilaian dashboard (TPI or admin; issue 12 part 2).

The rows belong to the unit (units.PredikatUnit); every write goes through units.predikat,
which records it in Riwayat.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lke.access import get_penilaian_for_user
from units.access import Izin, UnitAccess
from units.models import PredikatUnit
from units.predikat import predikat_add, predikat_revoke


def may_enter_predikat(access: UnitAccess) -> bool:
    """Admin or TPI of the unit (domain.md: a predikat is entered by admin or TPI)."""
    return access.can(Izin.REVIEW) or access.can(Izin.MANAGE)


class PredikatForm(forms.Form):
    predikat = forms.ChoiceField(
        label=gettext_lazy("Predikat"),
        choices=[("WBK", gettext_lazy("Menuju WBK")), ("WBBM", gettext_lazy("Menuju WBBM"))],
    )
    tahun = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2000, max_value=2100)
    sumber = forms.ChoiceField(label=gettext_lazy("Sumber"), choices=PredikatUnit.Sumber.choices)
    nomor_sk = forms.CharField(label=gettext_lazy("nomor SK"), max_length=200, required=False)
    tanggal_sk = forms.DateField(label=gettext_lazy("tanggal SK"), required=False)


class CabutForm(forms.Form):
    dicabut_pada = forms.DateField(label=gettext_lazy("dicabut pada"))
    alasan = forms.CharField(label=gettext_lazy("alasan pencabutan"), max_length=2000)


def _errors(form: forms.Form) -> str:
    return "; ".join(
        f"{form.fields[k].label}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()
    )


@require_POST
@login_required
def predikat_simpan(request: HttpRequest, code: str) -> HttpResponse:
    """Add a predikat row (`aksi=tambah`) or revoke one (`aksi=cabut`, `id`)."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    if not may_enter_predikat(access):
        raise PermissionDenied
    back = redirect("scoring:dashboard", code=penilaian.code)
    try:
        if request.POST.get("aksi") == "cabut":
            row = get_object_or_404(
                PredikatUnit, pk=request.POST.get("id") or 0, unit=penilaian.unit
            )
            cabut = CabutForm(request.POST)
            if not cabut.is_valid():
                messages.error(request, _("Predikat tidak dicabut: %s") % _errors(cabut))
                return back
            predikat_revoke(
                row,
                pada=cabut.cleaned_data["dicabut_pada"],
                alasan=cabut.cleaned_data["alasan"],
                user=request.user,
            )
            messages.success(request, _("Pencabutan predikat dicatat."))
            return back
        form = PredikatForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Predikat tidak disimpan: %s") % _errors(form))
            return back
        predikat_add(penilaian.unit, **form.cleaned_data, user=request.user)
    except ValidationError as exc:
        messages.error(request, _("Predikat tidak disimpan: %s") % " ".join(exc.messages))
        return back
    messages.success(request, _("Predikat dicatat dalam riwayat unit."))
    return back
