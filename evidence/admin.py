"""Evidence, rencana aksi and rencana kerja: read-only in the admin.

They change only through their services (evidence.services*), which record every change
in Riwayat and move an approved rencana kerja to *perlu persetujuan ulang*; approvals and
signed documents are never edited.
"""

from __future__ import annotations

from django.contrib import admin

from evidence.models import Bukti, RencanaAksi, RencanaKerja
from units.admin_audit import ReadOnlyAdmin


@admin.register(RencanaAksi)
class RencanaAksiAdmin(ReadOnlyAdmin):
    list_display = ["penilaian", "indikator", "hasil_item", "rencana_aksi", "jadwal", "status"]
    list_filter = ["penilaian__unit", "penilaian__tahun", "status"]
    search_fields = ["rencana_aksi", "sasaran", "rencana_kegiatan"]


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
    list_display = ["penilaian", "judul", "status", "penandatangan_nama", "tanggal"]
    list_filter = ["status"]
