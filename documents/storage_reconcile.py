"""Storage against rows: files no row references, rows whose file is gone.

Every write path removes what it wrote when it fails (`zi_portal.lib.storage.store`), but
a process killed between writing a file and committing its row leaves a file nobody
references. The reconciliation (`manage.py storage_reconcile`, hourly under beat) lists
the portal's folders through the storage API only (`listdir`, `exists`,
`get_modified_time`, `delete`), so it works the same on a local disk and on S3.

Every FileField of every model is covered (`apps.get_models()`), each with the top
folder of its names. On an object store (issue 18 part 6) it also aborts the multipart
uploads left unfinished older than the age: their parts are no object, are listed by
no `listdir`, and would keep their space for ever.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from zi_portal.lib.objectstore import abort_stale_uploads, is_s3
from zi_portal.lib.storage import discard

log = logging.getLogger(__name__)

# The folder each file field's names start with (its upload_to); a new FileField needs
# its line here, and `test_every_file_field_has_its_folder` says so.
FOLDERS: dict[str, str] = {
    "evidence.Bukti.berkas": "bukti",
    "evidence.IsianSyarat.berkas": "syarat",
    "scoring.PenetapanMandiri.berkas_sk": "penetapan",
    "documents.DokumenTertandatangan.berkas": "dokumen",
    "documents.ExportJob.berkas": "ekspor",
}


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every concrete FileField of every installed model."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


@dataclass
class Rekonsiliasi:
    files: int = 0
    orphans: list[str] = field(default_factory=list)  # files without a row
    removed: list[str] = field(default_factory=list)  # orphans old enough, deleted
    missing: list[tuple[str, int | str, str]] = field(default_factory=list)  # rows, no file
    aborted: list[str] = field(default_factory=list)  # unfinished multipart uploads (S3)

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files,
            "orphans": len(self.orphans),
            "removed": len(self.removed),
            "missing": len(self.missing),
            "aborted": len(self.aborted),
        }


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}")


def _referenced(model: type[models.Model], field_name: str) -> dict[str, int | str]:
    return {
        name: pk
        for pk, name in model._default_manager.exclude(**{field_name: ""})
        .exclude(**{f"{field_name}__isnull": True})
        .values_list("pk", field_name)
    }


def storage_reconcile(
    *,
    delete_orphans: bool = False,
    older_than_hours: float | None = None,
    now: dt.datetime | None = None,
) -> Rekonsiliasi:
    """Report orphan files and missing files; remove orphans older than the given age
    (`ZI_ORPHAN_MAX_AGE_HOURS` by default) when `delete_orphans`.

    Files are listed before the rows are read, so a file whose row is committed while
    this runs counts as referenced; a young orphan may be an upload still in progress,
    hence the age.
    """
    now = now or timezone.now()
    hours = settings.ZI_ORPHAN_MAX_AGE_HOURS if older_than_hours is None else older_than_hours
    cutoff = now - dt.timedelta(hours=hours)
    result = Rekonsiliasi()
    stores: list[Storage] = []
    for model, file_field in file_fields():
        label = f"{model._meta.label}.{file_field.name}"
        folder = FOLDERS.get(label)
        if folder is None:
            raise LookupError(f"storage_reconcile: no folder for {label} in FOLDERS")
        storage = file_field.storage
        if all(storage is not seen for seen in stores):
            stores.append(storage)
        listed = set(_walk(storage, folder))
        result.files += len(listed)
        referenced = _referenced(model, file_field.name)
        for name in sorted(listed - referenced.keys()):
            result.orphans.append(name)
            if not delete_orphans or storage.get_modified_time(name) >= cutoff:
                continue
            if model._default_manager.filter(**{file_field.name: name}).exists():
                continue  # its row was committed meanwhile
            if discard(storage, name):
                result.removed.append(name)
        for name, pk in sorted(referenced.items()):
            if name not in listed and not storage.exists(name):
                result.missing.append((model._meta.label, pk, name))
    if delete_orphans:
        for storage in stores:
            if is_s3(storage):
                result.aborted += abort_stale_uploads(storage, older_than=cutoff)
    for name in result.removed:
        log.warning("storage reconcile: removed orphan file %s", name)
    for name in result.aborted:
        log.warning("storage reconcile: aborted unfinished multipart upload of %s", name)
    for label, pk, name in result.missing:
        log.error("storage reconcile: %s %s has no file (%s)", label, pk, name)
    return result
