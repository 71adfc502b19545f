from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.models import RencanaAksi, StatusRencanaAksi
from zi_portal.lib.dates import BULAN

BULAN_CHOICES = [("", "—"), *[(str(i), name) for i, name in enumerate(BULAN, start=1)]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class BuktiForm(forms.Form):
    berkas = MultipleFileField(label=_("Berkas"), required=False)
    url = forms.URLField(
        label=_("atau tautan"), required=False, max_length=1000, assume_scheme="https"
    )
    judul = forms.CharField(label=_("Judul tautan"), required=False, max_length=300)
    tanggal_efektif = forms.DateField(
        label=_("Tanggal dokumen"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rencana_aksi = forms.UUIDField(required=False)
    # One key per rendered form (template tag `kunci_kirim`): a form sent twice makes its
    # bukti once.
    kunci = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", required=False)


class RencanaAksiForm(forms.Form):
    sasaran = forms.CharField(
        label=_("Sasaran"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rencana_aksi = forms.CharField(
        label=_("Rencana aksi"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    rencana_kegiatan = forms.CharField(
        label=_("Rencana kegiatan"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bukti_direncanakan = forms.CharField(
        label=_("Bukti yang direncanakan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bulan_mulai = forms.TypedChoiceField(
        label=_("Bulan mulai"), choices=BULAN_CHOICES, coerce=int, empty_value=None, required=False
    )
    bulan_selesai = forms.TypedChoiceField(
        label=_("Bulan selesai"),
        choices=BULAN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    jadwal = forms.CharField(label=_("Keterangan jadwal"), required=False, max_length=200)
    penanggung_jawab_user = forms.TypedChoiceField(
        label=_("Penanggung jawab"), coerce=int, empty_value=None, required=False
    )
    penanggung_jawab = forms.CharField(
        label=_("Penanggung jawab (teks)"), required=False, max_length=300
    )
    status = forms.ChoiceField(label=_("Status"), choices=StatusRencanaAksi.choices)
    versi = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["penanggung_jawab_user"].choices = [("", "—"), *members]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mulai, selesai = data.get("bulan_mulai"), data.get("bulan_selesai")
        if mulai and selesai and mulai > selesai:
            self.add_error("bulan_selesai", _("Bulan selesai tidak boleh sebelum bulan mulai."))
        return data

    @classmethod
    def initial_for(cls, row: RencanaAksi) -> dict[str, Any]:
        return {
            "sasaran": row.sasaran,
            "rencana_aksi": row.rencana_aksi,
            "rencana_kegiatan": row.rencana_kegiatan,
            "bukti_direncanakan": row.bukti_direncanakan,
            "bulan_mulai": row.bulan_mulai or "",
            "bulan_selesai": row.bulan_selesai or "",
            "jadwal": row.jadwal,
            "penanggung_jawab_user": row.penanggung_jawab_user_id or "",
            "penanggung_jawab": row.penanggung_jawab,
            "status": row.status,
            "versi": row.versi,
        }
