from __future__ import annotations

from django.http import HttpRequest

from units.models import Notifikasi, Peran


def portal(request: HttpRequest) -> dict[str, object]:
    """Navbar figures: unread notices and whether the user reviews as TPI."""
    # A request refused before AuthenticationMiddleware (a 400 for a bad Host) has no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "n_notifikasi": Notifikasi.objects.filter(user=user, dibaca=False).count(),
        "is_tpi": user.is_superuser or user.keanggotaan.filter(peran=Peran.TPI).exists(),
    }
