"""The project's URLs: the composition root includes every app's own urls module."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_GET, require_http_methods

from documents.urls import ekspor_urlpatterns, instansi_urlpatterns, pengusulan_urlpatterns
from scoring import views_portal
from units import views as unit_views
from units.forms import LoginForm
from zi_portal import views as portal_views

urlpatterns = [
    path("", views_portal.home, name="home"),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        require_http_methods(["GET", "POST"])(unit_views.GantiSandiView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        require_GET(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("penilaian/", include("evidence.urls")),
    path("penilaian/", include("documents.urls")),
    path("ekspor/", include((ekspor_urlpatterns, "ekspor"))),
    path("instansi/", include((pengusulan_urlpatterns, "pengusulan_dokumen"))),
    path("instansi/", include((instansi_urlpatterns, "instansi"))),
    path("verifikasi/", include("documents.urls_public")),
    path("", include("scoring.urls")),
    path("notifikasi/", unit_views.notifikasi, name="notifikasi"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", portal_views.favicon, name="favicon"),
]
