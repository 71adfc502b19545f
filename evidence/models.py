"""Rencana aksi rows and bukti (evidence) of a penilaian."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lke.models import HasilItem, Indikator, Penilaian, Pertanyaan
from units.models import Instansi, UnitKerja
from zi_portal.lib.models import TimeStamped

BULAN = [MinValueValidator(1), MaxValueValidator(12)]


class StatusRencanaAksi(models.TextChoices):
    BELUM_MULAI = "belum_mulai", _("Belum mulai")
    BERJALAN = "berjalan", _("Sedang berjalan")
    SELESAI = "selesai", _("Selesai")


class RencanaAksi(TimeStamped):
    """One row of the unit's Tabel 1 (seed 000), for an indikator or a hasil item."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="rencana_aksi")
    indikator = models.ForeignKey(
        Indikator, on_delete=models.PROTECT, null=True, blank=True, related_name="rencana_aksi"
    )
    hasil_item = models.ForeignKey(
        HasilItem, on_delete=models.PROTECT, null=True, blank=True, related_name="rencana_aksi"
    )
    label_sumber = models.CharField(_("komponen/indikator (sumber)"), max_length=300, blank=True)
    sasaran = models.TextField(_("sasaran"), blank=True)
    rencana_aksi = models.TextField(_("rencana aksi"), blank=True)
    rencana_kegiatan = models.TextField(_("rencana kegiatan (langkah tindak lanjut)"), blank=True)
    bukti_direncanakan = models.TextField(_("bukti yang direncanakan"), blank=True)
    jadwal = models.CharField(_("rencana pelaksanaan"), max_length=200, blank=True)
    bulan_mulai = models.PositiveSmallIntegerField(
        _("bulan mulai"), null=True, blank=True, validators=BULAN
    )
    bulan_selesai = models.PositiveSmallIntegerField(
        _("bulan selesai"), null=True, blank=True, validators=BULAN
    )
    penanggung_jawab = models.CharField(_("penanggung jawab"), max_length=300, blank=True)
    penanggung_jawab_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanggung jawab (anggota unit)"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StatusRencanaAksi.choices,
        default=StatusRencanaAksi.BELUM_MULAI,
    )
    urutan = models.PositiveIntegerField(_("urutan"), default=0)
    versi = models.PositiveIntegerField(_("versi"), default=1)

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["urutan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indikator__isnull=False, hasil_item__isnull=True)
                | models.Q(indikator__isnull=True, hasil_item__isnull=False),
                name="rencanaaksi_indikator_xor_hasil",
            ),
            models.CheckConstraint(
                condition=models.Q(bulan_mulai__isnull=True)
                | models.Q(bulan_selesai__isnull=True)
                | models.Q(bulan_mulai__lte=models.F("bulan_selesai")),
                name="rencanaaksi_bulan_order",
            ),
        ]
        indexes = [
            # The worksheet lists a penilaian's rows per indikator in order.
            models.Index(
                fields=["penilaian", "indikator", "urutan"], name="ra_penilaian_indikator"
            ),
        ]

    def __str__(self) -> str:
        return (self.rencana_aksi or self.sasaran)[:80]


class JenisBukti(models.TextChoices):
    FILE = "file", _("Berkas")
    TAUTAN = "tautan", _("Tautan")


def bukti_upload_to(instance: Bukti, filename: str) -> str:
    """Store under a random name; the original name is kept in `nama_asli` only."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"bukti/{instance.penilaian.code}/{uuid.uuid4().hex}{suffix}"


class Bukti(models.Model):
    """An evidence file or link for a pertanyaan (or hasil item) of a penilaian.

    A replacement is a new row whose `versi_sebelumnya` points at the row it replaces;
    the old row stays (with `aktif=False`), so no version is ever lost.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="bukti")
    pertanyaan = models.ForeignKey(
        Pertanyaan, on_delete=models.PROTECT, null=True, blank=True, related_name="bukti"
    )
    hasil_item = models.ForeignKey(
        HasilItem, on_delete=models.PROTECT, null=True, blank=True, related_name="bukti"
    )
    rencana_aksi = models.ForeignKey(
        RencanaAksi, on_delete=models.SET_NULL, null=True, blank=True, related_name="bukti"
    )
    # Evidence of an RKT realisasi (a quarter's figure of an indikator kinerja); such a
    # bukti belongs to the hasil item B.I.b (capaian kinerja) of the year's penilaian.
    realisasi = models.ForeignKey(
        "RealisasiKinerja",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bukti",
        verbose_name=_("realisasi kinerja"),
    )
    jenis = models.CharField(_("jenis"), max_length=8, choices=JenisBukti.choices)
    berkas = models.FileField(_("berkas"), upload_to=bukti_upload_to, blank=True, max_length=300)
    url = models.URLField(_("tautan"), blank=True, max_length=1000)
    nama_asli = models.CharField(_("nama berkas"), max_length=255, blank=True)
    judul = models.CharField(_("judul"), max_length=300, blank=True)
    ukuran = models.PositiveBigIntegerField(_("ukuran (byte)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    tipe_konten = models.CharField(_("tipe konten terdeteksi"), max_length=120, blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    diunggah_pada = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    tanggal_efektif = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    versi_sebelumnya = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengganti",
        verbose_name=_("menggantikan"),
    )
    aktif = models.BooleanField(_("versi terkini"), default=True)
    # Carried forward from last year's penilaian (evidence.tahun_baru): the same stored
    # file (never copied), its own row; SET_NULL so deleting last year's row leaves it.
    dibawa_dari = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dibawa_ke",
        verbose_name=_("dibawa dari bukti"),
    )
    perlu_dicek_ulang = models.BooleanField(
        _("perlu dicek ulang"),
        default=False,
        help_text=_("Bukti tahun lalu yang dibawa ke tahun ini; tim kerja memeriksanya lagi."),
    )
    # "<key of the submitted form>:<file index>": a form submitted twice (double click,
    # retry) makes its bukti once (evidence.services.bukti_upload).
    kunci_kirim = models.CharField(_("kunci pengiriman"), max_length=80, blank=True, default="")

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["-diunggah_pada"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pertanyaan__isnull=False, hasil_item__isnull=True)
                | models.Q(pertanyaan__isnull=True, hasil_item__isnull=False),
                name="bukti_pertanyaan_xor_hasil",
            ),
            models.CheckConstraint(
                condition=(models.Q(jenis="file") & ~models.Q(berkas=""))
                | (models.Q(jenis="tautan") & ~models.Q(url="")),
                name="bukti_file_or_link",
            ),
            models.UniqueConstraint(
                fields=["penilaian", "kunci_kirim"],
                condition=~models.Q(kunci_kirim=""),
                name="bukti_kunci_kirim_unik",
            ),
        ]
        indexes = [
            # Worksheet and dashboard count the current evidence per question.
            models.Index(fields=["penilaian", "pertanyaan", "aktif"], name="bukti_penilaian_q"),
        ]

    def __str__(self) -> str:
        return self.judul or self.nama_asli or self.url

    def is_outside_year(self) -> bool:
        """Evidence dated outside the penilaian year is flagged to the reviewer."""
        return (
            self.tanggal_efektif is not None and self.tanggal_efektif.year != self.penilaian.tahun
        )


class StatusPersetujuan(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan ke pimpinan")
    DISETUJUI = "disetujui", _("Disetujui")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
    PERLU_ULANG = "perlu_ulang", _("Perlu persetujuan ulang")


class StatusTandaTangan(models.TextChoices):
    """The signing of an approval: one recoverable process (issue 11 part 1)."""

    BELUM = "", _("Belum disetujui")
    MENUNGGU = "menunggu", _("Disetujui, menunggu tanda tangan")
    GAGAL = "gagal", _("Penandatanganan gagal")
    SELESAI = "selesai", _("Disetujui dan ditandatangani")


class RencanaKerja(TimeStamped):
    """The texts of a penilaian's rencana kerja document (seed 000's BAB I-III).

    The tim kerja submits it, the pimpinan approves (or returns it with a note); any
    later change to the rencana aksi moves an approved document to `perlu_ulang`.
    """

    penilaian = models.OneToOneField(
        Penilaian, on_delete=models.CASCADE, related_name="rencana_kerja"
    )
    judul = models.CharField(_("judul"), max_length=400, blank=True)
    kata_pengantar = models.TextField(_("kata pengantar"), blank=True)
    latar_belakang = models.TextField(_("latar belakang"), blank=True)
    maksud_tujuan = models.TextField(_("maksud dan tujuan"), blank=True)
    pengertian_umum = models.TextField(_("pengertian umum"), blank=True)
    rencana_aksi_pengantar = models.TextField(_("pengantar rencana aksi (BAB II)"), blank=True)
    penutup = models.TextField(_("penutup"), blank=True)
    penandatangan_nama = models.CharField(_("nama penandatangan"), max_length=200, blank=True)
    penandatangan_jabatan = models.CharField(_("jabatan penandatangan"), max_length=300, blank=True)
    penandatangan_nip = models.CharField(_("NIP penandatangan"), max_length=30, blank=True)
    kota = models.CharField(_("kota penandatanganan"), max_length=100, blank=True)
    tanggal = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    status = models.CharField(
        _("status persetujuan"),
        max_length=14,
        choices=StatusPersetujuan.choices,
        default=StatusPersetujuan.DRAF,
    )
    diajukan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diajukan_pada = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disetujui_pada = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    catatan_pimpinan = models.TextField(_("catatan pimpinan"), blank=True)
    # The signers after the first (penandatangan_*), in signing order: each a dict with
    # "keterangan" (e.g. "Menyetujui,"), "jabatan", "nama", "nip" (seed 002's two signers).
    penandatangan_lain = models.JSONField(_("penandatangan berikutnya"), default=list, blank=True)
    status_tanda_tangan = models.CharField(
        _("status penandatanganan"),
        max_length=8,
        choices=StatusTandaTangan.choices,
        default=StatusTandaTangan.BELUM,
        blank=True,
    )
    galat_tanda_tangan = models.TextField(_("alasan penandatanganan gagal"), blank=True)

    class Meta:
        verbose_name = _("rencana kerja")
        verbose_name_plural = _("rencana kerja")

    def __str__(self) -> str:
        return self.judul or str(self.penilaian)


class StatusTeks(models.TextChoices):
    TERBACA = "terbaca", _("Terbaca")
    TIDAK_TERBACA = "tidak_terbaca", _("Tidak terbaca")
    TAUTAN = "tautan", _("Tautan, tidak diperiksa")


class TeksBukti(TimeStamped):
    """The text of one bukti, page by page, read by the checks' task (never by a request).

    `halaman` is a list of {"nomor", "teks", "ocr"}; `phash` holds the perceptual hashes
    of an image or of each scanned page. `versi_pemeriksa` is the checks' version that
    produced the findings, so a rerun re-evaluates only what changed.
    """

    bukti = models.OneToOneField(Bukti, on_delete=models.CASCADE, related_name="teks")
    status = models.CharField(_("status teks"), max_length=14, choices=StatusTeks.choices)
    alasan = models.TextField(_("alasan"), blank=True)
    halaman = models.JSONField(_("halaman"), default=list, blank=True)
    phash = models.JSONField(_("hash perseptual"), default=list, blank=True)
    catatan = models.JSONField(_("catatan pembacaan"), default=list, blank=True)
    versi_teks = models.CharField(_("versi pembaca teks"), max_length=40, blank=True)
    versi_pemeriksa = models.CharField(_("versi pemeriksa"), max_length=40, blank=True)
    diperiksa_pada = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("teks bukti")
        verbose_name_plural = _("teks bukti")

    def __str__(self) -> str:
        return f"{self.bukti} ({self.status})"


class JenisPemeriksaan(models.TextChoices):
    TEKS = "teks", _("Teks")
    TANGGAL = "tanggal", _("Tanggal")
    DUPLIKAT = "duplikat", _("Duplikat")
    RELEVANSI = "relevansi", _("Kesesuaian isi")
    KONSISTENSI = "konsistensi", _("Konsistensi jawaban")


class StatusTemuan(models.TextChoices):
    LOLOS = "lolos", _("Lolos")
    PERLU_DICEK = "perlu_dicek", _("Perlu dicek")
    GAGAL = "gagal", _("Gagal")


class TemuanBukti(models.Model):
    """One check's finding on a bukti, or on a question's answer (`bukti` empty).

    Findings are advice for the TPI, never blocking; the TPI may set one aside
    (`diabaikan`) with a reason, and that decision survives a rerun that finds the same.
    """

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="temuan")
    pertanyaan = models.ForeignKey(
        Pertanyaan, on_delete=models.CASCADE, null=True, blank=True, related_name="temuan"
    )
    bukti = models.ForeignKey(
        Bukti, on_delete=models.CASCADE, null=True, blank=True, related_name="temuan"
    )
    jenis = models.CharField(_("pemeriksaan"), max_length=12, choices=JenisPemeriksaan.choices)
    kunci = models.CharField(_("kunci"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StatusTemuan.choices)
    alasan = models.TextField(_("alasan"))
    halaman = models.PositiveIntegerField(_("halaman"), null=True, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    diabaikan = models.BooleanField(_("diabaikan"), default=False)
    alasan_diabaikan = models.TextField(_("alasan diabaikan"), blank=True)
    diabaikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diabaikan_pada = models.DateTimeField(_("diabaikan pada"), null=True, blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("temuan pemeriksaan bukti")
        verbose_name_plural = _("temuan pemeriksaan bukti")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["penilaian", "pertanyaan"], name="temuan_penilaian_q"),
        ]

    def __str__(self) -> str:
        return f"{self.jenis}: {self.status}"


def isian_syarat_upload_to(instance: IsianSyarat, filename: str) -> str:
    """Random name under syarat/; the original name is kept in `nama_asli` only."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"syarat/{instance.tahun}/{uuid.uuid4().hex}{suffix}"


class IsianSyarat(TimeStamped):
    """A Tabel 5 value an instansi (opini BPK, SAKIP, Indeks RB, SPIP) or a unit (core
    layanan, tindak lanjut, LHKPN/LHKASN, ...) proves for one year, with its evidence.

    Exactly one of `instansi` and `unit` is set. `kode` is an isian of the year's Tabel 5
    (lke.syarat); `nilai` is its stored form (lke.syarat.parse_nilai). The evidence is a
    file (checked like any bukti: evidence.validators) or a link. A replaced file stays in
    the storage; Riwayat keeps its name and SHA-256.
    """

    instansi = models.ForeignKey(
        Instansi, on_delete=models.CASCADE, null=True, blank=True, related_name="isian_syarat"
    )
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.CASCADE, null=True, blank=True, related_name="isian_syarat"
    )
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kode = models.SlugField(_("kode isian"), max_length=40)
    nilai = models.CharField(_("nilai"), max_length=20)
    catatan = models.TextField(_("catatan"), blank=True)
    berkas = models.FileField(
        _("bukti (berkas)"), upload_to=isian_syarat_upload_to, blank=True, max_length=300
    )
    nama_asli = models.CharField(_("nama berkas"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    tipe_konten = models.CharField(_("tipe konten terdeteksi"), max_length=120, blank=True)
    url = models.URLField(_("bukti (tautan)"), blank=True, max_length=1000)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diisi oleh"),
    )

    class Meta:
        verbose_name = _("isian syarat pengusulan")
        verbose_name_plural = _("isian syarat pengusulan")
        ordering = ["tahun", "kode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(instansi__isnull=False, unit__isnull=True)
                | models.Q(instansi__isnull=True, unit__isnull=False),
                name="isian_syarat_instansi_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["instansi", "tahun", "kode"],
                condition=models.Q(instansi__isnull=False),
                name="isian_syarat_unik_instansi",
            ),
            models.UniqueConstraint(
                fields=["unit", "tahun", "kode"],
                condition=models.Q(unit__isnull=False),
                name="isian_syarat_unik_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instansi or self.unit} {self.tahun} {self.kode}={self.nilai}"


# -- Rencana Kinerja Tahunan (seed 002) ------------------------------------------------


class RencanaKinerjaTahunan(TimeStamped):
    """A unit's Rencana Kinerja Tahunan (RKT) of one year: the header of seed 002.

    Its sasaran kegiatan and indikator kinerja follow; the realisasi per quarter prove
    them. The RKT belongs to the unit and year, not to a penilaian: last year's RKT is
    what this year's capaian is compared with, whether or not that year was evaluated.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="rkt")
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    kop = models.TextField(_("kop (instansi)"), blank=True)
    kop_situs = models.CharField(_("situs pada kop"), max_length=200, blank=True)
    judul = models.TextField(_("judul"), blank=True)
    kota = models.CharField(_("kota penandatanganan"), max_length=100, blank=True)
    tanggal = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    penyetuju_jabatan = models.CharField(_("jabatan yang menyetujui"), max_length=300, blank=True)
    penyetuju_nama = models.CharField(_("nama yang menyetujui"), max_length=200, blank=True)
    penandatangan_jabatan = models.CharField(_("jabatan penandatangan"), max_length=300, blank=True)
    penandatangan_nama = models.CharField(_("nama penandatangan"), max_length=200, blank=True)
    id_tanda_tangan = models.CharField(_("ID tanda tangan digital"), max_length=100, blank=True)
    # The national capaian or the mean capaian of similar units (percent), where known:
    # option A of B.I.b needs the unit's capaian to be better than it.
    capaian_pembanding = models.DecimalField(
        _("capaian nasional / rata-rata unit sejenis (%)"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    versi = models.PositiveIntegerField(_("versi"), default=1)

    class Meta:
        verbose_name = _("rencana kinerja tahunan")
        verbose_name_plural = _("rencana kinerja tahunan")
        ordering = ["unit", "-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "tahun"], name="rkt_unique_unit_tahun")
        ]

    def __str__(self) -> str:
        return f"RKT {self.unit} {self.tahun}"


class SasaranKegiatan(models.Model):
    """A sasaran kegiatan (output) of an RKT; `nomor` as printed ("1.")."""

    rkt = models.ForeignKey(RencanaKinerjaTahunan, on_delete=models.CASCADE, related_name="sasaran")
    nomor = models.CharField(_("nomor"), max_length=10, blank=True)
    teks = models.TextField(_("sasaran kegiatan (output)"))
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("sasaran kegiatan")
        verbose_name_plural = _("sasaran kegiatan")
        ordering = ["urutan", "id"]

    def __str__(self) -> str:
        return f"{self.nomor} {self.teks}"[:80]


class JenisTarget(models.TextChoices):
    PERSEN = "persen", _("Persentase")
    SKOR = "skor", _("Skor")
    JUMLAH = "jumlah", _("Jumlah")
    TEKS = "teks", _("Teks")


class TautanZi(models.TextChoices):
    TIDAK = "", _("Tidak terkait")
    MANDIRI = "mandiri", _("Nilai ZI penilaian mandiri")
    TPI = "tpi", _("Nilai ZI hasil TPI")


class IndikatorKinerja(models.Model):
    """An indikator kinerja and its target, as printed (`nomor` may repeat: seed 002 has
    two rows "7.").

    `target_teks` is the target exactly as printed ("95%", "Skor 75"); `jenis_target`,
    `target_angka` and `satuan` are read from it. An indikator linked to the ZI score
    (`tautan_zi`) takes its realisasi from the portal's own score of that answer set.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sasaran = models.ForeignKey(SasaranKegiatan, on_delete=models.CASCADE, related_name="indikator")
    nomor = models.CharField(_("nomor"), max_length=10, blank=True)
    nama = models.TextField(_("indikator kinerja"))
    target_teks = models.CharField(_("target"), max_length=200)
    jenis_target = models.CharField(
        _("jenis target"), max_length=8, choices=JenisTarget.choices, default=JenisTarget.TEKS
    )
    target_angka = models.DecimalField(
        _("target (angka)"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    satuan = models.CharField(_("satuan"), max_length=60, blank=True)
    utama = models.BooleanField(_("kinerja utama"), default=True)
    berorientasi_hasil = models.BooleanField(_("berorientasi hasil (outcome)"), default=True)
    tautan_zi = models.CharField(
        _("terkait nilai ZI"), max_length=8, choices=TautanZi.choices, default="", blank=True
    )
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")
        ordering = ["urutan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jenis_target="teks") | models.Q(target_angka__isnull=False),
                name="indikatorkinerja_target_angka",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomor} {self.nama}"[:80]


TRIWULAN = [MinValueValidator(1), MaxValueValidator(4)]


class RealisasiKinerja(models.Model):
    """The realisasi of an indikator kinerja up to the end of a quarter (cumulative).

    A number for percentage, score and count targets; for a text target the text and
    whether it meets the target (`tercapai`). Bukti point here (`Bukti.realisasi`).
    """

    indikator = models.ForeignKey(
        IndikatorKinerja, on_delete=models.CASCADE, related_name="realisasi"
    )
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN)
    nilai = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=4, null=True)
    teks = models.TextField(_("realisasi (teks)"), blank=True)
    tercapai = models.BooleanField(_("tercapai"), null=True, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("realisasi kinerja")
        verbose_name_plural = _("realisasi kinerja")
        ordering = ["triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "triwulan"], name="realisasikinerja_unique_triwulan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indikator} TW{self.triwulan}"


PROGRES = [MinValueValidator(0), MaxValueValidator(100)]


class RealisasiRencanaAksi(models.Model):
    """What was done on a rencana aksi row by the end of a quarter (triwulan I–IV, the
    months 3/6/9/12 of the upload schedule B03/B06/B09/B12): the realisasi, its progress
    (0–100 %, cumulative), its status, the bukti proving it (bukti of the same penilaian
    and indikator) and the kendala and tindak lanjut. Written only by
    `evidence.services.realisasi_rencana_aksi_save`.
    """

    rencana_aksi = models.ForeignKey(
        RencanaAksi, on_delete=models.CASCADE, related_name="realisasi"
    )
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN)
    realisasi = models.TextField(_("realisasi"), blank=True)
    progres = models.PositiveSmallIntegerField(_("progres (%)"), default=0, validators=PROGRES)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StatusRencanaAksi.choices,
        default=StatusRencanaAksi.BELUM_MULAI,
    )
    bukti = models.ManyToManyField(
        Bukti, blank=True, related_name="realisasi_rencana_aksi", verbose_name=_("bukti")
    )
    kendala = models.TextField(_("kendala"), blank=True)
    tindak_lanjut = models.TextField(_("tindak lanjut"), blank=True)
    diisi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)
    versi = models.PositiveIntegerField(_("versi"), default=1)

    class Meta:
        verbose_name = _("realisasi rencana aksi")
        verbose_name_plural = _("realisasi rencana aksi")
        ordering = ["rencana_aksi", "triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["rencana_aksi", "triwulan"], name="realisasira_unique_triwulan"
            ),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4),
                name="realisasira_triwulan_1_4",
            ),
            models.CheckConstraint(
                condition=models.Q(progres__lte=100), name="realisasira_progres_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rencana_aksi} TW{self.triwulan}"
