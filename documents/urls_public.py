"""Public URLs (no login), included by the project at /verifikasi/."""

from __future__ import annotations

from django.urls import path

from documents import views_public

app_name = "verifikasi"

urlpatterns = [
    path("<uuid:code>/", views_public.verifikasi, name="detail"),
]
