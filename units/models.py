from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zi_portal.lib.models import TimeStamped


class Predikat(models.TextChoices):
    BELUM = "", _("Belum berpredikat")
    WBK = "WBK", _("WBK")
    WBBM = "WBBM", _("WBBM")


class JenisInstansi(models.TextChoices):
    """Tabel 5 sets the Indeks RB minimum by the kind of instansi (PermenPANRB 5/2024)."""

    BELUM = "", _("Belum diisi")
    PEMDA = "pemda", _("Pemerintah daerah")
    KL = "kl", _("Kementerian/lembaga")


class StranasPK(models.TextChoices):
    """Pemda units of the Stranas PK priorities (PermenPANRB 5/2024, Lampiran II Bab II A)."""

    BUKAN = "", _("Bukan unit prioritas Stranas PK")
    RSUD = "rsud", _("Rumah sakit umum daerah")
    DUKCAPIL = "dukcapil", _("Dinas kependudukan dan catatan sipil")
    SAMSAT = "samsat", _("Sistem administrasi manunggal satu atap (Samsat)")
    PTSP = "ptsp", _("Pelayanan terpadu satu pintu (PTSP)")
    PENDIDIKAN = "pendidikan", _("Pelayanan pendidikan")
    KETENAGAKERJAAN = "ketenagakerjaan", _("Pelayanan ketenagakerjaan")


class Instansi(TimeStamped):
    kode = models.SlugField(_("kode"), max_length=40, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(
        _("jenis instansi"),
        max_length=8,
        choices=JenisInstansi.choices,
        blank=True,
        default="",
        help_text=_("Menentukan batas Indeks RB pada Tabel 5 (syarat pengusulan)."),
    )

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class UnitKerja(TimeStamped):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, related_name="units", verbose_name=_("instansi")
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    kota = models.CharField(_("kota"), max_length=100, blank=True)
    stranas_pk = models.CharField(
        _("unit prioritas Stranas PK"),
        max_length=16,
        choices=StranasPK.choices,
        blank=True,
        default="",
        help_text=_(
            "Unit pemerintah daerah ini boleh diusulkan sambil memenuhi syarat Tabel 5 "
            "(PermenPANRB 5/2024)."
        ),
    )

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["instansi__nama", "nama"]

    def __str__(self) -> str:
        return self.nama


class PredikatUnit(TimeStamped):
    """One predikat a unit received: Menuju WBK or Menuju WBBM from a year on.

    Both sources count (PermenPANRB 5/2024 B): the TPN of Kementerian PANRB and the
    instansi's own evaluation. A row is held for every year >= `tahun` until revoked;
    revoked in year Y means not held from Y on (domain.md Scoring rule 10).
    """

    class Sumber(models.TextChoices):
        TPN = "tpn", _("TPN Kementerian PANRB")
        MANDIRI = "mandiri", _("Evaluasi mandiri instansi")

    unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.CASCADE,
        related_name="predikat_unit",
        verbose_name=_("unit kerja"),
    )
    predikat = models.CharField(
        _("predikat"),
        max_length=4,
        choices=[(Predikat.WBK, _("Menuju WBK")), (Predikat.WBBM, _("Menuju WBBM"))],
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    sumber = models.CharField(_("sumber"), max_length=8, choices=Sumber.choices)
    nomor_sk = models.CharField(_("nomor SK"), max_length=200, blank=True)
    tanggal_sk = models.DateField(_("tanggal SK"), null=True, blank=True)
    dicabut_pada = models.DateField(_("dicabut pada"), null=True, blank=True)
    alasan_pencabutan = models.TextField(_("alasan pencabutan"), blank=True)
    catatan = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("predikat unit")
        verbose_name_plural = _("riwayat predikat unit")
        ordering = ["unit", "tahun", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "predikat", "tahun", "sumber"], name="predikat_unit_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_predikat_display()} {self.tahun}"


class Peran(models.TextChoices):
    TIM_KERJA = "tim_kerja", _("Tim kerja")
    TPI = "tpi", _("TPI")
    PIMPINAN = "pimpinan", _("Pimpinan")
    ADMIN = "admin", _("Admin unit")
    PIMPINAN_INSTANSI = "pimpinan_instansi", _("Pimpinan instansi")


# Roles held for every unit of an instansi (a membership with `instansi`, not `unit`).
PERAN_INSTANSI = (Peran.TPI, Peran.PIMPINAN_INSTANSI)


class Keanggotaan(TimeStamped):
    """A user's role in one unit, or (TPI, pimpinan instansi) in every unit of an instansi.

    Exactly one of `unit` and `instansi` is set; only TPI and pimpinan instansi cover a
    whole instansi (and these two only that way).
    A tim kerja membership may be limited to some areas (by area number 1-6); an empty
    limit means every area.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="keanggotaan",
        verbose_name=_("pengguna"),
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices)
    unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="keanggotaan",
        verbose_name=_("unit kerja"),
    )
    instansi = models.ForeignKey(
        Instansi,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="keanggotaan",
        verbose_name=_("seluruh unit instansi"),
        help_text=_(
            "Hanya untuk TPI yang menilai semua unit kerja instansi ini dan pimpinan instansi."
        ),
    )
    area_terbatas = models.JSONField(
        _("dibatasi pada area"),
        default=list,
        blank=True,
        help_text=_("Nomor area (1-6) untuk tim kerja yang hanya mengerjakan sebagian area."),
    )
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, instansi__isnull=True)
                    & ~models.Q(peran="pimpinan_instansi")
                    | models.Q(
                        unit__isnull=True,
                        instansi__isnull=False,
                        peran__in=["tpi", "pimpinan_instansi"],
                    )
                ),
                name="keanggotaan_unit_xor_instansi",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "peran"],
                condition=models.Q(unit__isnull=False),
                name="keanggotaan_unique_user_unit_peran",
            ),
            models.UniqueConstraint(
                fields=["user", "instansi", "peran"],
                condition=models.Q(instansi__isnull=False),
                name="keanggotaan_unique_user_instansi_peran",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.instansi
        return f"{self.user} – {self.get_peran_display()} – {scope}"

    def covers_area(self, nomor: int) -> bool:
        """Does this membership cover area `nomor` (1-6)?"""
        return not self.area_terbatas or nomor in self.area_terbatas


class Riwayat(models.Model):
    """One recorded change: who changed what, when, from which value to which.

    Kept for years (no automatic pruning). `perubahan` maps a field name to
    `[old, new]` as display strings.
    """

    class Aksi(models.TextChoices):
        BUAT = "buat", _("Dibuat")
        UBAH = "ubah", _("Diubah")
        HAPUS = "hapus", _("Dihapus")

    waktu = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.CASCADE, null=True, blank=True, related_name="riwayat"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun penilaian"), null=True, blank=True)
    objek = models.CharField(_("jenis data"), max_length=40)
    objek_id = models.CharField(_("id data"), max_length=64, blank=True)
    kode = models.CharField(_("kode"), max_length=60, blank=True)
    aksi = models.CharField(_("aksi"), max_length=8, choices=Aksi.choices)
    perubahan = models.JSONField(_("perubahan"), default=dict)

    class Meta:
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")
        ordering = ["-waktu", "-id"]
        indexes = [
            # The Riwayat page and the question history filter by unit/year and object.
            models.Index(fields=["unit", "tahun", "objek", "kode"], name="riwayat_unit_objek"),
        ]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.objek} {self.kode} {self.aksi}"


class Notifikasi(models.Model):
    """An in-app notice for one user (also sent by e-mail where the user has one)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi"
    )
    pesan = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    dibaca = models.BooleanField(_("sudah dibaca"), default=False)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-dibuat_pada"]
        indexes = [
            # The navbar counts a user's unread notices on every page.
            models.Index(fields=["user", "dibaca"], name="notifikasi_user_dibaca"),
        ]

    def __str__(self) -> str:
        return self.pesan


class ProfilPengguna(models.Model):
    """What the portal keeps about a user account beyond Django's user row.

    `wajib_ganti_sandi`: the user must choose a new password at the next login (demo
    accounts loaded in production, or an admin's decision); cleared when they do.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profil_zi",
        verbose_name=_("pengguna"),
    )
    wajib_ganti_sandi = models.BooleanField(_("wajib ganti kata sandi"), default=False)

    class Meta:
        verbose_name = _("profil pengguna")
        verbose_name_plural = _("profil pengguna")

    def __str__(self) -> str:
        return str(self.user)


class JenisEvaluator(models.TextChoices):
    TPN = "tpn", _("TPN (Tim Penilai Nasional)")
    AUDITOR = "auditor", _("Auditor eksternal")


AKSES_GANDA = _("Evaluator ini sudah memiliki akses ke penilaian ini; ubah tanggalnya di sana.")


class AksesEvaluator(TimeStamped):
    """Read-only access of an outside evaluator (TPN, external auditor) to one penilaian.

    Not a membership: it covers one penilaian, not a unit, and only from `mulai` to
    `selesai`, both inclusive, as dates in Asia/Jakarta. Before and after, that penilaian
    answers 404 to the user like every other (units.access.penilaian_access). The
    penilaian is named by its natural key (unit, tahun), because units imports no other app.
    Written only through units.evaluator (recorded in Riwayat).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="akses_evaluator",
        verbose_name=_("evaluator"),
    )
    jenis = models.CharField(_("jenis evaluator"), max_length=8, choices=JenisEvaluator.choices)
    lembaga = models.CharField(
        _("lembaga"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya Kementerian PANRB, KPK, Ombudsman RI, atau nama kantor auditor."),
    )
    unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.CASCADE,
        related_name="akses_evaluator",
        verbose_name=_("unit kerja"),
    )
    tahun = models.PositiveSmallIntegerField(_("tahun penilaian"))
    mulai = models.DateField(_("berlaku mulai"))
    selesai = models.DateField(_("berlaku sampai"))
    dasar = models.CharField(
        _("dasar penugasan"),
        max_length=300,
        blank=True,
        help_text=_("Nomor dan tanggal surat tugas atau permintaan evaluasi."),
    )
    diberikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diberikan oleh"),
    )

    class Meta:
        verbose_name = _("akses evaluator luar")
        verbose_name_plural = _("akses evaluator luar")
        ordering = ["-selesai", "unit__nama", "tahun"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(selesai__gte=models.F("mulai")),
                name="akses_evaluator_selesai_gte_mulai",
                violation_error_message=_(
                    "Tanggal berlaku sampai tidak boleh sebelum tanggal berlaku mulai."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "tahun"],
                name="akses_evaluator_unique_user_penilaian",
                violation_error_message=AKSES_GANDA,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} {self.tahun}"

    def berlaku_pada(self, tanggal: dt.date) -> bool:
        return self.mulai <= tanggal <= self.selesai


class AksesBerkas(models.Model):
    """One view or download of a file by an outside evaluator (the access log).

    Apart from Riwayat, which records changes (old and new value): this records reads.
    Kept for years like Riwayat; a deleted grant leaves its log rows (`akses` = null).
    """

    class Jenis(models.TextChoices):
        BUKTI = "bukti", _("Bukti / data dukung")
        DOKUMEN = "dokumen", _("Rencana kerja bertanda tangan")
        EKSPOR = "ekspor", _("Dokumen ekspor (LKE, rencana kerja, berkas bukti, RKT)")
        SYARAT = "syarat", _("Bukti syarat pengusulan")
        SK_PENETAPAN = "sk_penetapan", _("SK penetapan")

    waktu = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    akses = models.ForeignKey(
        AksesEvaluator,
        on_delete=models.SET_NULL,
        null=True,
        related_name="log_berkas",
        verbose_name=_("akses evaluator"),
    )
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit kerja")
    )
    tahun = models.PositiveSmallIntegerField(_("tahun penilaian"))
    jenis = models.CharField(_("jenis berkas"), max_length=16, choices=Jenis.choices)
    objek_id = models.CharField(_("id data"), max_length=64)
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)

    class Meta:
        verbose_name = _("log akses berkas")
        verbose_name_plural = _("log akses berkas")
        ordering = ["-waktu", "-id"]
        indexes = [models.Index(fields=["unit", "tahun"], name="akses_berkas_unit_tahun")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.waktu):%Y-%m-%d %H.%M} {self.user} {self.nama_berkas}"
