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

instansi_urlpatterns = [
    path("<slug:kode>/ekspor/", views.instansi_ekspor, name="ekspor"),
]
