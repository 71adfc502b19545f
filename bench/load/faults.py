#!/usr/bin/env python3
"""Faults under load (issue 11 part 9): the 5-minute, 50-user load of `run.py` while the
run kills a worker, stops the broker for 30 s and fills the media disk.

    .venv/bin/python bench/load/faults.py                      # 50 users, 5 minutes
    .venv/bin/python bench/load/faults.py -u 10 -t 90s --fault-s 10 --tag quick

Everything runs on its own: PostgreSQL database `zi_faults` (dropped first), a Redis
server the run starts on port 6391 (append-only file in the temporary directory, never
the machine's 6379), MEDIA_ROOT on a tmpfs it mounts (needs root), gunicorn on 8101, two
Celery workers (one process each, so one can die alone) and `celery beat` (the sweeps).
The timeline, in fractions of the run time:

* 0.20: SIGKILL to the busier worker's process group (main and child); restarted
  `--fault-s` later, as a supervisor (systemd `Restart=always`) would;
* 0.40: the broker stops (SIGTERM: Redis writes its append-only file) for `--fault-s`;
* 0.67: the media disk is filled up to 256 KB for `--fault-s`, then freed.

Beside Locust's users, a pimpinan approves the Biro HP rencana kerja every ~25 s (the tim
kerja moves a rencana aksi row, which asks for a new approval, and submits it), and presses
"Coba lagi" when the page says the signing could not be queued.

After the load: the export queue drains (`--drain-timeout`), then the checks of `run.py`
(every acknowledged upload stored once with its SHA-256, on disk too) and the fault checks
(5xx outside the broker outage, files on disk without a row or not matching their row's
SHA-256, jobs left `antre`/`proses`, jobs with more than one file, approvals without their
signed document) go to `bench/results/faults[-tag].md` and `.json`.
"""

# ruff: noqa: S603, S607 (runs this project's own fixed commands, mount and redis-server)
from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load import run as base  # noqa: E402

HERE = base.HERE
VENV_BIN = base.VENV_BIN
PY = base.PY
log = base.log
EVENTS: list[dict[str, Any]] = []


def event(kind: str, **info: Any) -> None:
    EVENTS.append({"t": time.time(), "kind": kind, **info})
    log(f"fault: {kind} {info if info else ''}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("-u", "--users", type=int, default=50)
    p.add_argument("-r", "--spawn-rate", type=float, default=5)
    p.add_argument("-t", "--run-time", default="5m")
    p.add_argument("--tpi-users", type=int, default=4)
    p.add_argument("--port", type=int, default=8101)
    p.add_argument("--redis-port", type=int, default=6391)
    p.add_argument("--gunicorn-workers", type=int, default=4)
    p.add_argument("--db", default="zi_faults")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--media-mb", type=int, default=2048, help="size of the media tmpfs")
    p.add_argument("--fault-s", type=float, default=30, help="length of each fault (s)")
    p.add_argument("--approval-every", type=float, default=25)
    p.add_argument("--drain-timeout", type=int, default=300)
    p.add_argument("--results", default=str(ROOT / "bench" / "results"))
    p.add_argument("--tag", default="")
    p.add_argument("--keep-tmp", action="store_true")
    args = p.parse_args(argv)
    if args.db in {"test", "test_test", "postgres", "template0", "template1", "zi_load"}:
        p.error(f"refusing to drop database {args.db!r}")
    if args.redis_port == 6379:
        p.error("the machine's Redis (6379) is never stopped by this run")
    return args


def run_seconds(text: str) -> float:
    m = re.fullmatch(r"(\d+)([smh]?)", text.strip())
    if not m:
        raise SystemExit(f"run time {text!r}: use e.g. 300s, 5m")
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


# -- the processes the faults hit ------------------------------------------------------


class Redis:
    """A Redis server of this run only, with an append-only file (a production broker
    keeps its queue across a restart)."""

    def __init__(self, port: int, folder: Path, logfile: Path) -> None:
        self.port, self.folder, self.logfile = port, folder, logfile
        folder.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.folder),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--protected-mode",
            "yes",
        ]
        fh = open(self.logfile, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 20
        while base.port_free(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.proc = None


RE_RECEIVED = re.compile(r"Task documents\.export\[([\w-]+)\] received")
RE_ENDED = re.compile(r"Task documents\.export\[([\w-]+)\] (?:succeeded|retry|raised|failed)")


def exception_summary(path: Path) -> dict[str, int]:
    """The final exception of every traceback (chains included) in a log, counted."""
    found: Counter[str] = Counter()
    last = ""
    inside = False
    if not path.exists():
        return {}
    exc_line = re.compile(
        r"^[A-Za-z_][\w.]*(Error|Exception|Exceeded|Interrupt|TidakTersedia|Ditolak)\b"
    )
    cont = ("Traceback", "The above exception", "During handling", " ", "\t")
    for line in [*path.read_text(errors="replace").splitlines(), "<end>"]:
        if line.startswith("Traceback"):
            inside = True
        if not inside:
            continue
        if exc_line.match(line):
            last = line.strip()[:200]
        elif not line.strip() or line.startswith(cont):
            continue
        else:
            if last:
                found[last] += 1
            inside, last = False, ""
    return dict(found.most_common(20))


class Worker:
    """One Celery worker (prefork, one child) in its own process group."""

    def __init__(self, name: str, env: dict[str, str], logfile: Path) -> None:
        self.name, self.env, self.logfile = name, env, logfile
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_start = 0

    def start(self) -> None:
        cmd = [
            str(VENV_BIN / "celery"),
            "-A",
            "zi_portal",
            "worker",
            "--pool=prefork",
            "-c",
            "1",
            "-n",
            f"{self.name}@%h",
            "-l",
            "info",
        ]
        fh = open(self.logfile, "ab")  # noqa: SIM115
        self.log_start = self.logfile.stat().st_size
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )

    def cpu_seconds(self) -> float:
        if self.proc is None:
            return 0.0
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                raw = Path(f"/proc/{entry.name}/stat").read_text()
                rest = raw[raw.rindex(")") + 2 :].split()
                if int(rest[2]) == self.proc.pid:
                    total += (int(rest[11]) + int(rest[12])) / tick
            except (OSError, ValueError, IndexError):
                continue
        return total

    def rendering_export(self) -> bool:
        """Does its log show an export received and not ended since its start?"""
        text = self.logfile.read_text(errors="replace")[self.log_start :]
        ended = set(RE_ENDED.findall(text))
        return any(job not in ended for job in RE_RECEIVED.findall(text))

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def clear_forced_password_change(env: dict[str, str], logfile: Path) -> None:
    """`load_demo --demo-in-production` makes every demo account change its password at
    first login (issue 11 part 8); the simulated users are their owners, who did."""
    base.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from units.models import ProfilPengguna; "
            "ProfilPengguna.objects.update(wajib_ganti_sandi=False)",
        ],
        env,
        logfile,
    )


def running_exports(dsn: str) -> list[str]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute("select id from documents_exportjob where status = 'proses'")
        return [str(r[0]) for r in rows.fetchall()]


def finished_after(dsn: str, ids: list[str], since: float) -> dict[str, Any]:
    """Seconds from the kill to the end of each export that was running then."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            "select id, status, selesai_pada from documents_exportjob where id::text = any(%s)",
            (ids,),
        ).fetchall()
    return {
        str(pk): {
            "status": status,
            "s_after_kill": round(done.timestamp() - since, 1) if done else None,
        }
        for pk, status, done in rows
    }


def mount_tmpfs(where: Path, size_mb: int) -> None:
    where.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise RuntimeError(f"cannot mount a tmpfs at {where} (root needed): {res.stderr}")


def fill_disk(media: Path, leave: int = 256 * 1024) -> Path:
    """Take all the free space of the media file system but `leave` bytes."""
    filler = media / "pengisi-disk.bin"
    stat = os.statvfs(media)
    free = stat.f_bavail * stat.f_frsize - leave
    block = b"\0" * (1 << 20)
    with open(filler, "wb", buffering=0) as fh, contextlib.suppress(OSError):
        while free > 0:
            fh.write(block[: min(len(block), free)])
            free -= len(block)
    return filler


# -- the approving pimpinan ------------------------------------------------------------


class Approvals(threading.Thread):
    """Tim kerja and pimpinan of Biro HP through HTTP: change, submit, approve; re-sign
    when the page says the signing could not be queued."""

    RE_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, base_url: str, dsn: str, every: float, password: str) -> None:
        super().__init__(daemon=True)
        self.base_url, self.dsn, self.every, self.password = base_url, dsn, every, password
        self.halt = threading.Event()
        self.counts: Counter[str] = Counter()
        self.problems: list[str] = []

    def _session(self, username: str) -> Any:
        import requests

        s = requests.Session()
        html = s.get(f"{self.base_url}/accounts/login/", timeout=30).text
        token = self.RE_CSRF.search(html)
        r = s.post(
            f"{self.base_url}/accounts/login/",
            data={
                "username": username,
                "password": self.password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.base_url}/accounts/login/"},
            timeout=30,
        )
        if r.status_code != 200:
            raise RuntimeError(f"login {username}: HTTP {r.status_code}")
        return s

    def _post(self, s: Any, path: str, data: dict[str, str], what: str) -> Any:
        page = s.get(f"{self.base_url}{path}", timeout=60)
        token = self.RE_CSRF.search(page.text)
        r = s.post(
            f"{self.base_url}{path}" if not data.get("_to") else f"{self.base_url}{data['_to']}",
            data={k: v for k, v in data.items() if k != "_to"}
            | {"csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.base_url}{path}"},
            timeout=60,
        )
        self.counts[f"{what}_{r.status_code}"] += 1
        return r

    def run(self) -> None:
        import psycopg

        try:
            conn = psycopg.connect(self.dsn, autocommit=True)
            found = conn.execute(
                "select p.code, p.id from lke_penilaian p"
                " join units_unitkerja u on u.id = p.unit_id"
                " join evidence_rencanakerja rk on rk.penilaian_id = p.id"
                " where u.slug = 'biro-hp' order by p.tahun desc limit 1"
            ).fetchone()
            if found is None:
                raise RuntimeError("no penilaian of Biro HP")
            code, penilaian_id = found
            rows = conn.execute(
                "select r.code from evidence_rencanaaksi r where r.penilaian_id=%s and"
                " r.indikator_id = (select indikator_id from evidence_rencanaaksi where"
                " penilaian_id=%s and indikator_id is not null group by indikator_id"
                " having count(*) > 1 limit 1) order by urutan, id limit 1",
                (penilaian_id, penilaian_id),
            ).fetchall()
            if not rows:
                raise RuntimeError("no indikator of Biro HP with two rencana aksi rows")
            row = rows[0][0]
            tim, pimpinan = self._session("tim.biro-hp"), self._session("pimpinan.biro-hp")
            rk_page = f"/penilaian/{code}/rencana-kerja/"
            direction = "turun"
            while not self.halt.wait(self.every):
                try:
                    self._post(
                        tim,
                        rk_page,
                        {"_to": f"/penilaian/{code}/rencana-aksi/{row}/pindah/", "arah": direction},
                        "move",
                    )
                    direction = "naik" if direction == "turun" else "turun"
                    self._post(tim, rk_page, {"aksi": "ajukan"}, "submit")
                    r = self._post(pimpinan, rk_page, {"aksi": "setujui"}, "approve")
                    self.counts["approvals_sent"] += 1
                    state = conn.execute(
                        "select status from evidence_rencanakerja where penilaian_id = %s",
                        (penilaian_id,),
                    ).fetchone()
                    self.counts[f"after_approve_{state[0] if state else '?'}"] += 1
                    tries = 0
                    while "belum dapat diantrekan" in r.text and not self.halt.is_set():
                        self.counts["sign_not_queued_shown"] += 1
                        time.sleep(5)
                        tries += 1
                        r = self._post(pimpinan, rk_page, {"aksi": "tandatangani"}, "resign")
                        if tries > 30:
                            break
                except Exception as exc:  # the run goes on; the report lists it
                    self.problems.append(f"{dt.datetime.now():%H:%M:%S} {exc}")
                    self.counts["driver_exceptions"] += 1
        except Exception as exc:
            self.problems.append(f"approval driver stopped: {exc}")


# -- checks after the load (a child process with Django) -------------------------------


def verify_faults(out: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings.base")
    django.setup()
    from django.core.files.storage import default_storage

    from documents.models import DokumenTertandatangan, ExportJob
    from documents.storage_reconcile import storage_reconcile
    from evidence.models import Bukti, RencanaKerja, StatusPersetujuan, StatusTandaTangan
    from units.models import Riwayat

    result: dict[str, Any] = {}
    stuck = list(
        ExportJob.objects.filter(status__in=["antre", "proses"]).values("pk", "status", "detak")
    )
    multi = []
    for job in ExportJob.objects.all():
        with contextlib.suppress(FileNotFoundError):
            files = []
            stack = [f"ekspor/{job.pk}"]
            while stack:
                folder = stack.pop()
                dirs, names = default_storage.listdir(folder)
                files += [f"{folder}/{n}" for n in names]
                stack += [f"{folder}/{d}" for d in dirs]
            if len(files) > 1 or (job.status == "selesai" and files != [job.berkas.name]):
                multi.append({"job": str(job.pk), "status": job.status, "files": files})
    result["exports"] = {
        "stuck_after_recovery": [{k: str(v) for k, v in s.items()} for s in stuck],
        "jobs_with_other_than_one_file": multi,
        "by_status": dict(Counter(ExportJob.objects.values_list("status", flat=True))),
    }
    # Every bukti file on disk belongs to a row and hashes to that row's SHA-256.
    reconcile = storage_reconcile(older_than_hours=0)
    bad_hash = []
    for b in Bukti.objects.exclude(berkas=""):
        digest = hashlib.sha256()
        try:
            with b.berkas.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except OSError as exc:
            bad_hash.append(f"{b.berkas.name}: {exc}")
            continue
        if digest.hexdigest() != b.sha256:
            bad_hash.append(f"{b.berkas.name}: on disk {digest.hexdigest()} != row {b.sha256}")
    result["storage"] = {
        **reconcile.counts(),
        "orphan_files": reconcile.orphans[:50],
        "orphans_by_folder": dict(Counter(name.split("/")[0] for name in reconcile.orphans)),
        "rows_without_file": [list(map(str, m)) for m in reconcile.missing][:50],
        "bukti_files_not_matching_their_sha256": bad_hash[:50],
        "bukti_rows_with_file": Bukti.objects.exclude(berkas="").count(),
    }
    approved = RencanaKerja.objects.filter(status=StatusPersetujuan.DISETUJUI)
    unsigned = [
        rk.pk
        for rk in approved
        if rk.status_tanda_tangan != StatusTandaTangan.SELESAI
        or not DokumenTertandatangan.objects.filter(
            rencana_kerja=rk, aktif=True, ditandatangani_pada__gte=rk.disetujui_pada
        ).exists()
    ]
    approvals = Riwayat.objects.filter(objek="rencana_kerja").count()
    result["approvals"] = {
        "rencana_kerja_disetujui": approved.count(),
        "disetujui_without_signed_document": unsigned,
        "signed_documents_total": DokumenTertandatangan.objects.count(),
        "rencana_kerja_audit_rows": approvals,
        "by_status": dict(Counter(RencanaKerja.objects.values_list("status", flat=True))),
        "by_signing_status": dict(
            Counter(RencanaKerja.objects.values_list("status_tanda_tangan", flat=True))
        ),
    }
    out.write_text(json.dumps(result, indent=2, default=str))


def server_errors(request_csv: Path, outage: tuple[float, float]) -> dict[str, Any]:
    """5xx and connection failures by request, inside and outside the broker outage."""
    inside: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    total = 0
    if request_csv.exists():
        with open(request_csv, newline="") as fh:
            for row in csv.DictReader(fh):
                total += 1
                status = int(row["status"] or 0)
                by_status[str(status)] += 1
                if status >= 500 or status == 0:
                    key = f"{status} {row['method']} {row['name']}"
                    t = float(row["end_ts"])
                    (inside if outage[0] <= t <= outage[1] else outside)[key] += 1
    return {
        "requests": total,
        "by_status": dict(by_status),
        "5xx_outside_broker_outage": dict(outside),
        "5xx_during_broker_outage": dict(inside),
    }


# -- report ----------------------------------------------------------------------------


def write_report(path: Path, data: dict[str, Any]) -> bool:
    f = data["faults"]
    ex, st, ap = data["check"]["exports"], data["check"]["storage"], data["check"]["approvals"]
    up = data["load_check"]["uploads"]
    err = data["server_errors"]
    n_out = sum(err["5xx_outside_broker_outage"].values())
    lost = up["missing_or_corrupt"] + len(st["bukti_files_not_matching_their_sha256"])
    orphans = st["orphans_by_folder"]
    zeros = {
        "server errors (5xx) outside the broker outage": n_out,
        "lost or partial uploads (SHA-256 checked)": lost + orphans.get("bukti", 0),
        "partial or orphan export files": orphans.get("ekspor", 0),
        "partial or orphan signed-document files (dokumen/)": orphans.get("dokumen", 0),
        "export jobs stuck after recovery": len(ex["stuck_after_recovery"]),
        "export jobs with more or less than one file": len(ex["jobs_with_other_than_one_file"]),
        "approvals without their signed document": len(ap["disetujui_without_signed_document"]),
    }
    passed = all(v == 0 for v in zeros.values())
    rel = [
        f"- +{e['t'] - data['load_started']:.0f} s: {e['kind']}"
        + (
            f" ({', '.join(f'{k}={v}' for k, v in e.items() if k not in {'t', 'kind'})})"
            if len(e) > 2
            else ""
        )
        for e in f["events"]
    ]
    lines = [
        f"# Faults under load ({data['started'][:10]}{' ' + data['tag'] if data['tag'] else ''})",
        "",
        f"Command: `{data['command']}` — {data['users']} users for {data['run_time']}, "
        f"gunicorn {data['gunicorn_workers']} workers, 2 Celery workers (1 process each) + "
        "beat, PostgreSQL, its own Redis on port "
        f"{data['redis_port']} (append-only), MEDIA_ROOT on a {data['media_mb']} MB tmpfs. "
        f"Machine: {data['facts']['nproc']} cores ({data['facts']['cpu']}), shared with other "
        f"sessions; git {data['facts']['git']}.",
        "",
        f"**Result: {'PASS' if passed else 'FAIL'}**",
        "",
        "| must be zero | count |",
        "|---|--:|",
        *[f"| {k} | {v} |" for k, v in zeros.items()],
        "",
        "## Timeline (seconds after the load started)",
        "",
        *rel,
        "",
        "## Requests",
        "",
        f"{err['requests']:,} requests; by status: "
        + ", ".join(f"{k}: {v:,}" for k, v in sorted(err["by_status"].items())),
        "",
        f"5xx or no answer during the broker outage: {err['5xx_during_broker_outage'] or 'none'}; "
        f"outside it: {err['5xx_outside_broker_outage'] or 'none'}.",
        "",
        f"Locust counters: {json.dumps(data['counters'], sort_keys=True)}",
        "",
        "Expected refusals (not server errors): an export started while the broker is down "
        "answers 302 back to the penilaian with *Antrean tugas sedang tidak tersedia* (counted "
        "`export_start_failed`, no job row); an upload while the disk is full answers 422 "
        "*Berkas gagal disimpan … Tidak ada yang tersimpan* (counted `upload_requests_failed`).",
        "",
        "## Uploads",
        "",
        f"{up['files_sent']:,} files sent, {up['success_responses']:,} acknowledged, "
        f"{up['verified_intact']:,} verified intact (row SHA-256 and size = sent, file on disk "
        f"hashes the same), {up['missing_or_corrupt']} missing or corrupt; outcomes "
        f"{up['by_outcome']}; refused but stored: {up['failed_but_stored']}.",
        f"On disk after the run: {st['files']:,} files under bukti/, dokumen/, ekspor/; "
        f"{st['orphans']} without a row (partial or orphan), {st['missing']} rows without a file; "
        f"{st['bukti_rows_with_file']:,} bukti files re-hashed, "
        f"{len(st['bukti_files_not_matching_their_sha256'])} not matching their row.",
        "",
        "## Export jobs",
        "",
        f"By status after the drain: {ex['by_status']}; stuck (antre/proses): "
        f"{len(ex['stuck_after_recovery'])}; other than one file: "
        f"{len(ex['jobs_with_other_than_one_file'])}. Re-queued by the heartbeat sweep: "
        f"{f['requeued_by_sweep']} (lines in the worker logs). Drain after the load: "
        f"{data['drain_s']:.0f} s. Queue to done, every job: "
        f"{data['load_check']['exports']['queue_to_done_s']}. "
        f"Sweep log: {f.get('requeue_log') or 'not kept'}. "
        "Exports running when the worker was killed (one of them "
        "on the killed worker), seconds from the kill to their end: "
        + (
            ", ".join(
                f"{k[:8]} {v['status']} {v['s_after_kill']} s"
                for k, v in f["exports_running_at_kill"].items()
            )
            or "none"
        )
        + ".",
        "",
        "## Approvals",
        "",
        f"Driver: {dict(data['approvals_driver'])}; "
        f"problems: {data['approval_problems'] or 'none'}.",
        f"After the run: rencana kerja by status {ap['by_status']}; disetujui without a signed "
        f"document of that approval: {len(ap['disetujui_without_signed_document'])} "
        f"(RencanaKerja `disetujui` whose signing is not *selesai*, or without an aktif "
        f"DokumenTertandatangan signed at or after `disetujui_pada`); by signing status "
        f"{ap.get('by_signing_status', {})}; signed documents in all: "
        f"{ap['signed_documents_total']}.",
        "An approval is *disetujui, menunggu tanda tangan* until its signed PDF exists; when "
        "the queue is down the page says so and offers *Coba lagi*, which the driver presses "
        f"({data['approvals_driver'].get('sign_not_queued_shown', 0)} times), and the sign "
        "sweep under beat re-queues what still waits (`ZI_SIGN_SWEEP_MINUTES=1` here).",
        "",
        "## Exceptions in the server logs (last line of each traceback)",
        "",
        "Handled and logged (a warning with its traceback, or Celery's reconnection), not "
        "answers to users: those are counted under Requests.",
        "",
        *[
            f"- {name}: " + "; ".join(f"{k} ×{v}" for k, v in found.items())
            for name, found in data["log_exceptions"].items()
            if found
        ],
        "",
        "Raw data: the `.json` next to this file.",
    ]
    path.write_text("\n".join(lines) + "\n")
    return passed


# -- main ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join([".venv/bin/python", "bench/load/faults.py", *(argv or sys.argv[1:])])
    total_s = run_seconds(args.run_time)
    for port in (args.port, args.redis_port):
        if not base.port_free(port):
            log(f"port {port} is in use")
            return 2
    results = Path(args.results)
    stem = "faults" + (f"-{args.tag}" if args.tag else "")
    prefix = results / stem
    tmp = Path(tempfile.mkdtemp(prefix="zi-faults-"))
    media = tmp / "media"
    logs = {
        "gunicorn": tmp / "gunicorn.log",
        "worker-a": tmp / "worker-a.log",
        "worker-b": tmp / "worker-b.log",
        "beat": tmp / "beat.log",
        "redis": tmp / "redis.log",
    }
    setup_log = tmp / "setup.log"
    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": f"{args.pg}/{args.db}",
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "MEDIA_ROOT": str(media),
        "ZI_VAR_DIR": str(tmp / "var"),
        "ZI_SIGNING_P12": str(tmp / "signing" / "load-signer.p12"),
        "ZI_SIGNING_P12_PASSPHRASE": secrets.token_urlsafe(16),
        "ZI_PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
        # The sign sweep (beat, every 5 minutes) re-queues approvals waiting over a minute.
        "ZI_SIGN_SWEEP_MINUTES": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    procs = base.Processes()
    redis = Redis(args.redis_port, tmp / "redis", logs["redis"])
    workers = [Worker(n, env, logs[f"worker-{n}"]) for n in ("a", "b")]
    mounted = False
    rc = 1

    def on_signal(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    try:
        log(f"temporary directory {tmp}")
        mount_tmpfs(media, args.media_mb)
        mounted = True
        redis.start()
        base.recreate_database(args.pg, args.db)
        manage = [PY, "manage.py"]
        base.run([*manage, "migrate", "--noinput"], env, setup_log)
        base.run([*manage, "create_dev_certificate", "--penanda-tangan", "2"], env, setup_log)
        base.run([*manage, "load_demo", "--demo-in-production"], env, setup_log)
        base.collectstatic(env, setup_log)
        base.start_gunicorn(procs, args, env, logs["gunicorn"])
        for w in workers:
            w.start()
        procs.start(
            "beat",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "zi_portal",
                "beat",
                "-s",
                str(tmp / "beat-schedule"),
                "-l",
                "info",
            ],
            env,
            logs["beat"],
        )
        base.wait_http(f"http://127.0.0.1:{args.port}/accounts/login/")
        base.run([*manage, "check_worker"], env, setup_log, timeout=120)
        clear_forced_password_change(env, setup_log)
        upload_log = Path(f"{prefix}-uploads.jsonl")
        counters_file = Path(f"{prefix}-counters.json")
        request_csv = tmp / "requests.csv"
        for suffix in ("-uploads.jsonl", "-counters.json", ".json", ".md"):
            Path(f"{prefix}{suffix}").unlink(missing_ok=True)
        locust_cmd, locust_env = base.locust_invocation(
            args,
            csv=str(tmp / "locust"),
            logfile=tmp / "locust.log",
            upload_log=upload_log,
            counters_file=counters_file,
            request_log=str(request_csv),
        )
        log(f"locust: {shlex.join(locust_cmd)}")
        started = dt.datetime.now()
        load_started = time.time()
        approvals = Approvals(
            f"http://127.0.0.1:{args.port}",
            f"{args.pg}/{args.db}",
            args.approval_every,
            os.environ.get("LOAD_PASSWORD", "demo-zi-2026"),  # as the locustfile
        )
        with open(tmp / "locust.out", "wb") as fh:
            locust = subprocess.Popen(
                locust_cmd,
                cwd=ROOT,
                env=locust_env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            approvals.start()
            outage = (0.0, 0.0)
            in_flight: list[str] = []
            killed_at = 0.0
            try:

                def at(fraction: float) -> None:
                    wait = load_started + fraction * total_s - time.time()
                    if wait > 0:
                        time.sleep(wait)

                # 1. A worker dies: one rendering an export (waiting up to 40 s for one),
                # else the busier one (most CPU in the last second).
                at(0.20)
                deadline = time.monotonic() + 40
                busy = [w for w in workers if w.rendering_export()]
                while not busy and time.monotonic() < deadline:
                    time.sleep(0.5)
                    busy = [w for w in workers if w.rendering_export()]
                if busy:
                    victim = busy[0]
                else:
                    before = [w.cpu_seconds() for w in workers]
                    time.sleep(1)
                    used = [w.cpu_seconds() - b for w, b in zip(workers, before, strict=True)]
                    victim = workers[used.index(max(used))]
                in_flight = running_exports(f"{args.pg}/{args.db}")
                event(
                    "worker killed (SIGKILL to its process group)",
                    exports_running=len(in_flight),
                    worker=victim.name,
                    mid_export=bool(busy),
                )
                victim.kill()
                killed_at = time.time()
                time.sleep(args.fault_s)
                victim.start()
                event("worker restarted", worker=victim.name)
                # 2. The broker stops.
                at(0.40)
                event("broker stopped")
                outage_start = time.time()
                redis.stop()
                time.sleep(args.fault_s)
                redis.start()
                outage = (outage_start, time.time() + 3)  # reconnection of clients
                event("broker started again")
                # 3. The media disk fills up.
                at(0.67)
                filler = fill_disk(media)
                event(
                    "media disk full",
                    free_kb=os.statvfs(media).f_bavail * os.statvfs(media).f_frsize // 1024,
                )
                time.sleep(args.fault_s)
                filler.unlink()
                event("media disk freed")
                locust_rc = locust.wait()
            except BaseException:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(locust.pid, signal.SIGTERM)
                locust.wait(timeout=60)
                raise
            finally:
                approvals.halt.set()
                approvals.join(timeout=120)
        log(f"locust finished with status {locust_rc}")
        load_ended = time.time()
        # Drain: no export waiting or running (the sweep re-queues the dead ones).
        load_check = Path(f"{prefix}-check.json")
        base.run(
            [
                PY,
                str(HERE / "run.py"),
                "--_verify",
                str(upload_log),
                str(load_check),
                str(args.drain_timeout),
            ],
            env,
            setup_log,
            timeout=args.drain_timeout + 600,
        )
        drain_s = time.time() - load_ended
        fault_check = tmp / "fault-check.json"
        base.run(
            [PY, str(Path(__file__)), "--_verify", str(fault_check)], env, setup_log, timeout=900
        )
        requeue_log = [
            line.strip()
            for n in "ab"
            for line in logs[f"worker-{n}"].read_text(errors="replace").splitlines()
            if "re-queued (was" in line
        ]
        requeued = len(requeue_log)
        data: dict[str, Any] = {
            "command": command,
            "tag": args.tag,
            "started": started.isoformat(),
            "users": args.users,
            "run_time": args.run_time,
            "gunicorn_workers": args.gunicorn_workers,
            "redis_port": args.redis_port,
            "media_mb": args.media_mb,
            "load_started": load_started,
            "load_ended": load_ended,
            "locust_rc": locust_rc,
            "drain_s": drain_s,
            "facts": base.machine_facts(),
            "faults": {
                "events": EVENTS,
                "requeued_by_sweep": requeued,
                "requeue_log": requeue_log[:50],
                "fault_s": args.fault_s,
                "exports_running_at_kill": finished_after(
                    f"{args.pg}/{args.db}", in_flight, killed_at
                ),
            },
            "server_errors": server_errors(request_csv, outage),
            "counters": json.loads(counters_file.read_text()) if counters_file.exists() else {},
            "load_check": json.loads(load_check.read_text()),
            "check": json.loads(fault_check.read_text()),
            "approvals_driver": dict(approvals.counts),
            "approval_problems": approvals.problems[:20],
            "log_exceptions": {k: exception_summary(v) for k, v in logs.items()},
            "log_hits": {k: v[:30] for k, v in base.scan_logs(logs).items()},
        }
        load_check.unlink()
        Path(f"{prefix}.json").write_text(json.dumps(data, indent=2, default=str))
        passed = write_report(Path(f"{prefix}.md"), data)
        log(f"report: {prefix}.md ({'PASS' if passed else 'FAIL'})")
        rc = 0 if passed else 1
    except KeyboardInterrupt as exc:
        log(f"interrupted ({exc})")
        rc = 130
    except Exception as exc:
        log(f"FAILED: {exc}")
        rc = 1
    finally:
        procs.stop_all()
        for w in workers:
            w.stop()
        redis.stop()
        if rc != 0:
            base.print_log_tails({**logs, "setup": setup_log, "locust": tmp / "locust.out"}, 12)
        if mounted:
            subprocess.run(["umount", "-l", str(media)], check=False)
        base.keep_or_remove(tmp, keep=args.keep_tmp or rc != 0)
    return rc


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--_verify":
        verify_faults(Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
