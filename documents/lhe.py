"""The LHE: the TPI's *laporan hasil evaluasi internal* of one penilaian, signed (PAdES).

It reports the final TPI score (`SnapshotSkor` with `final=True`, set `tpi`, frozen by
`scoring.workflow.penilaian_finalize`): the nilai per komponen, area and indikator beside
the mandiri score, every question where the answer sets differ with the catatan of both,
the predikat rules with what each still lacks, the questions the TPI returned and how
they were resolved (Riwayat), and the gap advisor's recommendations. The Tim Penilai
Internal signs it (`documents.signing.tpi_p12_path`) in the box the document reserves
(`ruang-tanda-tangan`); the stamp's QR code leads to `/verifikasi/<code>/`.

One final TPI score has one LHE: `lhe_pdf_bytes` renders and signs it the first time and
returns the stored, registered document afterwards (the export job, the command and the
proposal to the TPN all get the same file). Reopening the penilaian leaves the LHE on
record but no longer in force (`DokumenTertandatangan.berlaku`).

The answer sets are columns (`KOLOM`): a further set (the TPN) is one more entry there.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop

from documents.models import DokumenTertandatangan, JenisDokumen
from documents.pdf import format_bobot, html_pdf, romawi
from documents.signing import (
    SIGNATURE_ANCHOR,
    STAMP_HEIGHT_PT,
    STAMP_WIDTH_PT,
    TPI_SIGNATURE_FIELD,
    SignerSpec,
    load_signer,
    sign_pdf_signers,
    tpi_p12_path,
    waktu_indonesia,
)
from lke.catatan import model_notices, unverified_rules
from lke.models import (
    Area,
    Bagian,
    HasilItem,
    Indikator,
    Komponen,
    Penilaian,
    Pertanyaan,
    StatusPenilaian,
)
from scoring.engine import QuestionScore, gap_advisor, score
from scoring.models import Jawaban, JawabanHasil, SetJawaban, SnapshotSkor
from scoring.selectors import Pengembalian, riwayat_pengembalian, rule_gap_text
from scoring.services import answer_set, model_spec
from zi_portal.lib.dates import tanggal_indonesia
from zi_portal.lib.numbers import format_id, format_persen
from zi_portal.lib.storage import discard, store
from zi_portal.lib.urls import public_base_url

log = logging.getLogger(__name__)

# The answer sets side by side, the official one last. The TPN's set becomes a third
# column by adding it here (with its label).
KOLOM: tuple[tuple[str, str], ...] = (
    (SetJawaban.MANDIRI, "Mandiri"),
    (SetJawaban.TPI, "TPI"),
)
RESMI = SetJawaban.TPI
# Once the TPN's result is recorded (scoring.tpn.tpn_tetapkan), an LHE rendered from then
# on shows it as a third column beside mandiri and TPI (the TPI stays the official one).
KOLOM_TPN: tuple[str, str] = (SetJawaban.TPN, "TPN")
SARAN_MAKS = 15

PESAN_BELUM_FINAL = gettext_noop(
    "Penilaian ini belum memiliki nilai TPI final: LHE baru dapat dibuat setelah TPI "
    "memfinalkan penilaian."
)
PESAN_TANPA_PENANDA_TANGAN = gettext_noop(
    "Pengguna TPI yang memfinalkan penilaian ini tidak ada lagi; LHE tidak dapat "
    "ditandatangani atas namanya."
)


class LheTidakTersedia(Exception):
    """The penilaian has no final TPI score (or no one to sign for the TPI)."""


# ---------------------------------------------------------------------------------------
# What the document reports


@dataclass(frozen=True)
class BarisNilai:
    """One row of a score table: a node's bobot and its nilai per column."""

    kode: str
    nama: str
    bobot: str
    nilai: tuple[str, ...]
    persen: tuple[str, ...]
    tingkat: str  # "komponen", "bagian", "area", "indikator", "hasil", "total"


@dataclass(frozen=True)
class Sel:
    """One answer set's answer to one question."""

    jawaban: str
    nilai: str
    catatan: str


@dataclass(frozen=True)
class Perbedaan:
    kode: str
    pertanyaan: str
    sel: tuple[Sel, ...]


@dataclass(frozen=True)
class BarisAturan:
    predikat: str
    syarat: str
    minimum: str
    capaian: str
    memenuhi: bool
    kekurangan: str
    terverifikasi: bool


@dataclass(frozen=True)
class Saran:
    kode: str
    pertanyaan: str
    area: str
    jawaban_terbaik: str
    nilai_sekarang: str
    tambahan: str
    total_baru: str


@dataclass
class Lhe:
    penilaian: Penilaian
    snapshot: SnapshotSkor
    laporan: dict[str, dict[str, Any]]  # set -> report_json of its final snapshot
    kolom: tuple[tuple[str, str], ...] = KOLOM  # the answer sets shown, in order
    ringkasan: list[BarisNilai] = field(default_factory=list)
    area: list[BarisNilai] = field(default_factory=list)
    predikat: tuple[str, ...] = ()
    aturan: list[BarisAturan] = field(default_factory=list)
    perbedaan: list[Perbedaan] = field(default_factory=list)
    perbedaan_hasil: list[Perbedaan] = field(default_factory=list)
    jumlah_pertanyaan: int = 0
    pengembalian: list[Pengembalian] = field(default_factory=list)
    saran: list[Saran] = field(default_factory=list)
    saran_aturan: list[str] = field(default_factory=list)


def final_tpi_snapshot(penilaian: Penilaian) -> SnapshotSkor | None:
    """The current final TPI score of a final penilaian, or None."""
    if penilaian.status != StatusPenilaian.FINAL:
        return None
    return (
        SnapshotSkor.objects.filter(penilaian=penilaian, set=RESMI, final=True)
        .select_related("dibuat_oleh")
        .order_by("-dibuat_pada", "-pk")
        .first()
    )


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


def _angka(value: Any) -> str:
    number = _dec(value)
    return "" if number is None else format_id(number)


def _persen(value: Any) -> str:
    number = _dec(value)
    return "" if number is None else format_persen(number)


def _nodes(laporan: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for key in ("bagian", "areas", "combined_areas", "indikator", "hasil_groups", "hasil_items"):
        for node in laporan.get(key) or []:
            nodes[node["code"]] = node
    return nodes


def _baris(
    kode: str,
    nama: str,
    bobot: Decimal | None,
    tingkat: str,
    per_set: Sequence[Mapping[str, dict[str, Any]]],
) -> BarisNilai:
    found = [nodes.get(kode) or {} for nodes in per_set]
    return BarisNilai(
        kode=kode,
        nama=nama,
        bobot="" if bobot is None else format_bobot(bobot),
        nilai=tuple(_angka(n.get("nilai")) for n in found),
        persen=tuple(_persen(n.get("persen")) for n in found),
        tingkat=tingkat,
    )


def _score_tables(lhe: Lhe) -> None:
    """The summary (komponen, bagian, hasil, total) and the area → indikator table."""
    penilaian = lhe.penilaian
    model = penilaian.model
    sets = [s for s, _label in lhe.kolom]
    per_set = [_nodes(lhe.laporan[s]) for s in sets]
    for nodes, s in zip(per_set, sets, strict=True):
        data = lhe.laporan[s]
        nodes["A"] = {"nilai": data["pengungkit"]}
        nodes["B"] = {"nilai": data["hasil"]}
        nodes["total"] = {"nilai": data["total"]}
    komponen = list(Komponen.objects.filter(model=model).order_by("urutan", "id"))
    bagian = list(
        Bagian.objects.filter(komponen__model=model).order_by("komponen__urutan", "urutan", "id")
    )
    hasil = list(
        HasilItem.objects.filter(model=model)
        .select_related("bagian")
        .order_by("bagian__urutan", "urutan", "id")
    )
    rows: list[BarisNilai] = []
    for komp in komponen:
        rows.append(_baris(komp.kode, f"Komponen {komp.nama}", komp.bobot, "komponen", per_set))
        for bg in (b for b in bagian if b.komponen_id == komp.pk):
            rows.append(_baris(bg.kode, f"{bg.nomor}. {bg.nama}", bg.bobot, "bagian", per_set))
            for item in (h for h in hasil if h.bagian_id == bg.pk):
                rows.append(_baris(item.kode, item.nama, item.bobot, "hasil", per_set))
    total_bobot = sum((k.bobot for k in komponen), Decimal(0))
    rows.append(_baris("total", "Nilai total", total_bobot, "total", per_set))
    lhe.ringkasan = rows
    lhe.predikat = tuple(str(lhe.laporan[s]["verdict"]) for s in sets)

    areas = list(
        Area.objects.filter(model=model)
        .select_related("bagian")
        .order_by("nomor", "bagian__urutan", "urutan", "id")
    )
    indikator = list(
        Indikator.objects.filter(area__model=model).order_by(
            "area__nomor", "area__bagian__urutan", "area__urutan", "urutan", "id"
        )
    )
    combined = {a["code"]: a for a in lhe.laporan[RESMI].get("combined_areas") or []}
    by_number: dict[int, list[Area]] = {}
    for area in areas:
        by_number.setdefault(area.nomor, []).append(area)
    table: list[BarisNilai] = []
    for nomor, same in sorted(by_number.items()):
        code = next((c for c in combined if c.endswith(f".{nomor}")), "")
        bobot = sum((a.bobot for a in same), Decimal(0))
        table.append(_baris(code, f"{romawi(nomor)}. {same[0].nama}", bobot, "area", per_set))
        ids = {a.pk for a in same}
        for ind in (i for i in indikator if i.area_id in ids):
            table.append(_baris(ind.kode, ind.nama, ind.bobot, "indikator", per_set))
    lhe.area = table


def _rules(lhe: Lhe) -> None:
    unverified = unverified_rules(model_notices(lhe.penilaian.model))
    rows: list[BarisAturan] = []
    for rule in lhe.laporan[RESMI]["rules"]:
        persen = rule.get("kind") == "area_persen"
        required, actual = rule.get("required"), rule.get("actual")
        fmt: Callable[[Any], str] = _persen if persen else _angka
        rows.append(
            BarisAturan(
                predikat=str(rule["predikat"]),
                syarat=str(rule["rule"]),
                minimum=fmt(required) if isinstance(required, int | float) else str(required or ""),
                capaian=fmt(actual) if isinstance(actual, int | float) else str(actual or "—"),
                memenuhi=bool(rule["passed"]),
                kekurangan=rule_gap_text(rule)
                or (
                    f"unit belum berpredikat {required}"
                    if rule.get("kind") == "predikat_sebelumnya" and not rule["passed"]
                    else ""
                ),
                terverifikasi=(rule["predikat"], rule["rule"]) not in unverified,
            )
        )
    lhe.aturan = rows
    lhe.saran_aturan = [
        f"{r.predikat}: {r.syarat} — {r.kekurangan}"
        for r in rows
        if not r.memenuhi and r.kekurangan
    ]


def _jawaban_teks(j: Jawaban | None, q: Pertanyaan) -> str:
    if j is None or not j.is_answered():
        return "belum dijawab"
    if j.opsi:
        return j.opsi
    labels = {n.kode: n.teks for n in q.input.all()}
    parts = []
    for kode, raw in sorted((j.angka or {}).items()):
        value = _dec(raw)
        shown = raw if value is None else format_id(value, 0 if value == value.to_integral() else 2)
        parts.append(f"{labels.get(kode, kode).lstrip('- ').strip()}: {shown}")
    return "; ".join(parts)


def _differences(lhe: Lhe) -> None:
    """Every question and hasil input whose answer differs between the columns."""
    penilaian = lhe.penilaian
    sets = [s for s, _label in lhe.kolom]
    spec = model_spec(penilaian.model)
    values: list[dict[str, QuestionScore]] = []
    for s in sets:
        report = score(spec, answer_set(penilaian, s))
        values.append({q.code: q for q in report.questions})
    answers: dict[tuple[str, int], Jawaban] = {
        (j.set, j.pertanyaan_id): j
        for j in Jawaban.objects.filter(penilaian=penilaian, set__in=sets)
    }
    questions = list(
        Pertanyaan.objects.filter(model=penilaian.model)
        .prefetch_related("input")
        .order_by(
            "indikator__area__nomor",
            "indikator__area__bagian__urutan",
            "indikator__area__urutan",
            "indikator__urutan",
            "urutan",
            "id",
        )
    )
    lhe.jumlah_pertanyaan = len(questions)
    rows: list[Perbedaan] = []
    for q in questions:
        cells = []
        for index, s in enumerate(sets):
            j = answers.get((s, q.pk))
            scored = values[index].get(q.kode)
            nilai = ""
            if scored is not None and scored.value is not None:
                nilai = format_id(scored.value)
            elif scored is not None and scored.status == "tidak dapat dihitung":
                nilai = "tidak dapat dihitung"
            cells.append(Sel(_jawaban_teks(j, q), nilai, (j.catatan if j else "").strip()))
        if len({c.jawaban for c in cells}) > 1:
            rows.append(Perbedaan(q.kode, q.teks, tuple(cells)))
    lhe.perbedaan = rows
    hasil_answers = {
        (h.set, h.hasil_item_id): h
        for h in JawabanHasil.objects.filter(penilaian=penilaian, set__in=sets)
    }
    hasil_rows: list[Perbedaan] = []
    for item in HasilItem.objects.filter(model=penilaian.model).order_by(
        "bagian__urutan", "urutan", "id"
    ):
        cells = []
        for s in sets:
            h = hasil_answers.get((s, item.pk))
            if h is None or (h.nilai is None and not h.opsi):
                teks = "belum diisi"
            else:
                teks = h.opsi or format_id(h.nilai or Decimal(0))
            cells.append(Sel(teks, "", (h.catatan if h else "").strip()))
        if len({c.jawaban for c in cells}) > 1:
            hasil_rows.append(Perbedaan(item.kode, item.nama, tuple(cells)))
    lhe.perbedaan_hasil = hasil_rows


def _advice(lhe: Lhe) -> None:
    penilaian = lhe.penilaian
    spec = model_spec(penilaian.model)
    gains = gap_advisor(spec, answer_set(penilaian, RESMI))[:SARAN_MAKS]
    areas = {
        a.kode: f"{romawi(a.nomor)}. {a.nama}" for a in Area.objects.filter(model=penilaian.model)
    }
    lhe.saran = [
        Saran(
            kode=g.question_code,
            pertanyaan=g.question_label,
            area=areas.get(g.area_code, g.area_code),
            jawaban_terbaik=g.best_answer,
            nilai_sekarang="" if g.current_value is None else format_id(g.current_value),
            tambahan=format_id(g.gain),
            total_baru=format_id(g.new_total),
        )
        for g in gains
    ]


def lhe_data(penilaian: Penilaian) -> Lhe:
    """Everything the LHE reports, read from the final snapshots and the answers.

    Raises `LheTidakTersedia` when the penilaian has no final TPI score.
    """
    penilaian = Penilaian.objects.select_related("unit__instansi", "model").get(pk=penilaian.pk)
    snapshot = final_tpi_snapshot(penilaian)
    if snapshot is None:
        raise LheTidakTersedia(PESAN_BELUM_FINAL)
    laporan: dict[str, dict[str, Any]] = {}
    for s, _label in KOLOM:
        found = (
            SnapshotSkor.objects.filter(penilaian=penilaian, set=s, final=True)
            .order_by("-dibuat_pada", "-pk")
            .first()
        )
        if found is None:
            raise LheTidakTersedia(PESAN_BELUM_FINAL)
        laporan[s] = found.laporan
    kolom = KOLOM
    tpn = (
        SnapshotSkor.objects.filter(penilaian=penilaian, set=SetJawaban.TPN, final=True)
        .order_by("-dibuat_pada", "-pk")
        .first()
    )
    if tpn is not None:
        laporan[SetJawaban.TPN] = tpn.laporan
        kolom = (*KOLOM, KOLOM_TPN)
    lhe = Lhe(penilaian=penilaian, snapshot=snapshot, laporan=laporan, kolom=kolom)
    _score_tables(lhe)
    _rules(lhe)
    _differences(lhe)
    lhe.pengembalian = riwayat_pengembalian(penilaian)
    _advice(lhe)
    return lhe


# ---------------------------------------------------------------------------------------
# The document


@dataclass(frozen=True)
class PenandatanganTpi:
    nama: str
    jabatan: str


def lhe_penandatangan(penilaian: Penilaian, snapshot: SnapshotSkor) -> PenandatanganTpi:
    """Who signs for the TPI: the TPI member who finalized the score."""
    user = snapshot.dibuat_oleh
    if user is None:
        raise LheTidakTersedia(PESAN_TANPA_PENANDA_TANGAN)
    nama = str(user.get_full_name() or user.get_username())
    return PenandatanganTpi(
        nama=nama, jabatan=f"Tim Penilai Internal {penilaian.unit.instansi.nama}"
    )


_STATUS_REVIU = {
    "diterima": "diterima",
    "perlu_perbaikan": "dikembalikan lagi",
    "diperbaiki": "menunggu reviu ulang",
}


def _perubahan_teks(perubahan: Mapping[str, Any]) -> str:
    parts = []
    for key, change in sorted(perubahan.items()):
        if isinstance(change, list) and len(change) == 2:
            old, new = (str(v) or "—" for v in change)
            parts.append(f"{key}: {old} → {new}")
    return "; ".join(parts)


def _pengembalian_baris(items: Sequence[Pengembalian]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for item in items:
        selesai = item.selesai
        rows.append(
            {
                "kode": item.kode,
                "pertanyaan": item.pertanyaan.teks if item.pertanyaan else "",
                "tanggal": waktu_indonesia(item.dikembalikan_pada),
                "oleh": item.dikembalikan_oleh,
                "catatan": item.catatan,
                "perbaikan": [
                    f"{waktu_indonesia(e.waktu)} ({e.user.get_username() if e.user else '—'}): "
                    + _perubahan_teks(e.perubahan)
                    for e in item.perbaikan
                ],
                "status": _STATUS_REVIU.get(item.status_akhir, item.status_akhir)
                if selesai
                else "belum ditindaklanjuti",
                "selesai_pada": waktu_indonesia(selesai.waktu) if selesai else "",
                "catatan_akhir": item.catatan_akhir if selesai else "",
            }
        )
    return rows


def lhe_context(
    lhe: Lhe, *, verification_url: str = "", penandatangan: PenandatanganTpi | None = None
) -> dict[str, object]:
    penilaian = lhe.penilaian
    unit = penilaian.unit
    tanggal = timezone.localdate(lhe.snapshot.dibuat_pada)
    signer = penandatangan or lhe_penandatangan(penilaian, lhe.snapshot)
    kota = unit.kota.strip()
    return {
        "lhe": lhe,
        "penilaian": penilaian,
        "unit": unit,
        "instansi": unit.instansi,
        "model": penilaian.model,
        "kolom": [label for _s, label in lhe.kolom],
        "n_kolom": len(lhe.kolom),
        "tanggal_final": tanggal_indonesia(tanggal),
        "tempat_tanggal": ", ".join(p for p in (kota, tanggal_indonesia(tanggal)) if p),
        "total_resmi": _angka(lhe.laporan[RESMI]["total"]),
        "predikat_resmi": lhe.laporan[RESMI]["verdict"],
        "pengembalian": _pengembalian_baris(lhe.pengembalian),
        "penandatangan": signer,
        "signature_anchor": SIGNATURE_ANCHOR,
        "stamp_width": f"{STAMP_WIDTH_PT}pt",
        "stamp_height": f"{STAMP_HEIGHT_PT}pt",
        "verification_url": verification_url,
        "generator": "ZI Portal",
    }


def lhe_html(
    lhe: Lhe, *, verification_url: str = "", penandatangan: PenandatanganTpi | None = None
) -> str:
    return render_to_string(
        "documents/pdf/lhe.html",
        lhe_context(lhe, verification_url=verification_url, penandatangan=penandatangan),
    )


def lhe_filename(penilaian: Penilaian) -> str:
    return f"lhe-{penilaian.unit.slug}-{penilaian.tahun}.pdf"


def _current_document(snapshot: SnapshotSkor) -> DokumenTertandatangan | None:
    return (
        DokumenTertandatangan.objects.filter(jenis=JenisDokumen.LHE, snapshot=snapshot, aktif=True)
        .order_by("-ditandatangani_pada")
        .first()
    )


def _read(dokumen: DokumenTertandatangan) -> bytes:
    with dokumen.berkas.open("rb") as handle:
        data: bytes = handle.read()
    return data


def lhe_sign(
    penilaian: Penilaian, *, progress: Callable[[int], None] | None = None
) -> DokumenTertandatangan:
    """The registered, signed LHE of the penilaian's final TPI score (made if missing).

    Rendering and signing hold no row lock; then the penilaian is locked and re-checked:
    when its final TPI score changed meanwhile (reopened), the file is removed and
    `LheTidakTersedia` raised; when another run registered the LHE of the same score
    first, that one is returned and this file removed. Raises
    `documents.signing.SigningError` when the TPI certificate cannot be used.
    """
    step = progress or (lambda _value: None)
    snapshot = final_tpi_snapshot(penilaian)
    if snapshot is None:
        raise LheTidakTersedia(PESAN_BELUM_FINAL)
    existing = _current_document(snapshot)
    if existing is not None:
        return existing
    signer = load_signer(tpi_p12_path())  # fail before anything is rendered
    lhe = lhe_data(penilaian)
    step(30)
    penandatangan = lhe_penandatangan(lhe.penilaian, lhe.snapshot)
    user = cast(AbstractBaseUser, lhe.snapshot.dibuat_oleh)
    dokumen = DokumenTertandatangan(  # its code is the QR link, before the row exists
        jenis=JenisDokumen.LHE,
        snapshot=lhe.snapshot,
        penandatangan_id=cast(int, user.pk),
        nama_penandatangan=penandatangan.nama[:200],
        jabatan_penandatangan=penandatangan.jabatan[:300],
        subjek_sertifikat=str(signer.subject_name)[:500],
        ditandatangani_pada=timezone.now(),
        sha256="",
        ukuran=0,
    )
    url = f"{public_base_url()}/verifikasi/{dokumen.code}/"
    pdf = html_pdf(lhe_html(lhe, verification_url=url, penandatangan=penandatangan))
    step(70)
    unit = lhe.penilaian.unit
    dokumen.ditandatangani_pada = timezone.now()
    signed = sign_pdf_signers(
        pdf,
        [
            SignerSpec(
                signer=signer,
                name=penandatangan.nama,
                jabatan=penandatangan.jabatan,
                location=unit.kota.strip(),
                reason=(
                    f"Laporan Hasil Evaluasi Internal Zona Integritas {unit.nama} "
                    f"{lhe.penilaian.tahun}"
                ),
                verification_url=url,
                field_name=TPI_SIGNATURE_FIELD,
                anchor=SIGNATURE_ANCHOR,
            )
        ],
    )
    step(90)
    field_ = dokumen.berkas.field
    storage = dokumen.berkas.storage
    stored = store(
        storage,
        field_.generate_filename(dokumen, f"{dokumen.code}.pdf"),
        ContentFile(signed),
        max_length=field_.max_length,
    )
    dokumen.berkas.name = stored
    dokumen.sha256 = hashlib.sha256(signed).hexdigest()
    dokumen.ukuran = len(signed)
    try:
        with transaction.atomic():
            Penilaian.objects.select_for_update().get(pk=penilaian.pk)
            current = final_tpi_snapshot(Penilaian.objects.get(pk=penilaian.pk))
            if current is None or current.pk != lhe.snapshot.pk:
                raise LheTidakTersedia(PESAN_BELUM_FINAL)
            winner = _current_document(current)
            if winner is None:
                dokumen.save()
                DokumenTertandatangan.objects.filter(
                    jenis=JenisDokumen.LHE, snapshot__penilaian=penilaian, aktif=True
                ).exclude(pk=dokumen.pk).update(aktif=False)
    except BaseException:
        discard(storage, stored)
        raise
    if winner is not None:
        discard(storage, stored)
        return winner
    return dokumen


def lhe_pdf_bytes(penilaian: Penilaian) -> bytes:
    """The signed LHE of the penilaian's final TPI score, as PDF bytes.

    The same registered document every time for one final score (see `lhe_sign`).
    Raises `LheTidakTersedia` (Indonesian message) when there is no final TPI score and
    `documents.signing.SigningError` when the TPI certificate cannot be used.
    """
    return _read(lhe_sign(penilaian))
