"""Moving the stored files from the local disk to the object store (issue 18 part 3).

`manage.py storage_migrate --to s3` copies every file that a FileField of any model
references (found through `apps.get_models()`, so a new model with a file is included
without touching this module) from MEDIA_ROOT to the bucket of AWS_STORAGE_BUCKET_NAME,
under the same name, and checks each copy's SHA-256: against the row's own hash where
the model keeps one (`sha256`, or `<field>_sha256`), otherwise against the file on disk.

- Re-running is safe: an object already in the bucket with the expected hash is skipped
  (nothing is uploaded again); one with another content is copied over.
- Nothing is deleted from the disk unless `--delete-source` is given, and then only after
  every file of the run is verified in the bucket.
- "Switching" is the operator's: the files' names do not change, so the same rows serve
  from the bucket as soon as the web and worker processes run with AWS_STORAGE_BUCKET_NAME
  (and the other AWS_* variables) set. When every file is verified the command writes the
  marker object `MARKER` into the bucket (counts, bytes, time) and prints the variables
  to set; when any file is missing or differs it writes no marker, prints each problem and
  exits non-zero, and the processes must stay on the disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

MARKER = ".zi-portal/storage-migrate.json"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Berkas:
    """One stored file as the rows see it."""

    label: str  # app_label.Model.field
    pk: Any
    name: str
    sha256: str  # the row's hash, "" when the model keeps none


@dataclass
class Hasil:
    files: int = 0
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the bucket, equal hash
    verified: dict[str, str] = field(default_factory=dict)  # name -> SHA-256 in the bucket
    problems: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    deleted: list[str] = field(default_factory=list)
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and len(self.verified) == self.files


def _hash_field(model: type[models.Model], file_field: models.FileField) -> str:
    names = {f.name for f in model._meta.concrete_fields}
    if f"{file_field.name}_sha256" in names:
        return f"{file_field.name}_sha256"
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if "sha256" in names and len(file_fields) == 1:
        return "sha256"
    return ""


def stored_files() -> Iterator[Berkas]:
    """Every (row, file field) with a file name, over all models, each name once."""
    seen: set[str] = set()
    for model in apps.get_models():
        for file_field in model._meta.concrete_fields:
            if not isinstance(file_field, models.FileField):
                continue
            hash_name = _hash_field(model, file_field)
            columns = ["pk", file_field.name] + ([hash_name] if hash_name else [])
            rows = (
                model._default_manager.exclude(**{file_field.name: ""})
                .exclude(**{f"{file_field.name}__isnull": True})
                .order_by("pk")
                .values_list(*columns)
            )
            label = f"{model._meta.label}.{file_field.name}"
            for row in rows.iterator():
                name = str(row[1])
                if name in seen:
                    continue
                seen.add(name)
                yield Berkas(label, row[0], name, str(row[2]) if hash_name else "")


def sha256_of(storage: Storage, name: str) -> tuple[str, int]:
    """SHA-256 and size of a stored file, read as a stream."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _target_hash(target: Storage, name: str) -> str:
    try:
        return sha256_of(target, name)[0]
    except FileNotFoundError:
        return ""


def migrate(
    source: Storage,
    target: Any,
    *,
    delete_source: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> Hasil:
    """Copy and verify every stored file from `source` (disk) to `target` (the bucket)."""
    result = Hasil()
    for berkas in stored_files():
        result.files += 1
        name = berkas.name
        try:
            _move_one(source, target, berkas, result, progress)
        except OSError as exc:
            result.problems.append((name, f"gagal disalin: {exc}"))
            progress(f"GAGAL\t{name}\t{exc}")
    if result.ok:
        _write_marker(target, result)
        if delete_source:
            for name in sorted(result.verified):
                if source.exists(name):
                    source.delete(name)
                    result.deleted.append(name)
    return result


def _move_one(
    source: Storage,
    target: Any,
    berkas: Berkas,
    result: Hasil,
    progress: Callable[[str], None],
) -> None:
    name = berkas.name
    on_target = _target_hash(target, name)
    if not source.exists(name):
        # Moved by an earlier run whose --delete-source removed it from the disk.
        if on_target and (not berkas.sha256 or on_target == berkas.sha256):
            result.skipped.append(name)
            result.verified[name] = on_target
            progress(f"sudah ada\t{name}")
            return
        result.problems.append((name, f"tidak ada di disk ({berkas.label} {berkas.pk})"))
        progress(f"HILANG\t{name}")
        return
    expected, size = sha256_of(source, name)
    if berkas.sha256 and expected != berkas.sha256:
        result.problems.append(
            (name, f"berkas di disk tidak cocok dengan SHA-256 baris {berkas.label} {berkas.pk}")
        )
        progress(f"BEDA\t{name}")
        return
    if on_target == expected:
        result.skipped.append(name)
        result.verified[name] = on_target
        progress(f"sudah ada\t{name}")
        return
    with source.open(name, "rb") as handle:
        # Under the very same name (the rows keep theirs): `_save` writes the key as
        # given, where `save` would pick a free variant.
        target._save(name, File(handle, name=name))
    copied = _target_hash(target, name)
    if copied != expected:
        result.problems.append((name, "salinan di bucket tidak cocok dengan SHA-256"))
        progress(f"BEDA\t{name}")
        return
    result.copied.append(name)
    result.verified[name] = copied
    result.bytes += size
    progress(f"disalin\t{name}\t{size}")


def _write_marker(target: Any, result: Hasil) -> None:
    body = {
        "waktu": timezone.now().astimezone(dt.UTC).isoformat(),
        "berkas": result.files,
        "disalin": len(result.copied),
        "sudah_ada": len(result.skipped),
        "bita_disalin": result.bytes,
        "sha256": result.verified,
    }
    target._save(MARKER, ContentFile(json.dumps(body, indent=1, sort_keys=True).encode()))
