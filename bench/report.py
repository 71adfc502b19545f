"""The Markdown summary of a benchmark run (bench/results/latest.md)."""

from __future__ import annotations

from typing import Any

DOCUMENT_PDFS = {
    "monev_pdf": "Laporan monev triwulan II PDF",
    "lhe_pdf": "LHE PDF, signed by the TPI",
    "pengusulan_pdf": "Proposal to the TPN (draft: letter, SPTJM, Lampiran, LHE pages)",
}
# Pages whose server time and query count must stay within the target ratio.
GATED_PAGES = (
    "worksheet",
    "dashboard",
    "TPI queue",
    "instansi page (TPI of the instansi)",
    "year over year",
)


def _ok(passed: bool) -> str:
    return "yes" if passed else "**no**"


def markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    small, large = [*r["data"], "20x"][:2]
    lines = [
        "# ZI Portal benchmark",
        "",
        f"{r['generated_at']} · {m['database']} · Python {m['python']} · "
        f"{m['cpus']} × {m['cpu']} · load average at start {m['loadavg_at_start']}"
        + (f" · {r['label']}" if r.get("label") else ""),
        "",
        "| data | units | years | penilaian | jawaban | bukti | rencana aksi | riwayat |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size, d in r["data"].items():
        rows = d["rows"]
        lines.append(
            f"| {size} | {d['units']} | {d['years']} | {rows['penilaian']:,} | "
            f"{rows['jawaban']:,} | {rows['bukti']:,} | {rows['rencana_aksi']:,} | "
            f"{rows['riwayat']:,} |"
        )
    if "pages" in r:
        target = r["pages_target_ratio"]
        lines += [
            "",
            f"## Pages (server time, median; target {large}/{small} ≤ {target})",
            "",
            f"| page | {small} | {large} | ratio | queries {small} / {large} (ratio) | size | ok |",
            "|---|--:|--:|--:|--:|--:|---|",
        ]
        for name, p in r["pages"].items():
            gated = name in GATED_PAGES
            queries = p[f"{large}_queries"] / max(1, p[f"{small}_queries"])
            lines.append(
                f"| {name} | {p[f'{small}_ms']} ms | {p[f'{large}_ms']} ms | {p['ratio']} | "
                f"{p[f'{small}_queries']} / {p[f'{large}_queries']} ({queries:.2f}) | "
                f"{p[f'{small}_kb']} / {p[f'{large}_kb']} KB | "
                + (_ok(p["ratio"] <= target and queries <= target) if gated else "(no target)")
                + " |"
            )
    lines += ["", "## Documents, engine, memory, worker", "", "| figure | value | target | ok |"]
    lines.append("|---|---|---|---|")
    if "lke_export" in r:
        e = r["lke_export"]
        lines.append(
            f"| LKE export of one unit ({e['penilaian']}, {e['cells_written']:,} cells): "
            f"task / plain openpyxl writing the same cells with their styles | "
            f"{e['task_ms']} ms / {e['plain_styled_ms']} ms = **{e['ratio']}** | "
            f"≤ {e['target']} | {_ok(e['ratio'] <= e['target'])} |"
        )
        lines.append(
            f"| … the same task / plain openpyxl writing the {e['cells_with_value']:,} values "
            f"only | {e['task_ms']} ms / {e['plain_values_only_ms']} ms = "
            f"{e['ratio_values_only']} | (for information) | |"
        )
    if "rencana_kerja_pdf" in r:
        d = r["rencana_kerja_pdf"]
        lines.append(
            f"| Rencana kerja PDF ({d['penilaian']}, {d['pages']} pages): task / plain "
            f"WeasyPrint | {d['task_ms']} ms / {d['weasyprint_ms']} ms = **{d['ratio']}** | "
            f"≤ {d['target']} | {_ok(d['ratio'] <= d['target'])} |"
        )
        if "html_ms" in d:
            lines.append(
                f"| … the portal's own share (rows and HTML, {d['html_ms']} ms) on top of "
                f"WeasyPrint | {d['ratio_from_parts']} | ≤ {d['target']} | "
                f"{_ok(d['ratio_from_parts'] <= d['target'])} |"
            )
    for name, d in r.get("document_pdfs", {}).items():
        lines.append(
            f"| {DOCUMENT_PDFS.get(name, name)} ({d['penilaian']}, {d['pages']} pages): task / "
            f"plain WeasyPrint | {d['task_ms']} ms / {d['weasyprint_ms']} ms = **{d['ratio']}** "
            f"| ≤ {d['target']} | {_ok(d['ratio'] <= d['target'])} |"
        )
    if "engine" in r:
        g = r["engine"]
        lines.append(
            f"| Scoring engine: {g['penilaian']:,} penilaian | **{g['engine_seconds']} s** "
            f"({g['per_second']:,}/s; with database {g['penilaian_score_per_second']}/s) | "
            f"< {g['target_seconds']} s | {_ok(g['engine_seconds'] < g['target_seconds'])} |"
        )
    if "memory" in r:
        for u in r["memory"]["upload"]:
            lines.append(
                f"| Upload of a {u['file_mb']} MB file: peak memory added | "
                f"{u['peak_rss_added_mb']} MB resident, {u['peak_python_alloc_mb']} MB Python "
                f"({u['seconds']} s) | flat in file size | |"
            )
        ups = r["memory"]["upload"]
        if len(ups) >= 2:
            flat = ups[-1]["peak_python_alloc_mb"] <= ups[0]["peak_python_alloc_mb"] + 1
            lines[-1] = lines[-1][: -len("| |")] + f"| {_ok(flat)} |"
        x = r["memory"]["exports"]
        samples = x["rss_samples"]
        growth = samples[-1]["rss_mb"] - samples[0]["rss_mb"] if samples else 0
        lines.append(
            f"| Export of {x['exports']} units in one process: peak memory added | "
            f"{x['peak_rss_added_mb']} MB (RSS {samples[0]['rss_mb']} → "
            f"{samples[-1]['rss_mb']} MB; {x['per_export_ms']} ms per export) | "
            f"flat in units | {_ok(growth < 25)} |"
        )
    w = r.get("instansi_export")
    if w and "skipped" not in w:
        lines.append(
            f"| LKE of every unit of an instansi ({w['units']} units) through the worker "
            f"(concurrency {w['concurrency']}) | **{w['seconds']} s** ({w['per_unit_ms']} ms "
            f"per unit, {w['failed']} failed, worker peak {w['worker_peak_rss_mb']} MB) | "
            "| |"
        )
    elif w:
        lines.append(f"| Instansi export through the worker | skipped: {w['skipped']} | | |")
    if r.get("dossier"):
        sizes = r["dossier"]
        timed = next(d for d in sizes if "ratio" in d)
        lines.append(
            f"| Evidence dossier ZIP ({timed['files']} files, {timed['total_mb']} MB) through "
            f"the export task, index PDF left out / plain zipfile writing the same files | "
            f"{timed['archive_s']} s / {timed['zipfile_s']} s = **{timed['archive_ratio']}** "
            f"| ≤ 1.2 | {_ok(timed['archive_ratio'] <= 1.2)} |"
        )
        lines.append(
            f"| … the same / plain zipfile + hashlib SHA-256 of each file (what the index "
            f"records) | {timed['archive_s']} s / {timed['zipfile_sha256_s']} s = "
            f"**{timed['archive_ratio_to_zipfile_sha256']}** | ≤ 1.2 | "
            f"{_ok(timed['archive_ratio_to_zipfile_sha256'] <= 1.2)} |"
        )
        lines.append(
            f"| … the whole task (with its {timed['files']}-row index PDF) / plain zipfile + "
            f"plain WeasyPrint of the index | {timed['task_s']} s / ({timed['zipfile_s']} + "
            f"{timed['weasyprint_s']}) s = **{timed['ratio_to_zipfile_plus_weasyprint']}** "
            f"(/ zipfile alone: {timed['ratio']}) | ≤ 1.2 | "
            f"{_ok(timed['ratio_to_zipfile_plus_weasyprint'] <= 1.2)} |"
        )
        lines.append(
            f"| Dossier index PDF ({timed['files']} rows): task code / plain WeasyPrint of its "
            f"HTML | {timed['index_pdf_s']} s / {timed['weasyprint_s']} s = "
            f"**{timed['index_ratio']}** | ≤ 1.3 | {_ok(timed['index_ratio'] <= 1.3)} |"
        )
        peaks = [(d["total_mb"], d["memory"]) for d in sizes]
        text = ", ".join(
            f"{n} MB: {m['peak_rss_added_mb']} MB RSS / {m['peak_python_alloc_mb']} MB Python"
            for n, m in peaks
        )
        (small_mb, small_m), (large_mb, large_m) = peaks[0], peaks[-1]
        flat = large_m["peak_python_alloc_mb"] <= small_m["peak_python_alloc_mb"] * 1.5 + 5
        lines.append(
            f"| Dossier peak memory added, by total size ({text}) | "
            f"{small_mb} → {large_mb} MB of files | flat in size | {_ok(flat)} |"
        )
    if "evidence_checks" in r:
        from bench.checks import markdown as checks_markdown

        lines += ["", "## Evidence checks", "", checks_markdown(r["evidence_checks"])]
    lines += ["", f"Benchmark run time: {r['bench_seconds']} s.", ""]
    return "\n".join(lines)
