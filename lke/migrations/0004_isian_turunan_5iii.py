"""Existing databases: mark the 90/2021 Reform 5.iii totals as derived.

"Jumlah yang harus melaporkan" (input 1 of A.II.5.iii.a and .b) is printed as the sum of
the rows under it (inputs 2-4); new loads read this from the fixture (`turunan_dari`).
The penilaian's scores do not change: the total was `info` and never entered the ratio.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TOTALS = ("A.II.5.iii.a", "A.II.5.iii.b")


def forward(apps: Any, schema_editor: Any) -> None:
    input_model = apps.get_model("lke", "InputNumerik")
    for q in TOTALS:
        input_model.objects.filter(model__kode="permenpanrb-90-2021", kode=f"{q}.1").update(
            turunan_dari=[f"{q}.2", f"{q}.3", f"{q}.4"]
        )


class Migration(migrations.Migration):
    dependencies = [("lke", "0003_kebijakan_dan_isian_turunan")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
