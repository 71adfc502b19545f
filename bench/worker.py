"""The LKE of every unit of one instansi, exported end to end through a real worker.

The harness starts a Celery worker (prefork) on its own queue of the bench Redis
database, creates one export job per unit through `export_start` (the path the
"Ekspor" button takes: a job row, then the task on the broker after commit), waits
until every job is finished, and stops the worker it started (its process group).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.datasets import ROOT, Target, environment, log
from zi_portal.workers import worker_command

QUEUE = "zi-bench"


def reachable(redis_url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(redis_url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def _purge(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(QUEUE)


def _rss_of_tree(pid: int) -> int:
    """Resident memory of a process and its children (bytes)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        with suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def instansi_export(target: Target, redis_url: str, concurrency: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min

    from bench.measure import using
    from documents.exports import export_start
    from documents.models import ExportJob, StatusEkspor
    from lke.models import Penilaian
    from units.models import Instansi

    _purge(redis_url)
    env = {**environment(target, redis_url), "BENCH_QUEUE": QUEUE}
    logfile = (ROOT / "var" / "bench" / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - fixed command line
        worker_command(QUEUE, pool="prefork", concurrency=concurrency),
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log(f"worker pid {worker.pid} on {urlparse(redis_url).path or '/0'} queue {QUEUE}")
    try:
        with using(target):
            from celery import current_app

            health = current_app.send_task("zi_portal.worker_health", queue=QUEUE)
            answer = health.get(timeout=120)
            assert answer["penilaian"] > 0, answer
            instansi = Instansi.objects.get(kode="bench-01")
            chosen = list(
                Penilaian.objects.filter(unit__instansi=instansi, tahun=2024)
                .select_related("unit", "model")
                .order_by("unit__slug")
            )
            owner = get_user_model().objects.get(username="bench.tpi.01")
            started = time.perf_counter()
            jobs = [
                export_start(user=owner, penilaian=p, jenis="lke_xlsx", params={"by": "tpi"})
                for p in chosen
            ]
            queued = time.perf_counter() - started
            ids = [j.pk for j in jobs]
            peak_rss = 0
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                peak_rss = max(peak_rss, _rss_of_tree(worker.pid))
                pending = ExportJob.objects.filter(
                    pk__in=ids, status__in=[StatusEkspor.ANTRE, StatusEkspor.PROSES]
                ).count()
                if pending == 0:
                    break
                if worker.poll() is not None:
                    raise RuntimeError("the bench worker stopped; see var/bench/worker.log")
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            done = ExportJob.objects.filter(pk__in=ids, status=StatusEkspor.SELESAI)
            span = done.aggregate(first=Min("dibuat_pada"), last=Max("selesai_pada"))
            n_done, n_failed = done.count(), len(ids) - done.count()
            total_kb = sum(j.berkas.size for j in done) // 1024
            for job in ExportJob.objects.filter(pk__in=ids):
                if job.berkas:
                    job.berkas.storage.delete(job.berkas.name)
                    with suppress(OSError):
                        Path(job.berkas.path).parent.rmdir()
                job.delete()
    finally:
        with suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        logfile.close()
        _purge(redis_url)
    in_db = (span["last"] - span["first"]) if span["first"] and span["last"] else dt.timedelta()
    return {
        "instansi": "bench-01",
        "units": len(chosen),
        "finished": n_done,
        "failed": n_failed,
        "concurrency": concurrency,
        "seconds": round(seconds, 1),
        "seconds_first_job_to_last_file": round(in_db.total_seconds(), 1),
        "per_unit_ms": round(seconds / max(len(chosen), 1) * 1000),
        "queueing_seconds": round(queued, 2),
        "files_mb": round(total_kb / 1024, 1),
        "worker_peak_rss_mb": round(peak_rss / 1048576),
    }
