"""Display helpers for templates: Indonesian numbers and month names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from zi_portal.lib.dates import BULAN
from zi_portal.lib.numbers import format_id, format_persen

register = template.Library()


@register.filter
def angka(value: Any, places: int = 2) -> str:
    """17.5 -> "17,50" (half-up, as the official worksheet rounds)."""
    if value is None or value == "":
        return "–"
    return format_id(Decimal(str(value)), int(places))


@register.filter
def persen(value: Any, places: int = 2) -> str:
    if value is None or value == "":
        return "–"
    return format_persen(Decimal(str(value)), int(places))


@register.filter
def bulan(value: Any) -> str:
    try:
        return BULAN[int(value) - 1]
    except (TypeError, ValueError, IndexError):
        return ""


@register.filter
def ukuran(value: Any) -> str:
    """A byte count as "1,2 MB" / "350 KB"."""
    size = int(value or 0)
    if size >= 1024 * 1024:
        return f"{format_id(Decimal(size) / Decimal(1048576), 1)} MB"
    return f"{max(1, round(size / 1024))} KB"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def get_in(value: Any, container: Any) -> bool:
    """`{{ x|get_in:collection }}`: is x in the collection."""
    return value in container


@register.filter
def can(access: Any, permission: str) -> bool:
    return bool(access is not None and access.can(permission))


@register.filter
def status_ra(value: str) -> str:
    from evidence.models import StatusRencanaAksi

    return str(StatusRencanaAksi(value).label) if value in StatusRencanaAksi.values else value


OBJEK_LABEL = {
    "jawaban_mandiri": _("jawaban mandiri"),
    "jawaban_tpi": _("jawaban TPI"),
    "hasil_mandiri": _("hasil (mandiri)"),
    "hasil_tpi": _("hasil (TPI)"),
    "bukti": _("bukti"),
    "rencana_aksi": _("rencana aksi"),
    "rencana_kerja": _("rencana kerja"),
    "keanggotaan": _("keanggotaan"),
    "penilaian": _("penilaian"),
    "reviu": _("reviu TPI"),
}


@register.filter
def objek_label(value: str) -> str:
    return str(OBJEK_LABEL.get(value, value.replace("_", " ")))


@register.filter
def add_class(field: Any, css: str) -> Any:
    widget = field.field.widget
    base = "form-select form-select-sm" if getattr(widget, "input_type", "") == "select" else css
    return field.as_widget(attrs={"class": base})


ACRONYMS = {
    "SDM",
    "SPBE",
    "SOP",
    "TI",
    "ZI",
    "WBK",
    "WBBM",
    "LHKPN",
    "LHKASN",
    "ASN",
    "KKN",
    "SPIP",
    "IPAK",
    "IPKP",
    "TLHP",
}


@register.filter
def judul(value: str) -> str:
    """Title case for the LKE's capitalised headings, keeping acronyms ("SDM")."""
    words = str(value).split()
    return " ".join(
        w if w.upper() in ACRONYMS else w.capitalize() if w.isupper() else w for w in words
    )


@register.filter
def sorted_items(mapping: Any) -> list[tuple[Any, Any]]:
    """Dict items by key: PostgreSQL's jsonb does not keep insertion order."""
    return sorted(mapping.items()) if hasattr(mapping, "items") else []


@register.filter
def menit(value: Any) -> int:
    """A timedelta as whole minutes."""
    return int(value.total_seconds() // 60) if hasattr(value, "total_seconds") else 0
