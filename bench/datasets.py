"""The two benchmark databases (1× and 20× data) and the environment of every bench process.

A database is described by a URL: ``sqlite`` (files ``var/bench/bench-1x.sqlite3`` and
``var/bench/bench-20x.sqlite3``) or a PostgreSQL URL such as
``postgres://postgres@127.0.0.1:5432/zi_bench`` (databases ``zi_bench_1x`` and
``zi_bench_20x``). A database is built once (migrate, ``load_demo``, ``bench_data``,
ANALYZE) and reused while its stamp matches;
``migrate`` runs every time, so new indexes are applied to the existing data. The stamp
holds the data spec and ``bench.data.GENERATOR_VERSION``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
MEDIA = VAR / "media"
PY = sys.executable
SIGNING_PASSPHRASE = "bench-zi-portal-signing"  # noqa: S105 - throw-away bench certificate


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass(frozen=True)
class DataSpec:
    units: int
    years: int
    seed: int
    # Units per instansi (bench.data.BenchSpec): the instansi page of `bench-01` grows
    # with it (25 -> 1,000 units with --units-per-instansi 1000 --scale 40).
    units_per_instansi: int = 200

    def stamp(self) -> dict[str, int]:
        """The spec as stamped; the default grouping is left out, so stamps written
        before the field existed still match."""
        data = asdict(self)
        if self.units_per_instansi == 200:
            del data["units_per_instansi"]
        return data


@dataclass(frozen=True)
class Target:
    size: str  # "1x" / "20x"
    url: str  # DATABASE_URL for Django
    name: str  # the NAME Django connects to (file path or database name)
    spec: DataSpec

    @property
    def vendor(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    @property
    def stamp_path(self) -> Path:
        return VAR / f"{Path(self.name).name}.stamp.json"


def targets(database: str, base: DataSpec, scale: int) -> list[Target]:
    specs = {
        "1x": base,
        f"{scale}x": DataSpec(base.units * scale, base.years, base.seed, base.units_per_instansi),
    }
    result = []
    for size, spec in specs.items():
        if database == "sqlite":
            path = VAR / f"bench-{size}.sqlite3"
            result.append(Target(size, f"sqlite:///{path}", str(path), spec))
        else:
            parsed = urlparse(database)
            name = f"{parsed.path.lstrip('/') or 'zi_bench'}_{size}"
            if name in ("test", "test_test"):
                raise SystemExit("The bench never uses the test databases.")
            url = urlunparse(parsed._replace(path=f"/{name}"))
            result.append(Target(size, url, name, spec))
    return result


def generator_version() -> int:
    """bench.data.GENERATOR_VERSION, read without setting Django up."""
    for line in (ROOT / "bench" / "data.py").read_text().splitlines():
        if line.startswith("GENERATOR_VERSION = "):
            return int(line.split("=", 1)[1])
    raise RuntimeError("GENERATOR_VERSION missing from bench/data.py")


def environment(target: Target, redis_url: str = "") -> dict[str, str]:
    """The environment of a bench process (the harness itself, commands, the worker)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": target.url,
        "MEDIA_ROOT": str(MEDIA),
        "ZI_VAR_DIR": str(VAR),
        "ZI_SIGNING_P12": str(VAR / "signing" / "bench-signer.p12"),
        "ZI_SIGNING_P12_PASSPHRASE": SIGNING_PASSPHRASE,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _manage(target: Target, *args: str, **extra_env: str) -> None:
    log(f"{target.size}: manage.py {' '.join(args)}")
    subprocess.run(  # noqa: S603 - fixed command line
        [PY, "manage.py", *args], cwd=ROOT, env={**environment(target), **extra_env}, check=True
    )


def _recreate(target: Target) -> None:
    if target.vendor == "sqlite":
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(target.name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    parsed = urlparse(target.url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target.name}"')


def _exists(target: Target) -> bool:
    if target.vendor == "sqlite":
        return Path(target.name).exists()
    import psycopg

    parsed = urlparse(target.url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.name,)
        ).fetchone()
    return row is not None


def prepare(target: Target, *, rebuild: bool = False) -> dict[str, Any]:
    """Build the database of `target` unless an identical one exists; return its stamp."""
    VAR.mkdir(parents=True, exist_ok=True)
    wanted = {"spec": target.spec.stamp(), "generator": generator_version()}
    stamp: dict[str, Any] = {}
    if target.stamp_path.exists():
        stamp = json.loads(target.stamp_path.read_text())
    fresh = rebuild or not _exists(target) or {k: stamp.get(k) for k in wanted} != wanted
    if fresh:
        log(f"{target.size}: building {target.spec} in {target.name}")
        target.stamp_path.unlink(missing_ok=True)
        _recreate(target)
    _manage(target, "migrate", "--noinput", "-v", "0")
    if fresh:
        started = time.perf_counter()
        # The bench's own database: demo accounts keep the demo password (load_demo
        # refuses DEBUG=false without --demo-in-production, which would force a change).
        _manage(target, "load_demo", DEBUG="true")
        spec = target.spec
        _manage(
            target,
            "bench_data",
            f"--units={spec.units}",
            f"--years={spec.years}",
            f"--seed={spec.seed}",
            f"--units-per-instansi={spec.units_per_instansi}",
            "-v",
            "0",
        )
        stamp = {**wanted, "build_seconds": round(time.perf_counter() - started, 1)}
        target.stamp_path.write_text(json.dumps(stamp, indent=2))
    # A steady state like a database in service: planner statistics (and, on PostgreSQL,
    # the visibility map autovacuum keeps), not the state right after a bulk load.
    sql = "ANALYZE" if target.vendor == "sqlite" else "VACUUM ANALYZE"
    code = "import django; django.setup(); from django.db import connection; " + (
        f"connection.cursor().execute('{sql}')"
    )
    subprocess.run([PY, "-c", code], cwd=ROOT, env=environment(target), check=True)  # noqa: S603
    return stamp
