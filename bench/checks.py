"""Evidence checks' figures (issue 14 part 6): ``python -m bench.checks`` (or ``make bench``
with ``--only checks``).

* pages read per second by one worker, for text PDFs and for scans through OCR
  (`evidence.checks.text.extract`, the child process the task uses);
* the peak resident memory of one analysis (the child's high-water mark, pdftoppm and
  Tesseract included) for a small and a large file;
* the upload request's server time with the checks disabled (`ZI_BUKTI_CHECKS=false`),
  enabled and queued (the production mode: the task goes to the broker after commit and
  the request returns), and enabled in-process (development without Redis: the check
  runs after the commit, inside the request).

The documents are generated here (WeasyPrint, Pillow); nothing is downloaded.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.datasets import ROOT, VAR, DataSpec, Target, environment, log, prepare

PY = sys.executable
LINES = [
    "SURAT KEPUTUSAN KEPALA BIRO HUBUNGAN MASYARAKAT",
    "Tentang Pembentukan Tim Kerja Pembangunan Zona Integritas",
    "Menimbang bahwa dalam rangka membangun unit kerja berpredikat WBK dan WBBM",
    "perlu ditetapkan tim kerja dengan keputusan kepala biro.",
    "Kupang, 28 Juni 2024",
]


def _text_pdf(pages: int) -> bytes:
    from weasyprint import HTML

    body = "".join(
        "<div style='page-break-after: always'>"
        + "".join(f"<p>{line} ({n + 1})</p>" for line in LINES * 6)
        + "</div>"
        for n in range(pages)
    )
    pdf: bytes = HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    return pdf


def _scan_png(seed: int) -> bytes:
    import random

    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)  # noqa: S311 - noise of a test image
    image = Image.new("L", (1654, 2339), 250)  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    for n, line in enumerate(LINES * 4):
        draw.text((120, 150 + 48 * n), line, font=font, fill=25)
    for _ in range(6000):
        image.putpixel((rng.randrange(image.width), rng.randrange(image.height)), 160)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _scanned_pdf(pages: int) -> bytes:
    """An image-only PDF: every page a scan (read through pdftoppm and Tesseract)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(_scan_png(n))).convert("RGB") for n in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    return buffer.getvalue()


CHILD = """
import json, resource, sys, time
from pathlib import Path
from evidence.checks.text import extract
start = time.perf_counter()
result = extract(Path(sys.argv[1]), sys.argv[2])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "pages": len(result.halaman),
  "ocr_pages": sum(1 for h in result.halaman if h.ocr),
  "child_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}))
"""


def _analyse(data: bytes, suffix: str, mime: str) -> dict[str, Any]:
    """One analysis in a fresh process, so the child's peak is this file's alone."""
    with tempfile.TemporaryDirectory(prefix="zi-bench-") as tmp:
        path = Path(tmp) / f"bukti{suffix}"
        path.write_bytes(data)
        out = subprocess.run(  # noqa: S603 - our interpreter, fixed script
            [PY, "-c", CHILD, str(path), mime],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    row["mb"] = round(len(data) / 1048576, 2)
    return row


def analysis() -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"text_pdf": [], "ocr": []}
    text_small, text_large = _text_pdf(2), _text_pdf(30)
    for _ in range(3):
        runs["text_pdf"].append(_analyse(text_large, ".pdf", "application/pdf"))
    scans = _scanned_pdf(3)
    for _ in range(2):
        runs["ocr"].append(_analyse(scans, ".pdf", "application/pdf"))

    def rate(rows: list[dict[str, Any]]) -> float:
        return round(statistics.median(r["pages"] / r["seconds"] for r in rows), 2)

    memory = {
        "text PDF 2 pages": _analyse(text_small, ".pdf", "application/pdf"),
        "text PDF 30 pages": runs["text_pdf"][0],
        "scan PNG 1 page": _analyse(_scan_png(9), ".png", "image/png"),
        "scanned PDF 10 pages": _analyse(_scanned_pdf(10), ".pdf", "application/pdf"),
    }
    return {
        "pages_per_second_per_worker": {
            "text_pdf": rate(runs["text_pdf"]),
            "ocr": rate(runs["ocr"]),
        },
        "runs": runs,
        "memory": memory,
    }


def upload(rounds: int) -> dict[str, Any]:
    """Median server time of one upload request (test client, whole stack, committed)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from evidence.models import Bukti
    from lke.models import Penilaian, Pertanyaan, StatusPenilaian
    from zi_portal.celery import app

    penilaian = Penilaian.objects.filter(unit__slug="bench-u0001").order_by("-tahun").first()
    assert penilaian is not None, "bench data missing"
    status_before = penilaian.status  # restored at the end: the data set is shared
    Penilaian.objects.filter(pk=penilaian.pk).update(status=StatusPenilaian.PENGISIAN)
    q = Pertanyaan.objects.filter(model=penilaian.model).order_by("urutan").first()
    assert q is not None
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench.tim.0001"))
    data = _text_pdf(3)
    url = f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/"
    modes = {
        "checks disabled": (False, False),
        "checks enabled, queued": (True, False),
        "checks enabled, in-process": (True, True),
    }
    times: dict[str, list[float]] = {m: [] for m in modes}
    before = set(Bukti.objects.values_list("pk", flat=True))
    for n in range(rounds):
        for mode, (enabled, eager) in modes.items():
            settings.ZI_BUKTI_CHECKS = enabled
            app.conf.task_always_eager = eager
            start = time.perf_counter()
            response = client.post(
                url, {"berkas": SimpleUploadedFile(f"sk-{n}.pdf", data, "application/pdf")}
            )
            times[mode].append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
    for b in Bukti.objects.exclude(pk__in=before):
        b.berkas.delete(save=False)
        b.delete()
    Penilaian.objects.filter(pk=penilaian.pk).update(status=status_before)
    settings.ZI_BUKTI_CHECKS, app.conf.task_always_eager = True, not settings.REDIS_URL
    medians = {m: round(statistics.median(t) * 1000, 1) for m, t in times.items()}
    base = medians["checks disabled"]
    return {
        "rounds": rounds,
        "median_ms": medians,
        "ratio_queued": round(medians["checks enabled, queued"] / base, 3),
        "ratio_in_process": round(medians["checks enabled, in-process"] / base, 3),
        "broker": settings.CELERY_BROKER_URL.split("://")[0],
    }


def markdown(results: dict[str, Any]) -> str:
    a, u = results["analysis"], results["upload"]
    rate = a["pages_per_second_per_worker"]
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| text PDF, pages per second per worker | {rate['text_pdf']} |",
        f"| OCR (scanned PDF, 200 dpi), pages per second per worker | {rate['ocr']} |",
    ]
    for name, row in a["memory"].items():
        lines.append(
            f"| peak RSS of one analysis, {name} ({row['mb']} MB) | {row['child_peak_mb']} MB |"
        )
    for mode, value in u["median_ms"].items():
        lines.append(f"| upload request (3-page PDF), {mode} | {value} ms |")
    lines.append(
        f"| ratio enabled (queued, broker {u['broker']}) / disabled | {u['ratio_queued']} |"
    )
    lines.append(f"| ratio enabled (in-process) / disabled | {u['ratio_in_process']} |")
    return "\n".join(lines).replace(".", ",") + "\n"


def main() -> int:
    target = Target(
        "checks",
        f"sqlite:///{VAR / 'bench-checks.sqlite3'}",
        str(VAR / "bench-checks.sqlite3"),
        DataSpec(1, 1, 2024),
    )
    prepare(target)
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    os.environ.update(environment(target, redis_url))
    import django

    django.setup()
    log("evidence checks: analysis")
    results = {"analysis": analysis()}
    log("evidence checks: upload request")
    results["upload"] = upload(rounds=int(os.environ.get("BENCH_CHECKS_ROUNDS", "15")))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "checks.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "checks.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
