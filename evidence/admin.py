"""Evidence, rencana aksi and rencana kerja: read-only in the admin.

They change only through their services (evidence.services*), which record every change
in Riwayat and move an approved rencana kerja to *perlu persetujuan ulang*; approvals and
signed documents are never edited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest

from evidence.models import (
    Bukti,
    IndikatorKinerja,
    IsianSyarat,
    RealisasiKinerja,
    RencanaAksi,
    RencanaKerja,
    RencanaKinerjaTahunan,
)
from lke.models import Indikator
from units.admin_audit import ReadOnlyAdmin


class IndikatorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The same indikator code exists in every LKE model: show the model and the label."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.kode} {obj.nama} ({obj.model.nama})"


@admin.register(RencanaAksi)
class RencanaAksiAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "indikator", "hasil_item", "rencana_aksi", "jadwal", "status"]
    list_filter = ["penilaian__unit", "penilaian__tahun", "status"]
    search_fields = ["rencana_aksi", "sasaran", "rencana_kegiatan"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:  # type: ignore[type-arg]
        if db_field.name == "indikator":
            kwargs["form_class"] = IndikatorChoiceField
            kwargs["queryset"] = Indikator.objects.select_related("model").order_by(
                "model__kode", "urutan", "pk"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Bukti)
class BuktiAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "penilaian",
        "pertanyaan",
        "jenis",
        "ukuran",
        "aktif",
        "diunggah_pada",
    ]
    list_filter = ["penilaian__unit", "jenis", "aktif"]


@admin.register(RencanaKerja)
class RencanaKerjaAdmin(ReadOnlyAdmin):
    list_display = [
        "penilaian",
        "judul",
        "status",
        "status_tanda_tangan",
        "penandatangan_nama",
        "tanggal",
    ]
    list_filter = ["status", "status_tanda_tangan"]


@admin.register(RencanaKinerjaTahunan)
class RencanaKinerjaTahunanAdmin(ReadOnlyAdmin):
    """Changed only through evidence.rkt (the RKT page, the Excel import): Riwayat."""

    list_display = ["unit", "tahun", "penandatangan_nama", "tanggal", "versi"]
    list_filter = ["unit", "tahun"]


@admin.register(IndikatorKinerja)
class IndikatorKinerjaAdmin(ReadOnlyAdmin):
    list_display = ["nomor", "nama", "target_teks", "utama", "berorientasi_hasil", "tautan_zi"]
    list_filter = ["sasaran__rkt__unit", "sasaran__rkt__tahun", "utama", "tautan_zi"]
    search_fields = ["nama"]


@admin.register(RealisasiKinerja)
class RealisasiKinerjaAdmin(ReadOnlyAdmin):
    list_display = ["indikator", "triwulan", "nilai", "tercapai", "diubah_pada"]
    list_filter = ["indikator__sasaran__rkt__unit", "triwulan"]


@admin.register(IsianSyarat)
class IsianSyaratAdmin(ReadOnlyAdmin):
    """Tabel 5 values: written on the checklist page (evidence.syarat, Riwayat)."""

    list_display = ["kode", "tahun", "instansi", "unit", "nilai", "diisi_oleh", "updated_at"]
    list_filter = ["tahun", "kode", "instansi"]
