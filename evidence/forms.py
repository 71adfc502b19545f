from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evidence.models import RencanaAksi, StatusRencanaAksi, TautanZi
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


class RealisasiRencanaAksiForm(forms.Form):
    """One quarter's realisasi of a rencana aksi row (evidence.services validates again)."""

    realisasi = forms.CharField(
        label=_("Realisasi"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    progres = forms.IntegerField(
        label=_("Progres (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Isi progres 0–100 (%)."),
            "invalid": _("Progres harus bilangan bulat antara 0 dan 100 (%)."),
            # Django formats these two with the limit: "%%" prints "%".
            "min_value": _("Progres harus bilangan bulat antara 0 dan 100 (%%)."),
            "max_value": _("Progres harus bilangan bulat antara 0 dan 100 (%%)."),
        },
    )
    status = forms.ChoiceField(label=_("Status"), choices=StatusRencanaAksi.choices)
    bukti = forms.MultipleChoiceField(
        label=_("Bukti pendukung"), required=False, widget=forms.CheckboxSelectMultiple
    )
    kendala = forms.CharField(
        label=_("Kendala"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tindak_lanjut = forms.CharField(
        label=_("Tindak lanjut"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    versi = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, bukti: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bukti"].choices = bukti  # type: ignore[attr-defined]


# -- Rencana Kinerja Tahunan ------------------------------------------------------------


class RktKepalaForm(forms.Form):
    """The header of the RKT document (kop, title, city and date, the two signers)."""

    kop = forms.CharField(
        label=_("Kop (satu baris per baris cetak)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kop_situs = forms.CharField(label=_("Situs pada kop"), required=False, max_length=200)
    judul = forms.CharField(
        label=_("Judul (satu baris per baris cetak)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kota = forms.CharField(label=_("Kota"), required=False, max_length=100)
    tanggal = forms.DateField(
        label=_("Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    penyetuju_jabatan = forms.CharField(
        label=_("Jabatan yang menyetujui"), required=False, max_length=300
    )
    penyetuju_nama = forms.CharField(
        label=_("Nama yang menyetujui"), required=False, max_length=200
    )
    penandatangan_jabatan = forms.CharField(
        label=_("Jabatan penandatangan"), required=False, max_length=300
    )
    penandatangan_nama = forms.CharField(
        label=_("Nama penandatangan"), required=False, max_length=200
    )
    id_tanda_tangan = forms.CharField(
        label=_("ID tanda tangan digital"), required=False, max_length=100
    )
    capaian_pembanding = forms.DecimalField(
        label=_("Capaian nasional / rata-rata unit sejenis (%)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=4,
        localize=True,
    )
    versi = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RktBarisForm(forms.Form):
    """One row of the RKT table as printed: No / Sasaran / Indikator / Target."""

    code = forms.CharField(required=False, widget=forms.HiddenInput)
    sasaran_nomor = forms.CharField(
        label=pgettext_lazy("nomor urut", "No"), required=False, max_length=10
    )
    sasaran = forms.CharField(
        label=_("Sasaran Kegiatan (Output)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    nomor = forms.CharField(label=_("No. indikator"), required=False, max_length=10)
    indikator = forms.CharField(
        label=_("Indikator Kinerja"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target = forms.CharField(label=_("Target"), required=False, max_length=200)
    utama = forms.BooleanField(label=_("Kinerja utama"), required=False, initial=True)
    berorientasi_hasil = forms.BooleanField(
        label=_("Berorientasi hasil"), required=False, initial=True
    )
    tautan_zi = forms.ChoiceField(
        label=_("Terkait nilai ZI"), required=False, choices=TautanZi.choices
    )


RktBarisFormSet = forms.formset_factory(RktBarisForm, extra=3, max_num=300, validate_max=True)


class RealisasiForm(forms.Form):
    triwulan = forms.TypedChoiceField(
        label=_("Triwulan"),
        coerce=int,
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    nilai = forms.CharField(label=_("Realisasi"), required=False, max_length=40)
    teks = forms.CharField(label=_("Realisasi (teks)"), required=False, max_length=2000)
    tercapai = forms.ChoiceField(
        label=_("Tercapai?"),
        required=False,
        choices=[("", "—"), ("ya", _("Ya")), ("tidak", _("Tidak"))],
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=2000)
    berkas = MultipleFileField(label=_("Bukti"), required=False)
    tanggal_efektif = forms.DateField(
        label=_("Tanggal dokumen"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kunci = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", required=False)

    def tercapai_value(self) -> bool | None:
        return {"ya": True, "tidak": False}.get(self.cleaned_data.get("tercapai") or "")


class RktImporForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas Excel (.xlsx)"))


class TahunBaruForm(forms.Form):
    """The start-year form (evidence.tahun_baru): the year, its model, what to carry over."""

    tahun = forms.IntegerField(label=_("Tahun"), min_value=2010, max_value=2100)
    model: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Model penilaian"), queryset=None, empty_label=None
    )
    salin_rencana_aksi = forms.BooleanField(
        label=_("Salin rencana aksi tahun lalu (status kembali ke belum mulai)"),
        required=False,
        initial=True,
    )
    bawa_bukti = forms.BooleanField(
        label=_(
            "Bawa bukti tahun lalu sebagai “perlu dicek ulang” (berkas tidak digandakan; "
            "pemeriksaan bukti dihitung ulang untuk tahun baru)"
        ),
        required=False,
        initial=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lke.models import ModelPenilaian

        super().__init__(*args, **kwargs)
        field = self.fields["model"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ModelPenilaian.objects.order_by("-bawaan", "kode")
