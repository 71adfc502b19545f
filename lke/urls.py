from __future__ import annotations

from django.urls import path

from lke import views

app_name = "lke"

urlpatterns = [
    path("<uuid:code>/", views.penilaian_dashboard, name="dashboard"),
    path("<uuid:code>/area/<int:nomor>/", views.worksheet_area, name="worksheet"),
    path("<uuid:code>/jawaban/<int:pertanyaan_id>/", views.jawaban_simpan, name="jawaban"),
    path("<uuid:code>/ajukan/", views.penilaian_ajukan, name="ajukan"),
]
