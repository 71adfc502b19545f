"""The performance benchmark of ZI Portal: ``make bench`` (``python -m bench.run``).

Builds (or reuses) two databases with the benchmark data at 1× and 20× (bench.datasets),
then measures in one run on this machine:

* page server time of the worksheet, dashboard and TPI queue (and the score and home
  pages) at 1× and 20×, interleaved, with their query counts;
* the LKE export task of one unit against plain openpyxl writing the same cells;
* the rencana kerja PDF task (Biro HP 2022) against plain WeasyPrint on the same HTML;
* the scoring engine: penilaian scored per second;
* peak memory of a 5 MB and a 20 MB evidence upload, and of exporting 500 units;
* the LKE of every unit of an instansi with 200 units, end to end through a real worker;
* stored files on the local disk against an S3 gateway (bench/storage.py, its own
  results bench/results/storage.{json,md}; skipped without a gateway).

Writes ``bench/results/latest.json`` and ``bench/results/latest.md`` (and copies named
after the database vendor). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.datasets import PY, ROOT, DataSpec, Target, environment, log, prepare, targets

RESULTS = ROOT / "bench" / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL") or "sqlite",
        help="'sqlite' or a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/zi_bench",
    )
    p.add_argument("--units", type=int, default=25, help="units at 1x (default 25)")
    p.add_argument("--years", type=int, default=4, help="years per unit (default 4)")
    p.add_argument("--scale", type=int, default=20, help="the large data set is N times 1x")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument(
        "--units-per-instansi",
        type=int,
        default=200,
        help="units per instansi (1000 with --scale 40: the instansi page from 25 to 1,000)",
    )
    p.add_argument("--rounds", type=int, default=10, help="page rounds per side")
    p.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
    )
    p.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    p.add_argument("--exports", type=int, default=500, help="exports in the memory probe")
    p.add_argument(
        "--only",
        default="pages,export,pdf,engine,memory,worker,checks,dossier,storage",
        help="comma-separated subset of: "
        "pages,export,pdf,engine,memory,worker,checks,dossier,storage",
    )
    p.add_argument(
        "--pages",
        default="",
        help="comma-separated page names for 'pages' (default all), e.g. "
        "'TPI queue,instansi page (TPI of the instansi)'",
    )
    p.add_argument("--rebuild", action="store_true", help="rebuild the databases")
    p.add_argument("--label", default="", help="a note stored with the results")
    p.add_argument("--out", default=str(RESULTS))
    return p.parse_args(argv)


def probe(target: Target, *args: str) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - fixed command line
        [PY, "-m", "bench.probe", *args],
        cwd=ROOT,
        env=environment(target),
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def machine(target: Target) -> dict[str, Any]:
    from django.db import connection

    from bench.measure import using

    with using(target), connection.cursor() as cursor:
        if target.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        version = cursor.fetchone()[0]
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{target.vendor} {version}",
        "loadavg_at_start": [round(x, 2) for x in load],
    }


def data_counts(target: Target) -> dict[str, int]:
    from django.apps import apps

    from bench.measure import using

    names = {
        "units": "units.UnitKerja",
        "penilaian": "lke.Penilaian",
        "jawaban": "scoring.Jawaban",
        "bukti": "evidence.Bukti",
        "rencana_aksi": "evidence.RencanaAksi",
        "data_dukung": "lke.DataDukung",
        "riwayat": "units.Riwayat",
    }
    with using(target):
        return {k: apps.get_model(v)._default_manager.count() for k, v in names.items()}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = set(args.only.split(","))
    if "storage" in only:  # issue 18: disk against S3, its own process, data and results
        subprocess.run([PY, "-m", "bench.storage", f"--out={args.out}"], cwd=ROOT, check=True)  # noqa: S603
        only.discard("storage")
        if not only:
            return 0
    small, large = targets(
        args.database,
        DataSpec(args.units, args.years, args.seed, args.units_per_instansi),
        args.scale,
    )
    # The dossier needs only the 1x data (Biro HP 2022 and its own files).
    needed = (small,) if only <= {"dossier"} else (small, large)
    stamps = {t.size: prepare(t, rebuild=args.rebuild) for t in needed}

    from bench.worker import reachable

    redis_url = args.redis_url if "worker" in only and reachable(args.redis_url) else ""
    os.environ.update(environment(small, redis_url))
    import django

    django.setup()
    from bench import measure

    started = time.perf_counter()
    results: dict[str, Any] = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "label": args.label,
        "machine": machine(small),
        "data": {
            t.size: {
                "units": t.spec.units,
                "years": t.spec.years,
                "seed": t.spec.seed,
                "rows": data_counts(t),
                "build_seconds": stamps[t.size].get("build_seconds"),
            }
            for t in needed
        },
    }
    if "pages" in only:
        results["pages"] = measure.timed(
            "pages",
            lambda: measure.pages(
                small,
                large,
                rounds=args.rounds,
                repeat=2,
                only=tuple(n for n in args.pages.split(",") if n),
            ),
        )
        results["pages_target_ratio"] = 1.5
    if "export" in only:
        results["lke_export"] = measure.timed(
            "LKE export", lambda: measure.lke_export(large, rounds=7)
        )
    if "pdf" in only:
        results["rencana_kerja_pdf"] = measure.timed(
            "rencana kerja PDF", lambda: measure.rencana_kerja_pdf(large, rounds=5)
        )
        results["document_pdfs"] = measure.timed(
            "PDFs of the cycle", lambda: measure.document_pdfs(large, rounds=5)
        )
    if "engine" in only:
        results["engine"] = measure.timed("engine", lambda: measure.engine(large, 1000))
    if "memory" in only:
        results["memory"] = {
            "upload": [
                measure.timed(f"upload {n} MB", lambda n=n: probe(small, "upload", f"--mb={n}"))
                for n in (5, 20)
            ],
            "exports": measure.timed(
                f"{args.exports} exports",
                lambda: probe(large, "exports", f"--count={args.exports}"),
            ),
        }
    if "checks" in only:  # evidence checks (issue 14): bench/checks.py
        from bench import checks

        results["evidence_checks"] = {
            "analysis": measure.timed("evidence checks: analysis", checks.analysis),
            "upload": measure.timed("evidence checks: upload request", lambda: checks.upload(15)),
        }
    if "worker" in only:
        if redis_url:
            from bench.worker import instansi_export

            results["instansi_export"] = measure.timed(
                "instansi export through the worker",
                lambda: instansi_export(large, redis_url, args.concurrency),
            )
        else:
            log(f"Redis at {args.redis_url} not reachable: worker step skipped")
            results["instansi_export"] = {"skipped": f"Redis at {args.redis_url} not reachable"}
    if "dossier" in only:  # issue 15 part 10: 400 files at two sizes, fresh processes
        results["dossier"] = [
            measure.timed(
                f"dossier {n} MB",
                lambda n=n, r=r: probe(
                    small, "dossier", "--files=400", f"--mb={n}", f"--rounds={r}"
                ),
            )
            for n, r in ((100, 0), (400, 3))
        ]
    results["bench_seconds"] = round(time.perf_counter() - started, 1)

    from bench.report import markdown

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    vendor = small.vendor
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "latest.md").write_text(markdown(results))
    for suffix in ("json", "md"):
        shutil.copyfile(out / f"latest.{suffix}", out / f"latest-{vendor}.{suffix}")
    log(f"wrote {out / 'latest.json'} and {out / 'latest.md'}")
    print((out / "latest.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
