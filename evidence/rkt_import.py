"""Reading an RKT table from Excel (the layout of seed 002) and saving it with `rkt_save`.

The sheet needs a header row with the columns No / Sasaran Kegiatan / Indikator Kinerja /
Target (in any order; optional: Kinerja utama, Berorientasi hasil, Nilai ZI). Below it
a row "(1) (2) (3) (4)" is skipped, a blank sasaran cell continues the sasaran above
(merged cells), and an indikator cell "1. Persentase …" keeps its printed number.
Every error carries its row number; nothing is saved unless every row is valid.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from evidence.models import IndikatorKinerja, RencanaKinerjaTahunan, TautanZi
from evidence.rkt import BarisRkt, RktDitolak, rkt_refusal, rkt_save
from evidence.services import max_upload_bytes
from evidence.validators import BuktiDitolak, detect_and_validate
from units.access import UnitAccess
from units.models import UnitKerja

COLUMNS = {
    "no": ("no",),
    "sasaran": ("sasaran",),
    "indikator": ("indikator",),
    "target": ("target",),
    "utama": ("kinerja utama", "utama"),
    "hasil": ("berorientasi hasil", "orientasi hasil"),
    "zi": ("nilai zi", "terkait nilai zi"),
}
_NOMOR = re.compile(r"^(\d+[.)])\s+(\S.*)$", re.S)
_YA = {"ya", "y", "yes", "1", "true", "v", "✓"}
_TIDAK = {"tidak", "t", "no", "0", "false", "-"}
_ZI = {"": "", "mandiri": TautanZi.MANDIRI, "tpi": TautanZi.TPI}


def _text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if "%" in (cell.number_format or ""):
            return f"{format(number * 100, 'f').rstrip('0').rstrip('.')}%"
        return format(number, "f").rstrip("0").rstrip(".") if "." in str(number) else str(number)
    return " ".join(str(value).split())


def _header(ws: Any) -> tuple[int, dict[str, int]] | None:
    for row in ws.iter_rows(min_row=1, max_row=40):
        found: dict[str, int] = {}
        for cell in row:
            text = _text(cell).lower()
            for key, names in COLUMNS.items():
                if key not in found and any(text.startswith(n) for n in names):
                    found[key] = cell.column - 1
        if {"no", "sasaran", "indikator", "target"} <= set(found):
            return row[0].row, found
    return None


def _flag(text: str, where: str, errors: list[str], default: bool) -> bool:
    t = text.strip().lower()
    if not t:
        return default
    if t in _YA:
        return True
    if t in _TIDAK:
        return False
    errors.append(_("%(di)s: isi “ya” atau “tidak”, bukan “%(isi)s”.") % {"di": where, "isi": text})
    return default


def read_rows(upload: UploadedFile) -> list[BarisRkt]:
    """The RKT rows of the first sheet with the RKT header; RktDitolak lists every error."""
    from openpyxl import load_workbook

    try:
        detect_and_validate(upload, max_bytes=max_upload_bytes())
    except BuktiDitolak as exc:
        raise RktDitolak(str(exc)) from exc
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise RktDitolak(_("Unggah berkas Excel (.xlsx)."))
    upload.seek(0)
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise RktDitolak(_("Berkas Excel tidak dapat dibaca.")) from exc
    try:
        for ws in wb.worksheets:
            if (found := _header(ws)) is not None:
                return _rows(ws, *found)
    finally:
        wb.close()
    raise RktDitolak(
        _("Tidak ditemukan baris judul kolom No / Sasaran Kegiatan / Indikator Kinerja / Target.")
    )


def _rows(ws: Any, header_row: int, cols: dict[str, int]) -> list[BarisRkt]:
    rows: list[BarisRkt] = []
    errors: list[str] = []
    for cells in ws.iter_rows(min_row=header_row + 1):
        if not cells:
            continue
        number = cells[0].row

        def get(key: str, cells: Any = cells) -> str:
            i = cols.get(key)
            return _text(cells[i]) if i is not None and i < len(cells) else ""

        if get("no") == "(1)" or get("target") == "(4)":
            continue
        indikator = get("indikator")
        nomor = ""
        if m := _NOMOR.match(indikator):
            nomor, indikator = m[1], m[2]
        where = _("Baris %(n)d") % {"n": number}
        zi = get("zi").strip().lower()
        if zi not in _ZI:
            errors.append(_("%(di)s: nilai ZI harus kosong, “mandiri” atau “tpi”.") % {"di": where})
            zi = ""
        rows.append(
            BarisRkt(
                sasaran_nomor=get("no"),
                sasaran=get("sasaran"),
                nomor=nomor,
                indikator=indikator,
                target=get("target"),
                utama=_flag(get("utama"), where, errors, True),
                berorientasi_hasil=_flag(get("hasil"), where, errors, True),
                tautan_zi=_ZI[zi],
                baris=number,
            )
        )
    if errors:
        raise RktDitolak(errors)
    return rows


def rkt_import(
    *, unit: UnitKerja, tahun: int, upload: UploadedFile, user: Any, access: UnitAccess | None
) -> RencanaKinerjaTahunan:
    """Replace the table of the unit's RKT of `tahun` with the workbook's rows.

    The header (kop, signers) stays as it is; an indikator with the same sasaran,
    number and name as before keeps its realisasi.
    """
    refusal = rkt_refusal(access, unit, tahun)
    if refusal:
        raise RktDitolak(refusal)
    rows = read_rows(upload)
    existing = {
        (i.sasaran.teks, i.nomor, i.nama): str(i.code)
        for i in IndikatorKinerja.objects.filter(
            sasaran__rkt__unit=unit, sasaran__rkt__tahun=tahun
        ).select_related("sasaran")
    }
    matched: list[BarisRkt] = []
    sasaran = ""
    for row in rows:
        sasaran = row.sasaran or sasaran
        code = existing.pop((sasaran, row.nomor, row.indikator), "")
        matched.append(BarisRkt(**{**row.__dict__, "code": code}))
    return rkt_save(unit=unit, tahun=tahun, header={}, rows=matched, user=user, access=access)
