"""Stored files on the local disk against an S3-compatible object store (issue 18 part 7).

``python -m bench.storage`` (``make bench BENCH_ARGS=--only=storage``; part of the full
``make bench``) needs a gateway: ``BENCH_S3_ENDPOINT`` or ``ZI_TEST_S3_ENDPOINT`` with
``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (and ``AWS_S3_REGION_NAME``,
``AWS_S3_ADDRESSING_STYLE``); it creates its own bucket (``BENCH_S3_BUCKET_PREFIX``, default
``zi-bench``) and removes it afterwards. One fresh process, its own SQLite database with
the demo data, its own MEDIA_ROOT; both sides run in the same process, alternating.

* upload: one evidence upload of a 5 MB and a 20 MB PDF through the whole WSGI stack
  (multipart body read from a file on disk, CSRF, validation, storage), rolled back;
* download: the same file through the rights-checked view (``?unduh=1``), read to the end;
* dossier: the evidence dossier ZIP of Biro HP 2022 (files of 512 KB, 20 MB and 60 MB in
  all) through the export task: read from the store and written back to it as a stream.

Throughput is MB/s of the file (median of the rounds); memory is what the operation adds
to a warmed-up process: the kernel's high-water mark (VmHWM after clear_refs) and the
Python allocations (tracemalloc), each in its own pass. Writes
``bench/results/storage.json`` and ``storage.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MB = 1048576
TARGET_RATIO = 1.5


def log(message: str) -> None:
    print(f"[bench.storage] {message}", file=sys.stderr, flush=True)


def endpoint() -> str:
    return (
        os.environ.get("BENCH_S3_ENDPOINT") or os.environ.get("ZI_TEST_S3_ENDPOINT") or ""
    ).strip()


def _setup(var: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "ZI_VAR_DIR": str(var),
            "MEDIA_ROOT": str(var / "media"),
            "ZI_SIGNING_P12": str(var / "signing" / "bench-signer.p12"),
            "ZI_SIGNING_P12_PASSPHRASE": "bench-storage-signing",
            "ZI_BUKTI_CHECKS": "false",  # the checks are measured by bench/checks.py
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("create_dev_certificate", verbosity=0)
    from zi_portal.demo import demo_load

    demo_load()  # as the tests do (load_demo refuses DEBUG=false)


@contextmanager
def backend(kind: str, bucket: str) -> Iterator[Any]:
    from django.core.files.storage import storages
    from django.test import override_settings

    from zi_portal.lib.objectstore import S3_BACKEND, s3_options

    if kind == "disk":
        default: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    else:
        default = {
            "BACKEND": S3_BACKEND,
            "OPTIONS": s3_options(
                bucket=bucket,
                endpoint_url=endpoint(),
                access_key=os.environ.get("AWS_ACCESS_KEY_ID", ""),
                secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
                region=os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
                addressing_style=os.environ.get("AWS_S3_ADDRESSING_STYLE", "path"),
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=30,
                max_attempts=2,
                max_memory_size=2_621_440,
            ),
        }
    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={"default": default, "staticfiles": staticfiles}):
        yield storages["default"]


class Site:
    """Biro HP 2022 seen by its team member, served through Django's WSGI handler."""

    def __init__(self, folder: Path) -> None:
        from django.contrib.auth import get_user_model
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections
        from django.test import Client

        from lke.models import Penilaian

        self.folder = folder
        self.penilaian = Penilaian.objects.select_related("model").get(
            unit__slug="biro-hp", tahun=2022
        )
        self.question = self.penilaian.model.pertanyaan_set.order_by("urutan").first()
        self.user = get_user_model().objects.get(username="tim.biro-hp")
        client = Client()
        client.force_login(self.user)
        self.session = client.cookies["sessionid"].value
        self.csrf = secrets.token_hex(16)
        self.handler = WSGIHandler()
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.boundary = "zi-bench-" + secrets.token_hex(8)

    def _environ(self, method: str, path: str, query: str = "") -> dict[str, Any]:
        return {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": f"sessionid={self.session}; csrftoken={self.csrf}",
            "HTTP_X_CSRFTOKEN": self.csrf,
            "HTTP_HX_REQUEST": "true",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.input": io.BytesIO(b""),
        }

    def body(self, size: int) -> Path:
        from bench.probe import _multipart

        path = self.folder / f"upload-{size}.body"
        if not path.exists():
            _multipart(path, self.boundary, f"bukti-{size}.pdf", size)
        return path

    def upload(self, size: int) -> Any:
        """POST one file; returns its Bukti (committed: the caller removes it)."""
        from evidence.models import Bukti

        body = self.body(size)
        environ = self._environ(
            "POST", f"/penilaian/{self.penilaian.code}/pertanyaan/{self.question.pk}/bukti/"
        )
        environ["CONTENT_TYPE"] = f"multipart/form-data; boundary={self.boundary}"
        environ["CONTENT_LENGTH"] = str(body.stat().st_size)
        with body.open("rb") as stream:
            environ["wsgi.input"] = stream
            status: list[str] = []
            response = self.handler(environ, lambda s, h, *a: status.append(s))
            for _ in response:
                pass
            response.close()
        assert status and status[0].startswith("200"), status
        latest = Bukti.objects.filter(penilaian=self.penilaian).order_by("-id").first()
        assert latest is not None and latest.ukuran == size
        return latest

    def download(self, bukti: Any) -> str:
        environ = self._environ(
            "GET", f"/penilaian/{self.penilaian.code}/bukti/{bukti.code}/", "unduh=1"
        )
        status: list[str] = []
        headers: list[Any] = []
        response = self.handler(environ, lambda s, h, *a: (status.append(s), headers.append(h)))
        digest = hashlib.sha256()
        for chunk in response:
            digest.update(chunk)
        response.close()
        assert status[0].startswith("200"), status
        return digest.hexdigest()


def remove(bukti: Any) -> None:
    bukti.berkas.storage.delete(bukti.berkas.name)
    bukti.delete()


def memory(fn: Callable[[], Any]) -> dict[str, float]:
    from bench.probe import measured

    return measured(fn)


def transfer(site: Site, kind: str, size_mb: int, rounds: int) -> dict[str, Any]:
    size = size_mb * MB
    ups, downs = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        bukti = site.upload(size)
        ups.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert site.download(bukti) == bukti.sha256
        downs.append(time.perf_counter() - started)
        remove(bukti)
    kept: list[Any] = []
    up_memory = memory(lambda: kept.append(site.upload(size)))
    down_memory = memory(lambda: site.download(kept[0]))
    for bukti in kept:
        remove(bukti)
    up, down = statistics.median(ups), statistics.median(downs)
    return {
        "backend": kind,
        "file_mb": size_mb,
        "upload_s": round(up, 3),
        "upload_mb_s": round(size_mb / up, 1),
        "download_s": round(down, 3),
        "download_mb_s": round(size_mb / down, 1),
        "upload_memory": up_memory,
        "download_memory": down_memory,
    }


def dossier(site: Site, kind: str, total_mb: int, rounds: int) -> dict[str, Any]:
    from django.utils import timezone

    from bench.probe import random_bukti
    from documents.models import ExportJob, StatusEkspor
    from documents.tasks import export_task
    from evidence.models import Bukti
    from lke.models import Pertanyaan

    penilaian = site.penilaian
    questions = list(Pertanyaan.objects.filter(model=penilaian.model).order_by("id"))
    size = 512 * 1024
    files = total_mb * MB // size

    result: dict[str, Any] = {"backend": kind, "total_mb": total_mb, "files": files}
    from django.core.files.storage import storages

    storage = storages["default"]
    # Committed rows (the export task's heartbeat writes from its own connection, which a
    # held SQLite transaction would lock out); removed again below.
    active = list(
        Bukti.objects.filter(penilaian=penilaian, aktif=True).values_list("pk", flat=True)
    )
    Bukti.objects.filter(pk__in=active).update(aktif=False)
    rows = []
    try:
        for index in range(files):
            rows.append(
                random_bukti(storage, penilaian, questions, index, size, site.user, with_hash=True)
            )
        rows = Bukti.objects.bulk_create(rows)

        def run() -> float:
            job = ExportJob.objects.create(
                owner=site.user,
                penilaian=penilaian,
                jenis="berkas_bukti_zip",
                kedaluwarsa=timezone.now() + dt.timedelta(days=1),
            )
            started = time.perf_counter()
            export_task.apply(args=[str(job.pk)], throw=True)
            seconds = time.perf_counter() - started
            job.refresh_from_db()
            assert job.status == StatusEkspor.SELESAI, job.error
            result["zip_mb"] = round(job.berkas.size / MB, 1)
            job.berkas.storage.delete(job.berkas.name)
            job.delete()
            return seconds

        run()  # warm-up
        result["task_s"] = round(statistics.median(run() for _ in range(rounds)), 2)
        result["mb_s"] = round(total_mb / result["task_s"], 1)
        result["memory"] = memory(run)
    finally:
        for row in rows:
            storage.delete(row.berkas.name)
        Bukti.objects.filter(pk__in=[row.pk for row in rows if row.pk]).delete()
        Bukti.objects.filter(pk__in=active).update(aktif=True)
    return result


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Stored files: local disk against the S3 gateway",
        "",
        f"{r['generated_at']} · {r['machine']} · gateway {r['endpoint']} · "
        f"{r['rounds']} rounds (median)",
        "",
        "Upload: the whole request (multipart parse, validation, storage); download: the "
        "rights-checked view read to the end. Memory added to a warmed-up process: peak RSS "
        "(VmHWM) / peak Python allocations (tracemalloc).",
        "",
        "| operation | file | disk | S3 | S3 / disk | memory disk | memory S3 |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    by = {(t["backend"], t["file_mb"]): t for t in r["transfer"]}
    for size in sorted({t["file_mb"] for t in r["transfer"]}):
        d, s = by[("disk", size)], by[("s3", size)]
        for op in ("upload", "download"):
            dm, sm = d[f"{op}_memory"], s[f"{op}_memory"]
            lines.append(
                f"| {op} | {size} MB | {d[f'{op}_mb_s']} MB/s ({d[f'{op}_s']} s) | "
                f"{s[f'{op}_mb_s']} MB/s ({s[f'{op}_s']} s) | "
                f"{round(s[f'{op}_s'] / d[f'{op}_s'], 2)} | "
                f"{dm['peak_rss_added_mb']} / {dm['peak_python_alloc_mb']} MB | "
                f"{sm['peak_rss_added_mb']} / {sm['peak_python_alloc_mb']} MB |"
            )
    lines += [
        "",
        "## Dossier ZIP of Biro HP 2022 through the export task "
        f"(target S3 / disk ≤ {TARGET_RATIO})",
        "",
        "| files | disk | S3 | S3 / disk | ok | memory disk | memory S3 |",
        "|---|--:|--:|--:|---|--:|--:|",
    ]
    dz = {(t["backend"], t["total_mb"]): t for t in r["dossier"]}
    for total in sorted({t["total_mb"] for t in r["dossier"]}):
        d, s = dz[("disk", total)], dz[("s3", total)]
        ratio = round(s["task_s"] / d["task_s"], 2)
        lines.append(
            f"| {d['files']} × 512 KB = {total} MB | {d['task_s']} s ({d['mb_s']} MB/s) | "
            f"{s['task_s']} s ({s['mb_s']} MB/s) | **{ratio}** | "
            f"{'yes' if ratio <= TARGET_RATIO else '**no**'} | "
            f"{d['memory']['peak_rss_added_mb']} / {d['memory']['peak_python_alloc_mb']} MB | "
            f"{s['memory']['peak_rss_added_mb']} / {s['memory']['peak_python_alloc_mb']} MB |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="5,20", help="upload/download file sizes in MB")
    parser.add_argument("--dossier", default="20,60", help="dossier sizes in MB")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    if not endpoint():
        log("no gateway (BENCH_S3_ENDPOINT / ZI_TEST_S3_ENDPOINT): storage step skipped")
        return 0
    var = Path(tempfile.mkdtemp(prefix="zi-bench-storage-"))
    try:
        log(f"database and demo data in {var}")
        _setup(var)
        bucket = f"{os.environ.get('BENCH_S3_BUCKET_PREFIX', 'zi-bench')}-{uuid.uuid4().hex[:10]}"
        with backend("s3", bucket) as s3:
            s3.connection.meta.client.create_bucket(Bucket=bucket)
        site = Site(var)
        results: dict[str, Any] = {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": f"{os.cpu_count()} × {platform.processor() or platform.machine()}",
            "endpoint": endpoint(),
            "rounds": args.rounds,
            "transfer": [],
            "dossier": [],
        }
        try:
            for size in (int(n) for n in args.sizes.split(",")):
                for kind in ("disk", "s3") if size % 2 else ("s3", "disk"):
                    log(f"{kind}: upload/download {size} MB")
                    with backend(kind, bucket):
                        results["transfer"].append(transfer(site, kind, size, args.rounds))
            for total in (int(n) for n in args.dossier.split(",")):
                for kind in ("disk", "s3"):
                    log(f"{kind}: dossier {total} MB")
                    with backend(kind, bucket):
                        results["dossier"].append(dossier(site, kind, total, args.rounds))
        finally:
            with backend("s3", bucket) as s3:
                client = s3.connection.meta.client
                for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                    for entry in page.get("Contents", ()):
                        client.delete_object(Bucket=bucket, Key=entry["Key"])
                client.delete_bucket(Bucket=bucket)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "storage.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "storage.md").write_text(markdown(results))
    print((out / "storage.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
