#!/usr/bin/env python3
"""Reproducible load test of ZI Portal: gunicorn + PostgreSQL + Redis + Celery + Locust.

    .venv/bin/python bench/load/run.py                    # 50 users, 5 minutes
    .venv/bin/python bench/load/run.py -u 10 -t 1m        # a quick try

Steps: (re)create the PostgreSQL database `zi_load` (dropped first), empty Redis db 5,
migrate, create a throw-away signing certificate, `load_demo`, `collectstatic`; start
gunicorn (4 workers on 127.0.0.1:8100) and a Celery worker (prefork, 2 processes) with
the same production-like environment (DEBUG=false, random SECRET_KEY, MEDIA_ROOT in a
temporary directory); run Locust headless; wait for the export queue to drain; check in
the database and on disk that every upload arrived intact; stop everything it started
(also on failure or Ctrl-C); write the report and the raw Locust files to bench/results/.

Needs only the project's virtualenv plus Locust (the `load` extra:
`.venv/bin/uv pip install --python .venv/bin/python -r pyproject.toml --extra load`),
PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) and Redis at 127.0.0.1:6379. Exit status 0
only if the run had no errors and every upload was verified.
"""

# ruff: noqa: S603 (runs this project's own fixed commands)
from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import json
import math
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python")


OUTPUT_SUFFIXES = (
    "_stats.csv",
    "_stats_history.csv",
    "_failures.csv",
    "_exceptions.csv",
    ".json",
    ".md",
    "-uploads.jsonl",
    "-counters.json",
    "-check.json",
    "-cpu.json",
    "-requests.csv",
    "-gunicorn.log",
    "-celery.log",
)


def log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("-u", "--users", type=int, default=50)
    p.add_argument("-r", "--spawn-rate", type=float, default=5)
    p.add_argument("-t", "--run-time", default="5m", help="Locust run time (default 5m)")
    p.add_argument("--tpi-users", type=int, default=4, help="users browsing as tpi.mk")
    p.add_argument("--port", type=int, default=8100)
    p.add_argument("--gunicorn-workers", type=int, default=4)
    p.add_argument("--celery-concurrency", type=int, default=2)
    p.add_argument("--db", default="zi_load", help="PostgreSQL database (dropped first!)")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    p.add_argument("--results", default=str(ROOT / "bench" / "results"))
    p.add_argument("--tag", default="", help="suffix of the result file names")
    p.add_argument("--drain-timeout", type=int, default=300, help="max wait for exports (s)")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory")
    p.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="MIN",
        help="before the load starts, wait up to MIN minutes for other processes to be idle",
    )
    p.add_argument(
        "--serve-only",
        action="store_true",
        help="set up and start gunicorn and Celery, then wait (no load) until Ctrl-C",
    )
    args = p.parse_args(argv)
    if args.db in {"test", "test_test", "postgres", "template0", "template1"}:
        p.error(f"refusing to drop database {args.db!r}")
    if args.port == 8000:
        p.error("port 8000 is left to the development server")
    for url in (args.pg, args.redis_url):
        host = url.split("@")[-1].split("//")[-1].split(":")[0].split("/")[0]
        if host not in {"127.0.0.1", "localhost"}:
            p.error(f"{url}: only local services are used")
    return args


# -- processes -------------------------------------------------------------------------


class Processes:
    """Long-running children, each in its own process group, stopped by their own ids."""

    def __init__(self) -> None:
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str], logfile: Path) -> None:
        log(f"start {name}: {shlex.join(cmd)}")
        fh = open(logfile, "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append((name, proc))

    def pgids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.procs}

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited early with status {proc.returncode}")

    def stop_all(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                log(f"stop {name} (pid {proc.pid})")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for name, proc in reversed(self.procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time: SIGKILL to its process group {proc.pid}")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.procs.clear()


class CpuSampler(threading.Thread):
    """Where the machine's CPU time goes while the load runs, from /proc every few
    seconds: the app under test, its PostgreSQL backends, Locust, Redis, and everything
    else on the machine (other jobs on a shared host distort the response times)."""

    def __init__(self, pgids: dict[str, int], db: str, interval: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.pgids = pgids  # group name -> process group id
        self.db = db
        self.interval = interval
        self.stop_event = threading.Event()
        self.samples: list[dict[str, float]] = []
        self.others: Counter[str] = Counter()
        self.tick = os.sysconf("SC_CLK_TCK")

    def _snapshot(self) -> tuple[float, float, dict[int, tuple[float, str]]]:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        total, idle = sum(fields[:8]), fields[3] + fields[4]
        procs: dict[int, tuple[float, str]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                raw = Path(f"/proc/{entry.name}/stat").read_text()
                rest = raw[raw.rindex(")") + 2 :].split()
                pgid, cpu = int(rest[2]), (int(rest[11]) + int(rest[12])) / self.tick
                cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ")
            except (OSError, ValueError, IndexError):
                continue
            text = cmd.decode(errors="replace").strip() or raw[raw.index("(") + 1 : raw.rindex(")")]
            group = next((g for g, pg in self.pgids.items() if pg == pgid), "")
            if not group:
                if text.startswith("postgres:") and f" {self.db} " in f"{text} ":
                    group = "postgres"
                elif text.startswith("postgres"):
                    group = "postgres (other databases)"
                elif "redis-server" in text:
                    group = "redis"
                else:
                    group = "other:" + text[:70]
            procs[int(entry.name)] = (cpu, group)
        return total / self.tick, idle / self.tick, procs

    def run(self) -> None:
        try:
            prev = self._snapshot()
            while not self.stop_event.wait(self.interval):
                cur = self._snapshot()
                wall = (cur[0] - prev[0]) / (os.cpu_count() or 1)
                if wall <= 0:
                    continue
                sample: Counter[str] = Counter()
                for pid, (cpu, group) in cur[2].items():
                    before = prev[2].get(pid)
                    used = cpu - (before[0] if before and before[1] == group else 0.0)
                    if used <= 0:
                        continue
                    if group.startswith("other:"):
                        self.others[group[6:]] += used
                        group = "other processes"
                    sample[group] += used / wall
                sample["idle"] = (cur[1] - prev[1]) / wall
                self.samples.append({"t": time.time(), **sample})
                prev = cur
        except Exception as exc:
            log(f"CPU sampler stopped: {exc}")

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=self.interval * 2)

    def summary(self) -> dict[str, Any]:
        groups = sorted({g for s in self.samples for g in s if g != "t"})
        n = len(self.samples) or 1
        return {
            "samples": len(self.samples),
            "interval_s": self.interval,
            "mean_cores": {
                g: round(sum(s.get(g, 0.0) for s in self.samples) / n, 2) for g in groups
            },
            "max_other_cores": round(
                max((s.get("other processes", 0.0) for s in self.samples), default=0.0), 2
            ),
            "top_other_processes_cpu_s": {k: round(v, 1) for k, v in self.others.most_common(8)},
            "series": [{k: round(v, 3) for k, v in s.items()} for s in self.samples],
        }


def wait_quiet(minutes: float, threshold: float = 0.5) -> str:
    """Wait (at most `minutes`) until processes outside the test use under `threshold`
    cores for 20 s in a row; return what happened, for the report."""
    if minutes <= 0:
        return "not waited for"
    deadline = time.monotonic() + minutes * 60
    log(f"waiting up to {minutes:g} min for the machine to be quiet (<{threshold} cores)")
    while time.monotonic() < deadline:
        sampler = CpuSampler({}, "", interval=20)
        sampler.start()
        time.sleep(20.5)
        sampler.stop()
        busy = sum(v for k, v in sampler.summary()["mean_cores"].items() if k != "idle")
        if busy < threshold:
            return f"quiet ({busy:.2f} cores busy) before the start"
        log(f"machine busy: {busy:.2f} cores used by other processes")
    return f"still busy after waiting {minutes:g} min; started anyway"


def run(cmd: list[str], env: dict[str, str], logfile: Path, timeout: int = 900) -> None:
    log(f"run: {shlex.join(cmd)}")
    with open(logfile, "ab") as fh:
        fh.write(f"\n$ {shlex.join(cmd)}\n".encode())
        fh.flush()
        res = subprocess.run(
            cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, timeout=timeout
        )
    if res.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({res.returncode}); see {logfile}")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (local URL)
                if resp.status == 200:
                    return
        except Exception as exc:
            last = exc
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer 200 within {timeout}s: {last}")


# -- database and Redis ----------------------------------------------------------------


def recreate_database(pg: str, db: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        log(f"drop and create database {db}")
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.ping()
    log(f"empty Redis {url}")
    client.flushdb()


def collectstatic(env: dict[str, str], logfile: Path) -> str:
    """Run collectstatic as production would (ManifestStaticFilesStorage)."""
    run([PY, "manage.py", "collectstatic", "--noinput"], env, logfile)
    return "collectstatic succeeded unchanged"


# -- verification (runs in a child process with Django set up) -------------------------


def verify(upload_log: Path, out: Path, drain_timeout: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings.base")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db.models import Count

    from documents.models import ExportJob
    from evidence.models import Bukti
    from scoring.models import Jawaban
    from units.models import Riwayat

    result: dict[str, Any] = {}

    # 1. Exports: wait until the worker has taken every job, then count the outcomes.
    deadline = time.monotonic() + drain_timeout
    while time.monotonic() < deadline:
        pending = ExportJob.objects.filter(status__in=["antre", "proses"]).count()
        if pending == 0:
            break
        time.sleep(2)
    statuses = dict(
        ExportJob.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    first_last = ExportJob.objects.filter(selesai_pada__isnull=False).order_by("selesai_pada")
    broken_exports = []
    for job in ExportJob.objects.filter(status="selesai"):
        try:
            with job.berkas.open("rb") as fh, zipfile.ZipFile(fh) as zf:
                if "xl/workbook.xml" not in zf.namelist():
                    broken_exports.append(str(job.pk))
        except Exception as exc:
            broken_exports.append(f"{job.pk}: {exc}")
    durations = sorted(
        (j.selesai_pada - j.dibuat_pada).total_seconds()
        for j in first_last
        if hasattr(j, "dibuat_pada") and j.selesai_pada
    )
    result["exports"] = {
        "by_status": statuses,
        "total": sum(statuses.values()),
        "finished_file_not_xlsx": broken_exports,
        "errors": list(
            ExportJob.objects.filter(status="gagal").values_list("error", flat=True)[:20]
        ),
        "queue_to_done_s": {
            "p50": durations[len(durations) // 2] if durations else None,
            "p95": durations[int(len(durations) * 0.95)] if durations else None,
            "max": durations[-1] if durations else None,
        },
    }

    # 2. Uploads: the last line per file name is its outcome.
    sent: dict[str, dict[str, Any]] = {}
    if upload_log.exists():
        for line in upload_log.read_text().splitlines():
            rec = json.loads(line)
            sent[rec["name"]] = rec
    rows: dict[str, list[Bukti]] = {}
    for b in Bukti.objects.filter(nama_asli__startswith="load-").select_related("penilaian"):
        rows.setdefault(b.nama_asli, []).append(b)
    problems: list[str] = []
    outcome = Counter(rec["outcome"] for rec in sent.values())
    verified = verified_bytes = 0
    unacknowledged_present = 0
    for name, rec in sent.items():
        found = rows.get(name, [])
        if rec["outcome"] != "ok":
            if found:
                unacknowledged_present += 1
                # Even a file whose response got lost must be intact if it was stored.
            else:
                continue
        if rec["outcome"] == "ok" and len(found) != 1:
            problems.append(f"{name}: {len(found)} rows in the database (expected 1)")
            continue
        for b in found:
            where = f"{name} (bukti {b.code})"
            if str(b.penilaian.code) != rec["penilaian"] or b.pertanyaan_id != rec["pertanyaan"]:
                problems.append(f"{where}: stored on another penilaian/question")
            if b.sha256 != rec["sha256"]:
                problems.append(f"{where}: Bukti.sha256 {b.sha256} != sent {rec['sha256']}")
            if b.ukuran != rec["size"]:
                problems.append(f"{where}: Bukti.ukuran {b.ukuran} != sent {rec['size']}")
            if b.tipe_konten != rec["mime"]:
                problems.append(f"{where}: detected {b.tipe_konten}, sent {rec['mime']}")
            try:
                digest = hashlib.sha256()
                size = 0
                with b.berkas.open("rb") as fh:
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(chunk)
                        size += len(chunk)
            except OSError as exc:
                problems.append(f"{where}: file {b.berkas.name} unreadable: {exc}")
                continue
            if digest.hexdigest() != rec["sha256"]:
                problems.append(f"{where}: file on disk hashes to {digest.hexdigest()}")
                continue
            if rec["outcome"] == "ok":
                verified += 1
                verified_bytes += size
    unknown = sorted(set(rows) - set(sent))
    for name in unknown:
        problems.append(f"{name}: in the database but never sent by the test")
    result["uploads"] = {
        "files_sent": len(sent),
        "by_outcome": dict(outcome),
        "success_responses": outcome.get("ok", 0),
        "verified_intact": verified,
        "verified_bytes": verified_bytes,
        "missing_or_corrupt": len(problems),
        "problems": problems[:50],
        "failed_but_stored": unacknowledged_present,
        "rows_in_db": sum(len(v) for v in rows.values()),
    }

    # 3. Answers: every stored version has exactly one audit row (no lost update).
    mandiri = Jawaban.objects.filter(set="mandiri")
    audit = Counter(
        Riwayat.objects.filter(objek="jawaban_mandiri").values_list("objek_id", flat=True)
    )
    mismatched = [
        f"jawaban {j.pk}: versi {j.versi}, {audit.get(str(j.pk), 0)} audit rows"
        for j in mandiri
        if audit.get(str(j.pk), 0) != j.versi
    ]
    result["answers"] = {
        "jawaban_rows": mandiri.count(),
        "versions_total": sum(j.versi for j in mandiri),
        "audit_rows": sum(audit.values()),
        "versi_vs_audit_mismatches": mismatched[:20],
        "n_mismatches": len(mismatched),
    }
    out.write_text(json.dumps(result, indent=2, default=str))


# -- report ----------------------------------------------------------------------------


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def read_failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def percentile(hist: Counter[int], q: float) -> int | None:
    """Locust's percentile over a {rounded ms: count} histogram."""
    total = sum(hist.values())
    if not total:
        return None
    target = int(total * q)
    seen = 0
    for ms in sorted(hist, reverse=True):
        seen += hist[ms]
        if total - seen <= target:
            return ms
    return min(hist)


def percentiles_without_login(json_file: Path) -> dict[str, Any]:
    hist: Counter[int] = Counter()
    n = 0
    for entry in json.loads(json_file.read_text()):
        if entry["name"].startswith("/accounts/login/"):
            continue
        n += entry["num_requests"]
        for ms, count in entry["response_times"].items():
            hist[int(float(ms))] += count
    return {
        "requests": n,
        "p50": percentile(hist, 0.50),
        "p95": percentile(hist, 0.95),
        "p99": percentile(hist, 0.99),
    }


def exact(values: list[float], q: float) -> int | None:
    """Nearest-rank percentile of exact response times."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return round(ordered[min(len(ordered), rank) - 1])


def timing_analysis(request_csv: Path, cpu: dict[str, Any], ramp_s: float) -> dict[str, Any]:
    """Exact percentiles from the per-request log: whole run, steady state (after the
    ramp-up and its logins), and per minute next to the CPU taken by other processes."""
    rows = []
    with open(request_csv, newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append((float(r["end_ts"]), r["name"], float(r["ms"]), r["failed"] == "1"))
    if not rows:
        return {}
    t0 = min(t - ms / 1000 for t, _n, ms, _f in rows)
    steady_from = t0 + ramp_s + 30
    not_login = [(t, n, ms, f) for t, n, ms, f in rows if not n.startswith("/accounts/login/")]
    steady = [ms for t, _n, ms, _f in not_login if t >= steady_from]
    result: dict[str, Any] = {
        "all": {
            "n": len(rows),
            "p50": exact([r[2] for r in rows], 0.5),
            "p95": exact([r[2] for r in rows], 0.95),
            "p99": exact([r[2] for r in rows], 0.99),
        },
        "steady": {
            "from_s": round(steady_from - t0),
            "n": len(steady),
            "p50": exact(steady, 0.5),
            "p95": exact(steady, 0.95),
            "p99": exact(steady, 0.99),
        },
        "minutes": [],
    }
    series = cpu.get("series", [])
    end = max(t for t, *_ in rows)
    minute = 0
    while t0 + minute * 60 < end:
        lo, hi = t0 + minute * 60, t0 + (minute + 1) * 60
        times = [ms for t, _n, ms, _f in rows if lo <= t < hi]
        fails = sum(1 for t, _n, _ms, f in rows if lo <= t < hi and f)
        window = [s for s in series if lo < s["t"] <= hi + 2.5]
        k = len(window) or 1
        result["minutes"].append(
            {
                "minute": minute + 1,
                "n": len(times),
                "failures": fails,
                "p50": exact(times, 0.5),
                "p95": exact(times, 0.95),
                "app_cores": round(
                    sum(s.get("gunicorn", 0) + s.get("celery", 0) for s in window) / k, 2
                ),
                "postgres_cores": round(sum(s.get("postgres", 0) for s in window) / k, 2),
                "other_cores": round(sum(s.get("other processes", 0) for s in window) / k, 2),
                "idle_cores": round(sum(s.get("idle", 0) for s in window) / k, 2),
            }
        )
        minute += 1
    return result


def machine_facts() -> dict[str, str]:
    mem_kb = 0
    cpu = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "?"

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu or platform.processor(),
        "memory": f"{mem_kb / 1048576:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": version(["psql", "--version"]),
        "redis": version(["redis-server", "--version"]).split(" sha=")[0],
        "locust": version([str(VENV_BIN / "locust"), "--version"]).split(" from ")[0],
        "gunicorn": version([str(VENV_BIN / "gunicorn"), "--version"]),
        "git": version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        + (
            " (working tree with uncommitted changes)"
            if version(["git", "-C", str(ROOT), "status", "--porcelain"])
            else ""
        ),
    }


def fmt_int(v: Any) -> str:
    try:
        return f"{int(float(v)):,}"
    except (TypeError, ValueError):
        return str(v)


def write_report(
    path: Path,
    *,
    args: argparse.Namespace,
    command: str,
    started: dt.datetime,
    ended: dt.datetime,
    stats: list[dict[str, str]],
    failures: list[dict[str, str]],
    counts: dict[str, int],
    check: dict[str, Any],
    server_errors: dict[str, list[str]],
    static_note: str,
    locust_rc: int,
    csv_prefix: Path,
    facts: dict[str, str],
    no_login: dict[str, Any],
    cpu: dict[str, Any],
    timing: dict[str, Any],
) -> bool:
    total = next((s for s in stats if s["Name"] == "Aggregated"), None)
    rows = [s for s in stats if s["Name"] != "Aggregated"]
    n_fail = int(total["Failure Count"]) if total else -1
    up = check["uploads"]
    ex = check["exports"]
    ans = check["answers"]
    n_server = sum(len(v) for v in server_errors.values())
    uploads_ok = (
        up["missing_or_corrupt"] == 0
        and up["verified_intact"] == up["success_responses"]
        and up["success_responses"] > 0
    )
    passed = n_fail == 0 and uploads_ok and n_server == 0 and ans["n_mismatches"] == 0
    conflicts = counts.get("answer_conflict_409", 0)
    saves = counts.get("answer_saved", 0)
    L: list[str] = []
    L.append(f"# Load test {started:%Y-%m-%d %H:%M} — {'PASS' if passed else 'FAIL'}\n")
    L.append(
        f"{args.users} concurrent users (spawn rate {args.spawn_rate:g}/s, "
        f"{args.tpi_users} of them TPI browsers) for {args.run_time} against gunicorn "
        f"({args.gunicorn_workers} sync workers) + PostgreSQL + Redis + Celery worker "
        f"(prefork, {args.celery_concurrency} processes) on this machine. "
        f"Run {started:%H:%M:%S}–{ended:%H:%M:%S}.\n"
    )
    L.append("## Result\n")
    L.append("| check | result |\n|---|---|")
    L.append(f"| errors (Locust failures) | **{n_fail}** |")
    L.append(f"| server errors in gunicorn/celery logs | **{n_server}** |")
    L.append(
        f"| uploads intact (hash check) | **{up['verified_intact']} / {up['success_responses']}"
        f"** files with a success response verified "
        f"({up['verified_bytes'] / 1048576:,.1f} MiB); missing or corrupt: "
        f"**{up['missing_or_corrupt']}** |"
    )
    L.append(
        f"| answer saves | {saves:,} saved, **{conflicts:,} × 409** (concurrent edit, expected;"
        f" {counts.get('answer_conflict_twice', 0)} hit 409 twice in a row) |"
    )
    L.append(
        f"| exports | {counts.get('export_started', 0)} started by users; in the database "
        f"{ex['total']} jobs: "
        + ", ".join(f"{k} {v}" for k, v in sorted(ex["by_status"].items()))
        + f"; {counts.get('export_downloaded', 0)} downloaded and checked as xlsx |"
    )
    if total:
        L.append(
            f"| all requests | {fmt_int(total['Request Count'])} requests, "
            f"{float(total['Requests/s']):.1f} req/s; p50 {total['50%']} ms, "
            f"p95 {total['95%']} ms, p99 {total['99%']} ms, max "
            f"{fmt_int(total['Max Response Time'])} ms |"
        )
    if no_login["requests"]:
        n_login = fmt_int(int(total["Request Count"]) - no_login["requests"]) if total else "?"
        L.append(
            f"| all requests except the {n_login} logins | {fmt_int(no_login['requests'])} "
            f"requests; p50 {no_login['p50']} ms, "
            f"p95 {no_login['p95']} ms, p99 {no_login['p99']} ms |"
        )
    if timing:
        st = timing["steady"]
        L.append(
            f"| steady state (from {st['from_s']} s: all users running, logins done), exact |"
            f" {fmt_int(st['n'])} requests; **p50 {st['p50']} ms, p95 {st['p95']} ms**, "
            f"p99 {st['p99']} ms |"
        )
    L.append(
        f"| answer audit (versi = audit rows) | {ans['n_mismatches']} mismatches over "
        f"{ans['jawaban_rows']} answers, {ans['versions_total']} versions |"
    )
    L.append("")
    L.append("## Response times per endpoint (ms)\n")
    L.append(
        "| endpoint | method | requests | failures | p50 | p95 | p99 | max | req/s |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    for s in sorted(rows, key=lambda s: -int(s["Request Count"])):
        L.append(
            f"| `{s['Name']}` | {s['Type']} | {fmt_int(s['Request Count'])} | "
            f"{fmt_int(s['Failure Count'])} | {s['50%']} | {s['95%']} | {s['99%']} | "
            f"{fmt_int(s['Max Response Time'])} | {float(s['Requests/s']):.2f} |"
        )
    if total:
        L.append(
            f"| **all** | | **{fmt_int(total['Request Count'])}** | "
            f"**{fmt_int(total['Failure Count'])}** | **{total['50%']}** | **{total['95%']}** | "
            f"**{total['99%']}** | {fmt_int(total['Max Response Time'])} | "
            f"{float(total['Requests/s']):.2f} |"
        )
    L.append(
        "\nPercentiles are Locust's (response times above 100 ms are bucketed to 2 "
        "significant digits). The export polling rows are the status fragment the page "
        "polls every second while the worker renders.\n"
    )
    if timing:
        L.append("### Per minute (exact percentiles) and CPU\n")
        L.append(
            "| minute | requests | failures | p50 ms | p95 ms | app cores (gunicorn+celery) "
            "| postgres cores | other processes' cores | idle cores |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        )
        for m in timing["minutes"]:
            L.append(
                f"| {m['minute']} | {fmt_int(m['n'])} | {m['failures']} | {m['p50']} | "
                f"{m['p95']} | {m['app_cores']:.2f} | {m['postgres_cores']:.2f} | "
                f"{m['other_cores']:.2f} | {m['idle_cores']:.2f} |"
            )
        L.append("")
    if failures:
        L.append("## Failures\n")
        L.append("| endpoint | error | occurrences |\n|---|---|---:|")
        for f in failures:
            L.append(f"| `{f['Name']}` | {f['Error']} | {f['Occurrences']} |")
        L.append("")
    if n_server:
        L.append("## Server-side errors\n")
        for name, lines in server_errors.items():
            for line in lines[:20]:
                L.append(f"- {name}: `{line[:300]}`")
        L.append("")
    L.append("## Upload integrity\n")
    L.append(
        "Every evidence file is generated by the Locust user with fresh random content "
        "(a well-formed PDF with a random stream, or a PNG of random noise; 20 KB – 4 MB, "
        "20 % of the requests carry two files) and its SHA-256 is written to "
        "`uploads.jsonl` before the request is sent. After the run, for every file whose "
        "upload got a success response (200 with the file listed in the returned "
        "fragment) the database must hold exactly one `Bukti` on the same penilaian and "
        "question whose `sha256`, `ukuran` and detected type match what was sent, and the "
        "stored file on disk must hash to the same SHA-256. No `Bukti` may exist that the "
        "test did not send. In-flight, users also re-download files they uploaded and "
        f"compare hashes: {counts.get('download_hash_checked', 0)} downloads checked, "
        f"{counts.get('download_hash_mismatch', 0)} mismatches.\n"
    )
    L.append("| | |\n|---|---|")
    L.append(
        f"| files sent | {up['files_sent']} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(up["by_outcome"].items()))
        + ") |"
    )
    L.append(f"| success responses | {up['success_responses']} |")
    L.append(f"| verified intact in DB and on disk | {up['verified_intact']} |")
    L.append(f"| missing or corrupt | {up['missing_or_corrupt']} |")
    L.append(f"| sent without success response but stored | {up['failed_but_stored']} |")
    L.append(f"| `Bukti` rows from the test in the DB | {up['rows_in_db']} |")
    for p in up["problems"]:
        L.append(f"| problem | {p} |")
    if up["by_outcome"].get("interrupted"):
        L.append(
            "\n`interrupted`: the request was in flight when Locust ended the run and "
            "cancelled it (like a closed browser tab); it has no response and no statistics "
            "entry. The check above shows whether anything of it was stored.\n"
        )
    L.append("")
    L.append("## Exports\n")
    q = ex["queue_to_done_s"]
    L.append(
        f"`POST /penilaian/<code>/ekspor/lke_xlsx/` creates an `ExportJob`; the real Celery "
        f"worker renders it. Users started {counts.get('export_started', 0)}, saw "
        f"{counts.get('export_finished_seen', 0)} finish while watching, and "
        f"{counts.get('export_left_waiting', 0) + counts.get('export_unwatched_at_test_end', 0)}"
        f" were still queued when the user stopped watching (the run waits up to "
        f"{args.drain_timeout} s for the queue to drain before counting). Database after the "
        f"run: {json.dumps(ex['by_status'])}; finished files that are not a valid xlsx: "
        f"{len(ex['finished_file_not_xlsx'])}. Time from start to finished: p50 "
        f"{q['p50'] if q['p50'] is None else round(q['p50'], 1)} s, p95 "
        f"{q['p95'] if q['p95'] is None else round(q['p95'], 1)} s, max "
        f"{q['max'] if q['max'] is None else round(q['max'], 1)} s.\n"
    )
    if ex["errors"]:
        L.append("Export errors: " + "; ".join(f"`{e}`" for e in ex["errors"]) + "\n")
    L.append("## Workload\n")
    L.append(
        "Each tim kerja user logs in as one of `tim.biro-hp`, `tim.pusat-tik`, "
        "`tim.rutan-kupang`, `tim.bkkbn-sumsel` (round-robin), finds its penilaian by "
        "following the home page links, and then, with 1–5 s think time, picks tasks with "
        "weights: browse an area worksheet 10, save an answer 6 (read the area, then save "
        "one question with the `versi` shown; after a 409 save again over the newer "
        "version), dashboard 3, upload evidence 3, home 2, open an evidence file 2, score "
        "page 1, rencana aksi page 1, start an LKE Excel export 1 (then watch the status "
        "fragment every second, up to 3 minutes, and download the file). TPI users "
        "(`tpi.mk`, both Mahkamah Konstitusi units) only read: worksheets, review pages, "
        "score, queue. All traffic goes to 127.0.0.1.\n"
    )
    L.append("Counters from the Locust users:\n")
    L.append("```\n" + json.dumps(counts, indent=1, sort_keys=True) + "\n```\n")
    L.append("## Setup\n")
    L.append(
        f"- Database `{args.db}` (dropped and recreated), Redis `{args.redis_url}` "
        "(flushed), `migrate`, `create_dev_certificate`, `load_demo`, `collectstatic`; "
        "environment `DEBUG=false`, random `SECRET_KEY`, `ALLOWED_HOSTS=127.0.0.1`, "
        "`SESSION_COOKIE_SECURE=false`, `CSRF_COOKIE_SECURE=false`, `MEDIA_ROOT` and "
        "`ZI_VAR_DIR` in a temporary directory."
    )
    L.append(f"- Static files: {static_note}.")
    L.append(
        f"- `gunicorn zi_portal.wsgi -w {args.gunicorn_workers} -b 127.0.0.1:{args.port}` "
        f"and `celery -A zi_portal worker --pool=prefork -c {args.celery_concurrency}`, "
        "same environment; Locust in one process on the same machine (it competes for "
        "the same CPUs)."
    )
    L.append(
        f"- Locust exit status {locust_rc}. Raw files: `{csv_prefix.name}_stats.csv`, "
        f"`_stats_history.csv`, `_failures.csv`, `_exceptions.csv`, `.json`, "
        f"`-uploads.jsonl`, `-requests.csv`, `-check.json`, `-cpu.json`, `-counters.json`, "
        f"`-gunicorn.log`, `-celery.log`."
    )
    L.append("")
    L.append(
        f"CPU use during the load ({facts['nproc']} CPUs; mean cores over "
        f"{cpu['samples']} samples of {cpu['interval_s']:g} s; machine "
        f"{cpu.get('before_start', '')}):\n"
    )
    L.append("| consumer | mean cores |\n|---|---:|")
    for group, cores in sorted(cpu["mean_cores"].items(), key=lambda kv: -kv[1]):
        L.append(f"| {group} | {cores:.2f} |")
    L.append(
        f"\nPeak of other processes: {cpu['max_other_cores']:.2f} cores. Largest: "
        + "; ".join(f"`{k}` {v:.0f} s" for k, v in cpu["top_other_processes_cpu_s"].items())
        + ". Kernel `kworker` writeback threads are partly the disk writes of the test's own "
        "uploads; the rest were other jobs on this shared machine.\n"
    )
    L.append("Machine:\n")
    L.append("| | |\n|---|---|")
    for k, v in facts.items():
        L.append(f"| {k} | {v} |")
    L.append("")
    L.append("Command:\n")
    L.append(f"```sh\n{command}\n```\n")
    path.write_text("\n".join(L))
    return passed


def scan_logs(logs: dict[str, Path]) -> dict[str, list[str]]:
    """Lines that show a server-side error: tracebacks, 5xx, failed tasks."""
    needles = (
        "Traceback",
        "Internal Server Error",
        "ERROR/",
        "[ERROR]",
        "WORKER TIMEOUT",
        "raised unexpected",
        "Task handler raised error",
    )
    found: dict[str, list[str]] = {}
    for name, path in logs.items():
        if not path.exists():
            continue
        hits = [
            line.strip()
            for line in path.read_text(errors="replace").splitlines()
            if any(n in line for n in needles)
        ]
        if hits:
            found[name] = hits
    return found


# -- main ------------------------------------------------------------------------------


def start_gunicorn(
    procs: Processes, args: argparse.Namespace, env: dict[str, str], logfile: Path
) -> None:
    """The portal under gunicorn, as the README's production command runs it."""
    procs.start(
        "gunicorn",
        [
            str(VENV_BIN / "gunicorn"),
            "zi_portal.wsgi",
            "-w",
            str(args.gunicorn_workers),
            "-b",
            f"127.0.0.1:{args.port}",
        ],
        env,
        logfile,
    )


def locust_invocation(
    args: argparse.Namespace,
    *,
    csv: str,
    logfile: Path,
    upload_log: Path,
    counters_file: Path,
    request_log: str,
    json_file: str | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The headless locust command of a load run, and the environment the locustfile reads
    (where to log uploads, counters and requests; how many of the users are TPI)."""
    cmd = [
        str(VENV_BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        args.run_time,
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        csv,
        *(["--json-file", json_file] if json_file else []),
        "--stop-timeout",
        "30",
        "--only-summary",
        "--logfile",
        str(logfile),
    ]
    env = {
        **os.environ,
        "LOAD_UPLOAD_LOG": str(upload_log),
        "LOAD_SUMMARY": str(counters_file),
        "LOAD_REQUEST_LOG": request_log,
        "LOAD_TPI_USERS": str(args.tpi_users),
    }
    return cmd, env


def print_log_tails(logs: dict[str, Path], lines: int) -> None:
    """The last lines of each log that exists (after a failed run)."""
    for name, path in logs.items():
        if path.exists():
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- last lines of {name} log ({path}) ---\n" + "\n".join(tail))


def keep_or_remove(tmp: Path, *, keep: bool) -> None:
    """Keep the run's temporary folder (asked for, or after a failure) or remove it."""
    if keep:
        log(f"temporary files kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join([".venv/bin/python", "bench/load/run.py", *(argv or sys.argv[1:])])
    if not (VENV_BIN / "locust").exists():
        log(
            "locust is missing: .venv/bin/uv pip install --python .venv/bin/python "
            "-r pyproject.toml --extra load"
        )
        return 2
    if not port_free(args.port):
        log(f"port {args.port} is in use")
        return 2
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now()
    stem = f"load-{started:%Y-%m-%d}" + (f"-{args.tag}" if args.tag else "")
    csv_prefix = results / stem
    tmp = Path(tempfile.mkdtemp(prefix="zi-load-"))
    logs = {"gunicorn": tmp / "gunicorn.log", "celery": tmp / "celery.log"}
    setup_log = tmp / "setup.log"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": f"{args.pg}/{args.db}",
        "REDIS_URL": args.redis_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "MEDIA_ROOT": str(tmp / "media"),
        "ZI_VAR_DIR": str(tmp / "var"),
        "ZI_SIGNING_P12": str(tmp / "signing" / "load-signer.p12"),
        "ZI_SIGNING_P12_PASSPHRASE": secrets.token_urlsafe(16),
        "ZI_PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    procs = Processes()

    def on_signal(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    rc = 1
    try:
        log(f"temporary directory {tmp}")
        recreate_database(args.pg, args.db)
        flush_redis(args.redis_url)
        manage = [PY, "manage.py"]
        run([*manage, "migrate", "--noinput"], env, setup_log)
        run([*manage, "create_dev_certificate", "--penanda-tangan", "2"], env, setup_log)
        run([*manage, "load_demo", "--demo-in-production"], env, setup_log)
        # Every demo account must change its password at first login (issue 11 part 8);
        # the simulated users are their owners, who did.
        run(
            [
                *manage,
                "shell",
                "-c",
                "from units.models import ProfilPengguna; "
                "ProfilPengguna.objects.update(wajib_ganti_sandi=False)",
            ],
            env,
            setup_log,
        )
        static_note = collectstatic(env, setup_log)
        log(f"static files: {static_note}")
        start_gunicorn(procs, args, env, logs["gunicorn"])
        procs.start(
            "celery",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "zi_portal",
                "worker",
                "--pool=prefork",
                "-c",
                str(args.celery_concurrency),
                "-l",
                "info",
            ],
            env,
            logs["celery"],
        )
        wait_http(f"http://127.0.0.1:{args.port}/accounts/login/")
        run([*manage, "check_worker"], env, setup_log, timeout=120)
        procs.check_alive()
        if args.serve_only:
            log(f"serving on http://127.0.0.1:{args.port}/ (Ctrl-C or SIGTERM stops)")
            while True:
                time.sleep(2)
                procs.check_alive()

        upload_log = Path(f"{csv_prefix}-uploads.jsonl")
        counters_file = Path(f"{csv_prefix}-counters.json")
        for suffix in OUTPUT_SUFFIXES:  # a rerun on the same day replaces its own files
            Path(f"{csv_prefix}{suffix}").unlink(missing_ok=True)
        locust_cmd, locust_env = locust_invocation(
            args,
            csv=str(csv_prefix),
            json_file=str(csv_prefix),
            logfile=tmp / "locust.log",
            upload_log=upload_log,
            counters_file=counters_file,
            request_log=f"{csv_prefix}-requests.csv",
        )
        quiet_note = wait_quiet(args.wait_quiet)
        log(f"locust: {shlex.join(locust_cmd)}")
        started = dt.datetime.now()
        with open(tmp / "locust.out", "wb") as fh:
            locust = subprocess.Popen(
                locust_cmd,
                cwd=ROOT,
                env=locust_env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            sampler = CpuSampler({**procs.pgids(), "locust": locust.pid}, args.db)
            sampler.start()
            try:
                locust_rc = locust.wait()
            except BaseException:
                os.killpg(locust.pid, signal.SIGTERM)
                locust.wait(timeout=60)
                raise
            finally:
                sampler.stop()
        ended = dt.datetime.now()
        cpu = sampler.summary()
        cpu["before_start"] = quiet_note
        Path(f"{csv_prefix}-cpu.json").write_text(json.dumps(cpu, indent=2))
        log(f"locust finished with status {locust_rc}")
        procs.check_alive()

        check_file = Path(f"{csv_prefix}-check.json")
        log("verify uploads, exports and answers in the database")
        run(
            [
                PY,
                str(Path(__file__)),
                "--_verify",
                str(upload_log),
                str(check_file),
                str(args.drain_timeout),
            ],
            env,
            setup_log,
            timeout=args.drain_timeout + 600,
        )
        server_errors = scan_logs(logs)  # before stopping: shutdown lines are no errors
        procs.stop_all()
        check = json.loads(check_file.read_text())
        counts = json.loads(counters_file.read_text()) if counters_file.exists() else {}
        for name, path in logs.items():
            shutil.copy(path, results / f"{stem}-{name}.log")
        report = results / f"{stem}.md"
        passed = write_report(
            report,
            args=args,
            command=command,
            started=started,
            ended=ended,
            stats=read_stats(csv_prefix),
            failures=read_failures(csv_prefix),
            counts=counts,
            check=check,
            server_errors=server_errors,
            static_note=static_note,
            locust_rc=locust_rc,
            csv_prefix=csv_prefix,
            facts=machine_facts(),
            no_login=percentiles_without_login(Path(f"{csv_prefix}.json")),
            cpu=cpu,
            timing=timing_analysis(
                Path(f"{csv_prefix}-requests.csv"), cpu, args.users / args.spawn_rate
            ),
        )
        log(f"report: {report} ({'PASS' if passed else 'FAIL'})")
        rc = 0 if passed else 1
    except KeyboardInterrupt as exc:
        log(f"interrupted ({exc})")
        rc = 0 if args.serve_only else 130
    except Exception as exc:
        log(f"FAILED: {exc}")
        rc = 1
    finally:
        procs.stop_all()
        if rc != 0:
            print_log_tails({**logs, "setup": setup_log, "locust": tmp / "locust.out"}, 15)
        keep_or_remove(tmp, keep=args.keep_tmp or rc != 0)
    return rc


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_verify":
        verify(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())
