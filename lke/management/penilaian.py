"""What the management commands share: finding the penilaian they were asked for."""

from __future__ import annotations

from django.core.management.base import CommandError

from lke.models import Penilaian


def penilaian_or_error(unit: str, year: int) -> Penilaian:
    """The penilaian of unit `unit` (slug) in `year`, or a CommandError saying so."""
    try:
        return Penilaian.objects.select_related("unit", "model").get(unit__slug=unit, tahun=year)
    except Penilaian.DoesNotExist as exc:
        raise CommandError(f"Penilaian {unit} tahun {year} tidak ditemukan.") from exc
