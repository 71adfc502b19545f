from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lke.models import (
    Area,
    AturanPredikat,
    Bagian,
    DataDukung,
    HasilItem,
    Indikator,
    InputNumerik,
    Komponen,
    ModelPenilaian,
    Opsi,
    OpsiHasil,
    Penilaian,
    Pertanyaan,
)
from zi_portal.lib.dates import nama_bulan


class AturanInline(admin.TabularInline[AturanPredikat, ModelPenilaian]):
    model = AturanPredikat
    extra = 0


@admin.register(ModelPenilaian)
class ModelPenilaianAdmin(admin.ModelAdmin[ModelPenilaian]):
    list_display = ["kode", "versi", "nama", "bawaan"]
    inlines = [AturanInline]


@admin.register(Komponen)
class KomponenAdmin(admin.ModelAdmin[Komponen]):
    list_display = ["kode", "nama", "bobot", "model"]
    list_filter = ["model"]


@admin.register(Bagian)
class BagianAdmin(admin.ModelAdmin[Bagian]):
    list_display = ["kode", "nama", "bobot", "model"]
    list_filter = ["model"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["kode", "nama", "bobot", "model"]
    list_filter = ["model", "nomor"]


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin[Indikator]):
    list_display = ["kode", "nama", "bobot", "model"]
    list_filter = ["model", "area__nomor"]
    search_fields = ["kode", "nama"]


class OpsiInline(admin.TabularInline[Opsi, Pertanyaan]):
    model = Opsi
    extra = 0


class InputInline(admin.TabularInline[InputNumerik, Pertanyaan]):
    model = InputNumerik
    fk_name = "pertanyaan"
    extra = 0
    exclude = ["model"]


class DataDukungInline(admin.TabularInline[DataDukung, Pertanyaan]):
    model = DataDukung
    extra = 0
    fields = ["unit", "nama", "bulan", "penanggung_jawab"]


@admin.register(Pertanyaan)
class PertanyaanAdmin(admin.ModelAdmin[Pertanyaan]):
    list_display = ["kode", "teks", "jenis", "model"]
    list_filter = ["model", "jenis"]
    search_fields = ["kode", "teks"]
    inlines = [OpsiInline, InputInline, DataDukungInline]


class OpsiHasilInline(admin.TabularInline[OpsiHasil, HasilItem]):
    model = OpsiHasil
    extra = 0


@admin.register(HasilItem)
class HasilItemAdmin(admin.ModelAdmin[HasilItem]):
    list_display = ["kode", "nama", "bobot", "jenis", "model"]
    list_filter = ["model"]
    inlines = [OpsiHasilInline]


@admin.register(DataDukung)
class DataDukungAdmin(admin.ModelAdmin[DataDukung]):
    list_display = ["nama", "pertanyaan", "unit", "bulan_unggah"]
    list_filter = ["unit", "pertanyaan__model"]
    search_fields = ["nama", "pertanyaan__kode"]

    @admin.display(description=_("bulan unggah"))
    def bulan_unggah(self, obj: DataDukung) -> str:
        return ", ".join(nama_bulan(int(b)) for b in obj.bulan if 1 <= int(b) <= 12)


@admin.register(Penilaian)
class PenilaianAdmin(admin.ModelAdmin[Penilaian]):
    list_display = ["unit", "tahun", "model", "status"]
    list_filter = ["status", "model", "tahun"]
