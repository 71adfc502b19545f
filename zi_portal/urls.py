from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from evidence.urls import ekspor_urlpatterns
from units import views as unit_views

urlpatterns = [
    path("", unit_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("penilaian/", include("lke.urls")),
    path("penilaian/", include("evidence.urls")),
    path("ekspor/", include((ekspor_urlpatterns, "ekspor"))),
    path("verifikasi/", include("evidence.urls_public")),
    path("", include("scoring.urls")),
    path("notifikasi/", unit_views.notifikasi, name="notifikasi"),
    path("penilaian/<uuid:code>/riwayat/", unit_views.riwayat, name="riwayat"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
