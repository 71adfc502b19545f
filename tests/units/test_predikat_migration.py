"""The old single "predikat saat ini" becomes a history row that keeps every existing
score: held from the unit's earliest penilaian year (migration units 0003)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("units", "0002_predikatunit"), ("lke", "0004_isian_turunan_5iii")]


@pytest.mark.django_db(transaction=True)
def test_the_old_field_moves_into_a_history_row() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    instansi = old.get_model("units", "Instansi").objects.create(kode="uji-mig", nama="Uji")
    unit_model = old.get_model("units", "UnitKerja")
    with_wbk = unit_model.objects.create(instansi=instansi, slug="uji-a", nama="A", predikat="WBK")
    unit_model.objects.create(instansi=instansi, slug="uji-b", nama="B", predikat="")
    # A transactional test starts from an empty database: the model is made here.
    model = old.get_model("lke", "ModelPenilaian").objects.create(
        kode="uji-mig-model", versi="1", nama="Model uji", dasar_hukum="-"
    )
    for tahun in (2019, 2023):
        old.get_model("lke", "Penilaian").objects.create(unit=with_wbk, tahun=tahun, model=model)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from units.models import PredikatUnit

    rows = list(PredikatUnit.objects.filter(unit__instansi__kode="uji-mig"))
    assert [(r.unit.slug, r.predikat, r.tahun, r.sumber) for r in rows] == [
        ("uji-a", "WBK", 2019, "mandiri")
    ]
    assert "Mohon periksa" in rows[0].catatan
