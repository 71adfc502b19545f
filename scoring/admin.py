"""Answers, reviews and score snapshots: read-only in the admin.

They change only through their services (scoring.services, scoring.reviu), which check
the workflow and record every change in Riwayat; a final snapshot never moves.
"""

from __future__ import annotations

from django.contrib import admin

from scoring.models import (
    BatasPengusulan,
    EvaluasiMandiri,
    Jawaban,
    JawabanHasil,
    PenetapanMandiri,
    Pengusulan,
    PengusulanUnit,
    Reviu,
    SnapshotSkor,
)
from units.admin_audit import AuditedAdmin, ReadOnlyAdmin


@admin.register(Jawaban)
class JawabanAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "set", "pertanyaan", "opsi", "diubah_pada"]
    list_filter = ["set", "penilaian__unit"]


@admin.register(JawabanHasil)
class JawabanHasilAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "set", "hasil_item", "nilai", "opsi"]
    list_filter = ["set", "penilaian__unit"]


@admin.register(Reviu)
class ReviuAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "pertanyaan", "status", "diubah_pada"]
    list_filter = ["status", "penilaian__unit"]


@admin.register(SnapshotSkor)
class SnapshotSkorAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "set", "total", "predikat", "final", "triwulan", "dibuat_pada"]
    list_filter = ["set", "final", "triwulan"]


@admin.register(EvaluasiMandiri)
class EvaluasiMandiriAdmin(ReadOnlyAdmin):
    list_display = ["instansi", "tahun", "dicatat_oleh", "dicatat_pada"]
    list_filter = ["instansi", "tahun"]


@admin.register(PenetapanMandiri)
class PenetapanMandiriAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "nomor_sk", "tanggal_sk", "ditetapkan_oleh", "ditetapkan_pada"]


@admin.register(BatasPengusulan)
class BatasPengusulanAdmin(AuditedAdmin):
    """The TPN's deadline per year (data, editable, recorded): without a row, 31 May."""

    list_display = ["tahun", "tanggal", "pengumuman"]


class PengusulanUnitInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PengusulanUnit
    extra = 0
    can_delete = False
    readonly_fields = ["penilaian", "predikat", "urutan"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Pengusulan)
class PengusulanAdmin(ReadOnlyAdmin):
    """Changes only through scoring.pengusulan (the pengusulan page)."""

    list_display = ["instansi", "tahun", "status", "nomor_surat", "ditandatangani_pada"]
    list_filter = ["status", "tahun"]
    inlines = [PengusulanUnitInline]
