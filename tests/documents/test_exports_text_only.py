"""Issue 11 part 6: every user-controlled column of every CSV and Excel export is text.

Hostile values go into every field users (or admins) control: user names, first and
last names, unit names, kode, catatan, rencana aksi texts, bukti titles. Each export is
then walked cell by cell: a cell holding one of them is text (CSV: the leading quote;
Excel: a string cell with the quote prefix), and no formula cell contains one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from documents.xlsx_export import lke_workbook
from evidence.models import Bukti, JenisBukti, RencanaAksi
from lke.models import Penilaian, Pertanyaan
from scoring.models import SetJawaban
from scoring.services import jawaban_save
from tests.workflow import writable
from units.audit import riwayat_record
from units.models import Riwayat, UnitKerja
from zi_portal.lib.spreadsheet import starts_formula

pytestmark = pytest.mark.django_db

PREFIXES = ("=cmd|' /C calc'!A0", "+1", "@SUM(1)", "-2")


def hostile(tag: str, n: int) -> str:
    """A value that a spreadsheet would run as a formula, marked `tag`."""
    return f"{PREFIXES[n % len(PREFIXES)]}·{tag}"


FIELDS = [
    "username",
    "first_name",
    "last_name",
    "unit",
    "kode",
    "catatan_mandiri",
    "catatan_tpi",
    "sasaran",
    "rencana_aksi",
    "rencana_kegiatan",
    "bukti_direncanakan",
    "jadwal",
    "judul",
    "perubahan",
]
VALUES = {field: hostile(field, n) for n, field in enumerate(FIELDS)}


@pytest.fixture
def hostile_data() -> Penilaian:
    penilaian = Penilaian.objects.select_related("unit", "model").get(unit__slug="biro-hp")
    user_model = get_user_model()
    tim = user_model.objects.get(username="tim.biro-hp")
    # Straight to the rows: the export must be safe whatever the forms let through.
    user_model.objects.filter(pk=tim.pk).update(
        username=VALUES["username"],
        first_name=VALUES["first_name"],
        last_name=VALUES["last_name"],
    )
    tim.refresh_from_db()
    UnitKerja.objects.filter(pk=penilaian.unit_id).update(nama=VALUES["unit"])
    penilaian.unit.refresh_from_db()
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    for set_, field in ((SetJawaban.MANDIRI, "catatan_mandiri"), (SetJawaban.TPI, "catatan_tpi")):
        with writable(penilaian, set_):
            jawaban_save(
                penilaian=penilaian,
                set_=set_,
                pertanyaan=q,
                opsi="Ya",
                catatan=VALUES[field],
                user=tim,
            )
    ra = RencanaAksi.objects.filter(penilaian=penilaian).first()
    assert ra is not None
    for field in ("sasaran", "rencana_aksi", "rencana_kegiatan", "bukti_direncanakan", "jadwal"):
        setattr(ra, field, VALUES[field])
    ra.penanggung_jawab = ""
    ra.penanggung_jawab_user = tim
    ra.save()
    Bukti.objects.create(
        penilaian=penilaian,
        pertanyaan=q,
        jenis=JenisBukti.TAUTAN,
        url="https://example.org/sk.pdf",
        judul=VALUES["judul"],
        diunggah_oleh=tim,
    )
    riwayat_record(
        user=tim,
        unit=penilaian.unit,
        tahun=penilaian.tahun,
        objek="evidence.bukti",
        objek_id=1,
        kode=VALUES["kode"],
        aksi=Riwayat.Aksi.UBAH,
        perubahan={"judul": [VALUES["perubahan"], VALUES["judul"]]},
    )
    return penilaian


def _carried(value: str) -> list[str]:
    """The fields whose hostile value `value` contains."""
    return [field for field, hostile_value in VALUES.items() if f"·{field}" in value]


def test_the_riwayat_csv_writes_every_field_as_text(
    hostile_data: Penilaian, login: Callable[[str], Client]
) -> None:
    response = login("admin").get(f"/penilaian/{hostile_data.code}/riwayat/?format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body)))
    seen: set[str] = set()
    for row in rows[1:]:
        for value in row:
            assert not starts_formula(value), (row, value)
            seen.update(_carried(value))
    # oleh (user name), kode and old/new values all came through, quoted.
    assert {"username", "kode", "perubahan", "judul"} <= seen


@pytest.mark.parametrize("by", [SetJawaban.TPI, SetJawaban.MANDIRI])
def test_the_lke_workbook_writes_every_user_value_as_text(hostile_data: Penilaian, by: str) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(lke_workbook(hostile_data, by=by)))
    seen: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not _carried(cell.value):
                    continue
                where = (ws.title, cell.coordinate, cell.value)
                assert cell.data_type == "s", where
                if starts_formula(cell.value):
                    assert cell.quotePrefix, where
                seen.update(_carried(cell.value))
    expected = {
        "unit",
        "catatan_mandiri",
        "catatan_tpi",
        "sasaran",
        "rencana_aksi",
        "rencana_kegiatan",
        "bukti_direncanakan",
        "jadwal",
        "judul",
        "first_name",
    }
    assert expected <= seen, expected - seen
