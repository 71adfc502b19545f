"""Move the single "predikat saat ini" of each unit into a PredikatUnit history row.

The old field held no year and no source, and every penilaian of the unit was scored with
it. A unit with a value gets one row from the year of its earliest penilaian (or the year
its record was created, if earlier or without penilaian), so no existing score changes;
source "evaluasi mandiri instansi" and a catatan saying so, for an admin to correct year,
source and SK. The demo data sets no predikat (every fixtures/demo unit has none), so
this creates no demo rows.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

NOTE = (
    "Dipindahkan dari kolom lama 'predikat saat ini' yang tidak mencatat tahun, sumber, "
    "maupun SK; tahun diisi dengan tahun penilaian pertama unit (atau tahun unit dicatat di "
    "portal). Mohon periksa dan lengkapi."
)


def forward(apps: Any, schema_editor: Any) -> None:
    unit_model = apps.get_model("units", "UnitKerja")
    predikat_model = apps.get_model("units", "PredikatUnit")
    penilaian_model = apps.get_model("lke", "Penilaian")
    for unit in unit_model.objects.exclude(predikat=""):
        years = list(penilaian_model.objects.filter(unit=unit).values_list("tahun", flat=True))
        predikat_model.objects.get_or_create(
            unit=unit,
            predikat=unit.predikat,
            tahun=min([unit.created_at.year, *years]),
            sumber="mandiri",
            defaults={"catatan": NOTE},
        )


def backward(apps: Any, schema_editor: Any) -> None:
    unit_model = apps.get_model("units", "UnitKerja")
    predikat_model = apps.get_model("units", "PredikatUnit")
    rank = {"WBK": 1, "WBBM": 2}
    for unit in unit_model.objects.all():
        rows = predikat_model.objects.filter(unit=unit, dicabut_pada__isnull=True)
        best = max((r.predikat for r in rows), key=lambda p: rank[p], default="")
        unit_model.objects.filter(pk=unit.pk).update(predikat=best)


class Migration(migrations.Migration):
    # lke: the penilaian years (read only; lke.0001 depends on units.0001 only).
    dependencies = [("units", "0002_predikatunit"), ("lke", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
