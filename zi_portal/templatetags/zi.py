"""Display helpers for templates: Indonesian numbers and month names."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lke.models import Penilaian
from lke.syarat import choices
from scoring.riwayat_display import Perubahan, perubahan_rows
from units.access import Izin, penilaian_access
from zi_portal.lib.dates import BULAN, tanggal_indonesia
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
def lebar(value: Any) -> str:
    """A percentage as an SVG coordinate of a 0-100 bar: clamped, dot decimal ("62.5")."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "0"
    number = min(max(number, Decimal(0)), Decimal(100))
    whole, _dot, fraction = f"{number.quantize(Decimal('0.01')):f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


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
    "rkt": _("Rencana Kinerja Tahunan"),
    "realisasi_kinerja": _("realisasi kinerja"),
    "realisasi_rencana_aksi": _("realisasi rencana aksi"),
    "syarat": _("syarat pengusulan (Tabel 5)"),
    "evaluasi_mandiri": _("evaluasi mandiri instansi"),
    "penetapan_mandiri": _("penetapan evaluasi mandiri"),
    "pengusulan": _("pengusulan ke TPN"),
}


@register.filter
def unique_list(values: Any) -> list[Any]:
    """The values once each, in order (two equal notes of one Tabel 5 row shown once)."""
    return list(dict.fromkeys(values))


@register.filter
def syarat_pilihan(jenis: str) -> list[tuple[str, str]]:
    """The options of a Tabel 5 value with a closed scale (lke.syarat)."""
    return choices(jenis)


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


@register.filter
def tanggal(value: Any) -> str:
    """A date as Indonesian documents write it: "28 Juni 2022"."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return tanggal_indonesia(value) if isinstance(value, dt.date) else ""


@register.filter
def tanggal_waktu(value: Any) -> str:
    """A moment in the portal time zone, as Indonesian documents write it: "28 Juni 2022 14.05"."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{tanggal_indonesia(local.date())} {local:%H.%M}"


@register.filter(name="perubahan_rows")
def perubahan_rows_filter(perubahan: Any) -> list[Perubahan]:
    """A Riwayat change with labels for its fields and values (scoring.riwayat_display)."""
    return perubahan_rows(perubahan if isinstance(perubahan, dict) else None)


@register.simple_tag(takes_context=True)
def riwayat_link(context: template.Context, penilaian: Penilaian) -> str:
    """The link to the penilaian's Riwayat, for those who may read it (TPI, admins)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    access = context.get("access") or penilaian_access(user, penilaian)
    if access is None or not (access.can(Izin.REVIEW) or access.can(Izin.MANAGE)):
        return ""
    return format_html(
        '<div class="d-flex justify-content-end mb-2">'
        '<a class="btn btn-outline-secondary btn-sm" href="{}" data-riwayat-link>'
        '<i class="bi bi-clock-history" aria-hidden="true"></i> {}</a></div>',
        reverse("scoring:riwayat", args=[penilaian.code]),
        _("Riwayat"),
    )


_JADWAL_LINE = re.compile(r"\s*B\d{2}(\s*(,\s*dan|,|dan)\s*B\d{2})*\s*")


@register.filter
def data_dukung_teks(data_dukung: Any) -> str:
    """A data dukung's text without a first line that only repeats its schedule
    ("B03, B06, B09, dan B12"): the schedule is shown apart, as a badge."""
    lines = str(getattr(data_dukung, "nama", "")).splitlines()
    if lines and _JADWAL_LINE.fullmatch(lines[0]):
        months = {int(m) for m in re.findall(r"B(\d{2})", lines[0])}
        if months == {int(b) for b in getattr(data_dukung, "bulan", None) or []}:
            lines = lines[1:]
    return "\n".join(lines)


@register.simple_tag
def kunci_kirim() -> str:
    """A fresh random key for one rendered form: the server makes its work once per key."""
    return secrets.token_urlsafe(16)


@register.filter
def total_set(tahun: Any, set_: str) -> Any:
    """A year's total of one answer set (scoring.tahunan.Tahun)."""
    return tahun.total(set_)


@register.filter
def verdict_set(tahun: Any, set_: str) -> str:
    return str(tahun.verdict(set_))


@register.filter
def cells_of(baris: Any, years: Any) -> Any:
    """A comparison row's cells for these years (scoring.tahunan.Baris)."""
    return baris.cells(list(years))
