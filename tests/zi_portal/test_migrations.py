"""The move to the new layout (issue 10) keeps every table's rows and every stored file.

A database filled under the schema of main before the move (demo data plus bench data,
`data/pre_house.json.gz`) is migrated forward in its own process; row counts per model and
the SHA-256 of every stored file must be identical. On SQLite always; on PostgreSQL when
DATABASE_URL names one (in CI it must).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import dj_database_url

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("data") / "pre_house.json.gz"


def _run(tmp_path: Path, database_url: str) -> dict[str, Any]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings.base",
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "ZI_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.zi_portal.migration_check", str(FIXTURE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _check(result: dict[str, Any]) -> None:
    assert result["before"]["units.riwayat"] > 2000
    assert result["before"]["evidence.exportjob"] == 1
    assert result["before"]["evidence.dokumentertandatangan"] == 1
    assert result["after"] == result["before"]
    assert len(result["files_before"]) > 20
    assert result["files_after"] == result["files_before"]


def test_move_keeps_rows_and_files_on_sqlite(tmp_path: Path) -> None:
    result = _run(tmp_path, f"sqlite:///{tmp_path / 'lama.sqlite3'}")
    assert result["vendor"] == "sqlite"
    _check(result)


def test_move_keeps_rows_and_files_on_postgresql(tmp_path: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    require(url.startswith(("postgres", "pgsql")), "PostgreSQL (DATABASE_URL)")
    import psycopg

    config = dj_database_url.parse(url)
    name = f"zi_migcheck_{uuid.uuid4().hex[:8]}"
    admin: dict[str, Any] = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "dbname": "postgres",
        "autocommit": True,
    }
    if config.get("PASSWORD"):
        admin["password"] = config["PASSWORD"]
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        target = url.rsplit("/", 1)[0] + f"/{name}"
        result = _run(tmp_path, target)
        assert result["vendor"] == "postgresql"
        _check(result)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
