"""Writing the Rencana Kinerja Tahunan: its table, its realisasi and their bukti.

Every door (the editor page, the Excel import, the demo loader) saves the table
through `rkt_save`, and every realisasi goes through `realisasi_save`; both validate
everything first, write all or nothing, and record the change in Riwayat. Nothing
changes once the year's penilaian is final.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from evidence.models import (
    Bukti,
    IndikatorKinerja,
    JenisTarget,
    RealisasiKinerja,
    RencanaKinerjaTahunan,
    SasaranKegiatan,
    TautanZi,
)
from evidence.services import bukti_upload
from lke.models import HasilItem, JenisHasil, Penilaian, StatusPenilaian
from units.access import Izin, UnitAccess
from units.audit import diff, riwayat_record
from units.models import Riwayat, UnitKerja


class RktDitolak(ValueError):
    """Bad input or a refused change: the message says why, in Indonesian; nothing changed."""

    def __init__(self, messages: Sequence[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


class RktKonflik(Exception):
    """The RKT was saved by someone else since the editor was opened."""


_ANGKA = r"(\d+(?:[.,]\d+)?)"


def parse_target(teks: str) -> tuple[str, Decimal | None, str]:
    """(jenis, angka, satuan) read from a target as printed: "95%" → persen 95,
    "Skor 75" → skor 75, "12 dokumen" → jumlah 12 dokumen; anything else is text."""
    t = " ".join(teks.split())
    if m := re.fullmatch(_ANGKA + r"\s*%", t):
        return JenisTarget.PERSEN, _dec(m[1]), "%"
    if m := re.fullmatch(r"(?i)skor\s+" + _ANGKA, t):
        return JenisTarget.SKOR, _dec(m[1]), "skor"
    if m := re.fullmatch(_ANGKA + r"(?:\s+(\S.*))?", t):
        return JenisTarget.JUMLAH, _dec(m[1]), m[2] or ""
    return JenisTarget.TEKS, None, ""


def _dec(raw: str) -> Decimal:
    return Decimal(raw.replace(",", "."))


def parse_angka(raw: str) -> Decimal | None:
    """A typed number with a decimal comma or point ("81,57"); None when blank.

    Raises RktDitolak for anything that is not a finite number with at most four
    decimals.
    """
    text = (raw or "").strip().replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." in text:  # "1.234,5"
        text = text.replace(".", "")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise RktDitolak(_("“%(isi)s” bukan angka.") % {"isi": raw}) from exc
    if not value.is_finite() or value < 0:
        raise RktDitolak(_("“%(isi)s” bukan angka yang sah.") % {"isi": raw})
    if value.normalize().as_tuple().exponent < -4:  # type: ignore[operator]
        raise RktDitolak(_("“%(isi)s”: maksimal empat angka desimal.") % {"isi": raw})
    return value


@dataclass(frozen=True)
class BarisRkt:
    """One row of the RKT table as a door read it (editor row, Excel row, seed row)."""

    sasaran_nomor: str
    sasaran: str
    nomor: str
    indikator: str
    target: str
    utama: bool = True
    berorientasi_hasil: bool = True
    tautan_zi: str = ""
    code: str = ""  # the indikator this row edits; empty for a new one
    baris: int = 0  # row number in the source (Excel), for messages


HEADER_FIELDS = (
    "kop",
    "kop_situs",
    "judul",
    "kota",
    "tanggal",
    "penyetuju_jabatan",
    "penyetuju_nama",
    "penandatangan_jabatan",
    "penandatangan_nama",
    "id_tanda_tangan",
    "capaian_pembanding",
)


def year_penilaian(unit: UnitKerja, tahun: int) -> Penilaian | None:
    return Penilaian.objects.filter(unit=unit, tahun=tahun).select_related("model").first()


def rkt_refusal(access: UnitAccess | None, unit: UnitKerja, tahun: int) -> str | None:
    """Why this user may not change the unit's RKT of `tahun` now; None when they may.

    The RKT is unit-wide (a membership covering every area); after the year's
    penilaian is final nothing changes (the capaian kinerja has been judged).
    """
    if access is not None and (
        not access.can(Izin.EDIT_RENCANA_AKSI) or not access.covers_every_area()
    ):
        return _("Hanya tim kerja yang mencakup seluruh area yang dapat mengubah RKT.")
    penilaian = year_penilaian(unit, tahun)
    if penilaian is not None and penilaian.status == StatusPenilaian.FINAL:
        return _(
            "Penilaian tahun %(tahun)d sudah final; RKT dan realisasinya tidak dapat diubah."
        ) % {"tahun": tahun}
    return None


def _clean_rows(rows: Sequence[BarisRkt]) -> list[BarisRkt]:
    """Fill a blank sasaran from the row above (merged cells), check every row."""
    errors: list[str] = []
    cleaned: list[BarisRkt] = []
    sasaran, sasaran_nomor = "", ""
    for index, row in enumerate(rows, start=1):
        where = _("Baris %(n)d") % {"n": row.baris or index}
        if not (row.indikator.strip() or row.target.strip() or row.sasaran.strip()):
            continue
        if row.sasaran.strip():
            sasaran, sasaran_nomor = " ".join(row.sasaran.split()), row.sasaran_nomor.strip()
        if not sasaran:
            errors.append(_("%(di)s: sasaran kegiatan belum diisi.") % {"di": where})
        if not row.indikator.strip():
            errors.append(_("%(di)s: indikator kinerja belum diisi.") % {"di": where})
        if not row.target.strip():
            errors.append(_("%(di)s: target belum diisi.") % {"di": where})
        if row.tautan_zi not in TautanZi.values:
            errors.append(_("%(di)s: pilihan nilai ZI tidak dikenal.") % {"di": where})
        elif row.tautan_zi and parse_target(row.target)[0] not in (
            JenisTarget.SKOR,
            JenisTarget.JUMLAH,
        ):
            errors.append(
                _(
                    "%(di)s: indikator yang terkait nilai ZI memerlukan target skor "
                    "(mis. “Skor 75”)."
                )
                % {"di": where}
            )
        if len(row.target.strip()) > 200 or len(row.nomor.strip()) > 10 or len(sasaran_nomor) > 10:
            errors.append(_("%(di)s: nomor atau target terlalu panjang.") % {"di": where})
        cleaned.append(
            BarisRkt(
                sasaran_nomor=sasaran_nomor,
                sasaran=sasaran,
                nomor=row.nomor.strip(),
                indikator=" ".join(row.indikator.split()),
                target=" ".join(row.target.split()),
                utama=row.utama,
                berorientasi_hasil=row.berorientasi_hasil,
                tautan_zi=row.tautan_zi,
                code=row.code.strip(),
                baris=row.baris or index,
            )
        )
    if not cleaned and not errors:
        errors.append(_("RKT memerlukan minimal satu indikator kinerja."))
    if errors:
        raise RktDitolak(errors)
    return cleaned


def _flat(rkt: RencanaKinerjaTahunan) -> dict[str, str]:
    """The table as display strings, one per indikator, for the audit diff."""
    out: dict[str, str] = {}
    for s in rkt.sasaran.all():
        for i in s.indikator.all():
            key = f"{s.nomor} {i.nomor} {i.nama[:60]}".strip()
            flags = [
                _("utama") if i.utama else _("bukan utama"),
                _("berorientasi hasil") if i.berorientasi_hasil else _("tidak berorientasi hasil"),
            ]
            if i.tautan_zi:
                flags.append(f"ZI {i.tautan_zi}")
            while key in out:
                key += "·"
            out[key] = f"{i.target_teks} ({', '.join(flags)})"
    for f in HEADER_FIELDS:
        out[f] = "" if getattr(rkt, f) is None else str(getattr(rkt, f))
    return out


def rkt_save(
    *,
    unit: UnitKerja,
    tahun: int,
    header: dict[str, Any],
    rows: Sequence[BarisRkt],
    user: Any,
    access: UnitAccess | None = None,
    expected_versi: int | None = None,
) -> RencanaKinerjaTahunan:
    """Create or replace the unit's RKT of `tahun` with `rows` (in printed order).

    Existing indikator are kept (matched by `code`), so their realisasi stay; an
    indikator left out is deleted, unless it has realisasi (refused). Raises
    RktDitolak (nothing written) or RktKonflik when `expected_versi` is stale.
    """
    refusal = rkt_refusal(access, unit, tahun)
    if refusal:
        raise RktDitolak(refusal)
    cleaned = _clean_rows(rows)
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise RktDitolak(
            _("Kolom kepala RKT tidak dikenal: %(k)s.") % {"k": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        rkt, created = RencanaKinerjaTahunan.objects.select_for_update().get_or_create(
            unit=unit, tahun=tahun
        )
        if not created and expected_versi is not None and expected_versi != rkt.versi:
            raise RktKonflik
        before = {} if created else _flat(rkt)
        existing = {
            str(i.code): i
            for i in IndikatorKinerja.objects.filter(sasaran__rkt=rkt).select_related("sasaran")
        }
        errors = [
            _("Baris %(n)d: indikator ini bukan bagian dari RKT tersebut.") % {"n": r.baris}
            for r in cleaned
            if r.code and r.code not in existing
        ]
        kept = {r.code for r in cleaned if r.code}
        dropped = [i for code, i in existing.items() if code not in kept]
        errors += [
            _(
                "Indikator “%(nama)s” sudah memiliki realisasi; kosongkan realisasinya dulu bila "
                "indikator ini memang dihapus."
            )
            % {"nama": i.nama[:80]}
            for i in dropped
            if i.realisasi.exists()
        ]
        if errors:
            raise RktDitolak(errors)
        for f, value in header.items():
            setattr(rkt, f, value)
        rkt.versi = 1 if created else rkt.versi + 1
        rkt.save()
        IndikatorKinerja.objects.filter(pk__in=[i.pk for i in dropped]).delete()
        old_sasaran = list(rkt.sasaran.all())
        used: list[SasaranKegiatan] = []
        current: SasaranKegiatan | None = None
        for urutan, row in enumerate(cleaned):
            if current is None or (current.teks, current.nomor) != (row.sasaran, row.sasaran_nomor):
                reuse = next(
                    (s for s in old_sasaran if s.teks == row.sasaran and s not in used), None
                )
                current = reuse or SasaranKegiatan(rkt=rkt, teks=row.sasaran)
                current.nomor, current.urutan = row.sasaran_nomor, len(used)
                current.save()
                used.append(current)
            jenis, angka, satuan = parse_target(row.target)
            indikator = existing.get(row.code) or IndikatorKinerja()
            indikator.sasaran = current
            indikator.nomor, indikator.nama, indikator.target_teks = (
                row.nomor,
                row.indikator,
                row.target,
            )
            indikator.jenis_target, indikator.target_angka, indikator.satuan = jenis, angka, satuan
            indikator.utama, indikator.berorientasi_hasil = row.utama, row.berorientasi_hasil
            indikator.tautan_zi, indikator.urutan = row.tautan_zi, urutan
            indikator.save()
        SasaranKegiatan.objects.filter(rkt=rkt).exclude(pk__in=[s.pk for s in used]).delete()
        rkt = RencanaKinerjaTahunan.objects.prefetch_related("sasaran__indikator").get(pk=rkt.pk)
        riwayat_record(
            user=user,
            unit=unit,
            tahun=tahun,
            objek="rkt",
            objek_id=rkt.code,
            kode=f"RKT {tahun}",
            aksi=Riwayat.Aksi.BUAT if created else Riwayat.Aksi.UBAH,
            perubahan=diff(before, _flat(rkt)),
        )
    return rkt


def capaian_item(penilaian: Penilaian) -> HasilItem | None:
    """The hasil item B.I.b (capaian kinerja) of the penilaian's model, if it has one."""
    return HasilItem.objects.filter(model=penilaian.model, jenis=JenisHasil.CAPAIAN).first()


def realisasi_save(
    *,
    indikator: IndikatorKinerja,
    triwulan: int,
    nilai: str,
    teks: str = "",
    tercapai: bool | None = None,
    catatan: str = "",
    files: Sequence[UploadedFile] = (),
    tanggal_efektif: dt.date | None = None,
    kunci: str = "",
    user: Any,
    access: UnitAccess | None = None,
) -> RealisasiKinerja | None:
    """Store the realisasi of an indikator up to the end of `triwulan`, with its bukti.

    A blank realisasi (no number, no text, no met/not met) removes the quarter's entry
    (its bukti stay, withdrawn from nothing). The bukti go through
    `evidence.services.bukti_upload`, as evidence of B.I.b of the year's penilaian.
    An indikator linked to the ZI score takes no realisasi: it follows the score.
    """
    rkt = indikator.sasaran.rkt
    refusal = rkt_refusal(access, rkt.unit, rkt.tahun)
    if refusal:
        raise RktDitolak(refusal)
    if access is not None and files and not access.can(Izin.UPLOAD_BUKTI):
        raise RktDitolak(_("Anda tidak dapat mengunggah bukti."))
    if triwulan not in (1, 2, 3, 4):
        raise RktDitolak(_("Pilih triwulan I, II, III atau IV."))
    if indikator.tautan_zi:
        raise RktDitolak(
            _("Realisasi indikator ini mengikuti nilai ZI di portal dan tidak diisi manual.")
        )
    numeric = indikator.jenis_target != JenisTarget.TEKS
    angka = parse_angka(nilai) if numeric else None
    if (
        numeric
        and indikator.jenis_target == JenisTarget.PERSEN
        and angka is not None
        and angka > 1000
    ):
        raise RktDitolak(_("Realisasi persentase tidak masuk akal (lebih dari 1.000%)."))
    teks = teks.strip()
    blank = angka is None and not teks and tercapai is None
    if not numeric and not blank and tercapai is None:
        raise RktDitolak(_("Untuk target berupa teks, pilih apakah target tercapai."))
    if numeric and angka is None and not blank:
        raise RktDitolak(_("Isi angka realisasi."))
    penilaian = year_penilaian(rkt.unit, rkt.tahun)
    item = capaian_item(penilaian) if penilaian is not None else None
    if files and item is None:
        raise RktDitolak(
            _(
                "Bukti realisasi disimpan pada unsur hasil capaian kinerja penilaian tahun "
                "%(tahun)d, yang belum ada."
            )
            % {"tahun": rkt.tahun}
        )
    with transaction.atomic():
        row = (
            RealisasiKinerja.objects.select_for_update()
            .filter(indikator=indikator, triwulan=triwulan)
            .first()
        )
        old = _realisasi_values(row)
        if blank:
            if files:
                raise RktDitolak(_("Isi realisasinya sebelum mengunggah bukti."))
            if row is not None:
                row.delete()
            _realisasi_audit(indikator, triwulan, user, old, {}, Riwayat.Aksi.HAPUS if row else "")
            return None
        row = row or RealisasiKinerja(indikator=indikator, triwulan=triwulan)
        row.nilai, row.teks, row.tercapai = angka, teks, tercapai if not numeric else None
        row.catatan = catatan.strip()
        row.diisi_oleh = user if getattr(user, "is_authenticated", False) else None
        created = row.pk is None
        row.save()
        _realisasi_audit(
            indikator,
            triwulan,
            user,
            old,
            _realisasi_values(row),
            Riwayat.Aksi.BUAT if created else Riwayat.Aksi.UBAH,
        )
        if files:
            assert penilaian is not None and item is not None
            stored = bukti_upload(
                penilaian=penilaian,
                pertanyaan=None,
                hasil_item=item,
                files=files,
                user=user,
                tanggal_efektif=tanggal_efektif,
                kunci=kunci,
            )
            Bukti.objects.filter(pk__in=[b.pk for b in stored]).update(realisasi=row)
    return row


def _realisasi_values(row: RealisasiKinerja | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {
        "realisasi": row.nilai.normalize() if row.nilai is not None else None,
        "teks": row.teks,
        "tercapai": {True: "ya", False: "tidak", None: ""}[row.tercapai],
        "catatan": row.catatan,
    }


def _realisasi_audit(
    indikator: IndikatorKinerja,
    triwulan: int,
    user: Any,
    old: dict[str, Any],
    new: dict[str, Any],
    aksi: str,
) -> None:
    if not aksi:
        return
    rkt = indikator.sasaran.rkt
    riwayat_record(
        user=user,
        unit=rkt.unit,
        tahun=rkt.tahun,
        objek="realisasi_kinerja",
        objek_id=indikator.code,
        kode=f"RKT {indikator.sasaran.nomor}{indikator.nomor} TW{triwulan}"[:60],
        aksi=aksi,
        perubahan=diff(old, new),
    )


def rkt_for(unit: UnitKerja, tahun: int) -> RencanaKinerjaTahunan | None:
    return RencanaKinerjaTahunan.objects.filter(unit=unit, tahun=tahun).first()
