from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db import models
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
from zi_portal.lib.numbers import format_id

# Weights and thresholds as the portal writes them ("0,50"): a localized text input, which
# also accepts the decimal comma, instead of the browser's number input ("0.50").
LOCAL_DECIMALS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DecimalField: {"localize": True}
}


def _angka(value: Decimal | None) -> str:
    """0.5000 -> "0,50": at least two places, more only when the value needs them."""
    if value is None:
        return "–"
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return format_id(value, places)


@admin.display(description=_("bobot"), ordering="bobot")
def bobot_id(obj: Any) -> str:
    return _angka(obj.bobot)


class AturanInline(admin.TabularInline[AturanPredikat, ModelPenilaian]):
    formfield_overrides = LOCAL_DECIMALS
    model = AturanPredikat
    extra = 0


@admin.register(ModelPenilaian)
class ModelPenilaianAdmin(admin.ModelAdmin[ModelPenilaian]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "versi", "nama", "bawaan"]
    inlines = [AturanInline]


@admin.register(Komponen)
class KomponenAdmin(admin.ModelAdmin[Komponen]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model"]


@admin.register(Bagian)
class BagianAdmin(admin.ModelAdmin[Bagian]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model", "nomor"]


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin[Indikator]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model", "area__nomor"]
    search_fields = ["kode", "nama"]


class OpsiInline(admin.TabularInline[Opsi, Pertanyaan]):
    formfield_overrides = LOCAL_DECIMALS
    model = Opsi
    extra = 0


class InputInline(admin.TabularInline[InputNumerik, Pertanyaan]):
    formfield_overrides = LOCAL_DECIMALS
    model = InputNumerik
    fk_name = "pertanyaan"
    extra = 0
    exclude = ["model"]


class DataDukungInline(admin.TabularInline[DataDukung, Pertanyaan]):
    formfield_overrides = LOCAL_DECIMALS
    model = DataDukung
    extra = 0
    fields = ["unit", "nama", "bulan", "penanggung_jawab"]


@admin.register(Pertanyaan)
class PertanyaanAdmin(admin.ModelAdmin[Pertanyaan]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "teks", "jenis", "model"]
    list_filter = ["model", "jenis"]
    search_fields = ["kode", "teks"]
    inlines = [OpsiInline, InputInline, DataDukungInline]


class OpsiHasilInline(admin.TabularInline[OpsiHasil, HasilItem]):
    formfield_overrides = LOCAL_DECIMALS
    model = OpsiHasil
    extra = 0


@admin.register(HasilItem)
class HasilItemAdmin(admin.ModelAdmin[HasilItem]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "jenis", "model"]
    list_filter = ["model"]
    inlines = [OpsiHasilInline]


@admin.register(DataDukung)
class DataDukungAdmin(admin.ModelAdmin[DataDukung]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["nama", "pertanyaan", "unit", "bulan_unggah"]
    list_filter = ["unit", "pertanyaan__model"]
    search_fields = ["nama", "pertanyaan__kode"]

    @admin.display(description=_("bulan unggah"))
    def bulan_unggah(self, obj: DataDukung) -> str:
        return ", ".join(nama_bulan(int(b)) for b in obj.bulan if 1 <= int(b) <= 12)


@admin.register(Penilaian)
class PenilaianAdmin(admin.ModelAdmin[Penilaian]):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["unit", "tahun", "model", "status"]
    list_filter = ["status", "model", "tahun"]
