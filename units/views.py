"""The user's own notices and password."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from units.akun import SESSION_KEY, password_changed
from units.models import Notifikasi


@require_http_methods(["GET", "POST"])
@login_required
def notifikasi(request: HttpRequest) -> HttpResponse:
    notices = Notifikasi.objects.filter(user_id=cast(int, request.user.pk))
    if request.method == "POST":
        notices.filter(dibaca=False).update(dibaca=True)
        return redirect("notifikasi")
    return render(request, "units/notifikasi.html", {"notices": notices[:100]})


class GantiSandiView(PasswordChangeView):
    """Django's password change page; also lifts a forced change (units.akun)."""

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(self.request, form.user)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["wajib"] = bool(self.request.session.get(SESSION_KEY))
        return context
