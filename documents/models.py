"""Files that leave the portal: export jobs and signed documents."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidence.models import RencanaKerja
from lke.models import Penilaian
from scoring.models import Pengusulan, SnapshotSkor


def dokumen_upload_to(instance: DokumenTertandatangan, filename: str) -> str:
    return f"dokumen/{instance.code}.pdf"


class JenisDokumen(models.TextChoices):
    RENCANA_KERJA = "rencana_kerja", _("Rencana kerja")
    LHE = "lhe", _("Laporan hasil evaluasi internal TPI")
    PENGUSULAN = "pengusulan", _("Surat pengajuan evaluasi dan SPTJM")


class DokumenTertandatangan(models.Model):
    """A signed (PAdES) PDF; `code` is its public verification id.

    A rencana kerja (`rencana_kerja`), the TPI's LHE of one final score (`snapshot`,
    the final TPI `SnapshotSkor` it reports) or the surat pengajuan evaluasi with its SPTJM
    of a pengusulan to the TPN (`pengusulan`; no single penilaian).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jenis = models.CharField(
        _("jenis dokumen"),
        max_length=16,
        choices=JenisDokumen.choices,
        default=JenisDokumen.RENCANA_KERJA,
    )
    rencana_kerja = models.ForeignKey(
        RencanaKerja, on_delete=models.PROTECT, related_name="dokumen", null=True, blank=True
    )
    snapshot = models.ForeignKey(
        SnapshotSkor, on_delete=models.PROTECT, related_name="dokumen", null=True, blank=True
    )
    pengusulan = models.ForeignKey(
        Pengusulan, on_delete=models.PROTECT, related_name="dokumen", null=True, blank=True
    )
    berkas = models.FileField(_("berkas"), upload_to=dokumen_upload_to, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    ukuran = models.PositiveBigIntegerField(_("ukuran (byte)"))
    penandatangan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nama_penandatangan = models.CharField(_("nama penandatangan"), max_length=200)
    jabatan_penandatangan = models.CharField(_("jabatan"), max_length=300, blank=True)
    subjek_sertifikat = models.CharField(_("subjek sertifikat"), max_length=500)
    ditandatangani_pada = models.DateTimeField(_("ditandatangani pada"))
    aktif = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("dokumen tertandatangan")
        verbose_name_plural = _("dokumen tertandatangan")
        ordering = ["-ditandatangani_pada"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(jenis="rencana_kerja", rencana_kerja__isnull=False)
                    | models.Q(jenis="lhe", snapshot__isnull=False)
                    | models.Q(jenis="pengusulan", pengusulan__isnull=False)
                ),
                name="dokumen_jenis_sumber",
            )
        ]

    def __str__(self) -> str:
        sumber = self.rencana_kerja or self.snapshot or self.pengusulan
        return f"{sumber} ({self.ditandatangani_pada:%Y-%m-%d})"

    @property
    def penilaian(self) -> Penilaian:
        """The penilaian of a rencana kerja or an LHE (a pengusulan has none)."""
        if self.rencana_kerja is not None:
            return self.rencana_kerja.penilaian
        assert self.snapshot is not None
        return self.snapshot.penilaian

    @property
    def berlaku(self) -> bool:
        """Still the document in force: not replaced, and an LHE's score still final."""
        if not self.aktif:
            return False
        return self.snapshot is None or self.snapshot.final


class JenisEkspor(models.TextChoices):
    LKE_XLSX = "lke_xlsx", _("LKE (Excel)")
    RENCANA_KERJA_PDF = "rencana_kerja_pdf", _("Rencana kerja (PDF)")
    BERKAS_BUKTI_ZIP = "berkas_bukti_zip", _("Berkas bukti (ZIP)")
    RKT_PDF = "rkt_pdf", _("Rencana Kinerja Tahunan (PDF)")
    LHE_PDF = "lhe_pdf", _("Laporan hasil evaluasi internal TPI (PDF)")
    MONEV_PDF = "monev_pdf", _("Laporan monev triwulan (PDF)")
    MONEV_DOCX = "monev_docx", _("Laporan monev triwulan (Word)")
    PENGUSULAN_PDF = "pengusulan_pdf", _("Surat pengajuan evaluasi dan SPTJM (PDF)")
    # The recap of every unit of an instansi and year; the job's penilaian is the first
    # penilaian of that instansi and year (it names the instansi and the year).
    INSTANSI_XLSX = "instansi_xlsx", _("Rekap instansi (Excel)")


class StatusEkspor(models.TextChoices):
    ANTRE = "antre", _("Dalam antrean")
    PROSES = "proses", _("Sedang diproses")
    SELESAI = "selesai", _("Selesai")
    GAGAL = "gagal", _("Gagal")


def ekspor_upload_to(instance: ExportJob, filename: str) -> str:
    return f"ekspor/{instance.id}/{PurePosixPath(filename).name}"


class ExportJob(models.Model):
    """A document rendered by a Celery task, downloaded through a rights-checked view.

    A document of one penilaian (`penilaian`) or of an instansi's pengusulan to the TPN
    (`pengusulan`): exactly one of the two.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    penilaian = models.ForeignKey(
        Penilaian, on_delete=models.CASCADE, related_name="ekspor", null=True, blank=True
    )
    pengusulan = models.ForeignKey(
        Pengusulan, on_delete=models.CASCADE, related_name="ekspor", null=True, blank=True
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=JenisEkspor.choices)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=StatusEkspor.choices, default=StatusEkspor.ANTRE
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    berkas = models.FileField(_("berkas"), upload_to=ekspor_upload_to, blank=True, max_length=300)
    nama_berkas = models.CharField(_("nama berkas"), max_length=200, blank=True)
    error = models.TextField(_("pesan kesalahan"), blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    selesai_pada = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    kedaluwarsa = models.DateTimeField(_("kedaluwarsa"), db_index=True)
    # The run that owns the job (a random token per claim) and its heartbeat: a job whose
    # heartbeat stopped is re-queued by `exports_requeue_stale`; a run that lost its claim
    # (its worker was presumed dead) can no longer finish the job.
    percobaan = models.CharField(_("percobaan"), max_length=32, blank=True, default="")
    detak = models.DateTimeField(_("detak terakhir"), null=True, blank=True)
    # The address the job was started at (zi_portal.lib.urls.public_base_url): links and QR
    # codes in the document point there; "" means ZI_PUBLIC_BASE_URL.
    alamat_publik = models.CharField(_("alamat publik"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ekspor")
        verbose_name_plural = _("ekspor")
        ordering = ["-dibuat_pada"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(penilaian__isnull=False, pengusulan__isnull=True)
                | models.Q(penilaian__isnull=True, pengusulan__isnull=False),
                name="ekspor_satu_pemilik",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.penilaian or self.pengusulan} ({self.status})"
