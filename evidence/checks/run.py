"""Run the checks on one bukti and store what they found.

Called by the task `evidence.tasks.bukti_periksa` (after an upload commits) and by
`manage.py bukti_check`. The slow part (reading the file, OCR) runs outside any
transaction and holds no row lock; the findings are then written in one short
transaction. A file that cannot be read is stored as *tidak terbaca* with its reason.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from evidence.checks import CHECKS_VERSION, TEXT_VERSION, VERSION, base
from evidence.checks.consistency import FaktaJawaban, check_consistency, mandiri_answer
from evidence.checks.dates import allows_previous_year, check_dates
from evidence.checks.duplicates import Jejak, check_duplicates, image_words
from evidence.checks.relevance import Corpus, check_relevance
from evidence.checks.text import HasilTeks, TidakTerbaca, extract
from evidence.models import (
    Bukti,
    JenisBukti,
    JenisPemeriksaan,
    StatusTeks,
    StatusTemuan,
    TeksBukti,
    TemuanBukti,
)
from lke.models import DataDukung, HasilItem, Penilaian, Pertanyaan

log = logging.getLogger(__name__)

TAUTAN_TIDAK_DIPERIKSA = "Tautan, tidak diperiksa: server tidak membuka tautan bukti."


def needs_check(bukti: Bukti) -> bool:
    teks = TeksBukti.objects.filter(bukti=bukti).first()
    return teks is None or teks.versi_pemeriksa != VERSION


def _place(bukti: Bukti) -> str:
    kode = (
        bukti.pertanyaan.kode
        if bukti.pertanyaan
        else (bukti.hasil_item.kode if bukti.hasil_item else "")
    )
    return (
        f"{bukti.penilaian.unit.nama} {bukti.penilaian.tahun}, pertanyaan {kode} "
        f"({bukti.judul or bukti.nama_asli or bukti.url})"
    )


def data_dukung_for(
    penilaian: Penilaian, pertanyaan: Pertanyaan | None, hasil_item: HasilItem | None = None
) -> list[str]:
    """What the question (or hasil item) asks for: its data dukung, the unit's own too."""
    if pertanyaan is not None:
        rows, asked = DataDukung.objects.filter(pertanyaan=pertanyaan), pertanyaan.teks
    elif hasil_item is not None:
        rows, asked = DataDukung.objects.filter(hasil_item=hasil_item), hasil_item.nama
    else:
        return []
    names = list(
        rows.filter(Q(unit__isnull=True) | Q(unit=penilaian.unit)).values_list("nama", flat=True)
    )
    # Without a data dukung list, what the question itself asks is the reference.
    return names or [asked]


def relevance_corpus(penilaian: Penilaian) -> Corpus:
    names = list(
        DataDukung.objects.filter(
            Q(pertanyaan__model=penilaian.model) | Q(hasil_item__model=penilaian.model)
        )
        .filter(Q(unit__isnull=True) | Q(unit=penilaian.unit))
        .values_list("nama", flat=True)
    )
    questions = list(
        Pertanyaan.objects.filter(model=penilaian.model).values_list("teks", flat=True)
    )
    return Corpus(names + questions)


def _read(bukti: Bukti) -> HasilTeks:
    """Copy the stored file (through the storage API) to a temporary file and read it."""
    suffix = PurePosixPath(bukti.berkas.name).suffix
    with tempfile.TemporaryDirectory(prefix="zi-bukti-") as tmp:
        path = Path(tmp) / f"bukti{suffix}"
        try:
            with bukti.berkas.open("rb") as source, path.open("wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError as exc:
            raise TidakTerbaca("Berkas tidak ditemukan di penyimpanan.") from exc
        return extract(path, bukti.tipe_konten)


def _extract_into(teks: TeksBukti, bukti: Bukti) -> None:
    if bukti.jenis == JenisBukti.TAUTAN:
        teks.status, teks.alasan = StatusTeks.TAUTAN, TAUTAN_TIDAK_DIPERIKSA
        teks.halaman, teks.phash, teks.catatan = [], [], []
    else:
        try:
            result = _read(bukti)
        except TidakTerbaca as exc:
            teks.status, teks.alasan = StatusTeks.TIDAK_TERBACA, exc.reason
            teks.halaman, teks.phash, teks.catatan = [], [], []
        else:
            teks.halaman = [asdict(h) for h in result.halaman]
            teks.phash, teks.catatan = result.phash, result.catatan
            if any(h.teks.strip() for h in result.halaman):
                teks.status, teks.alasan = StatusTeks.TERBACA, ""
            else:
                teks.status = StatusTeks.TIDAK_TERBACA
                teks.alasan = "Tidak ada teks yang dapat dibaca, termasuk dengan OCR."
    teks.versi_teks = TEXT_VERSION


def _pages(teks: TeksBukti) -> list[tuple[int, str]]:
    return [(int(h["nomor"]), str(h["teks"])) for h in teks.halaman]


def _jejak(bukti: Bukti, teks: TeksBukti | None) -> Jejak:
    return Jejak(
        bukti_id=bukti.pk,
        unit_id=bukti.penilaian.unit_id,
        tempat=_place(bukti),
        sha256=bukti.sha256,
        phash=tuple(teks.phash) if teks else (),
        url=bukti.url,
        kata=image_words(teks.halaman) if teks and teks.phash else frozenset(),
    )


def _others(bukti: Bukti) -> list[Jejak]:
    """Every other current bukti that could be the same: same hash, link, or any image."""
    candidates = (
        Bukti.objects.filter(aktif=True)
        .exclude(pk=bukti.pk)
        # a bukti carried forward to the next year (evidence.tahun_baru) and its source are
        # one document on purpose; the carried row is marked *perlu dicek ulang* instead
        .exclude(pk=bukti.dibawa_dari_id or 0)
        .exclude(dibawa_dari_id=bukti.pk)
        .select_related("penilaian__unit", "pertanyaan", "hasil_item", "teks")
    )
    query = Q()
    if bukti.sha256:
        query |= Q(sha256=bukti.sha256)
    if bukti.url:
        query |= Q(url=bukti.url)
    teks = getattr(bukti, "teks", None)
    if teks is not None and teks.phash:
        query |= Q(teks__isnull=False) & ~Q(
            teks__phash=[]
        )  # compared in Python: pHash distance is not indexable
    if not query:
        return []
    return [_jejak(o, getattr(o, "teks", None)) for o in candidates.filter(query)]


def _text_finding(teks: TeksBukti) -> base.Temuan:
    if teks.status == StatusTeks.TAUTAN:
        return base.Temuan(base.TEKS, base.PERLU_DICEK, TAUTAN_TIDAK_DIPERIKSA)
    if teks.status == StatusTeks.TIDAK_TERBACA:
        return base.Temuan(base.TEKS, base.GAGAL, f"Tidak terbaca: {teks.alasan}")
    ocr = [h["nomor"] for h in teks.halaman if h.get("ocr")]
    reason = f"Terbaca, {len(teks.halaman)} halaman"
    if ocr:
        reason += f" ({len(ocr)} dengan OCR)"
    if teks.catatan:
        reason += "; " + " ".join(teks.catatan)
    return base.Temuan(base.TEKS, base.LOLOS, reason + ".")


def _store(bukti: Bukti, found: list[base.Temuan], *, pertanyaan_level: bool = False) -> None:
    """Replace the findings of these kinds, keeping a TPI's `diabaikan` where unchanged."""
    if pertanyaan_level:
        old = TemuanBukti.objects.filter(
            penilaian=bukti.penilaian, pertanyaan=bukti.pertanyaan, bukti__isnull=True
        )
    else:
        old = TemuanBukti.objects.filter(bukti=bukti, jenis__in={t.check for t in found})
    kept = {(t.jenis, t.kunci, t.status): t for t in old if t.diabaikan}
    old.delete()
    for t in found:
        kunci = str(t.detail.get("kunci", ""))
        row = TemuanBukti(
            penilaian=bukti.penilaian,
            pertanyaan=bukti.pertanyaan,
            bukti=None if pertanyaan_level else bukti,
            jenis=t.check,
            kunci=kunci,
            status=t.status,
            alasan=t.reason,
            halaman=t.halaman,
            detail=t.detail,
        )
        previous = kept.get((t.check, kunci, t.status))
        if previous is not None:
            row.diabaikan = True
            row.alasan_diabaikan = previous.alasan_diabaikan
            row.diabaikan_oleh = previous.diabaikan_oleh
            row.diabaikan_pada = previous.diabaikan_pada
        row.save()


def _load(bukti_id: int) -> Bukti | None:
    return (
        Bukti.objects.select_related(
            "penilaian__unit", "penilaian__model", "pertanyaan", "hasil_item"
        )
        .filter(pk=bukti_id)
        .first()
    )


def periksa_bukti(bukti_id: int, *, force: bool = False) -> TeksBukti | None:
    """Read (if needed) and check one bukti; returns its text row, None if it is gone."""
    bukti = _load(bukti_id)
    if bukti is None:
        return None
    teks = TeksBukti.objects.filter(bukti=bukti).first() or TeksBukti(bukti=bukti)
    if force or teks.pk is None or teks.versi_teks != TEXT_VERSION:
        _extract_into(teks, bukti)  # slow: no transaction, no lock
    pages = _pages(teks)
    data_dukung = data_dukung_for(bukti.penilaian, bukti.pertanyaan, bukti.hasil_item)
    found = [
        _text_finding(teks),
        check_dates(
            pages,
            tahun=bukti.penilaian.tahun,
            tanggal_efektif=bukti.tanggal_efektif,
            boleh_tahun_lalu=allows_previous_year(data_dukung),
        ),
    ]
    if teks.status == StatusTeks.TERBACA:
        found.append(check_relevance(pages, data_dukung, relevance_corpus(bukti.penilaian)))
    with transaction.atomic():
        teks.versi_pemeriksa = VERSION
        teks.diperiksa_pada = timezone.now()
        teks = _save_text(teks)
        bukti.teks = teks
        duplicate = check_duplicates(_jejak(bukti, teks), _others(bukti))
        _store(bukti, [*found, duplicate])
        # the copies found name this bukti too
        for other_id in duplicate.detail.get("sama_dengan", []):
            _recheck_duplicates(other_id)
    periksa_jawaban(bukti.penilaian, bukti.pertanyaan)
    return teks


TEXT_FIELDS = (
    "status",
    "alasan",
    "halaman",
    "phash",
    "catatan",
    "versi_teks",
    "versi_pemeriksa",
    "diperiksa_pada",
)


def _save_text(teks: TeksBukti) -> TeksBukti:
    """Insert or update the one text row of the bukti (a redelivered task may race us)."""
    row, _ = TeksBukti.objects.select_for_update().update_or_create(
        bukti_id=teks.bukti_id, defaults={f: getattr(teks, f) for f in TEXT_FIELDS}
    )
    return row


def _recheck_duplicates(bukti_id: int) -> None:
    other = _load(bukti_id)
    if other is None:
        return
    teks = TeksBukti.objects.filter(bukti=other).first()
    if teks is not None:
        other.teks = teks
    _store(other, [check_duplicates(_jejak(other, teks), _others(other))])


def periksa_jawaban(penilaian: Penilaian, pertanyaan: Pertanyaan | None) -> list[TemuanBukti]:
    """The consistency findings of one question's mandiri answer against its bukti."""
    if pertanyaan is None:
        return []
    answer = mandiri_answer(penilaian.pk, pertanyaan.pk)
    current = Bukti.objects.filter(penilaian=penilaian, pertanyaan=pertanyaan, aktif=True)
    ids = list(current.values_list("pk", flat=True))
    failing = set(
        TemuanBukti.objects.filter(
            bukti_id__in=ids,
            jenis__in=[JenisPemeriksaan.TANGGAL, JenisPemeriksaan.RELEVANSI, JenisPemeriksaan.TEKS],
            status=StatusTemuan.GAGAL,
        ).values_list("bukti_id", flat=True)
    )
    relevant = set(
        TemuanBukti.objects.filter(
            bukti_id__in=ids, jenis=JenisPemeriksaan.RELEVANSI, status=StatusTemuan.LOLOS
        ).values_list("bukti_id", flat=True)
    )
    found: list[base.Temuan] = []
    if answer is not None:
        opsi, catatan = answer
        found = check_consistency(
            FaktaJawaban(
                kode=pertanyaan.kode,
                pilihan=pertanyaan.pilihan,
                opsi=opsi,
                catatan=catatan,
                jumlah_bukti=len(ids),
                bukti_lolos=len(relevant - failing),
            )
        )
    anchor = Bukti(penilaian=penilaian, pertanyaan=pertanyaan)
    with transaction.atomic():
        _store(anchor, found, pertanyaan_level=True)
    return list(
        TemuanBukti.objects.filter(penilaian=penilaian, pertanyaan=pertanyaan, bukti__isnull=True)
    )


__all__ = ["CHECKS_VERSION", "VERSION", "needs_check", "periksa_bukti", "periksa_jawaban"]


def mark_unreadable(bukti_id: int, reason: str) -> None:
    """Record a check that could not finish, so the bukti shows why (never retried)."""
    bukti = _load(bukti_id)
    if bukti is None:
        return
    try:
        with transaction.atomic():
            teks = TeksBukti.objects.filter(bukti=bukti).first()
            if teks is not None and teks.versi_pemeriksa == VERSION:
                return  # the checks finished; what failed came after them
            teks = teks or TeksBukti(bukti=bukti)
            teks.status, teks.alasan = StatusTeks.TIDAK_TERBACA, reason
            teks.versi_pemeriksa = VERSION
            teks.diperiksa_pada = timezone.now()
            _save_text(teks)
            _store(bukti, [base.Temuan(base.TEKS, base.GAGAL, f"Tidak terbaca: {reason}")])
    except Exception:  # the task's last resort must not raise in the upload request
        log.exception("could not record the failed check of bukti %s", bukti_id)
