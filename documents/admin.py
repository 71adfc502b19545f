"""Signed documents and export jobs: read-only in the admin (only their tasks write them)."""

from __future__ import annotations

from django.contrib import admin

from documents.models import DokumenTertandatangan, ExportJob
from units.admin_audit import ReadOnlyAdmin


@admin.register(DokumenTertandatangan)
class DokumenTertandatanganAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "jenis", "nama_penandatangan", "ditandatangani_pada", "aktif"]
    list_filter = ["jenis", "aktif"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "owner", "jenis", "status", "detak", "dibuat_pada", "kedaluwarsa"]
    list_filter = ["jenis", "status"]
