"""Evidence, rencana aksi and rencana kerja: read-only in the admin.

They change only through their services (evidence.services*), which record every change
in Riwayat and move an approved rencana kerja to *perlu persetujuan ulang*; approvals and
signed documents are never edited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from evidence.models import (
    Bukti,
    IndikatorKinerja,
    IsianSyarat,
    RealisasiKinerja,
    RealisasiRencanaAksi,
    RencanaAksi,
    RencanaKerja,
    RencanaKinerjaTahunan,
)
from lke.admin import IndikatorLabelAdmin, IndikatorListFilter, indikator_label
from units.admin_audit import ReadOnlyAdmin
from zi_portal.lib.dates import nama_bulan


@admin.register(RencanaAksi)
class RencanaAksiAdmin(IndikatorLabelAdmin, ReadOnlyAdmin):
    """The indikator, wherever it shows (list, filter, the read-only row), with its label
    and model: the same code exists in every LKE model."""

    list_display = [
        "penilaian",
        "indikator_lengkap",
        "hasil_item",
        "rencana_aksi",
        "jadwal",
        "status",
    ]
    list_filter = [
        "penilaian__unit",
        "penilaian__tahun",
        "status",
        ("indikator", IndikatorListFilter),
    ]
    list_select_related = ["penilaian__unit", "indikator__model", "hasil_item"]
    search_fields = ["rencana_aksi", "sasaran", "rencana_kegiatan"]

    @admin.display(description=gettext_lazy("indikator"), ordering="indikator__kode")
    def indikator_lengkap(self, obj: RencanaAksi) -> str:
        return indikator_label(obj.indikator)

    @admin.display(description=gettext_lazy("bulan mulai"))
    def bulan_mulai_nama(self, obj: RencanaAksi) -> str:
        return nama_bulan(obj.bulan_mulai) if obj.bulan_mulai else "–"

    @admin.display(description=gettext_lazy("bulan selesai"))
    def bulan_selesai_nama(self, obj: RencanaAksi) -> str:
        return nama_bulan(obj.bulan_selesai) if obj.bulan_selesai else "–"

    SHOWN: ClassVar[dict[str, str]] = {
        "indikator": "indikator_lengkap",
        "bulan_mulai": "bulan_mulai_nama",
        "bulan_selesai": "bulan_selesai_nama",
    }

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields: list[Any] = list(super().get_fields(request, obj))
        shown = [self.SHOWN.get(f, f) if isinstance(f, str) else f for f in fields]
        return list(dict.fromkeys(shown))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *self.SHOWN.values()]


@admin.register(RealisasiRencanaAksi)
class RealisasiRencanaAksiAdmin(ReadOnlyAdmin):
    """Read-only: a realisasi changes only through realisasi_rencana_aksi_save (its rights,
    checks and Riwayat), from the rencana aksi page."""

    list_display = ["rencana_aksi", "triwulan", "progres", "status", "diisi_oleh", "diubah_pada"]
    list_filter = [
        "rencana_aksi__penilaian__unit",
        "rencana_aksi__penilaian__tahun",
        "triwulan",
        "status",
    ]
    list_select_related = ["rencana_aksi", "diisi_oleh"]
    search_fields = ["realisasi", "kendala", "tindak_lanjut"]


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
