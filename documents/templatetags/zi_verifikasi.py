from __future__ import annotations

import datetime as dt

from django import template

from documents.signing import waktu_indonesia

register = template.Library()


@register.filter
def waktu_id(value: dt.datetime | None) -> str:
    """`1 Desember 2026 pukul 20.26.15 WIB`: a signing time in the portal's time zone."""
    return waktu_indonesia(value) if value else ""
