from __future__ import annotations

from django.urls import path

from evidence import views, views_dokumen

app_name = "evidence"

urlpatterns = [
    path("<uuid:code>/bukti/<uuid:bukti_code>/", views.bukti_berkas, name="bukti"),
    path(
        "<uuid:code>/indikator/<str:kode>/rencana-aksi/",
        views.rencana_aksi_list,
        name="rencana_aksi",
    ),
    path("<uuid:code>/rencana-aksi/salin/", views.rencana_aksi_salin, name="rencana_aksi_salin"),
    path(
        "<uuid:code>/rencana-aksi/<uuid:row_code>/",
        views.rencana_aksi_baris,
        name="rencana_aksi_baris",
    ),
    path(
        "<uuid:code>/rencana-aksi/<uuid:row_code>/ubah/",
        views.rencana_aksi_ubah,
        name="rencana_aksi_ubah",
    ),
    path(
        "<uuid:code>/rencana-aksi/<uuid:row_code>/hapus/",
        views.rencana_aksi_hapus,
        name="rencana_aksi_hapus",
    ),
    path(
        "<uuid:code>/rencana-aksi/<uuid:row_code>/pindah/",
        views.rencana_aksi_pindah,
        name="rencana_aksi_pindah",
    ),
    path("<uuid:code>/ekspor/<str:jenis>/", views_dokumen.ekspor_mulai, name="ekspor_mulai"),
    path("<uuid:code>/impor/", views_dokumen.lke_impor, name="impor"),
    path("<uuid:code>/rencana-kerja/", views_dokumen.rencana_kerja, name="rencana_kerja"),
    path(
        "<uuid:code>/rencana-kerja/dokumen/<uuid:dokumen_code>/",
        views_dokumen.dokumen_unduh,
        name="dokumen",
    ),
]

ekspor_urlpatterns = [
    path("<uuid:job_id>/", views_dokumen.ekspor_halaman, name="halaman"),
    path("<uuid:job_id>/status/", views_dokumen.ekspor_status, name="status"),
    path("<uuid:job_id>/unduh/", views_dokumen.ekspor_unduh, name="unduh"),
]
