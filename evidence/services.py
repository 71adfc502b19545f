"""Writing evidence and rencana aksi: validation, storage, versions, audit.

Every function here either completes or leaves nothing behind: rows are written in a
transaction, and a stored file whose row could not be written is removed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from evidence.models import (
    Bukti,
    JenisBukti,
    RealisasiRencanaAksi,
    RencanaAksi,
    StatusRencanaAksi,
)
from evidence.realisasi import NAMA_TRIWULAN
from evidence.tasks import bukti_periksa_on_commit
from evidence.validators import BuktiDitolak, detect_and_validate
from lke.models import HasilItem, Indikator, Penilaian, Pertanyaan, StatusPenilaian
from units.access import Izin, UnitAccess
from units.audit import diff, riwayat_record
from units.models import Riwayat
from zi_portal.lib.storage import discard, store

log = logging.getLogger(__name__)


class RencanaAksiKonflik(Exception):
    def __init__(self, current: RencanaAksi) -> None:
        super().__init__("Baris rencana aksi ini telah diubah oleh pengguna lain.")
        self.current = current


def max_upload_bytes() -> int:
    return int(settings.ZI_UPLOAD_MAX_MB) * 1024 * 1024


def upload_sha256(upload: UploadedFile) -> str:
    """SHA-256 of an upload, read in chunks (also for Tabel 5 evidence and signed SKs)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _audit_bukti(bukti: Bukti, user: Any, aksi: str, changes: dict[str, list[str]]) -> None:
    riwayat_record(
        user=user,
        unit=bukti.penilaian.unit,
        tahun=bukti.penilaian.tahun,
        objek="bukti",
        objek_id=bukti.code,
        kode=bukti.pertanyaan.kode
        if bukti.pertanyaan
        else (bukti.hasil_item.kode if bukti.hasil_item else ""),
        aksi=aksi,
        perubahan=changes,
    )


def bukti_upload(
    *,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan | None,
    files: Sequence[UploadedFile],
    user: Any,
    hasil_item: HasilItem | None = None,
    tanggal_efektif: dt.date | None = None,
    rencana_aksi: RencanaAksi | None = None,
    replaces: Bukti | None = None,
    kunci: str = "",
) -> list[Bukti]:
    """Validate every file first, then store them all, or none (all or nothing).

    `kunci` is the key of the submitted form: a second submission with the same key
    (double click, browser retry, concurrent posts) returns the bukti of the first.
    The bukti belongs to `pertanyaan`, or (evidence of a hasil item, e.g. an RKT
    realisasi for B.I.b) to `hasil_item`.
    """
    if kunci and (earlier := _submitted(penilaian, kunci)):
        return earlier
    if not files:
        raise BuktiDitolak(_("Pilih minimal satu berkas."))
    if replaces is not None and len(files) != 1:
        raise BuktiDitolak(_("Penggantian bukti hanya menerima satu berkas."))
    checked = []
    names_seen: set[str] = set()
    for upload in files:
        name, mime = detect_and_validate(upload, max_bytes=max_upload_bytes())
        if name.lower() in names_seen:
            raise BuktiDitolak(
                _("%(nama)s: berkas dengan nama sama dipilih dua kali.") % {"nama": name}
            )
        names_seen.add(name.lower())
        checked.append((upload, name, mime, upload_sha256(upload)))
    stored: list[Bukti] = []
    try:
        with transaction.atomic():
            if replaces is not None:
                replaces = Bukti.objects.select_for_update().get(pk=replaces.pk)
                if not replaces.aktif:
                    raise BuktiDitolak(_("Bukti ini sudah diganti dengan versi yang lebih baru."))
                replaces.aktif = False
                replaces.save(update_fields=["aktif"])
            for index, (upload, name, mime, sha) in enumerate(checked):
                bukti = Bukti(
                    kunci_kirim=f"{kunci}:{index}" if kunci else "",
                    penilaian=penilaian,
                    pertanyaan=pertanyaan,
                    hasil_item=hasil_item if pertanyaan is None else None,
                    rencana_aksi=rencana_aksi,
                    jenis=JenisBukti.FILE,
                    nama_asli=name,
                    judul=name,
                    ukuran=upload.size or 0,
                    sha256=sha,
                    tipe_konten=mime,
                    diunggah_oleh=user,
                    tanggal_efektif=tanggal_efektif,
                    versi_sebelumnya=replaces,
                )
                # A write that fails half-way (full disk) removes its partial file.
                bukti.berkas.name = store(
                    bukti.berkas.storage,
                    bukti.berkas.field.generate_filename(bukti, name),
                    upload,
                    max_length=bukti.berkas.field.max_length,
                )
                stored.append(bukti)
                # The key's uniqueness is the database's (a concurrent twin fails there).
                bukti.full_clean(exclude=["berkas", "url", "kunci_kirim"])
                bukti.save()
                _audit_bukti(
                    bukti,
                    user,
                    Riwayat.Aksi.BUAT,
                    {"berkas": ["", name], "sha256": ["", sha]}
                    | ({"menggantikan": [replaces.nama_asli, name]} if replaces else {}),
                )
    except IntegrityError:
        _remove_files(stored)
        if kunci and (earlier := _submitted(penilaian, kunci)):
            return earlier  # the same form, submitted concurrently, won the race
        raise
    except OSError as exc:
        _remove_files(stored)
        log.exception("storing evidence failed")
        raise BuktiDitolak(
            _(
                "Berkas gagal disimpan (penyimpanan bermasalah). Tidak ada yang tersimpan; "
                "coba lagi."
            )
        ) from exc
    except Exception:
        _remove_files(stored)
        raise
    for bukti in stored:  # evidence checks (issue 14), after the commit, ids only
        bukti_periksa_on_commit(bukti.pk)
    return stored


def _remove_files(rows: list[Bukti]) -> None:
    for row in rows:
        discard(row.berkas.storage, row.berkas.name)


def _submitted(penilaian: Penilaian, kunci: str) -> list[Bukti]:
    """The bukti an earlier submission of the form with this key made."""
    return list(
        Bukti.objects.filter(penilaian=penilaian, kunci_kirim__startswith=f"{kunci}:").order_by(
            "pk"
        )
    )


def bukti_link_add(
    *,
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    url: str,
    judul: str,
    user: Any,
    tanggal_efektif: dt.date | None = None,
    rencana_aksi: RencanaAksi | None = None,
    kunci: str = "",
) -> Bukti:
    if kunci and (earlier := _submitted(penilaian, kunci)):
        return earlier[0]
    if not url.lower().startswith(("https://", "http://")):
        raise BuktiDitolak(_("Tautan harus diawali http:// atau https://."))
    try:
        return _link_add(
            penilaian, pertanyaan, url, judul, user, tanggal_efektif, rencana_aksi, kunci
        )
    except IntegrityError:
        if kunci and (earlier := _submitted(penilaian, kunci)):
            return earlier[0]
        raise


def _link_add(
    penilaian: Penilaian,
    pertanyaan: Pertanyaan,
    url: str,
    judul: str,
    user: Any,
    tanggal_efektif: dt.date | None,
    rencana_aksi: RencanaAksi | None,
    kunci: str,
) -> Bukti:
    with transaction.atomic():
        bukti = Bukti(
            kunci_kirim=f"{kunci}:0" if kunci else "",
            penilaian=penilaian,
            pertanyaan=pertanyaan,
            rencana_aksi=rencana_aksi,
            jenis=JenisBukti.TAUTAN,
            url=url,
            judul=(judul or url)[:300],
            diunggah_oleh=user,
            tanggal_efektif=tanggal_efektif,
        )
        bukti.full_clean(exclude=["berkas", "kunci_kirim"])
        bukti.save()
        _audit_bukti(bukti, user, Riwayat.Aksi.BUAT, {"tautan": ["", url]})
    bukti_periksa_on_commit(bukti.pk)  # evidence checks (issue 14), after the commit
    return bukti


def bukti_withdraw(*, bukti: Bukti, user: Any) -> None:
    """Withdraw evidence from the question; the file and row stay for the record."""
    with transaction.atomic():
        bukti.aktif = False
        bukti.save(update_fields=["aktif"])
        _audit_bukti(bukti, user, Riwayat.Aksi.HAPUS, {"aktif": ["ya", "tidak"]})


# -- rencana aksi -----------------------------------------------------------------------

RA_FIELDS = (
    "sasaran",
    "rencana_aksi",
    "rencana_kegiatan",
    "bukti_direncanakan",
    "jadwal",
    "bulan_mulai",
    "bulan_selesai",
    "penanggung_jawab",
    "penanggung_jawab_user_id",
    "status",
)


def _ra_values(row: RencanaAksi) -> dict[str, Any]:
    return {f: getattr(row, f) for f in RA_FIELDS}


def _ra_audit(row: RencanaAksi, user: Any, aksi: str, changes: dict[str, list[str]]) -> None:
    riwayat_record(
        user=user,
        unit=row.penilaian.unit,
        tahun=row.penilaian.tahun,
        objek="rencana_aksi",
        objek_id=row.code,
        kode=row.indikator.kode
        if row.indikator
        else (row.hasil_item.kode if row.hasil_item else ""),
        aksi=aksi,
        perubahan=changes,
    )


def _needs_reapproval(penilaian: Penilaian) -> None:
    """Any change to the rencana aksi voids an approval of the rencana kerja."""
    from evidence.persetujuan import rencana_kerja_changed

    rencana_kerja_changed(penilaian)


def _rencana_aksi_open(penilaian_id: int) -> None:
    """Rencana aksi change until the penilaian is final (then only after buka kembali)."""
    status = Penilaian.objects.values_list("status", flat=True).get(pk=penilaian_id)
    if status == StatusPenilaian.FINAL:
        raise BuktiDitolak(
            _("Penilaian sudah final: rencana aksi tidak dapat diubah kecuali dibuka kembali.")
        )


def rencana_aksi_create(
    *, penilaian: Penilaian, indikator: Indikator, values: dict[str, Any], user: Any
) -> RencanaAksi:
    _rencana_aksi_open(penilaian.pk)
    with transaction.atomic():
        last = penilaian.rencana_aksi.aggregate(m=Max("urutan"))["m"]
        row = RencanaAksi(penilaian=penilaian, indikator=indikator, urutan=(last or 0) + 1)
        for field, value in values.items():
            setattr(row, field, value)
        row.full_clean()
        row.save()
        _ra_audit(row, user, Riwayat.Aksi.BUAT, diff({}, _ra_values(row)))
        _needs_reapproval(penilaian)
    return row


def rencana_aksi_update(
    *, row: RencanaAksi, values: dict[str, Any], expected_versi: int, user: Any
) -> RencanaAksi:
    _rencana_aksi_open(row.penilaian_id)
    with transaction.atomic():
        current = RencanaAksi.objects.select_for_update().get(pk=row.pk)
        if current.versi != expected_versi:
            raise RencanaAksiKonflik(current)
        before = _ra_values(current)
        for field, value in values.items():
            setattr(current, field, value)
        current.full_clean()
        changes = diff(before, _ra_values(current))
        if changes:
            current.versi += 1
            current.save()
            _ra_audit(current, user, Riwayat.Aksi.UBAH, changes)
            _needs_reapproval(current.penilaian)
    return current


def rencana_aksi_delete(*, row: RencanaAksi, user: Any) -> None:
    _rencana_aksi_open(row.penilaian_id)
    with transaction.atomic():
        _ra_audit(row, user, Riwayat.Aksi.HAPUS, diff(_ra_values(row), {}))
        row.delete()
        _needs_reapproval(row.penilaian)


def rencana_aksi_move(*, row: RencanaAksi, direction: int, user: Any) -> None:
    """Swap the row with its neighbour within the same indikator (-1 up, +1 down)."""
    _rencana_aksi_open(row.penilaian_id)
    with transaction.atomic():
        siblings = list(
            RencanaAksi.objects.select_for_update()
            .filter(penilaian=row.penilaian, indikator=row.indikator, hasil_item=row.hasil_item)
            .order_by("urutan", "id")
        )
        index = next(i for i, r in enumerate(siblings) if r.pk == row.pk)
        other = index + direction
        if not 0 <= other < len(siblings):
            return
        a, b = siblings[index], siblings[other]
        a.urutan, b.urutan = b.urutan, a.urutan
        if a.urutan == b.urutan:
            a.urutan += direction
        RencanaAksi.objects.bulk_update([a, b], ["urutan"])
        _ra_audit(a, user, Riwayat.Aksi.UBAH, {"urutan": [str(b.urutan), str(a.urutan)]})
        _needs_reapproval(row.penilaian)


def rencana_aksi_copy_from(
    *, source: Penilaian, target: Penilaian, user: Any, access: UnitAccess
) -> int:
    """Copy last year's rows into this year's penilaian (status reset to belum mulai).

    A unit-wide action: needs a membership covering every area. Rows are matched to the
    target model's indikator by code; a row whose indikator does not exist in the target
    model is refused with its code, and nothing is copied.
    """
    if not access.can(Izin.EDIT_RENCANA_AKSI):
        raise BuktiDitolak(_("Anda tidak berhak mengubah rencana aksi unit ini."))
    if not access.covers_every_area():
        raise BuktiDitolak(
            _(
                "Menyalin rencana aksi berlaku untuk seluruh unit, sedangkan keanggotaan Anda "
                "terbatas pada area %(areas)s."
            )
            % {"areas": ", ".join(str(a) for a in sorted(access.areas))}
        )
    if target.status == StatusPenilaian.FINAL:
        raise BuktiDitolak(
            _("Penilaian sudah final: rencana aksi tidak dapat diubah kecuali dibuka kembali.")
        )
    indikator = {i.kode: i for i in Indikator.objects.filter(model=target.model)}
    rows = list(
        source.rencana_aksi.select_related("indikator", "hasil_item").order_by("urutan", "id")
    )
    missing = sorted(
        {r.indikator.kode for r in rows if r.indikator and r.indikator.kode not in indikator}
    )
    if missing:
        raise BuktiDitolak(
            _(
                "Indikator berikut tidak ada pada model tahun ini: %(kode)s. "
                "Tidak ada baris yang disalin."
            )
            % {"kode": ", ".join(missing)}
        )
    with transaction.atomic():
        copies = rencana_aksi_copy_rows(source=source, target=target, rows=rows, user=user)
    return len(copies)


def rencana_aksi_copy_rows(
    *, source: Penilaian, target: Penilaian, rows: list[RencanaAksi], user: Any
) -> dict[int, RencanaAksi]:
    """Copy `rows` of `source` into `target` (matched by indikator / hasil code, status
    reset), recorded; returns each source row's copy by the source row's pk. Rows whose
    indikator or hasil item the target model lacks are left out."""
    indikator = {i.kode: i for i in Indikator.objects.filter(model=target.model)}
    hasil = {h.kode: h for h in target.model.hasilitem_set.all()}
    with transaction.atomic():
        start = target.rencana_aksi.aggregate(m=Max("urutan"))["m"] or 0
        kept = [
            r
            for r in rows
            if (r.indikator and r.indikator.kode in indikator)
            or (r.hasil_item and r.hasil_item.kode in hasil)
        ]
        copies = [
            RencanaAksi(
                penilaian=target,
                indikator=indikator[r.indikator.kode] if r.indikator else None,
                hasil_item=hasil.get(r.hasil_item.kode) if r.hasil_item else None,
                label_sumber=r.label_sumber,
                sasaran=r.sasaran,
                rencana_aksi=r.rencana_aksi,
                rencana_kegiatan=r.rencana_kegiatan,
                bukti_direncanakan=r.bukti_direncanakan,
                jadwal=r.jadwal,
                bulan_mulai=r.bulan_mulai,
                bulan_selesai=r.bulan_selesai,
                penanggung_jawab=r.penanggung_jawab,
                penanggung_jawab_user=r.penanggung_jawab_user,
                status=StatusRencanaAksi.BELUM_MULAI,
                urutan=start + n,
            )
            for n, r in enumerate(kept, start=1)
        ]
        RencanaAksi.objects.bulk_create(copies)
        riwayat_record(
            user=user,
            unit=target.unit,
            tahun=target.tahun,
            objek="rencana_aksi",
            objek_id="",
            kode="",
            aksi=Riwayat.Aksi.BUAT,
            perubahan={"disalin_dari": [str(source.tahun), f"{len(copies)} baris"]},
        )
        _needs_reapproval(target)
    return {r.pk: c for r, c in zip(kept, copies, strict=True)}


def bukti_dicek_ulang(*, bukti: Bukti, user: Any) -> Bukti:
    """The tim kerja checked a bukti carried forward from last year: it still holds.

    Clears *perlu dicek ulang* (recorded); a bukti that no longer holds is replaced or
    withdrawn instead. Nothing happens to one already checked.
    """
    with transaction.atomic():
        locked = (
            Bukti.objects.select_for_update().select_related("penilaian__unit").get(pk=bukti.pk)
        )
        if not locked.perlu_dicek_ulang:
            return locked
        locked.perlu_dicek_ulang = False
        locked.save(update_fields=["perlu_dicek_ulang"])
        _audit_bukti(locked, user, Riwayat.Aksi.UBAH, {"status": ["perlu dicek ulang", "berlaku"]})
    return locked


# -- realisasi of the rencana aksi per quarter (issue 15) -------------------------------

REALISASI_FIELDS = ("realisasi", "progres", "status", "kendala", "tindak_lanjut")


class RealisasiDitolak(ValueError):
    """Bad input or a refused change: the messages say why, in Indonesian; nothing changed."""

    def __init__(self, messages: Sequence[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


def realisasi_refusal(access: UnitAccess, row: RencanaAksi) -> str:
    """Why `access` may not enter the realisasi of `row` ("" when it may): the rights of
    editing the rencana aksi row itself (its area; a hasil row needs every area)."""
    if not access.can(Izin.EDIT_RENCANA_AKSI):
        return _("Anda tidak berhak mengisi realisasi rencana aksi unit ini.")
    if row.indikator is not None:
        nomor = row.indikator.area.nomor
        if not access.can_edit_area(nomor):
            return _("Keanggotaan Anda tidak mencakup area %(area)s.") % {"area": nomor}
    elif not access.covers_every_area():
        return _("Realisasi rencana aksi komponen hasil berlaku untuk seluruh unit.")
    return ""


def _realisasi_values(r: RealisasiRencanaAksi | None) -> dict[str, Any]:
    if r is None:
        return {}
    values = {f: getattr(r, f) for f in REALISASI_FIELDS}
    values["bukti"] = ", ".join(sorted(str(b) for b in r.bukti.all()))
    return values


def _clean_realisasi(row: RencanaAksi, triwulan: Any, values: dict[str, Any]) -> list[str]:
    errors = []
    if triwulan not in (1, 2, 3, 4):
        errors.append(_("Triwulan harus I, II, III atau IV (1–4)."))
    progres = values.get("progres")
    if not isinstance(progres, int) or isinstance(progres, bool) or not 0 <= progres <= 100:
        errors.append(_("Progres harus bilangan bulat antara 0 dan 100 (%)."))
        progres = None
    status = values.get("status")
    if status not in StatusRencanaAksi.values:
        errors.append(_("Status harus belum mulai, sedang berjalan atau selesai."))
    elif progres is not None:
        if status == StatusRencanaAksi.SELESAI and progres != 100:
            errors.append(_("Status selesai berarti progres 100%."))
        if status != StatusRencanaAksi.SELESAI and progres == 100:
            errors.append(_("Progres 100% berarti status selesai."))
        if status == StatusRencanaAksi.BELUM_MULAI and progres > 0:
            errors.append(_("Status belum mulai berarti progres 0%."))
    if (
        status in (StatusRencanaAksi.BERJALAN, StatusRencanaAksi.SELESAI)
        and not str(values.get("realisasi") or "").strip()
    ):
        errors.append(_("Tuliskan realisasi yang sudah dilaksanakan."))
    for field, label, limit in (
        ("realisasi", _("Realisasi"), 8000),
        ("kendala", _("Kendala"), 4000),
        ("tindak_lanjut", _("Tindak lanjut"), 4000),
    ):
        if len(str(values.get(field) or "")) > limit:
            errors.append(
                _("%(field)s terlalu panjang (paling banyak %(n)d karakter).")
                % {"field": label, "n": limit}
            )
    return errors


def realisasi_bukti_choices(row: RencanaAksi) -> list[Bukti]:
    """The bukti a realisasi of `row` may cite: the current bukti of the same penilaian
    and indikator (or hasil item)."""
    qs = Bukti.objects.filter(penilaian_id=row.penilaian_id, aktif=True)
    if row.indikator_id is not None:
        qs = qs.filter(pertanyaan__indikator_id=row.indikator_id)
    else:
        qs = qs.filter(hasil_item_id=row.hasil_item_id)
    return list(qs.select_related("pertanyaan").order_by("pertanyaan__urutan", "-diunggah_pada"))


def realisasi_rencana_aksi_save(
    *,
    row: RencanaAksi,
    triwulan: int,
    values: dict[str, Any],
    bukti: Sequence[str],
    user: Any,
    access: UnitAccess,
    expected_versi: int | None = None,
) -> RealisasiRencanaAksi:
    """Create or change the realisasi of `row` in `triwulan`, recorded in Riwayat.

    `values`: realisasi, progres (int 0–100), status, kendala, tindak_lanjut; `bukti`:
    codes of bukti of the same penilaian and indikator. `expected_versi` (the version the
    form was loaded with, 0 for a new one) refuses a change someone saved in between.
    Every error in Indonesian (`RealisasiDitolak`), all or nothing.
    """
    refusal = realisasi_refusal(access, row)
    if refusal:
        raise RealisasiDitolak(refusal)
    status_penilaian = Penilaian.objects.values_list("status", flat=True).get(pk=row.penilaian_id)
    if status_penilaian == StatusPenilaian.FINAL:
        raise RealisasiDitolak(
            _("Penilaian sudah final: realisasi tidak dapat diubah kecuali dibuka kembali.")
        )
    errors = _clean_realisasi(row, triwulan, values)
    allowed = {str(b.code): b for b in realisasi_bukti_choices(row)}
    chosen = []
    for code in dict.fromkeys(str(c) for c in bukti if str(c).strip()):
        if code not in allowed:
            errors.append(
                _("Bukti yang dipilih bukan bukti terkini indikator ini (%(kode)s).")
                % {"kode": code[:8]}
            )
        else:
            chosen.append(allowed[code])
    if errors:
        raise RealisasiDitolak(errors)
    with transaction.atomic():
        RencanaAksi.objects.select_for_update().filter(pk=row.pk).first()  # one writer per row
        current = (
            RealisasiRencanaAksi.objects.select_for_update()
            .filter(rencana_aksi=row, triwulan=triwulan)
            .first()
        )
        others = dict(
            RealisasiRencanaAksi.objects.filter(rencana_aksi=row)
            .exclude(triwulan=triwulan)
            .values_list("triwulan", "progres")
        )
        before_tw = [p for t, p in others.items() if t < triwulan]
        after_tw = [p for t, p in others.items() if t > triwulan]
        progres = values["progres"]
        if before_tw and progres < max(before_tw):
            raise RealisasiDitolak(
                _(
                    "Progres bersifat kumulatif: tidak boleh lebih kecil dari progres triwulan "
                    "sebelumnya (%(p)d%%)."
                )
                % {"p": max(before_tw)}
            )
        if after_tw and progres > min(after_tw):
            raise RealisasiDitolak(
                _(
                    "Progres bersifat kumulatif: tidak boleh lebih besar dari progres triwulan "
                    "berikutnya (%(p)d%%)."
                )
                % {"p": min(after_tw)}
            )
        if expected_versi is not None and (current.versi if current else 0) != expected_versi:
            raise RealisasiDitolak(
                _(
                    "Realisasi triwulan ini telah diubah oleh pengguna lain. Muat ulang baris "
                    "lalu ulangi perubahan Anda."
                )
            )
        before = _realisasi_values(current)
        target = current or RealisasiRencanaAksi(rencana_aksi=row, triwulan=triwulan)
        for field in REALISASI_FIELDS:
            value = values.get(field)
            setattr(target, field, value.strip() if isinstance(value, str) else value)
        target.diisi_oleh = user if getattr(user, "is_authenticated", False) else None
        target.full_clean(exclude=["rencana_aksi", "diisi_oleh"])
        after = {f: getattr(target, f) for f in REALISASI_FIELDS}
        after["bukti"] = ", ".join(sorted(str(b) for b in chosen))
        changes = diff(before, after)
        if current is not None and not changes:
            return current
        if current is not None:
            target.versi += 1
        target.save()
        target.bukti.set(chosen)
        riwayat_record(
            user=user,
            unit=row.penilaian.unit,
            tahun=row.penilaian.tahun,
            objek="realisasi_rencana_aksi",
            objek_id=row.code,
            kode=(
                (
                    row.indikator.kode
                    if row.indikator
                    else row.hasil_item.kode
                    if row.hasil_item
                    else ""
                )
                + f" TW{NAMA_TRIWULAN[triwulan - 1]}"
            )[:60],
            aksi=Riwayat.Aksi.UBAH if current is not None else Riwayat.Aksi.BUAT,
            perubahan=changes,
        )
    return target
