"""LKE model versions: a version that a penilaian uses never changes (domain.md).

Every row of a model's tree is guarded by `pre_save`/`pre_delete` signals (connected in
`lke.apps`), so the rule holds at every door: admin, loader, shell, command. A change to
a used version goes into a new version, made by `model_version_copy` (the admin action
*Salin sebagai versi baru*, and `load_lke_models` when a fixture differs).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils.translation import gettext as _

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
    Penilaian,
    Pertanyaan,
)
from units.audit import riwayat_record
from units.models import Riwayat

# Rows whose `model` field ties them to a model version.
NODE_MODELS: tuple[type[models.Model], ...] = (
    Komponen,
    Bagian,
    Area,
    Indikator,
    Pertanyaan,
    InputNumerik,
    HasilItem,
    AturanPredikat,
)
# Every row of a model's tree, the guard's senders.
TREE_ROWS: tuple[type[models.Model], ...] = (*NODE_MODELS, Opsi, OpsiHasil, DataDukung)
# ModelPenilaian fields that identify the version. Its name, legal basis, note and
# `bawaan` may move: they change no score (90/2021 is cited "as amended by 5/2024"
# without a new version, issue 12).
MODEL_FIELDS_FIXED = ("kode", "versi")

_VERSION_SUFFIX = re.compile(r"-v(\d+)$")


class ModelVersionInUse(Exception):
    """A used model version was about to change; the message says why, in Indonesian."""

    def __init__(self, model: ModelPenilaian | None) -> None:
        self.model = model
        kode = model.kode if model is not None else "?"
        super().__init__(
            _(
                "Model penilaian %(kode)s sudah dipakai oleh penilaian, sehingga tidak dapat "
                "diubah. Buat versi baru (Salin sebagai versi baru) dan ubah versi baru itu."
            )
            % {"kode": kode}
        )


def model_in_use(model: ModelPenilaian | int | None) -> bool:
    """True when any penilaian uses this model version."""
    if model is None:
        return False
    pk = model if isinstance(model, int) else model.pk
    return pk is not None and Penilaian.objects.filter(model_id=pk).exists()


def tree_model_id(row: models.Model) -> int | None:
    """The model version a tree row belongs to (None: a unit's own data dukung)."""
    if isinstance(row, Opsi):
        return Pertanyaan.objects.filter(pk=row.pertanyaan_id).values_list("model_id", flat=True)[0]
    if isinstance(row, OpsiHasil):
        return HasilItem.objects.filter(pk=row.hasil_item_id).values_list("model_id", flat=True)[0]
    if isinstance(row, DataDukung):
        if row.unit_id is not None:
            return None
        if row.pertanyaan_id is not None:
            parent: type[models.Model] = Pertanyaan
            parent_id = row.pertanyaan_id
        elif row.hasil_item_id is not None:
            parent, parent_id = HasilItem, row.hasil_item_id
        else:
            return None
        return parent._default_manager.filter(pk=parent_id).values_list("model_id", flat=True)[0]  # type: ignore[no-any-return]
    return row.model_id  # type: ignore[attr-defined, no-any-return]


def tree_row_check(row: models.Model, *, deleting: bool = False) -> None:
    """Refuse a write to (or deletion of) a row of a used model version."""
    ids = {tree_model_id(row)}
    if not deleting and row.pk is not None:
        stored = type(row)._default_manager.filter(pk=row.pk).first()
        if stored is not None:
            ids.add(tree_model_id(stored))
    for pk in ids - {None}:
        assert pk is not None
        if model_in_use(pk):
            raise ModelVersionInUse(ModelPenilaian.objects.filter(pk=pk).first())


def model_row_check(model: ModelPenilaian) -> None:
    """Refuse a change of the fields that describe a used version (not `bawaan`)."""
    if model.pk is None:
        return
    stored = ModelPenilaian.objects.filter(pk=model.pk).values(*MODEL_FIELDS_FIXED).first()
    if stored is None:
        return
    changed = any(stored[name] != getattr(model, name) for name in MODEL_FIELDS_FIXED)
    if changed and model_in_use(model):
        raise ModelVersionInUse(model)


def guard_pre_save(
    sender: type[models.Model], instance: Any, raw: bool = False, **_kw: Any
) -> None:
    if raw:  # loaddata of a fixture dump writes rows as they are
        return
    if isinstance(instance, ModelPenilaian):
        model_row_check(instance)
    else:
        tree_row_check(instance)


def guard_pre_delete(sender: type[models.Model], instance: Any, **_kw: Any) -> None:
    if isinstance(instance, ModelPenilaian):
        if model_in_use(instance):
            raise ModelVersionInUse(instance)
        return
    try:
        tree_row_check(instance, deleting=True)
    except (IndexError, Pertanyaan.DoesNotExist, HasilItem.DoesNotExist):
        # The parent is already gone: a cascade from an unused version being deleted.
        return


def penilaian_model_check(
    sender: type[models.Model], instance: Any, raw: bool = False, **_kw: Any
) -> None:
    """A penilaian keeps the model version it was created with."""
    if raw or instance.pk is None:
        return
    stored = Penilaian.objects.filter(pk=instance.pk).values_list("model_id", flat=True).first()
    if stored is not None and stored != instance.model_id:
        raise ModelVersionInUse(instance.model)


def version_base(kode: str) -> str:
    """`permenpanrb-90-2021-v3` → `permenpanrb-90-2021`."""
    return _VERSION_SUFFIX.sub("", kode)


def version_family(kode: str) -> list[ModelPenilaian]:
    """Every stored version of the model `kode` names, oldest first."""
    base = version_base(kode)
    rows = [
        m
        for m in ModelPenilaian.objects.filter(kode__startswith=base)
        if m.kode == base or version_base(m.kode) == base
    ]
    return sorted(rows, key=version_number)


def version_number(model: ModelPenilaian) -> int:
    match = _VERSION_SUFFIX.search(model.kode)
    return int(match.group(1)) if match and version_base(model.kode) != model.kode else 1


def next_version_kode(kode: str) -> tuple[str, int]:
    """The next free kode of the family, e.g. (`permenpanrb-90-2021-v2`, 2)."""
    base = version_base(kode)
    number = max([version_number(m) for m in version_family(base)] or [1]) + 1
    while ModelPenilaian.objects.filter(kode=f"{base}-v{number}").exists():
        number += 1
    return f"{base}-v{number}", number


def _fields(row: models.Model, skip: tuple[str, ...]) -> dict[str, Any]:
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name not in skip
    }


@transaction.atomic
def model_version_copy(
    model: ModelPenilaian,
    *,
    user: AbstractBaseUser | AnonymousUser | None = None,
    bawaan: bool = False,
    versi: str | None = None,
) -> ModelPenilaian:
    """Copy the whole tree of `model` into a new version; return the new version.

    The copy gets the next free kode of the family (`<kode>-v2`, `-v3`, ...) and becomes
    the default model only when `bawaan` is asked. Penilaian keep their version.
    """
    kode, number = next_version_kode(model.kode)
    copy = ModelPenilaian.objects.create(
        kode=kode,
        versi=versi or f"{model.versi} (v{number})",
        nama=model.nama,
        dasar_hukum=model.dasar_hukum,
        catatan=model.catatan,
        bawaan=False,
    )
    tree_copy(model, copy)
    if bawaan:
        ModelPenilaian.objects.exclude(pk=copy.pk).update(bawaan=False)
        copy.bawaan = True
        copy.save(update_fields=["bawaan"])
    riwayat_record(
        user=user,
        unit=None,
        tahun=None,
        objek=ModelPenilaian._meta.label_lower,
        objek_id=copy.pk,
        kode=copy.kode,
        aksi=Riwayat.Aksi.BUAT,
        perubahan={
            "salinan dari": ["", model.kode],
            "versi": ["", copy.versi],
            "model bawaan": ["", "ya" if copy.bawaan else "tidak"],
        },
    )
    return copy


def tree_copy(source: ModelPenilaian, target: ModelPenilaian) -> None:
    """Copy every tree row of `source` (and its data dukung without a unit) into `target`.

    The target is a new, unused version, so rows are inserted in bulk (no signals);
    the target's `updated_at` is fresh, so no cached spec is stale.
    """
    ids: dict[type[models.Model], dict[int, int]] = {}

    def copy_rows(
        cls: type[models.Model], queryset: Any, parents: dict[str, type[models.Model]]
    ) -> None:
        rows = list(queryset)
        new = []
        for row in rows:
            values = _fields(row, ("model",))
            for attname, parent in parents.items():
                if values.get(attname) is not None:
                    values[attname] = ids[parent][values[attname]]
            if any(f.name == "model" for f in cls._meta.concrete_fields):
                values["model_id"] = target.pk
            new.append(cls(**values))
        created = cls._default_manager.bulk_create(new)
        ids[cls] = {old.pk: fresh.pk for old, fresh in zip(rows, created, strict=True)}

    def of(cls: type[models.Model]) -> Any:
        return cls._default_manager.filter(model=source).order_by("pk")

    copy_rows(Komponen, of(Komponen), {})
    copy_rows(Bagian, of(Bagian), {"komponen_id": Komponen})
    copy_rows(Area, of(Area), {"komponen_id": Komponen, "bagian_id": Bagian})
    copy_rows(Indikator, of(Indikator), {"area_id": Area})
    copy_rows(Pertanyaan, of(Pertanyaan), {"indikator_id": Indikator})
    copy_rows(InputNumerik, of(InputNumerik), {"pertanyaan_id": Pertanyaan})
    copy_rows(HasilItem, of(HasilItem), {"bagian_id": Bagian})
    copy_rows(AturanPredikat, of(AturanPredikat), {})
    copy_rows(
        Opsi,
        Opsi.objects.filter(pertanyaan__model=source).order_by("pk"),
        {"pertanyaan_id": Pertanyaan},
    )
    copy_rows(
        OpsiHasil,
        OpsiHasil.objects.filter(hasil_item__model=source).order_by("pk"),
        {"hasil_item_id": HasilItem},
    )
    copy_rows(
        DataDukung,
        DataDukung.objects.filter(unit__isnull=True)
        .filter(models.Q(pertanyaan__model=source) | models.Q(hasil_item__model=source))
        .order_by("pk"),
        {"pertanyaan_id": Pertanyaan, "hasil_item_id": HasilItem},
    )
