"""In-process measurements (Django is set up by bench/run.py before this is imported).

Pages go through the whole Django stack (middleware, view, template) with the test
client; 1× and 20× requests are interleaved round by round so that drift in the
machine's load affects both sides alike. The connection is switched between the two
databases by changing its NAME while it is closed.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.datasets import Target, log


@contextmanager
def using(target: Target) -> Iterator[None]:
    """Point the default connection at `target`'s database."""
    conn = connections["default"]
    if conn.settings_dict["NAME"] != target.name:
        conn.close()
        conn.settings_dict["NAME"] = target.name
        ContentType.objects.clear_cache()
    yield


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------

PAGE_USERS = {"tim": "bench.tim.0001", "tpi": "bench.tpi.01"}


def _page_urls() -> dict[str, tuple[str, list[str]]]:
    """Page name -> (user key, URLs). Unit 1 is the same in both databases."""
    from lke.models import Penilaian

    p = Penilaian.objects.filter(unit__slug="bench-u0001").order_by("-tahun").first()
    assert p is not None, "bench data missing"
    return {
        "worksheet": ("tim", [f"/penilaian/{p.code}/area/{n}/" for n in range(1, 7)]),
        "dashboard": ("tim", [f"/penilaian/{p.code}/"]),
        "TPI queue": ("tpi", ["/tpi/"]),
        "score page": ("tpi", [f"/penilaian/{p.code}/skor/"]),
        "home (tim kerja)": ("tim", ["/"]),
        "home (TPI of the instansi)": ("tpi", ["/"]),
        # Issue 16: every unit of instansi bench-01 (25 units at 1x; 1,000 with
        # --units-per-instansi 1000 --scale 40), sorted by the TPI total.
        "instansi page (TPI of the instansi)": ("tpi", ["/instansi/bench-01/?urut=-tpi"]),
        # Issue 16 part 2: every year of unit 1 side by side (final years from snapshots).
        "year over year": ("tpi", [f"/penilaian/{p.code}/antar-tahun/"]),
    }


def pages(
    small: Target, large: Target, rounds: int, repeat: int, only: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Median server time of each page at 1× and 20× data, and its query count.

    `only`: page names to measure (all when empty)."""
    sides = (small, large)
    clients: dict[tuple[str, str], Client] = {}
    urls: dict[str, dict[str, tuple[str, list[str]]]] = {}
    queries: dict[str, dict[str, int]] = {}
    sizes: dict[str, dict[str, int]] = {}
    for target in sides:
        with using(target):
            urls[target.size] = {
                name: value for name, value in _page_urls().items() if not only or name in only
            }
            for key, username in PAGE_USERS.items():
                client = Client()
                client.force_login(get_user_model().objects.get(username=username))
                clients[(target.size, key)] = client
            for name, (key, page_urls) in urls[target.size].items():
                client = clients[(target.size, key)]
                for url in page_urls:  # warm-up, and the query count of each page
                    response = client.get(url)
                    assert response.status_code == 200, (target.size, url, response.status_code)
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(page_urls[0])
                queries.setdefault(name, {})[target.size] = len(ctx.captured_queries)
                sizes.setdefault(name, {})[target.size] = len(response.content)
    samples: dict[tuple[str, str, str], list[float]] = {}
    for round_ in range(rounds):
        for target in sides if round_ % 2 == 0 else reversed(sides):
            with using(target):
                for name, (key, page_urls) in urls[target.size].items():
                    client = clients[(target.size, key)]
                    for url in page_urls:
                        for _ in range(repeat):
                            started = time.perf_counter()
                            client.get(url)
                            elapsed = time.perf_counter() - started
                            samples.setdefault((name, url, target.size), []).append(elapsed)
    result: dict[str, Any] = {}
    for name, (_key, page_urls) in urls[small.size].items():
        row: dict[str, Any] = {}
        for target in sides:
            medians = [
                statistics.median(samples[(name, url, target.size)])
                for url in urls[target.size][name][1]
            ]
            # The worksheet is six area pages: its figure is their mean.
            row[f"{target.size}_ms"] = ms(statistics.fmean(medians))
            row[f"{target.size}_queries"] = queries[name][target.size]
            row[f"{target.size}_kb"] = round(sizes[name][target.size] / 1024)
        row["ratio"] = round(row[f"{large.size}_ms"] / row[f"{small.size}_ms"], 2)
        row["queries_ratio"] = round(
            row[f"{large.size}_queries"] / max(1, row[f"{small.size}_queries"]), 2
        )
        row["requests_per_side"] = rounds * repeat * len(page_urls)
        result[name] = row
    return result


# --------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------


def _job(penilaian: Any, owner: Any, jenis: str, params: dict[str, Any]) -> Any:
    from documents.models import ExportJob

    return ExportJob.objects.create(
        owner=owner,
        penilaian=penilaian,
        jenis=jenis,
        params=params,
        kedaluwarsa=timezone.now() + dt.timedelta(days=1),
    )


def _run_task(job: Any) -> Any:
    from documents.models import StatusEkspor
    from documents.tasks import export_task

    export_task.apply(args=[str(job.pk)], throw=True)
    job.refresh_from_db()
    assert job.status == StatusEkspor.SELESAI, (job.status, job.error)
    return job


def _discard(job: Any) -> None:
    if job.berkas:
        job.berkas.storage.delete(job.berkas.name)
        folder = Path(job.berkas.path).parent
        if folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
    job.delete()


Cell = tuple[int, int, Any, tuple[Any, ...] | None]  # row, column, value, style


def _cells(path: Path) -> list[tuple[str, list[Cell]]]:
    """Every written cell of a workbook: value and (shared, deduplicated) style objects."""
    from copy import copy

    from openpyxl import load_workbook

    styles: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    sheets = []
    for ws in load_workbook(path).worksheets:
        cells: list[Cell] = []
        for (row, col), c in sorted(ws._cells.items()):
            style = None
            if c.has_style:
                key = (
                    copy(c.font),
                    copy(c.fill),
                    copy(c.border),
                    copy(c.alignment),
                    c.number_format,
                )
                style = styles.setdefault(key, key)
            if c.value is not None or style is not None:
                cells.append((row, col, c.value, style))
        sheets.append((ws.title, cells))
    return sheets


def _plain_openpyxl(sheets: list[tuple[str, list[Cell]]], *, styled: bool) -> bytes:
    """The same cells written the plain way: ws.cell(...), style attributes, save."""
    from openpyxl import Workbook

    wb = Workbook()
    for index, (title, cells) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        for row, col, value, style in cells:
            if value is None and not styled:
                continue
            cell = ws.cell(row=row, column=col, value=value)
            if styled and style is not None:
                cell.font, cell.fill, cell.border, cell.alignment, cell.number_format = style
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def lke_export(target: Target, rounds: int) -> dict[str, Any]:
    """The full export task for one unit against plain openpyxl writing the same cells.

    Two baselines: the cells' values only, and their values with their styles (font,
    fill, border, alignment, number format), both through the ordinary openpyxl API.
    """
    from lke.models import Penilaian

    with using(target):
        penilaian = Penilaian.objects.select_related("unit").get(
            unit__slug="bench-u0001", tahun=2023
        )
        owner = get_user_model().objects.get(username=PAGE_USERS["tim"])
        job = _run_task(_job(penilaian, owner, "lke_xlsx", {"by": "tpi"}))  # warm-up
        sheets = _cells(Path(job.berkas.path))
        size = job.berkas.size
        _discard(job)
        _plain_openpyxl(sheets, styled=True)
        task: list[float] = []
        plain: list[float] = []
        styled: list[float] = []

        def run_task() -> None:
            job = _job(penilaian, owner, "lke_xlsx", {"by": "tpi"})
            started = time.perf_counter()
            _run_task(job)
            task.append(time.perf_counter() - started)
            _discard(job)

        def run_plain() -> None:
            for flag, samples in ((False, plain), (True, styled)):
                started = time.perf_counter()
                _plain_openpyxl(sheets, styled=flag)
                samples.append(time.perf_counter() - started)

        for n in range(rounds):  # alternate which side goes first
            for step in (run_task, run_plain) if n % 2 == 0 else (run_plain, run_task):
                step()
    t, p, st = statistics.median(task), statistics.median(plain), statistics.median(styled)
    return {
        "penilaian": f"{penilaian.unit.slug} {penilaian.tahun}",
        "cells_with_value": sum(1 for _, cells in sheets for c in cells if c[2] is not None),
        "cells_written": sum(len(cells) for _, cells in sheets),
        "sheets": [title for title, _ in sheets],
        "file_kb": round(size / 1024),
        "task_ms": ms(t),
        "plain_styled_ms": ms(st),
        "ratio": round(t / st, 2),
        "plain_values_only_ms": ms(p),
        "ratio_values_only": round(t / p, 2),
        "target": 1.5,
        "rounds": rounds,
    }


def rencana_kerja_pdf(target: Target, rounds: int) -> dict[str, Any]:
    """The full export task for Biro HP 2022's rencana kerja against plain WeasyPrint."""
    from documents.pdf import rencana_kerja_html
    from evidence.models import RencanaKerja

    with using(target):
        rk = RencanaKerja.objects.select_related("penilaian__unit").get(
            penilaian__unit__slug="biro-hp", penilaian__tahun=2022
        )
        owner = get_user_model().objects.get(username="tim.biro-hp")
        result = _task_against_plain(
            rk.penilaian, owner, "rencana_kerja_pdf", {}, rencana_kerja_html(rk), rounds
        )
        html_times = []
        for _ in range(rounds):  # the portal's own share: query the rows, render the HTML
            started = time.perf_counter()
            rencana_kerja_html(RencanaKerja.objects.select_related("penilaian__unit").get(pk=rk.pk))
            html_times.append(time.perf_counter() - started)
    html_s = statistics.median(html_times)
    plain_s = result["weasyprint_ms"] / 1000
    return {
        **result,
        "html_ms": ms(html_s),
        "ratio_from_parts": round((plain_s + html_s) / plain_s, 3),
    }


def _task_against_plain(
    penilaian: Any,
    owner: Any,
    jenis: str,
    params: dict[str, Any],
    html: str,
    rounds: int,
    before_task: Callable[[], None] = lambda: None,
    new_job: Callable[[], Any] | None = None,
    label: str = "",
) -> dict[str, Any]:
    """One export task against plain WeasyPrint writing the same HTML as PDF/A-3b, tagged.

    `before_task` undoes what a task leaves behind that would let the next one skip work
    (the LHE registers its signed document once per final score); `new_job` makes the
    job row when it is not one of a penilaian (the proposal of an instansi).
    """
    make_job = new_job or (lambda: _job(penilaian, owner, jenis, params))
    from weasyprint import HTML

    from documents.pdf import PDF_OPTIONS

    base_url = str(settings.BASE_DIR)
    before_task()
    job = _run_task(make_job())  # warm-up
    size = job.berkas.size
    _discard(job)
    n_pages = len(HTML(string=html, base_url=base_url).render().pages)
    task: list[float] = []
    plain: list[float] = []

    def run_task() -> None:
        before_task()
        job = make_job()
        started = time.perf_counter()
        _run_task(job)
        task.append(time.perf_counter() - started)
        _discard(job)

    def run_plain() -> None:
        started = time.perf_counter()
        HTML(string=html, base_url=base_url).write_pdf(**PDF_OPTIONS)
        plain.append(time.perf_counter() - started)

    for n in range(rounds):  # alternate which side goes first
        for step in (run_task, run_plain) if n % 2 == 0 else (run_plain, run_task):
            step()
    t, p = statistics.median(task), statistics.median(plain)
    return {
        "penilaian": label or f"{penilaian.unit.slug} {penilaian.tahun}",
        "pages": n_pages,
        "file_kb": round(size / 1024),
        "task_ms": ms(t),
        "weasyprint_ms": ms(p),
        "ratio": round(t / p, 3),
        "target": 1.3,
        "rounds": rounds,
    }


def document_pdfs(target: Target, rounds: int) -> dict[str, dict[str, Any]]:
    """The PDFs of the cycle (issue 15): each export task against plain WeasyPrint.

    The laporan monev of triwulan II of Biro HP 2022 (the demo) and the LHE of the
    first bench unit's final penilaian, signed by the TPI: the signature is part of the
    task, not of plain WeasyPrint.
    """
    from django.core.management import call_command
    from django.template.loader import render_to_string

    from documents.lhe import lhe_data, lhe_html, lhe_penandatangan
    from documents.models import DokumenTertandatangan, JenisDokumen
    from documents.monev import laporan_monev, monev_context
    from lke.models import Penilaian

    call_command("create_dev_certificate", "--tpi", verbosity=0)  # only what is missing
    results: dict[str, dict[str, Any]] = {}
    with using(target):
        user_model = get_user_model()
        biro_hp = Penilaian.objects.select_related("unit").get(unit__slug="biro-hp", tahun=2022)
        tim = user_model.objects.get(username="tim.biro-hp")
        html: str = render_to_string(
            "documents/pdf/monev.html", monev_context(laporan_monev(biro_hp, 2, user=tim))
        )
        results["monev_pdf"] = _task_against_plain(
            biro_hp, tim, "monev_pdf", {"triwulan": 2, "pengguna": tim.pk}, html, rounds
        )
        final = (
            Penilaian.objects.select_related("unit")
            .filter(unit__slug="bench-u0001", snapshot__set="tpi", snapshot__final=True)
            .order_by("-tahun")
            .first()
        )
        assert final is not None, "bench data has no final penilaian for bench-u0001"
        lhe = lhe_data(final)
        html = lhe_html(
            lhe,
            verification_url="http://127.0.0.1:8000/verifikasi/bench/",
            penandatangan=lhe_penandatangan(lhe.penilaian, lhe.snapshot),
        )

        def forget_lhe() -> None:
            for dokumen in DokumenTertandatangan.objects.filter(
                jenis=JenisDokumen.LHE, snapshot__penilaian=final
            ):
                dokumen.berkas.delete(save=False)
                dokumen.delete()

        tpi = user_model.objects.get(username=PAGE_USERS["tpi"])
        results["lhe_pdf"] = _task_against_plain(
            final, tpi, "lhe_pdf", {}, html, rounds, forget_lhe
        )
        forget_lhe()
        results["pengusulan_pdf"] = _pengusulan_pdf(tpi, rounds)
    return results


def _pengusulan_pdf(tpi: Any, rounds: int) -> dict[str, Any]:
    """The draft proposal of instansi bench-01 (its latest year with proposable units,
    at most three): the export task renders the letter, the SPTJM and each unit's
    Lampiran and appends the pages of each unit's signed LHE (signed once, in the
    warm-up); plain WeasyPrint writes the letter, SPTJM and every Lampiran as one HTML."""
    from django.template.loader import render_to_string

    from documents.models import ExportJob
    from documents.pengusulan import pengusulan_context
    from lke.models import Penilaian
    from scoring.pengusulan import pengusulan_kandidat, pengusulan_of, pengusulan_simpan
    from units.models import Instansi

    instansi = Instansi.objects.get(kode="bench-01")
    years = sorted(
        set(Penilaian.objects.filter(unit__instansi=instansi).values_list("tahun", flat=True)),
        reverse=True,
    )
    kandidat: list[Any] = []
    tahun = 0
    for tahun in years:
        kandidat = [k for k in pengusulan_kandidat(instansi, tahun) if k.boleh][:3]
        if kandidat:
            break
    assert kandidat, "bench-01 has no unit whose final TPI result reaches WBK"
    pengusulan = pengusulan_of(instansi, tahun) or pengusulan_simpan(
        instansi=instansi,
        tahun=tahun,
        usulan=[(str(k.penilaian.code), k.boleh[0]) for k in kandidat],
        surat={"nomor_surat": "bench/ZI/1", "tempat": "Jakarta"},
        user=tpi,
        access=None,
    )
    context = pengusulan_context(pengusulan, draf=True, with_lhe=False)
    html: str = render_to_string(
        "documents/pdf/pengusulan.html", {**context, "lampiran_sekaligus": True}
    )

    def new_job() -> Any:
        return ExportJob.objects.create(
            owner=tpi,
            penilaian=None,
            pengusulan=pengusulan,
            jenis="pengusulan_pdf",
            params={},
            kedaluwarsa=timezone.now() + dt.timedelta(days=1),
        )

    return _task_against_plain(
        None,
        tpi,
        "pengusulan_pdf",
        {},
        html,
        rounds,
        new_job=new_job,
        label=f"bench-01 {tahun}, {len(kandidat)} units",
    )


# --------------------------------------------------------------------------------------
# Scoring engine
# --------------------------------------------------------------------------------------


def engine(target: Target, n: int) -> dict[str, Any]:
    """Penilaian scored per second by the pure engine, and through the database adapter."""
    from lke.models import Penilaian
    from scoring.engine import score
    from scoring.services import answer_set, model_spec, penilaian_score

    with using(target):
        chosen = list(
            Penilaian.objects.select_related("unit", "model")
            .filter(unit__slug__startswith="bench-")
            .order_by("id")[:n]
        )
        specs = {p.model_id: model_spec(p.model) for p in chosen}
        started = time.perf_counter()
        answers = [(specs[p.model_id], answer_set(p, "tpi")) for p in chosen]
        load = time.perf_counter() - started
        for spec, answer in answers[:50]:  # warm-up
            score(spec, answer)
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            for spec, answer in answers:
                score(spec, answer)
            runs.append(time.perf_counter() - started)
        best = statistics.median(runs)
        adapter_n = min(200, len(chosen))
        started = time.perf_counter()
        for p in chosen[:adapter_n]:
            penilaian_score(p, "tpi")
        adapter = time.perf_counter() - started
    models = sorted({p.model.kode for p in chosen})
    return {
        "penilaian": len(chosen),
        "models": models,
        "engine_seconds": round(best, 3),
        "per_second": round(len(chosen) / best),
        "target_seconds": 1.0,
        "answer_sets_load_seconds": round(load, 3),
        "penilaian_score_per_second": round(adapter_n / adapter),
    }


def timed(label: str, fn: Callable[[], Any]) -> Any:
    log(f"{label} ...")
    started = time.perf_counter()
    result = fn()
    log(f"{label}: {time.perf_counter() - started:.1f} s")
    return result
