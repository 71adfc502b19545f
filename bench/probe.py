"""Memory probes, each run in a fresh process: ``python -m bench.probe upload|exports``.

Peak memory is the kernel's high-water mark of the process (VmHWM), reset after a
warm-up through /proc/self/clear_refs, so the figure is what the measured operation
added on top of a process that has already imported and served everything once.
Python allocations are traced separately (tracemalloc) in a second pass. The probe
prints one JSON object.

* ``upload --mb N``: one evidence upload of an N MB PDF through the whole WSGI stack
  (a real multipart body read from a file on disk, CSRF, validation, storage), inside a
  transaction that is rolled back; the stored file is removed.
* ``exports --count N``: the LKE export task for N units, one after the other as a
  worker would run them; resident memory is sampled along the way.
* ``dossier --files N --mb M``: the evidence dossier ZIP of Biro HP 2022 with N files
  of M MB in all (random bytes, in a temporary MEDIA_ROOT) through the export task,
  against plain `zipfile` writing the same files; its index PDF against plain
  WeasyPrint of the same HTML; peak memory of the task.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import secrets
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def rss() -> int:
    return _status("VmRSS")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def peak() -> int:
    return _status("VmHWM")


def mb(n: float) -> float:
    return round(n / 1048576, 1)


def measured(fn: Callable[[], Any]) -> dict[str, float]:
    """Peak resident and traced memory that `fn` adds (two passes)."""
    base = rss()
    reset_peak()
    fn()
    resident = peak() - base
    tracemalloc.start()
    fn()
    _current, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"peak_rss_added_mb": mb(max(resident, 0)), "peak_python_alloc_mb": mb(traced)}


# --------------------------------------------------------------------------------------
# Upload
# --------------------------------------------------------------------------------------


def _multipart(path: Path, boundary: str, filename: str, size: int) -> int:
    """Write a multipart/form-data body with one PDF of `size` bytes; return its length."""
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="berkas"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = (
        "".join(
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            for name in ("tanggal_efektif", "url", "judul")
        ).encode()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    line = b"% isi berkas bukti untuk uji unggah " + b"x" * 60 + b"\n"
    with path.open("wb") as out:
        out.write(head)
        out.write(b"%PDF-1.4\n")
        written = 9
        chunk = line * (65536 // len(line))
        while written + len(chunk) < size - 6:
            out.write(chunk)
            written += len(chunk)
        out.write(b"%" * (size - 6 - written) + b"\n%%EOF")
        out.write(tail)
    return path.stat().st_size


def upload(size_mb: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction
    from django.test import Client

    from evidence.models import Bukti
    from lke.models import Penilaian, StatusPenilaian

    penilaian = (
        Penilaian.objects.filter(unit__slug__startswith="bench-", status=StatusPenilaian.PENGISIAN)
        .select_related("unit", "model")
        .order_by("id")
        .first()
    )
    assert penilaian is not None
    user = get_user_model().objects.get(username=f"bench.tim.{penilaian.unit.slug[-4:]}")
    question = penilaian.model.pertanyaan_set.order_by("urutan").first()
    assert question is not None
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret is a valid token
    handler = WSGIHandler()
    # The test client's trick: keep one connection (and its transaction) for the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    folder = Path(tempfile.mkdtemp(prefix="zi-bench-upload-"))
    boundary = "zi-bench-" + secrets.token_hex(8)

    def post(size: int, name: str) -> None:
        body = folder / f"{name}.body"
        length = _multipart(body, boundary, f"{name}.pdf", size)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/penilaian/{penilaian.code}/pertanyaan/{question.pk}/bukti/",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={csrf}",
            "HTTP_X_CSRFTOKEN": csrf,
            "HTTP_HX_REQUEST": "true",
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(length),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        stored: list[str] = []
        with body.open("rb") as stream, transaction.atomic():
            environ["wsgi.input"] = stream
            status: list[str] = []
            response = handler(environ, lambda s, h, *a: status.append(s))
            for _ in response:
                pass
            response.close()
            assert status and status[0].startswith("200"), status
            latest = Bukti.objects.filter(penilaian=penilaian).order_by("-id").first()
            assert latest is not None and latest.ukuran == size, "upload not stored"
            stored.append(latest.berkas.name)
            transaction.set_rollback(True)
        for name_ in stored:
            latest.berkas.storage.delete(name_)
        body.unlink()

    size = size_mb * 1048576
    post(256 * 1024, "warm-up")
    started = time.perf_counter()
    post(size, "timed")
    seconds = time.perf_counter() - started
    figures = measured(lambda: post(size, "measured"))
    folder.rmdir()
    return {
        "file_mb": size_mb,
        "seconds": round(seconds, 3),
        **figures,
        "process_rss_mb": mb(rss()),
    }


# --------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------


def exports(count: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from documents.models import ExportJob, StatusEkspor
    from documents.tasks import export_task
    from lke.models import Penilaian

    chosen = list(
        Penilaian.objects.filter(unit__slug__startswith="bench-", tahun=2024)
        .select_related("unit")
        .order_by("unit__slug")[:count]
    )
    assert len(chosen) == count, f"only {len(chosen)} units"
    owner = get_user_model().objects.get(username="admin")

    def run(p: Penilaian) -> None:
        job = ExportJob.objects.create(
            owner=owner,
            penilaian=p,
            jenis="lke_xlsx",
            params={"by": "tpi"},
            kedaluwarsa=timezone.now() + dt.timedelta(days=1),
        )
        export_task.apply(args=[str(job.pk)], throw=True)
        job.refresh_from_db()
        assert job.status == StatusEkspor.SELESAI, job.error
        job.berkas.storage.delete(job.berkas.name)
        folder = Path(job.berkas.path).parent
        if folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
        job.delete()

    run(chosen[0])  # warm-up
    base = rss()
    reset_peak()
    samples = []
    started = time.perf_counter()
    for index, p in enumerate(chosen, start=1):
        run(p)
        if index % max(1, count // 10) == 0:
            samples.append({"exports": index, "rss_mb": mb(rss())})
    seconds = time.perf_counter() - started
    return {
        "exports": count,
        "seconds": round(seconds, 1),
        "per_export_ms": round(seconds / count * 1000),
        "rss_before_mb": mb(base),
        "peak_rss_added_mb": mb(max(peak() - base, 0)),
        "rss_samples": samples,
    }


def random_bukti(
    storage: Any,
    penilaian: Any,
    questions: list[Any],
    index: int,
    size: int,
    owner: Any,
    *,
    with_hash: bool = False,
) -> Any:
    """An unsaved bukti of `size` random bytes (incompressible, like the PDFs and photos
    it stands for), stored as `bukti/<penilaian>/bench-NNNN.pdf` on `storage`."""
    import hashlib

    from django.core.files.base import ContentFile

    from evidence.models import Bukti, JenisBukti

    data = os.urandom(size)
    name = storage.save(f"bukti/{penilaian.code}/bench-{index:04d}.pdf", ContentFile(data))
    return Bukti(
        penilaian=penilaian,
        pertanyaan=questions[index % len(questions)],
        jenis=JenisBukti.FILE,
        berkas=name,
        nama_asli=f"Bukti {index:04d}.pdf",
        judul=f"Bukti {index:04d}",
        ukuran=size,
        sha256=hashlib.sha256(data).hexdigest() if with_hash else "",
        diunggah_oleh=owner,
    )


def dossier(files: int, total_mb: int, rounds: int) -> dict[str, Any]:
    import hashlib
    import statistics
    import zipfile

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone
    from weasyprint import HTML

    from documents.dossier import dossier_entries, index_html, index_pdf
    from documents.models import ExportJob, StatusEkspor
    from documents.pdf import PDF_OPTIONS
    from documents.tasks import export_task
    from evidence.models import Bukti
    from lke.models import Penilaian, Pertanyaan

    media = Path(settings.MEDIA_ROOT)
    assert media.name.startswith("zi-bench-dossier-"), media  # never the bench's own media
    penilaian = Penilaian.objects.select_related("unit__instansi", "model").get(
        unit__slug="biro-hp", tahun=2022
    )
    owner = get_user_model().objects.get(username="tim.biro-hp")
    questions = list(Pertanyaan.objects.filter(model=penilaian.model).order_by("id"))
    size = total_mb * 1048576 // files

    class Rollback(Exception):
        pass

    result: dict[str, Any] = {"files": files, "total_mb": total_mb, "file_kb": size // 1024}
    try:
        with transaction.atomic():
            Bukti.objects.filter(penilaian=penilaian).update(aktif=False)
            rows = []
            for index in range(files):
                rows.append(random_bukti(default_storage, penilaian, questions, index, size, owner))
            Bukti.objects.bulk_create(rows)

            def run_task() -> float:
                job = ExportJob.objects.create(
                    owner=owner,
                    penilaian=penilaian,
                    jenis="berkas_bukti_zip",
                    kedaluwarsa=timezone.now() + dt.timedelta(days=1),
                )
                started = time.perf_counter()
                export_task.apply(args=[str(job.pk)], throw=True)
                seconds = time.perf_counter() - started
                job.refresh_from_db()
                assert job.status == StatusEkspor.SELESAI, job.error
                result["zip_mb"] = mb(job.berkas.size)
                job.berkas.storage.delete(job.berkas.name)
                job.delete()
                return seconds

            entries = dossier_entries(penilaian)

            def run_plain() -> float:
                # The same files under the same names, by the standard library from paths.
                started = time.perf_counter()
                with zipfile.ZipFile(media / "plain.zip", "w", zipfile.ZIP_STORED) as archive:
                    for entri in entries:
                        archive.write(default_storage.path(entri.bukti.berkas.name), entri.arcname)
                seconds = time.perf_counter() - started
                (media / "plain.zip").unlink()
                return seconds

            def run_plain_hashed() -> float:
                # zipfile plus the one thing the dossier adds per file: its SHA-256.
                started = time.perf_counter()
                with zipfile.ZipFile(media / "plain.zip", "w", zipfile.ZIP_STORED) as archive:
                    for entri in entries:
                        path = default_storage.path(entri.bukti.berkas.name)
                        with open(path, "rb") as handle:
                            hashlib.file_digest(handle, "sha256")
                        archive.write(path, entri.arcname)
                seconds = time.perf_counter() - started
                (media / "plain.zip").unlink()
                return seconds

            for entri in entries:
                entri.ukuran = entri.bukti.ukuran
                entri.sha256 = "0" * 64
            html = index_html(penilaian, entries)

            def run_index() -> float:
                started = time.perf_counter()
                index_pdf(penilaian, entries)
                return time.perf_counter() - started

            def run_archive() -> float:
                # The same task with the index PDF left out: the archive's own cost.
                from documents import dossier as module

                real = module.index_pdf
                module.index_pdf = lambda penilaian, entries: b"%PDF-1.7\n"
                try:
                    return run_task()
                finally:
                    module.index_pdf = real

            def run_weasyprint() -> float:
                started = time.perf_counter()
                HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**PDF_OPTIONS)
                return time.perf_counter() - started

            if rounds:
                run_task(), run_plain(), run_index()  # warm-up
                task, plain, index, weasy, bare, hashed = [], [], [], [], [], []
                for n in range(rounds):  # alternate which side goes first
                    pairs = [(task, run_task), (plain, run_plain), (bare, run_archive)]
                    pairs += [(hashed, run_plain_hashed)]
                    pairs += [(index, run_index), (weasy, run_weasyprint)]
                    for times, fn in pairs if n % 2 == 0 else pairs[::-1]:
                        times.append(fn())
                t, p = statistics.median(task), statistics.median(plain)
                i, w = statistics.median(index), statistics.median(weasy)
                a, h = statistics.median(bare), statistics.median(hashed)
                result.update(
                    archive_s=round(a, 2),
                    archive_ratio=round(a / p, 3),
                    zipfile_sha256_s=round(h, 2),
                    archive_ratio_to_zipfile_sha256=round(a / h, 3),
                    task_s=round(t, 2),
                    zipfile_s=round(p, 2),
                    ratio=round(t / p, 3),
                    index_pdf_s=round(i, 2),
                    weasyprint_s=round(w, 2),
                    index_ratio=round(i / w, 3),
                    # The task also renders the index PDF, which zipfile does not.
                    ratio_to_zipfile_plus_weasyprint=round(t / (p + w), 3),
                    rounds=rounds,
                )
            else:
                run_task()  # warm-up
            result["memory"] = measured(run_task)
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="probe", required=True)
    sub.add_parser("upload").add_argument("--mb", type=int, required=True)
    sub.add_parser("exports").add_argument("--count", type=int, required=True)
    d = sub.add_parser("dossier")
    d.add_argument("--files", type=int, required=True)
    d.add_argument("--mb", type=int, required=True)
    d.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.probe == "dossier":
        import shutil

        media = tempfile.mkdtemp(prefix="zi-bench-dossier-")
        os.environ["MEDIA_ROOT"] = media
        try:
            django.setup()
            print(json.dumps(dossier(args.files, args.mb, args.rounds)))
        finally:
            shutil.rmtree(media, ignore_errors=True)
        return
    django.setup()
    result = upload(args.mb) if args.probe == "upload" else exports(args.count)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
