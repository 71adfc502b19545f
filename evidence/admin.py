from __future__ import annotations

from django.contrib import admin

from evidence.models import Bukti, RencanaAksi, RencanaKerja


@admin.register(RencanaAksi)
class RencanaAksiAdmin(admin.ModelAdmin[RencanaAksi]):
    list_display = ["penilaian", "indikator", "hasil_item", "rencana_aksi", "jadwal", "status"]
    list_filter = ["penilaian__unit", "penilaian__tahun", "status"]
    search_fields = ["rencana_aksi", "sasaran", "rencana_kegiatan"]


@admin.register(Bukti)
class BuktiAdmin(admin.ModelAdmin[Bukti]):
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
    readonly_fields = ["sha256", "ukuran", "tipe_konten", "diunggah_oleh", "diunggah_pada"]


@admin.register(RencanaKerja)
class RencanaKerjaAdmin(admin.ModelAdmin[RencanaKerja]):
    list_display = ["penilaian", "judul", "penandatangan_nama", "tanggal"]
