from __future__ import annotations

from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("<uuid:code>/bukti/<uuid:bukti_code>/", views.bukti_berkas, name="bukti"),
    path(
        "<uuid:code>/indikator/<str:kode>/rencana-aksi/",
        views.rencana_aksi_list,
        name="rencana_aksi",
    ),
    path("<uuid:code>/rencana-aksi/salin/", views.rencana_aksi_salin, name="rencana_aksi_salin"),
    path("<uuid:code>/tahun-baru/", views.tahun_baru, name="tahun_baru"),
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
        "<uuid:code>/rencana-aksi/<uuid:row_code>/realisasi/",
        views.rencana_aksi_realisasi,
        name="rencana_aksi_realisasi",
    ),
    path(
        "<uuid:code>/rencana-aksi/<uuid:row_code>/realisasi/<int:triwulan>/",
        views.rencana_aksi_realisasi_ubah,
        name="rencana_aksi_realisasi_ubah",
    ),
    path("<uuid:code>/rkt/ubah/", views.rkt_ubah, name="rkt_ubah"),
    path("<uuid:code>/rkt/impor/", views.rkt_impor, name="rkt_impor"),
    path(
        "<uuid:code>/rkt/indikator/<uuid:indikator_code>/realisasi/",
        views.rkt_realisasi,
        name="rkt_realisasi",
    ),
    path(
        "<uuid:code>/rencana-aksi/<uuid:row_code>/pindah/",
        views.rencana_aksi_pindah,
        name="rencana_aksi_pindah",
    ),
]
