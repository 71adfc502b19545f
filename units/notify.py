"""Notifying users: an in-app notice, and an e-mail through Django's mail backend."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail

from units.models import Keanggotaan, Notifikasi, UnitKerja

log = logging.getLogger(__name__)


def notify(users: Iterable[AbstractBaseUser], *, subject: str, pesan: str, url: str) -> int:
    """Create a notice for every user; e-mail those with an address. Returns the count."""
    unique = {u.pk: u for u in users}
    Notifikasi.objects.bulk_create(
        [Notifikasi(user_id=pk, pesan=pesan[:500], url=url) for pk in unique]
    )
    link = f"{settings.ZI_PUBLIC_BASE_URL}{url}"
    for user in unique.values():
        email = getattr(user, "email", "")
        if not email:
            continue
        try:
            send_mail(subject, f"{pesan}\n\n{link}\n", None, [email])
        except OSError:
            # The notice is in the app already; a mail server outage must not undo it.
            log.exception("sending notification mail to %s failed", email)
    return len(unique)


def unit_members(unit: UnitKerja, roles: Iterable[str]) -> list[Any]:
    """Active users holding one of `roles` in the unit itself (not instansi-wide)."""
    ids = Keanggotaan.objects.filter(unit=unit, peran__in=list(roles)).values_list(
        "user_id", flat=True
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))
