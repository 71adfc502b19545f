"""Fill a database under the schema before "the house" (issue 10), migrate it forward,
and report whether every row and every stored file survived.

Run by tests/zi_portal/test_migrations.py in its own process, against an empty database
named by DATABASE_URL (SQLite file or PostgreSQL) and an empty MEDIA_ROOT:

    python -m tests.zi_portal.migration_check FIXTURE.json.gz

The fixture is `dumpdata auth.user units lke evidence scoring` of the demo data plus a
small bench data set, taken on main before the move (commit e3e5d7a). The rows are
written through the historical models of that schema, so the fixture keeps working
whatever the current models become. Prints one JSON object.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

# The schema of main before the move: every app at its first migration.
OLD_NODES = [
    ("units", "0001_initial"),
    ("lke", "0001_initial"),
    ("evidence", "0001_initial"),
    ("scoring", "0001_initial"),
]
# Where the moved models live now (old label -> new label); the rest keep their label.
MOVED = {
    "evidence.exportjob": "documents.exportjob",
    "evidence.dokumentertandatangan": "documents.dokumentertandatangan",
}


def _content(name: str) -> bytes:
    """Deterministic bytes for a stored file, so its survival can be checked by hash."""
    return f"berkas {name}\n".encode() * 64


def _load(old_apps: Any, objects: list[dict[str, Any]]) -> Counter[str]:
    from django.db import connection, models, transaction

    counts: Counter[str] = Counter()
    by_model: dict[str, list[Any]] = {}
    for obj in objects:
        model = old_apps.get_model(obj["model"])
        kwargs: dict[str, Any] = {model._meta.pk.attname: obj["pk"]}
        for field in model._meta.concrete_fields:
            if field.name not in obj["fields"]:
                continue
            value = obj["fields"][field.name]
            if isinstance(field, (models.ForeignKey, models.JSONField)):
                kwargs[field.attname] = value
            else:
                kwargs[field.attname] = field.to_python(value)
        by_model.setdefault(obj["model"], []).append(model(**kwargs))
        counts[obj["model"]] += 1
    with transaction.atomic(), connection.constraint_checks_disabled():
        for label, rows in by_model.items():
            old_apps.get_model(label).objects.bulk_create(rows, batch_size=500)
    return counts


def _files(apps: Any, labels: list[str]) -> dict[str, str]:
    """Every stored file named by a FileField of these models, with its SHA-256."""
    from django.core.files.storage import default_storage
    from django.db import models

    found: dict[str, str] = {}
    for label in labels:
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            for name in model.objects.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            ):
                if not default_storage.exists(name):
                    found[name] = "hilang"
                    continue
                with default_storage.open(name, "rb") as fh:
                    found[name] = hashlib.sha256(fh.read()).hexdigest()
    return found


def main(fixture: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.apps import apps as current_apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    objects = json.loads(gzip.decompress(fixture.read_bytes()))
    executor = MigrationExecutor(connection)
    ours = {"units", "lke", "evidence", "scoring", "documents", "zi_portal"}
    # Django's own apps (auth, contenttypes, ...) as they are; ours as they were.
    targets = OLD_NODES + [
        node for node in executor.loader.graph.leaf_nodes() if node[0] not in ours
    ]
    executor.migrate(targets)
    old_apps = executor.loader.project_state(targets).apps
    before = _load(old_apps, objects)
    labels = sorted(before)
    # The stored files the rows name, as the disk held them before the move.
    files_before = {}
    for name in _files(old_apps, labels):
        stored = default_storage.save(name, ContentFile(_content(name)))
        assert stored == name, (stored, name)
        files_before[name] = hashlib.sha256(_content(name)).hexdigest()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    new_labels = [MOVED.get(label, label) for label in labels]
    after = {
        label: current_apps.get_model(MOVED.get(label, label)).objects.count() for label in labels
    }
    return {
        "before": dict(before),
        "after": after,
        "files_before": files_before,
        "files_after": _files(current_apps, new_labels),
        "vendor": connection.vendor,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings.base")
    print(json.dumps(main(Path(sys.argv[1]))))
