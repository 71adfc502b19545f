"""A model version that a penilaian uses never changes; changes make a new version."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import transaction

from lke.loader import expand_includes, lke_dir, lke_model_load_outcome, read_yaml
from lke.models import (
    Area,
    AturanPredikat,
    Bagian,
    DataDukung,
    HasilItem,
    Indikator,
    InputNumerik,
    Komponen,
    ModelPenilaian,
    Opsi,
    OpsiHasil,
    Pertanyaan,
)
from lke.versions import ModelVersionInUse, model_in_use, model_version_copy
from scoring.services import penilaian_score
from units.models import Riwayat

pytestmark = pytest.mark.django_db

TREE = (
    Komponen,
    Bagian,
    Area,
    Indikator,
    Pertanyaan,
    InputNumerik,
    HasilItem,
    AturanPredikat,
)


def _counts(model: ModelPenilaian) -> dict[str, int]:
    counts = {cls.__name__: cls._default_manager.filter(model=model).count() for cls in TREE}
    counts["Opsi"] = Opsi.objects.filter(pertanyaan__model=model).count()
    counts["OpsiHasil"] = OpsiHasil.objects.filter(hasil_item__model=model).count()
    counts["DataDukung"] = DataDukung.objects.filter(
        unit__isnull=True, pertanyaan__model=model
    ).count()
    return counts


def _swap_two_indikator(data: dict[str, Any]) -> tuple[str, str]:
    """Swap the weights of two indikator of one area (sums stay right); their codes."""
    for komponen in data["komponen"]:
        for bagian in komponen.get("bagian", []):
            for area in bagian.get("area", []):
                items = area["indikator"]
                for first in items:
                    for second in items:
                        if Decimal(str(first["bobot"])) != Decimal(str(second["bobot"])):
                            first["bobot"], second["bobot"] = second["bobot"], first["bobot"]
                            prefix = f"{komponen['kode']}.{bagian['kode']}.{area['nomor']}"
                            return f"{prefix}.{first['kode']}", f"{prefix}.{second['kode']}"
    raise AssertionError("no two indikator with different weights")


def test_a_used_version_refuses_every_change(biro_hp: Any) -> None:
    model = biro_hp.model
    assert model_in_use(model)
    indikator = Indikator.objects.filter(model=model).first()
    assert indikator is not None
    indikator.bobot += Decimal("0.1")
    with pytest.raises(ModelVersionInUse, match="sudah dipakai oleh penilaian"):
        indikator.save()
    opsi = Opsi.objects.filter(pertanyaan__model=model).first()
    assert opsi is not None
    opsi.penjelasan = "diubah"
    with pytest.raises(ModelVersionInUse):
        opsi.save()
    pertanyaan = Pertanyaan.objects.filter(model=model).first()
    assert pertanyaan is not None
    with pytest.raises(ModelVersionInUse):
        Opsi.objects.create(pertanyaan=pertanyaan, huruf="X", urutan=9)
    aturan = AturanPredikat.objects.filter(model=model).first()
    assert aturan is not None
    with pytest.raises(ModelVersionInUse), transaction.atomic():
        aturan.delete()
    model.versi = "Diubah"
    with pytest.raises(ModelVersionInUse):
        model.save()
    assert Indikator.objects.get(pk=indikator.pk).bobot == indikator.bobot - Decimal("0.1")


def test_a_penilaian_keeps_its_version(biro_hp: Any) -> None:
    biro_hp.model = ModelPenilaian.objects.get(kode="permenpanrb-52-2014")
    with pytest.raises(ModelVersionInUse):
        biro_hp.save()


def test_the_default_flag_and_a_units_own_data_dukung_may_move(biro_hp: Any) -> None:
    model = biro_hp.model
    model.bawaan = not model.bawaan
    model.save()
    own = DataDukung.objects.filter(unit__isnull=False).first()
    if own is not None:
        own.nama = "Pedoman unit diperbarui"
        own.save()


def test_the_copy_holds_the_whole_tree_and_may_change(biro_hp: Any, admin_user: Any) -> None:
    model = biro_hp.model
    before = penilaian_score(biro_hp)
    copy = model_version_copy(model, user=admin_user)
    assert copy.kode == f"{model.kode}-v2"
    assert copy.versi == f"{model.versi} (v2)"
    assert not copy.bawaan and ModelPenilaian.objects.get(pk=model.pk).bawaan == model.bawaan
    assert _counts(copy) == _counts(model)
    assert Riwayat.objects.filter(objek="lke.modelpenilaian", kode=copy.kode).exists()

    indikator = Indikator.objects.filter(model=copy).order_by("urutan").first()
    assert indikator is not None
    indikator.nama = "Diubah pada versi baru"
    indikator.save()
    assert penilaian_score(biro_hp) == before
    assert model_version_copy(model).kode == f"{model.kode}-v3"


def test_the_loader_versions_a_changed_fixture_of_a_used_model(
    biro_hp: Any, tmp_path: Path
) -> None:
    source = lke_dir() / "permenpanrb-90-2021.yaml"
    data = expand_includes(read_yaml(source), source.parent)
    first, second = _swap_two_indikator(data)
    path = tmp_path / "permenpanrb-90-2021.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    old = biro_hp.model
    old_bobot = Indikator.objects.get(model=old, kode=first).bobot
    before = penilaian_score(biro_hp)

    outcome = lke_model_load_outcome(path=path)

    assert outcome.aksi == "versi_baru"
    new = outcome.model
    assert new.kode == "permenpanrb-90-2021-v2"
    assert new.bawaan and not ModelPenilaian.objects.get(pk=old.pk).bawaan
    assert (
        Indikator.objects.get(model=new, kode=first).bobot
        == Indikator.objects.get(model=old, kode=second).bobot
    )
    assert Indikator.objects.get(model=old, kode=first).bobot == old_bobot
    biro_hp.refresh_from_db()
    assert biro_hp.model == old
    assert penilaian_score(biro_hp) == before

    again = lke_model_load_outcome(path=path)
    assert (again.aksi, again.model) == ("tetap", new)
    assert ModelPenilaian.objects.filter(kode__startswith="permenpanrb-90-2021").count() == 2
    assert lke_model_load_outcome(path=source).aksi == "tetap"  # the old file: still v1


def test_the_loader_updates_an_unused_model_in_place(tmp_path: Path) -> None:
    source = lke_dir() / "permenpanrb-52-2014.yaml"
    data = expand_includes(read_yaml(source), source.parent)
    indikator = data["komponen"][0]["area"][0]["indikator"][0]
    indikator["nama"] = indikator["nama"] + " (perbaikan)"
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    outcome = lke_model_load_outcome(path=path)
    assert (outcome.aksi, outcome.model.kode) == ("diperbarui", "permenpanrb-52-2014")
    assert ModelPenilaian.objects.filter(kode__startswith="permenpanrb-52-2014").count() == 1


def test_a_new_legal_basis_describes_a_used_version_anew(biro_hp: Any, tmp_path: Path) -> None:
    """5/2024 amends 90/2021 without touching its LKE: no new version (issue 12)."""
    source = lke_dir() / "permenpanrb-90-2021.yaml"
    data = expand_includes(read_yaml(source), source.parent)
    data["dasar_hukum"] = "Dasar hukum yang dikoreksi"
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = penilaian_score(biro_hp, "mandiri").total.nilai
    outcome = lke_model_load_outcome(path=path)
    assert (outcome.aksi, outcome.model.kode) == ("keterangan", "permenpanrb-90-2021")
    assert outcome.model.dasar_hukum == "Dasar hukum yang dikoreksi"
    assert ModelPenilaian.objects.filter(kode__startswith="permenpanrb-90-2021").count() == 1
    biro_hp.refresh_from_db()
    assert penilaian_score(biro_hp, "mandiri").total.nilai == before


def test_the_command_says_what_it_did() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_lke_models", stdout=out)
    lines = out.getvalue().splitlines()
    models, tables = lines[:3], lines[3:]
    assert [line.split(":")[0] for line in models] == [
        "permenpanrb-90-2021",
        "permenpanrb-10-2019",
        "permenpanrb-52-2014",
    ]
    assert all("tidak berubah" in line for line in models)
    assert tables == [  # Tabel 5 (syarat pengusulan), issue 12 part 3
        "permenpanrb-90-2021-tabel-5: 10 syarat, berlaku 2022-2023",
        "permenpanrb-5-2024-tabel-5: 10 syarat, berlaku 2024-",
    ]
