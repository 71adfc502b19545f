"""Notifying users: an in-app notice, and an e-mail through Django's mail backend."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction

from units.models import Keanggotaan, Notifikasi, UnitKerja

log = logging.getLogger(__name__)


def notify(users: Iterable[AbstractBaseUser], *, subject: str, pesan: str, url: str) -> int:
    """Create a notice for every user and e-mail those with an address, once the
    caller's transaction commits (at once outside a transaction). Returns the count.

    A decision never waits for, nor is undone by, its notices: they run after the
    commit, and a failing mail server is logged, never raised to the user.
    """
    unique = {u.pk: u for u in users}
    recipients = [(pk, getattr(u, "email", "")) for pk, u in unique.items()]
    transaction.on_commit(
        lambda: _deliver(recipients, subject=subject, pesan=pesan, url=url), robust=True
    )
    return len(unique)


def _deliver(recipients: list[tuple[Any, str]], *, subject: str, pesan: str, url: str) -> None:
    try:
        Notifikasi.objects.bulk_create(
            [Notifikasi(user_id=pk, pesan=pesan[:500], url=url) for pk, _email in recipients]
        )
    except Exception:
        log.exception("storing notifications %r failed", subject)
    link = f"{settings.ZI_PUBLIC_BASE_URL}{url}"
    for _pk, email in recipients:
        if not email:
            continue
        try:
            send_mail(subject, f"{pesan}\n\n{link}\n", None, [email])
        except Exception:
            # The decision is committed already; a mail server outage must not undo it
            # nor show the user an error.
            log.exception("sending notification mail to %s failed", email)


def unit_members(unit: UnitKerja, roles: Iterable[str]) -> list[Any]:
    """Active users holding one of `roles` in the unit itself (not instansi-wide)."""
    ids = Keanggotaan.objects.filter(unit=unit, peran__in=list(roles)).values_list(
        "user_id", flat=True
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))
