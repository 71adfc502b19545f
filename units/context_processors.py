from __future__ import annotations

from django.http import HttpRequest

from units.models import Notifikasi, Peran


def portal(request: HttpRequest) -> dict[str, object]:
    """Navbar figures: unread notices and whether the user reviews as TPI."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "n_notifikasi": Notifikasi.objects.filter(user=user, dibaca=False).count(),
        "is_tpi": user.is_superuser or user.keanggotaan.filter(peran=Peran.TPI).exists(),
    }
