"""Storage against rows: files no row references, rows whose file is gone.

Every write path removes what it wrote when it fails (`zi_portal.lib.storage.store`), but
a process killed between writing a file and committing its row leaves a file nobody
references. The reconciliation (`manage.py storage_reconcile`, hourly under beat) lists
the portal's folders through the storage API only (`listdir`, `exists`,
`get_modified_time`, `delete`), so it works the same on a local disk and on S3.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from documents.models import DokumenTertandatangan, ExportJob
from evidence.models import Bukti
from zi_portal.lib.storage import discard

log = logging.getLogger(__name__)

# Every file field of the portal and the folder its files live in.
FOLDERS: tuple[tuple[str, type[models.Model]], ...] = (
    ("bukti", Bukti),
    ("dokumen", DokumenTertandatangan),
    ("ekspor", ExportJob),
)


@dataclass
class Rekonsiliasi:
    files: int = 0
    orphans: list[str] = field(default_factory=list)  # files without a row
    removed: list[str] = field(default_factory=list)  # orphans old enough, deleted
    missing: list[tuple[str, int | str, str]] = field(default_factory=list)  # rows, no file

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files,
            "orphans": len(self.orphans),
            "removed": len(self.removed),
            "missing": len(self.missing),
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


def _referenced(model: type[models.Model]) -> dict[str, int | str]:
    return {
        name: pk
        for pk, name in model._default_manager.exclude(berkas="").values_list("pk", "berkas")
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
    for folder, model in FOLDERS:
        storage = model._meta.get_field("berkas").storage  # type: ignore[union-attr]
        listed = set(_walk(storage, folder))
        result.files += len(listed)
        referenced = _referenced(model)
        for name in sorted(listed - referenced.keys()):
            result.orphans.append(name)
            if not delete_orphans or storage.get_modified_time(name) >= cutoff:
                continue
            if model._default_manager.filter(berkas=name).exists():
                continue  # its row was committed meanwhile
            if discard(storage, name):
                result.removed.append(name)
        for name, pk in sorted(referenced.items()):
            if name not in listed and not storage.exists(name):
                result.missing.append((model._meta.label, pk, name))
    for name in result.removed:
        log.warning("storage reconcile: removed orphan file %s", name)
    for label, pk, name in result.missing:
        log.error("storage reconcile: %s %s has no file (%s)", label, pk, name)
    return result
