from __future__ import annotations

from django.contrib import admin

from scoring.models import Jawaban, JawabanHasil, SnapshotSkor


@admin.register(Jawaban)
class JawabanAdmin(admin.ModelAdmin[Jawaban]):
    list_display = ["penilaian", "set", "pertanyaan", "opsi", "diubah_pada"]
    list_filter = ["set", "penilaian__unit"]


@admin.register(JawabanHasil)
class JawabanHasilAdmin(admin.ModelAdmin[JawabanHasil]):
    list_display = ["penilaian", "set", "hasil_item", "nilai", "opsi"]
    list_filter = ["set", "penilaian__unit"]


@admin.register(SnapshotSkor)
class SnapshotSkorAdmin(admin.ModelAdmin[SnapshotSkor]):
    list_display = ["penilaian", "set", "total", "predikat", "final", "dibuat_pada"]
    list_filter = ["set", "final"]
    readonly_fields = ["laporan"]
