"""The LKE models (model penilaian) as data, and the yearly penilaian of a unit.

Every row of a model has a stable `kode`: the official numbering path joined by dots
(domain.md "Codes"), unique within its model. Weights and thresholds are data, edited by
admins; the scoring rules that turn answers into values live in `scoring.engine`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import UnitKerja
from zi_portal.lib.models import TimeStamped


def bobot_field() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        _("bobot"), max_digits=7, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )


class ModelPenilaian(TimeStamped):
    kode = models.SlugField(_("kode"), max_length=60, unique=True)
    versi = models.CharField(_("versi"), max_length=40)
    nama = models.CharField(_("nama"), max_length=300)
    dasar_hukum = models.TextField(_("dasar hukum"))
    catatan = models.TextField(_("catatan"), blank=True)
    bawaan = models.BooleanField(
        _("model bawaan"), default=False, help_text=_("Dipakai untuk penilaian baru.")
    )

    class Meta:
        verbose_name = _("model penilaian")
        verbose_name_plural = _("model penilaian")
        ordering = ["-bawaan", "kode"]

    def __str__(self) -> str:
        return self.kode


class NodeModel(models.Model):
    model = models.ForeignKey(ModelPenilaian, on_delete=models.CASCADE, verbose_name=_("model"))
    kode = models.CharField(_("kode"), max_length=40)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        abstract = True
        ordering = ["urutan"]

    def __str__(self) -> str:
        return self.kode


class Komponen(NodeModel):
    nama = models.CharField(_("nama"), max_length=200)
    bobot = bobot_field()

    class Meta(NodeModel.Meta):
        verbose_name = _("komponen")
        verbose_name_plural = _("komponen")
        constraints = [
            models.UniqueConstraint(fields=["model", "kode"], name="komponen_unique_kode")
        ]


class Bagian(NodeModel):
    """Pemenuhan / Reform under pengungkit (90/2021), or a hasil sub-komponen (B.I, B.II)."""

    komponen = models.ForeignKey(Komponen, on_delete=models.CASCADE, related_name="bagian")
    nomor = models.CharField(_("nomor"), max_length=8)
    nama = models.CharField(_("nama"), max_length=200)
    bobot = bobot_field()

    class Meta(NodeModel.Meta):
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        constraints = [models.UniqueConstraint(fields=["model", "kode"], name="bagian_unique_kode")]


class Area(NodeModel):
    komponen = models.ForeignKey(Komponen, on_delete=models.CASCADE, related_name="area")
    bagian = models.ForeignKey(
        Bagian, on_delete=models.CASCADE, null=True, blank=True, related_name="area"
    )
    nomor = models.PositiveSmallIntegerField(
        _("nomor area"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    nama = models.CharField(_("nama"), max_length=200)
    bobot = bobot_field()

    class Meta(NodeModel.Meta):
        verbose_name = _("area")
        verbose_name_plural = _("area")
        constraints = [models.UniqueConstraint(fields=["model", "kode"], name="area_unique_kode")]


class KebijakanTanpaNilai(models.TextChoices):
    """What an indikator scores when none of its questions can be computed.

    The regulation is silent (domain.md Scoring rule 9): the policy is data of the model.
    """

    NOL = "nol", _("jika tidak ada pertanyaan yang dapat dihitung, nilai indikator 0")
    PENUH = "penuh", _("jika tidak ada pertanyaan yang dapat dihitung, nilai indikator penuh")


class Indikator(NodeModel):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indikator")
    nomor = models.CharField(_("nomor"), max_length=8)
    nama = models.CharField(_("nama"), max_length=300)
    bobot = bobot_field()
    sumber_pertanyaan = models.CharField(
        _("sumber pertanyaan"),
        max_length=40,
        blank=True,
        help_text=_("Kode indikator 90/2021 yang pertanyaannya dipakai ulang (model lama)."),
    )
    catatan = models.TextField(
        _("catatan sumber"),
        blank=True,
        help_text=_("Dari mana pertanyaan dan pilihan jawaban indikator ini diambil."),
    )
    kebijakan_tanpa_nilai = models.CharField(
        _("kebijakan bila tidak ada pertanyaan yang dapat dihitung"),
        max_length=8,
        choices=KebijakanTanpaNilai.choices,
        default=KebijakanTanpaNilai.NOL,
    )

    class Meta(NodeModel.Meta):
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        constraints = [
            models.UniqueConstraint(fields=["model", "kode"], name="indikator_unique_kode")
        ]


class JenisJawaban(models.TextChoices):
    YA_TIDAK = "ya_tidak", _("Ya/Tidak")
    ABC = "abc", _("A/B/C")
    ABCD = "abcd", _("A/B/C/D")
    ABCDE = "abcde", _("A/B/C/D/E")
    PERSEN = "persen", _("%")


OPSI_PER_JENIS: dict[str, tuple[str, ...]] = {
    JenisJawaban.YA_TIDAK: ("Ya", "Tidak"),
    JenisJawaban.ABC: ("A", "B", "C"),
    JenisJawaban.ABCD: ("A", "B", "C", "D"),
    JenisJawaban.ABCDE: ("A", "B", "C", "D", "E"),
    JenisJawaban.PERSEN: (),
}


class Rumus(models.TextChoices):
    RASIO = "rasio", _("Rasio (pembilang ÷ penyebut)")
    PENURUNAN = "penurunan", _("Penurunan ((tahun lalu − tahun ini) ÷ tahun lalu)")


class KebijakanPenyebutNol(models.TextChoices):
    """What a % question scores when its denominator is 0 (the regulation is silent)."""

    KELUAR_DARI_RERATA = (
        "keluar_dari_rerata",
        _("tidak ikut dirata-rata; nilai indikator dari pertanyaan lain yang dapat dihitung"),
    )
    NILAI_PENUH = "nilai_penuh", _("dinilai penuh (100%)")
    NILAI_NOL = "nilai_nol", _("dinilai 0")


class Pertanyaan(NodeModel):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="pertanyaan")
    huruf = models.CharField(_("huruf"), max_length=4)
    teks = models.TextField(_("pertanyaan"))
    jenis = models.CharField(_("pilihan jawaban"), max_length=10, choices=JenisJawaban.choices)
    rumus = models.CharField(_("rumus"), max_length=10, choices=Rumus.choices, blank=True)
    penjelasan = models.TextField(_("penjelasan"), blank=True)
    kebijakan_penyebut_nol = models.CharField(
        _("kebijakan bila penyebut 0"),
        max_length=20,
        choices=KebijakanPenyebutNol.choices,
        default=KebijakanPenyebutNol.KELUAR_DARI_RERATA,
    )

    class Meta(NodeModel.Meta):
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        constraints = [
            models.UniqueConstraint(fields=["model", "kode"], name="pertanyaan_unique_kode"),
            models.CheckConstraint(
                condition=models.Q(jenis="persen", rumus__in=["rasio", "penurunan"])
                | (~models.Q(jenis="persen") & models.Q(rumus="")),
                name="pertanyaan_rumus_only_for_persen",
            ),
        ]

    @property
    def pilihan(self) -> tuple[str, ...]:
        return OPSI_PER_JENIS[self.jenis]


class Opsi(models.Model):
    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.CASCADE, related_name="opsi")
    huruf = models.CharField(_("huruf"), max_length=6)
    penjelasan = models.TextField(_("penjelasan"), blank=True)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("opsi jawaban")
        verbose_name_plural = _("opsi jawaban")
        ordering = ["urutan"]
        constraints = [
            models.UniqueConstraint(fields=["pertanyaan", "huruf"], name="opsi_unique_huruf")
        ]

    def __str__(self) -> str:
        return f"{self.pertanyaan.kode} {self.huruf}"


class PeranInput(models.TextChoices):
    PEMBILANG = "pembilang", _("Pembilang")
    PENYEBUT = "penyebut", _("Penyebut")
    SEBELUMNYA = "sebelumnya", _("Tahun sebelumnya")
    SEKARANG = "sekarang", _("Tahun ini")
    INFO = "info", _("Informasi")


class InputNumerik(NodeModel):
    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.CASCADE, related_name="input")
    teks = models.CharField(_("teks"), max_length=400)
    peran = models.CharField(_("peran"), max_length=12, choices=PeranInput.choices)
    turunan_dari = models.JSONField(
        _("jumlah dari isian"),
        default=list,
        blank=True,
        help_text=_(
            "Kode isian yang dijumlahkan: isian ini dihitung, tidak diketik (mis. Jumlah yang "
            "harus melaporkan = jumlah baris di bawahnya)."
        ),
    )

    class Meta(NodeModel.Meta):
        verbose_name = _("input numerik")
        verbose_name_plural = _("input numerik")
        constraints = [
            models.UniqueConstraint(fields=["model", "kode"], name="inputnumerik_unique_kode")
        ]


class JenisHasil(models.TextChoices):
    INDEKS = "indeks", _("Nilai (0-4)")
    CAPAIAN = "capaian", _("A/B/C/D/E (capaian kinerja)")
    TLHP = "tlhp", _("Persentase TLHP (0-100)")


class HasilItem(NodeModel):
    bagian = models.ForeignKey(Bagian, on_delete=models.CASCADE, related_name="hasil")
    huruf = models.CharField(_("huruf"), max_length=4)
    nama = models.CharField(_("nama"), max_length=300)
    bobot = bobot_field()
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisHasil.choices)
    penjelasan = models.TextField(_("penjelasan"), blank=True)

    class Meta(NodeModel.Meta):
        verbose_name = _("unsur hasil")
        verbose_name_plural = _("unsur hasil")
        constraints = [
            models.UniqueConstraint(fields=["model", "kode"], name="hasilitem_unique_kode")
        ]


class OpsiHasil(models.Model):
    hasil_item = models.ForeignKey(HasilItem, on_delete=models.CASCADE, related_name="opsi")
    huruf = models.CharField(_("huruf"), max_length=2)
    penjelasan = models.TextField(_("penjelasan"), blank=True)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("opsi unsur hasil")
        verbose_name_plural = _("opsi unsur hasil")
        ordering = ["urutan"]
        constraints = [
            models.UniqueConstraint(fields=["hasil_item", "huruf"], name="opsihasil_unique_huruf")
        ]

    def __str__(self) -> str:
        return f"{self.hasil_item.kode} {self.huruf}"


class DataDukung(models.Model):
    """Evidence a question asks for, with its upload months (3/6/9/12 = B03/B06/B09/B12).

    Rows without a unit come with the model; rows with a unit are that unit's own
    guidance (e.g. Rutan Kupang's pedoman pemenuhan data dukung).
    """

    pertanyaan = models.ForeignKey(
        Pertanyaan, on_delete=models.CASCADE, null=True, blank=True, related_name="data_dukung"
    )
    hasil_item = models.ForeignKey(
        HasilItem, on_delete=models.CASCADE, null=True, blank=True, related_name="data_dukung"
    )
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.CASCADE, null=True, blank=True, related_name="data_dukung"
    )
    nama = models.TextField(_("data dukung"))
    petunjuk = models.TextField(_("petunjuk teknis"), blank=True)
    penanggung_jawab = models.CharField(_("penanggung jawab"), max_length=300, blank=True)
    bulan = models.JSONField(_("bulan unggah"), default=list, blank=True)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")
        ordering = ["urutan"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pertanyaan__isnull=False, hasil_item__isnull=True)
                | models.Q(pertanyaan__isnull=True, hasil_item__isnull=False),
                name="datadukung_pertanyaan_xor_hasil",
            )
        ]

    def __str__(self) -> str:
        return self.nama[:80]

    @property
    def jadwal(self) -> str:
        return ", ".join(f"B{int(b):02d}" for b in self.bulan)


class Predikat(models.TextChoices):
    WBK = "WBK", _("WBK")
    WBBM = "WBBM", _("WBBM")


class JenisAturan(models.TextChoices):
    TOTAL = "total", _("Nilai total")
    PENGUNGKIT = "pengungkit", _("Nilai pengungkit")
    AREA_PERSEN = "area_persen", _("Setiap area pengungkit (% bobot)")
    UNSUR = "unsur", _("Nilai unsur tertentu")
    PREDIKAT_SEBELUMNYA = "predikat_sebelumnya", _("Predikat yang sudah dimiliki")


class AturanPredikat(models.Model):
    model = models.ForeignKey(ModelPenilaian, on_delete=models.CASCADE, related_name="aturan")
    predikat = models.CharField(_("predikat"), max_length=4, choices=Predikat.choices)
    jenis = models.CharField(_("jenis"), max_length=20, choices=JenisAturan.choices)
    label = models.CharField(_("label"), max_length=300)
    target = models.CharField(_("target"), max_length=40, blank=True)
    minimum = models.DecimalField(
        _("minimum"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    urutan = models.PositiveIntegerField(_("urutan"), default=0)
    terverifikasi = models.BooleanField(
        _("terverifikasi"),
        default=True,
        help_text=_("Tidak dicentang bila ambang ini belum dicocokkan dengan naskah peraturan."),
    )
    catatan = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("aturan predikat")
        verbose_name_plural = _("aturan predikat")
        ordering = ["predikat", "urutan"]

    def __str__(self) -> str:
        return f"{self.predikat}: {self.label}"


class StatusPenilaian(models.TextChoices):
    PENGISIAN = "pengisian", _("Pengisian")
    REVIU_TPI = "reviu_tpi", _("Reviu TPI")
    FINAL = "final", _("Final")


class Penilaian(TimeStamped):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="penilaian", verbose_name=_("unit kerja")
    )
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    model = models.ForeignKey(
        ModelPenilaian, on_delete=models.PROTECT, related_name="penilaian", verbose_name=_("model")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StatusPenilaian.choices,
        default=StatusPenilaian.PENGISIAN,
    )

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        ordering = ["-tahun", "unit__nama"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "tahun"], name="penilaian_unique_unit_tahun")
        ]

    def previous(self) -> Penilaian | None:
        """The unit's most recent penilaian before this one's year (for copying forward)."""
        return (
            Penilaian.objects.filter(unit_id=self.unit_id, tahun__lt=self.tahun)
            .order_by("-tahun")
            .first()
        )

    def __str__(self) -> str:
        return f"{self.unit} {self.tahun}"


class TabelSyarat(TimeStamped):
    """Tabel 5 (syarat pengusulan) of one regulation, for the penilaian years it governs.

    Loaded from `fixtures/lke/syarat/*.yaml` (`lke.syarat.tabel_syarat_load_all`).
    `isian` lists the values an instansi or unit enters (kode, tingkat, jenis, label and,
    for LHKPN/LHKASN, `dari_lke`: the worksheet question whose numbers give the value).
    """

    kode = models.SlugField(_("kode"), max_length=60, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    dasar_hukum = models.TextField(_("dasar hukum"))
    berlaku_dari = models.PositiveSmallIntegerField(_("berlaku dari tahun"))
    berlaku_sampai = models.PositiveSmallIntegerField(
        _("berlaku sampai tahun"), null=True, blank=True
    )
    stranas_pk = models.BooleanField(
        _("pengecualian Stranas PK"),
        default=False,
        help_text=_(
            "Unit prioritas Stranas PK pemerintah daerah boleh diusulkan sambil memenuhi syarat."
        ),
    )
    evaluasi_mandiri = models.BooleanField(
        _("evaluasi menuju WBK secara mandiri"),
        default=False,
        help_text=_("Instansi dapat mengevaluasi unitnya sendiri untuk predikat Menuju WBK."),
    )
    isian = models.JSONField(_("isian"), default=list)

    class Meta:
        verbose_name = _("tabel syarat pengusulan")
        verbose_name_plural = _("tabel syarat pengusulan")
        ordering = ["berlaku_dari"]

    def __str__(self) -> str:
        return self.kode


class TingkatSyarat(models.TextChoices):
    INSTANSI = "instansi", _("Tingkat instansi pemerintah")
    UNIT = "unit", _("Tingkat unit kerja/satuan kerja")


class SyaratPengusulan(models.Model):
    """One row of Tabel 5: its text and threshold for Menuju WBK and for Menuju WBBM.

    `ambang` maps "WBK" / "WBBM" to {teks, isian: [kode isian], minimum}; a minimum that
    depends on the kind of instansi is {"pemda": ..., "kl": ...}.
    """

    tabel = models.ForeignKey(
        TabelSyarat, on_delete=models.CASCADE, related_name="syarat", verbose_name=_("tabel")
    )
    kode = models.SlugField(_("kode"), max_length=40)
    tingkat = models.CharField(_("tingkat"), max_length=8, choices=TingkatSyarat.choices)
    urutan = models.PositiveIntegerField(_("urutan"), default=0)
    ambang = models.JSONField(_("ambang per predikat"))

    class Meta:
        verbose_name = _("syarat pengusulan")
        verbose_name_plural = _("syarat pengusulan")
        ordering = ["tabel", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["tabel", "kode"], name="syarat_unique_kode"),
        ]

    def __str__(self) -> str:
        return f"{self.tabel.kode} {self.kode}"
