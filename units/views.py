"""The user's own notices."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from units.models import Notifikasi


@require_http_methods(["GET", "POST"])
@login_required
def notifikasi(request: HttpRequest) -> HttpResponse:
    notices = Notifikasi.objects.filter(user_id=cast(int, request.user.pk))
    if request.method == "POST":
        notices.filter(dibaca=False).update(dibaca=True)
        return redirect("notifikasi")
    return render(request, "units/notifikasi.html", {"notices": notices[:100]})
