"""The two answer sets of a penilaian (mandiri, TPI) and frozen score snapshots."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lke.models import HasilItem, Penilaian, Pertanyaan
from units.models import Instansi, PredikatUnit


class SetJawaban(models.TextChoices):
    MANDIRI = "mandiri", _("Penilaian mandiri")
    TPI = "tpi", _("TPI")
    TPN = "tpn", _("TPN Kementerian PANRB")


class Jawaban(models.Model):
    """One question's answer in one set: an option letter, or the numeric inputs.

    `angka` maps input codes (e.g. "A.II.1.i.a.1") to decimal strings.
    """

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="jawaban")
    set = models.CharField(_("set jawaban"), max_length=8, choices=SetJawaban.choices)
    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.PROTECT, related_name="jawaban")
    opsi = models.CharField(_("jawaban"), max_length=6, blank=True)
    angka = models.JSONField(_("isian angka"), default=dict, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)
    versi = models.PositiveIntegerField(_("versi"), default=1)

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(
                fields=["penilaian", "set", "pertanyaan"], name="jawaban_unique_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.penilaian} {self.set} {self.pertanyaan.kode}: {self.opsi or self.angka}"

    def is_answered(self) -> bool:
        return bool(self.opsi) or bool(self.angka)


class JawabanHasil(models.Model):
    """A hasil input: IPAK/IPKP index (0-4), TLHP percent, or capaian kinerja letter."""

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="jawaban_hasil")
    set = models.CharField(_("set jawaban"), max_length=8, choices=SetJawaban.choices)
    hasil_item = models.ForeignKey(HasilItem, on_delete=models.PROTECT, related_name="jawaban")
    nilai = models.DecimalField(_("nilai"), max_digits=7, decimal_places=4, null=True, blank=True)
    opsi = models.CharField(_("jawaban"), max_length=2, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    # The portal's suggestion (capaian kinerja, from the RKT) when the TPI chose `opsi`:
    # both are kept, the suggestion never replaces the choice.
    saran_opsi = models.CharField(_("saran portal"), max_length=2, blank=True)
    saran_alasan = models.TextField(_("alasan saran portal"), blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("jawaban hasil")
        verbose_name_plural = _("jawaban hasil")
        constraints = [
            models.UniqueConstraint(
                fields=["penilaian", "set", "hasil_item"], name="jawabanhasil_unique_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.penilaian} {self.set} {self.hasil_item.kode}"


class SnapshotSkor(models.Model):
    """A frozen score report, so a final verdict never moves when a model is edited."""

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="snapshot")
    set = models.CharField(_("set jawaban"), max_length=8, choices=SetJawaban.choices)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.DecimalField(_("nilai total"), max_digits=12, decimal_places=8)
    predikat = models.CharField(_("hasil"), max_length=20)
    laporan = models.JSONField(_("laporan lengkap"))
    final = models.BooleanField(_("final"), default=False)

    class Meta:
        verbose_name = _("snapshot skor")
        verbose_name_plural = _("snapshot skor")
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.penilaian} {self.set} {self.total}"


class StatusReviu(models.TextChoices):
    DITERIMA = "diterima", _("Diterima")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")
    DIPERBAIKI = "diperbaiki", _("Sudah diperbaiki, menunggu reviu")


class Reviu(models.Model):
    """The TPI's review decision on one question of a penilaian."""

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="reviu")
    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.PROTECT, related_name="reviu")
    status = models.CharField(_("status reviu"), max_length=16, choices=StatusReviu.choices)
    catatan = models.TextField(_("catatan TPI"), blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("reviu")
        verbose_name_plural = _("reviu")
        constraints = [
            models.UniqueConstraint(fields=["penilaian", "pertanyaan"], name="reviu_unique")
        ]

    def __str__(self) -> str:
        return f"{self.penilaian} {self.pertanyaan.kode}: {self.status}"


class EvaluasiMandiri(models.Model):
    """An instansi evaluates its own units for Menuju WBK in `tahun` (PermenPANRB 5/2024 B).

    Recorded by its pimpinan instansi; without this row no penetapan by the instansi is
    possible for that year.
    """

    instansi = models.ForeignKey(
        Instansi, on_delete=models.CASCADE, related_name="evaluasi_mandiri"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    dasar = models.TextField(
        _("dasar penyelenggaraan"),
        blank=True,
        help_text=_("Mis. nomor surat atau keputusan yang menjadi dasar evaluasi mandiri."),
    )
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluasi mandiri instansi")
        verbose_name_plural = _("evaluasi mandiri instansi")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "tahun"], name="evaluasi_mandiri_unik")
        ]

    def __str__(self) -> str:
        return f"{self.instansi} {self.tahun}"


def sk_upload_to(instance: PenetapanMandiri, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"penetapan/{instance.penilaian.code}/{uuid.uuid4().hex}{suffix}"


class PenetapanMandiri(models.Model):
    """The pimpinan instansi's penetapan Menuju WBK after the TPI's final (5/2024 B).

    It becomes the unit's predikat row with source *evaluasi mandiri* (`predikat`). The
    signed SK is stored through the storage API.
    """

    penilaian = models.OneToOneField(
        Penilaian, on_delete=models.PROTECT, related_name="penetapan_mandiri"
    )
    predikat = models.OneToOneField(
        PredikatUnit, on_delete=models.PROTECT, related_name="penetapan_mandiri"
    )
    nomor_sk = models.CharField(_("nomor SK"), max_length=200)
    tanggal_sk = models.DateField(_("tanggal SK"))
    berkas_sk = models.FileField(_("SK bertanda tangan"), upload_to=sk_upload_to, max_length=300)
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Electronic signatures embedded in the uploaded SK (0: e.g. a scanned, wet-signed SK).
    # Counted, not validated: the signer's certificate is the issuer's (e.g. BSrE).
    tanda_tangan_elektronik = models.PositiveSmallIntegerField(
        _("tanda tangan elektronik dalam SK"), default=0
    )
    ditetapkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ditetapkan_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("penetapan evaluasi mandiri")
        verbose_name_plural = _("penetapan evaluasi mandiri")

    def __str__(self) -> str:
        return f"{self.penilaian} {self.nomor_sk}"
