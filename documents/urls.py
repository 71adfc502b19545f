from __future__ import annotations

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:code>/ekspor/<str:jenis>/", views.ekspor_mulai, name="ekspor_mulai"),
    path("<uuid:code>/impor/", views.lke_impor, name="impor"),
    path("<uuid:code>/rencana-kerja/", views.rencana_kerja, name="rencana_kerja"),
    path(
        "<uuid:code>/rencana-kerja/dokumen/<uuid:dokumen_code>/",
        views.dokumen_unduh,
        name="dokumen",
    ),
]

ekspor_urlpatterns = [
    path("<uuid:job_id>/", views.ekspor_halaman, name="halaman"),
    path("<uuid:job_id>/status/", views.ekspor_status, name="status"),
    path("<uuid:job_id>/unduh/", views.ekspor_unduh, name="unduh"),
]

# Under /instansi/ (the pengusulan to the TPN of an instansi and year).
pengusulan_urlpatterns = [
    path(
        "<slug:slug>/<int:tahun>/pengusulan/dokumen/",
        views.pengusulan_dokumen,
        name="buat",
    ),
    path(
        "<slug:slug>/<int:tahun>/pengusulan/dokumen/<uuid:dokumen_code>/",
        views.pengusulan_dokumen_unduh,
        name="unduh",
    ),
]

# Under /instansi/ (the instansi page's exports).
instansi_urlpatterns = [
    path("<slug:kode>/ekspor/", views.instansi_ekspor, name="ekspor"),
]
