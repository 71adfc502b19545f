"""A large, realistic benchmark data set (``manage.py bench_data``, ``make bench``).

Units are numbered 1..N and grouped into instansi of ``units_per_instansi`` units
(``bench-01`` holds units 1-200, ``bench-02`` units 201-400, ...). Each unit has a tim
kerja and a pimpinan, its own data dukung guidance, and one penilaian per year for the
``years`` years up to ``last_year``, on the model of that period (52/2014 up to 2018,
10/2019 for 2019-2021, 90/2021 from 2022). Every penilaian has rencana aksi rows, a
rencana kerja, evidence (several small real files per question, links, replaced
versions), mandiri answers, and, once submitted, TPI answers, reviews and hasil
inputs; final penilaian carry their frozen score snapshots. The audit trail records
every answer, evidence item and rencana aksi row.

Everything a unit holds comes from a random generator seeded with ``(seed, unit
number)``, so unit 7 is the same whatever N is and a run with more units only adds
units (building is idempotent). Timestamps are set from the same generator. Evidence
rows share a pool of small real files (PDF, PNG, XLSX) written once under
``MEDIA_ROOT/bukti/bench/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from evidence.models import Bukti, JenisBukti, RencanaAksi, RencanaKerja, StatusRencanaAksi
from lke.loader import lke_models_load_all
from lke.models import (
    DataDukung,
    HasilItem,
    Indikator,
    InputNumerik,
    ModelPenilaian,
    Penilaian,
    Pertanyaan,
    StatusPenilaian,
)
from scoring.engine import AnswerSet, ModelSpec, score
from scoring.models import Jawaban, JawabanHasil, Reviu, SetJawaban, SnapshotSkor, StatusReviu
from scoring.services import model_spec, report_json
from units.models import (
    Instansi,
    Keanggotaan,
    Notifikasi,
    Peran,
    PredikatUnit,
    Riwayat,
    UnitKerja,
)

# Bump when a change alters the generated rows: `make bench` rebuilds its databases then.
# 2: the 10/2019 model has its own 81 questions (issue 12).
# 3: predikat history rows (units.PredikatUnit) replace UnitKerja.predikat (issue 12).
GENERATOR_VERSION = 3
BENCH_PASSWORD = "bench-zi-2026"  # noqa: S105 - documented benchmark password
INSTANSI_PREFIX = "bench-"
FILE_POOL_DIR = "bukti/bench"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BenchSpec:
    units: int
    years: int = 3
    seed: int = 2024
    last_year: int = 2024
    units_per_instansi: int = 200
    files: bool = True  # write the pool of real files into MEDIA_ROOT


def model_kode_for_year(tahun: int) -> str:
    if tahun <= 2018:
        return "permenpanrb-52-2014"
    if tahun <= 2021:
        return "permenpanrb-10-2019"
    return "permenpanrb-90-2021"


def instansi_kode(number: int) -> str:
    return f"{INSTANSI_PREFIX}{number:02d}"


def unit_slug(index: int) -> str:
    return f"bench-u{index:04d}"


def tim_username(index: int) -> str:
    return f"bench.tim.{index:04d}"


def tpi_username(instansi_number: int) -> str:
    return f"bench.tpi.{instansi_number:02d}"


# --------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------

JENIS_UNIT = (
    "Kantor Wilayah",
    "Kantor Pelayanan Perbendaharaan Negara",
    "Balai Besar",
    "Rumah Tahanan Negara Kelas IIB",
    "Kantor Imigrasi Kelas I",
    "Pengadilan Negeri",
    "Lembaga Pemasyarakatan Kelas IIA",
    "Kantor Pertanahan",
    "Balai Pengawas Obat dan Makanan",
    "Kantor Pelayanan Pajak Pratama",
)
KOTA = (
    "Kupang",
    "Palembang",
    "Bandung",
    "Makassar",
    "Medan",
    "Padang",
    "Pontianak",
    "Manado",
    "Ambon",
    "Jayapura",
    "Mataram",
    "Denpasar",
    "Semarang",
    "Surabaya",
    "Banjarmasin",
    "Samarinda",
    "Kendari",
    "Palu",
    "Jambi",
    "Bengkulu",
    "Pekanbaru",
    "Serang",
    "Yogyakarta",
    "Gorontalo",
    "Ternate",
    "Sorong",
    "Tanjungpinang",
    "Pangkalpinang",
    "Mamuju",
    "Banda Aceh",
)
DOKUMEN = (
    "SK Tim Kerja Pembangunan ZI",
    "Notulen rapat koordinasi",
    "Laporan monitoring dan evaluasi",
    "Dokumentasi kegiatan",
    "Daftar hadir sosialisasi",
    "Rencana kerja tahunan",
    "Laporan pelaksanaan SOP",
    "Hasil survei kepuasan masyarakat",
    "Surat edaran pimpinan",
    "Rekapitulasi pengaduan",
    "Laporan LHKPN",
    "Bukti publikasi media sosial",
)
CATATAN = (
    "Sudah dilaksanakan sesuai SK.",
    "Dokumen lengkap, terlampir pada bukti.",
    "Pelaksanaan triwulan I-III; triwulan IV menyusul.",
    "Perlu dilengkapi dokumentasi kegiatan.",
    "Mengacu pada laporan monitoring semester II.",
)
CATATAN_TPI = (
    "Bukti belum menunjukkan pelaksanaan seluruh triwulan.",
    "Lengkapi notulen dan daftar hadir.",
    "Jawaban disesuaikan dengan bukti yang ada.",
    "Dokumen tidak ditandatangani pimpinan.",
)


def _paragraphs(rng: random.Random, subject: str, n: int) -> str:
    sentences = (
        f"Pembangunan Zona Integritas pada {subject} merupakan komitmen seluruh pegawai.",
        "Kegiatan disusun berdasarkan hasil evaluasi tahun sebelumnya.",
        "Setiap area perubahan memiliki penanggung jawab dan jadwal pelaksanaan.",
        "Monitoring dilakukan setiap triwulan oleh tim kerja dan dilaporkan kepada pimpinan.",
        "Inovasi pelayanan dikembangkan bersama pemangku kepentingan.",
        "Hasil survei persepsi korupsi dan kualitas pelayanan menjadi dasar perbaikan.",
    )
    return "\n\n".join(
        " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6))) for _ in range(n)
    )


# --------------------------------------------------------------------------------------
# The pool of small real files
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolFile:
    name: str  # storage name
    ext: str
    mime: str
    size: int
    sha256: str


def _pdf_bytes(number: int) -> bytes:
    text = f"Bukti benchmark {number}"
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _png_bytes(number: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    colour = ((number * 53) % 256, (number * 97) % 256, (number * 31) % 256)
    Image.new("RGB", (32, 24), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _xlsx_bytes(number: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["No", "Uraian", "Jumlah"])
    for row in range(1, 6):
        ws.append([row, f"Rekap {number}-{row}", row * number])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


POOL_KINDS: tuple[tuple[str, str, Callable[[int], bytes]], ...] = (
    (".pdf", "application/pdf", _pdf_bytes),
    (".pdf", "application/pdf", _pdf_bytes),
    (".pdf", "application/pdf", _pdf_bytes),
    (".png", "image/png", _png_bytes),
    (
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _xlsx_bytes,
    ),
)
POOL_SIZE = 30


def file_pool(*, write: bool) -> list[PoolFile]:
    """The pool of real evidence files; written into MEDIA_ROOT when `write` is set."""
    pool = []
    root = Path(settings.MEDIA_ROOT)
    for number in range(POOL_SIZE):
        ext, mime, make = POOL_KINDS[number % len(POOL_KINDS)]
        # openpyxl stamps the time into an xlsx: the first written copy is kept.
        name = f"{FILE_POOL_DIR}/bukti-{number:02d}{ext}"
        path = root / name
        if path.exists():
            content = path.read_bytes()
        else:
            content = make(number)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        pool.append(PoolFile(name, ext, mime, len(content), hashlib.sha256(content).hexdigest()))
    return pool


# --------------------------------------------------------------------------------------
# The model trees, read once
# --------------------------------------------------------------------------------------


@dataclass
class QuestionInfo:
    pk: int
    kode: str
    jenis: str
    indikator_id: int
    inputs: list[tuple[str, str]]  # (kode, peran)


@dataclass
class ModelInfo:
    model: ModelPenilaian
    spec: ModelSpec
    questions: list[QuestionInfo]
    indikator: list[Indikator]
    hasil: list[HasilItem]
    kode: dict[int, str] = field(default_factory=dict)  # question pk -> kode

    def __post_init__(self) -> None:
        self.kode = {q.pk: q.kode for q in self.questions}

    @classmethod
    def load(cls, model: ModelPenilaian) -> ModelInfo:
        inputs: dict[int, list[tuple[str, str]]] = {}
        for n in InputNumerik.objects.filter(model=model).order_by("urutan", "id"):
            if n.turunan_dari:
                continue  # a derived total (5.iii) is computed, never stored
            inputs.setdefault(n.pertanyaan_id, []).append((n.kode, n.peran))
        questions = [
            QuestionInfo(q.pk, q.kode, q.jenis, q.indikator_id, inputs.get(q.pk, []))
            for q in Pertanyaan.objects.filter(model=model).order_by(
                "indikator__area__urutan", "indikator__urutan", "urutan", "id"
            )
        ]
        return cls(
            model=model,
            spec=model_spec(model),
            questions=questions,
            indikator=list(
                Indikator.objects.filter(model=model)
                .select_related("area")
                .order_by("area__urutan", "urutan", "id")
            ),
            hasil=list(HasilItem.objects.filter(model=model).order_by("urutan", "id")),
        )


OPTIONS: dict[str, tuple[str, ...]] = {
    "ya_tidak": ("Ya", "Ya", "Ya", "Tidak"),
    "abc": ("A", "A", "B", "B", "C"),
    "abcd": ("A", "A", "B", "B", "C", "D"),
    "abcde": ("A", "A", "B", "B", "C", "D", "E"),
}


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


def _json_adapter(encoder: Any) -> Callable[[Any], Any]:
    def adapt(value: Any) -> Any:
        return None if value is None else connection.ops.adapt_json_value(value, encoder)

    return adapt


def _field_adapter(f: Any) -> Callable[[Any], Any]:
    def adapt(value: Any) -> Any:
        return f.get_db_prep_save(value, connection)

    return adapt


class _Inserter:
    """Plain multi-row INSERTs for the big tables, with ids assigned here.

    Building model instances and compiling bulk_create costs about as much per row as
    the database itself; rows here are dicts of field values (unset fields take their
    model default), adapted with the connection's own converters.
    """

    def __init__(self) -> None:
        self.next_id: dict[type[models.Model], int] = {}
        self.touched: set[type[models.Model]] = set()

    def ids(self, model: type[models.Model], n: int) -> range:
        if model not in self.next_id:
            last = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
            self.next_id[model] = last + 1
        start = self.next_id[model]
        self.next_id[model] = start + n
        return range(start, start + n)

    def insert(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.touched.add(model)
        pk = model._meta.pk
        fields = [
            f for f in model._meta.concrete_fields if f is not pk or f.attname in rows[0]
        ]  # rows without ids get them from the database
        ops = connection.ops
        convert: list[Callable[[Any], Any] | None] = []
        for f in fields:
            if isinstance(f, models.JSONField):
                convert.append(_json_adapter(f.encoder))
            elif isinstance(f, models.DateTimeField):
                convert.append(ops.adapt_datetimefield_value)
            elif isinstance(f, models.DateField):
                convert.append(ops.adapt_datefield_value)
            elif isinstance(f, models.UUIDField | models.FileField):
                convert.append(_field_adapter(f))
            else:
                convert.append(None)
        defaults = {f.attname: f.get_default for f in fields}
        data = []
        for row in rows:
            values = []
            for f, conv in zip(fields, convert, strict=True):
                value = row[f.attname] if f.attname in row else defaults[f.attname]()
                values.append(value if conv is None else conv(value))
            data.append(values)
        qn = ops.quote_name
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, len(data), 2000):
                cursor.executemany(sql, data[start : start + 2000])

    def reset_sequences(self) -> None:
        """PostgreSQL: move the id sequences past the ids assigned here."""
        if not self.touched:
            return
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.touched, key=str))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.touched.clear()


@contextmanager
def _fixed_timestamps() -> Iterator[None]:
    """Let the few ORM creations keep the generated timestamps instead of now()."""
    fields: list[tuple[Any, bool, bool]] = []
    for model in (
        Penilaian,
        RencanaKerja,
        JawabanHasil,
        SnapshotSkor,
        Notifikasi,
        UnitKerja,
        PredikatUnit,
    ):
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                fields.append((f, f.auto_now, f.auto_now_add))
    try:
        for f, _now, _add in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, now, add in fields:
            f.auto_now, f.auto_now_add = now, add


class _Clock:
    """Deterministic moments inside one year (UTC, office hours in WIB)."""

    def __init__(self, rng: random.Random, tahun: int) -> None:
        self.rng = rng
        self.start = dt.datetime(tahun, 1, 15, 1, 0, tzinfo=dt.UTC)
        self.days = 330

    def at(self, lo: float = 0.0, hi: float = 1.0) -> dt.datetime:
        day = int(self.days * self.rng.uniform(lo, hi))
        return self.start + dt.timedelta(days=day, seconds=self.rng.randint(0, 8 * 3600))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class _Unit:
    """What one unit's penilaian need to know about the unit."""

    unit: UnitKerja
    tim: Any
    pimpinan: Any
    tpi: Any
    riwayat: list[dict[str, Any]] = field(default_factory=list)
    held: str | None = None


class BenchBuilder:
    def __init__(self, spec: BenchSpec) -> None:
        self.spec = spec
        self.created: dict[str, int] = {}
        self.pool = file_pool(write=spec.files)
        self.password = make_password(BENCH_PASSWORD, salt=f"bench{spec.seed}")
        self.models: dict[str, ModelInfo] = {}
        self.instansi: dict[int, Instansi] = {}
        self.tpi: dict[int, Any] = {}
        self.db = _Inserter()

    def count(self, name: str, n: int) -> None:
        self.created[name] = self.created.get(name, 0) + n

    def model(self, tahun: int) -> ModelInfo:
        kode = model_kode_for_year(tahun)
        if kode not in self.models:
            self.models[kode] = ModelInfo.load(ModelPenilaian.objects.get(kode=kode))
        return self.models[kode]

    def _bulk(self, cls: type[models.Model], rows: list[Any]) -> list[Any]:
        if rows:
            cls._default_manager.bulk_create(rows)
            self.count(cls._meta.model_name or cls.__name__, len(rows))
        return rows

    def _insert(self, cls: type[models.Model], rows: list[dict[str, Any]]) -> None:
        self.db.insert(cls, rows)
        self.count(cls._meta.model_name or cls.__name__, len(rows))

    def finish(self) -> None:
        self.db.reset_sequences()

    # -- instansi and people --------------------------------------------------------------

    def instansi_for(self, index: int) -> tuple[Instansi, int]:
        number = (index - 1) // self.spec.units_per_instansi + 1
        if number not in self.instansi:
            inst, created = Instansi.objects.get_or_create(
                kode=instansi_kode(number),
                defaults={"nama": f"Kementerian Benchmark {number:02d}"},
            )
            self.count("instansi", int(created))
            user_model = get_user_model()
            tpi, new = user_model.objects.get_or_create(
                username=tpi_username(number),
                defaults={"first_name": f"TPI {inst.nama}", "password": self.password},
            )
            self.count("user", int(new))
            _, new = Keanggotaan.objects.get_or_create(user=tpi, instansi=inst, peran=Peran.TPI)
            self.count("keanggotaan", int(new))
            self.instansi[number] = inst
            self.tpi[number] = tpi
        return self.instansi[number], number

    # -- one unit ---------------------------------------------------------------------------

    def build_unit(self, index: int) -> bool:
        """Build unit `index` with all its years; False when it already exists."""
        slug = unit_slug(index)
        if UnitKerja.objects.filter(slug=slug).exists():
            return False
        rng = random.Random(f"{self.spec.seed}:{index}")  # noqa: S311 - test data
        instansi, number = self.instansi_for(index)
        kota = rng.choice(KOTA)
        created_at = dt.datetime(self.spec.last_year - self.spec.years, 12, 1, 2, 0, tzinfo=dt.UTC)
        with transaction.atomic(), _fixed_timestamps():
            unit = UnitKerja.objects.create(
                code=_uuid(rng),
                instansi=instansi,
                slug=slug,
                nama=f"{rng.choice(JENIS_UNIT)} {kota} {index:04d}",
                kota=kota,
                created_at=created_at,
                updated_at=created_at,
            )
            self.count("unitkerja", 1)
            held = "WBK" if rng.random() < 0.2 else None
            if held is not None:
                # Held from before the first penilaian year, so every year counts it.
                PredikatUnit.objects.create(
                    unit=unit,
                    predikat=held,
                    tahun=created_at.year,
                    sumber=PredikatUnit.Sumber.TPN,
                    created_at=created_at,
                    updated_at=created_at,
                )
            user_model = get_user_model()
            tim, pimpinan = self._bulk(
                user_model,
                [
                    user_model(
                        username=tim_username(index),
                        first_name=f"Tim Kerja {index:04d}",
                        password=self.password,
                        date_joined=created_at,
                    ),
                    user_model(
                        username=f"bench.pimpinan.{index:04d}",
                        first_name=f"Kepala {unit.nama}"[:150],
                        password=self.password,
                        date_joined=created_at,
                    ),
                ],
            )
            self._bulk(
                Keanggotaan,
                [
                    Keanggotaan(user=tim, unit=unit, peran=Peran.TIM_KERJA),
                    Keanggotaan(
                        user=pimpinan,
                        unit=unit,
                        peran=Peran.PIMPINAN,
                        jabatan=f"Kepala {unit.nama}"[:200],
                    ),
                ],
            )
            self._data_dukung(rng, unit)
            ctx = _Unit(unit, tim, pimpinan, self.tpi[number], held=held)
            first = self.spec.last_year - self.spec.years + 1
            for tahun in range(first, self.spec.last_year + 1):
                self._penilaian(rng, ctx, tahun, self._status(rng, tahun))
            self._insert(Riwayat, ctx.riwayat)
        return True

    def _status(self, rng: random.Random, tahun: int) -> str:
        if tahun < self.spec.last_year:
            return StatusPenilaian.FINAL
        draw = rng.random()
        if draw < 0.5:
            return StatusPenilaian.PENGISIAN
        if draw < 0.85:
            return StatusPenilaian.REVIU_TPI
        return StatusPenilaian.FINAL

    def _data_dukung(self, rng: random.Random, unit: UnitKerja) -> None:
        info = self.model(self.spec.last_year)
        rows = []
        ids = iter(self.db.ids(DataDukung, len(info.questions)))
        for n, q in enumerate(info.questions):
            if rng.random() < 0.15:
                continue
            months = sorted(rng.sample([3, 6, 9, 12], rng.randint(1, 4)))
            rows.append(
                {
                    "id": next(ids),
                    "pertanyaan_id": q.pk,
                    "hasil_item_id": None,
                    "unit_id": unit.pk,
                    "nama": f"{rng.choice(DOKUMEN)} ({q.kode})",
                    "petunjuk": "Unggah dokumen yang ditandatangani pimpinan unit.",
                    "penanggung_jawab": f"Koordinator Area {q.kode.split('.')[2]}",
                    "bulan": months,
                    "urutan": n,
                }
            )
        self._insert(DataDukung, rows)

    # -- one penilaian ----------------------------------------------------------------------

    def _penilaian(self, rng: random.Random, ctx: _Unit, tahun: int, status: str) -> None:
        info = self.model(tahun)
        unit, tim, tpi = ctx.unit, ctx.tim, ctx.tpi
        clock = _Clock(rng, tahun)
        opened = clock.at(0.0, 0.02)
        submitted = status != StatusPenilaian.PENGISIAN
        penilaian = Penilaian.objects.create(
            code=_uuid(rng),
            unit=unit,
            tahun=tahun,
            model=info.model,
            status=status,
            created_at=opened,
            updated_at=clock.at(0.85, 1.0) if submitted else opened,
        )
        self.count("penilaian", 1)

        def audit(
            objek: str, objek_id: object, kode: str, when: dt.datetime, **change: str
        ) -> None:
            by_tpi = objek in ("jawaban_tpi", "reviu", "penilaian")
            ctx.riwayat.append(
                {
                    "waktu": when,
                    "user_id": (tpi if by_tpi else tim).pk,
                    "unit_id": unit.pk,
                    "tahun": tahun,
                    "objek": objek,
                    "objek_id": str(objek_id),
                    "kode": kode,
                    "aksi": Riwayat.Aksi.BUAT,
                    "perubahan": {k: ["", v] for k, v in change.items()},
                }
            )

        self._bulk(
            RencanaKerja,
            [
                RencanaKerja(
                    penilaian=penilaian,
                    judul=f"Rencana Kerja Pembangunan Zona Integritas {unit.nama} {tahun}",
                    kata_pengantar=_paragraphs(rng, unit.nama, 2),
                    latar_belakang=_paragraphs(rng, unit.nama, 3),
                    maksud_tujuan=_paragraphs(rng, unit.nama, 1),
                    pengertian_umum=_paragraphs(rng, unit.nama, 1),
                    rencana_aksi_pengantar=_paragraphs(rng, unit.nama, 1),
                    penutup=_paragraphs(rng, unit.nama, 1),
                    penandatangan_nama=ctx.pimpinan.first_name,
                    kota=unit.kota,
                    created_at=opened,
                    updated_at=opened,
                )
            ],
        )
        ra_by_indikator = self._rencana_aksi(rng, penilaian, info, clock, audit)
        answers, hasil = self._jawaban(rng, penilaian, info, clock, ctx, status, audit)
        self._bukti(rng, penilaian, info, clock, tim, ra_by_indikator, answers, audit)

        if status == StatusPenilaian.FINAL:
            snapshots = []
            for set_ in (SetJawaban.MANDIRI, SetJawaban.TPI):
                report = score(
                    info.spec,
                    AnswerSet(
                        options=answers[set_]["options"],
                        numbers=answers[set_]["numbers"],
                        hasil=hasil,
                        held_predikat=ctx.held,
                    ),
                )
                snapshots.append(
                    SnapshotSkor(
                        penilaian=penilaian,
                        set=set_,
                        dibuat_pada=penilaian.updated_at,
                        dibuat_oleh=tpi,
                        total=report.total.nilai.quantize(Decimal("1e-8")),
                        predikat=report.verdict,
                        laporan=report_json(report, penilaian=penilaian, by=set_),
                        final=True,
                    )
                )
            self._bulk(SnapshotSkor, snapshots)
            audit("penilaian", penilaian.code, "", penilaian.updated_at, status="Final")
        self._bulk(
            Notifikasi,
            [
                Notifikasi(
                    user=user,
                    pesan=f"Penilaian {unit.nama} {tahun}: {text}"[:500],
                    url=f"/penilaian/{penilaian.code}/",
                    dibuat_pada=clock.at(0.5, 1.0),
                    dibaca=tahun < self.spec.last_year,
                )
                for user, text in (
                    (tim, "pengingat unggah bukti"),
                    (ctx.pimpinan, "ringkasan kemajuan"),
                )
            ],
        )

    def _rencana_aksi(
        self,
        rng: random.Random,
        penilaian: Penilaian,
        info: ModelInfo,
        clock: _Clock,
        audit: Callable[..., None],
    ) -> dict[int, list[int]]:
        """One to three rows per indikator and one per hasil item; ids per indikator."""
        targets: list[tuple[str, Any]] = []
        for ind in info.indikator:
            targets += [("indikator", ind)] * rng.choice((1, 1, 2, 2, 3))
        targets += [("hasil_item", item) for item in info.hasil]
        rows: list[dict[str, Any]] = []
        by_indikator: dict[int, list[int]] = {}
        for (kind, node), pk in zip(targets, self.db.ids(RencanaAksi, len(targets)), strict=True):
            nama = node.nama
            mulai = rng.randint(1, 10)
            when = clock.at(0.0, 0.2)
            rows.append(
                {
                    "id": pk,
                    "code": _uuid(rng),
                    "created_at": when,
                    "updated_at": when,
                    "penilaian_id": penilaian.pk,
                    "indikator_id": node.pk if kind == "indikator" else None,
                    "hasil_item_id": node.pk if kind == "hasil_item" else None,
                    "label_sumber": nama[:300],
                    "sasaran": f"Terwujudnya {nama.lower()} yang efektif",
                    "rencana_aksi": f"Melaksanakan {nama.lower()} secara berkala",
                    "rencana_kegiatan": "1. Menyusun jadwal kegiatan\n2. Melaksanakan kegiatan"
                    "\n3. Melaporkan hasil kepada pimpinan",
                    "bukti_direncanakan": rng.choice(DOKUMEN),
                    "jadwal": "",
                    "bulan_mulai": mulai,
                    "bulan_selesai": rng.randint(mulai, 12),
                    "penanggung_jawab": f"Koordinator {nama[:40]}",
                    "penanggung_jawab_user_id": None,
                    "status": rng.choice(list(StatusRencanaAksi.values)),
                    "urutan": len(rows),
                    "versi": 1,
                }
            )
            if kind == "indikator":
                by_indikator.setdefault(node.pk, []).append(pk)
            audit("rencana_aksi", rows[-1]["code"], node.kode, when, rencana_aksi=nama[:60])
        self._insert(RencanaAksi, rows)
        return by_indikator

    def _jawaban(
        self,
        rng: random.Random,
        penilaian: Penilaian,
        info: ModelInfo,
        clock: _Clock,
        ctx: _Unit,
        status: str,
        audit: Callable[..., None],
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Decimal | str]]:
        """Mandiri answers (part of them while the unit fills in); TPI answers, reviews
        and hasil inputs once submitted. Returns the answer sets for the snapshots."""
        submitted = status != StatusPenilaian.PENGISIAN
        share = 1.0 if submitted else rng.uniform(0.55, 0.95)
        answers: dict[str, dict[str, Any]] = {
            s: {"options": {}, "numbers": {}, "answered": set()} for s in SetJawaban.values
        }
        jawaban: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        for q in info.questions:
            if rng.random() > share:
                continue
            given = [(SetJawaban.MANDIRI, *self._answer(rng, q))]
            if submitted:
                same = rng.random() < 0.8
                given.append((SetJawaban.TPI, *(given[0][1:] if same else self._answer(rng, q))))
            for set_, opsi, angka in given:
                differs = set_ == SetJawaban.TPI and (opsi, angka) != tuple(given[0][1:])
                mandiri = set_ == SetJawaban.MANDIRI
                jawaban.append(
                    {
                        "penilaian_id": penilaian.pk,
                        "set": set_,
                        "pertanyaan_id": q.pk,
                        "opsi": opsi,
                        "angka": angka,
                        "catatan": (
                            rng.choice(CATATAN)
                            if mandiri and rng.random() < 0.3
                            else (rng.choice(CATATAN_TPI) if differs else "")
                        ),
                        "diubah_oleh_id": (ctx.tim if mandiri else ctx.tpi).pk,
                        "diubah_pada": clock.at(0.05, 0.6) if mandiri else clock.at(0.7, 0.9),
                        "versi": rng.choice((1, 1, 1, 2, 3)) if mandiri else 1,
                    }
                )
                store = answers[set_]
                store["answered"].add(q.pk)
                if opsi:
                    store["options"][q.kode] = opsi
                for kode, raw in angka.items():
                    store["numbers"][kode] = Decimal(raw)
            if submitted:
                reviews.append(
                    {
                        "penilaian_id": penilaian.pk,
                        "pertanyaan_id": q.pk,
                        "status": self._reviu_status(rng, status),
                        "catatan": "",
                        "diubah_oleh_id": ctx.tpi.pk,
                        "diubah_pada": clock.at(0.7, 0.9),
                    }
                )
        for row, pk in zip(jawaban, self.db.ids(Jawaban, len(jawaban)), strict=True):
            row["id"] = pk
            change = row["opsi"] or ",".join(f"{k}={v}" for k, v in sorted(row["angka"].items()))
            audit(
                f"jawaban_{row['set']}",
                pk,
                info.kode[row["pertanyaan_id"]],
                row["diubah_pada"],
                opsi=change,
            )
        for row, pk in zip(reviews, self.db.ids(Reviu, len(reviews)), strict=True):
            row["id"] = pk
            if row["status"] != StatusReviu.DITERIMA:
                row["catatan"] = rng.choice(CATATAN_TPI)
            audit(
                "reviu",
                pk,
                info.kode[row["pertanyaan_id"]],
                row["diubah_pada"],
                status=row["status"],
            )
        self._insert(Jawaban, jawaban)
        self._insert(Reviu, reviews)
        hasil: dict[str, Decimal | str] = {}
        if submitted:
            rows = []
            for item in info.hasil:
                value = self._hasil(rng, item)
                rows.append(
                    JawabanHasil(
                        penilaian=penilaian,
                        set=SetJawaban.TPI,
                        hasil_item=item,
                        nilai=None if isinstance(value, str) else value,
                        opsi=value if isinstance(value, str) else "",
                        diubah_oleh=ctx.tpi,
                        diubah_pada=clock.at(0.8, 0.9),
                    )
                )
                hasil[item.kode] = value
            self._bulk(JawabanHasil, rows)
        return answers, hasil

    @staticmethod
    def _answer(rng: random.Random, q: QuestionInfo) -> tuple[str, dict[str, str]]:
        if q.jenis != "persen":
            return rng.choice(OPTIONS[q.jenis]), {}
        angka: dict[str, str] = {}
        base = rng.randint(5, 400)
        for kode, peran in q.inputs:
            if peran in ("penyebut", "sebelumnya", "info"):
                angka[kode] = str(base)
            else:
                angka[kode] = str(rng.randint(0, base))
        return "", angka

    @staticmethod
    def _reviu_status(rng: random.Random, status: str) -> str:
        if status == StatusPenilaian.FINAL:
            return StatusReviu.DITERIMA
        draw = rng.random()
        if draw < 0.8:
            return StatusReviu.DITERIMA
        if draw < 0.93:
            return StatusReviu.PERLU_PERBAIKAN
        return StatusReviu.DIPERBAIKI

    @staticmethod
    def _hasil(rng: random.Random, item: HasilItem) -> Decimal | str:
        if item.jenis == "capaian":
            return rng.choice("AABBCDE")
        if item.jenis == "indeks":
            return Decimal(rng.randint(250, 400)) / 100
        return Decimal(rng.randint(60, 100))

    def _bukti(
        self,
        rng: random.Random,
        penilaian: Penilaian,
        info: ModelInfo,
        clock: _Clock,
        tim: Any,
        ra_by_indikator: dict[int, list[int]],
        answers: dict[str, dict[str, Any]],
        audit: Callable[..., None],
    ) -> None:
        """One to five items per answered question (an eighth of them links, a tenth
        replacing an older version) and one per hasil item."""
        tahun = penilaian.tahun
        plan: list[tuple[dict[str, Any], dt.datetime, bool]] = []  # target, when, replaces
        for q in info.questions:
            if q.pk not in answers[SetJawaban.MANDIRI]["answered"]:
                continue
            plans = ra_by_indikator.get(q.indikator_id, [])
            for _ in range(rng.randint(1, 5)):
                target: dict[str, Any] = {"pertanyaan_id": q.pk, "kode": q.kode}
                if plans and rng.random() < 0.25:
                    target["rencana_aksi_id"] = rng.choice(plans)
                plan.append((target, clock.at(0.1, 0.8), rng.random() < 0.1))
        for item in info.hasil:
            plan.append(({"hasil_item_id": item.pk, "kode": item.kode}, clock.at(0.6, 0.9), False))
        n_old = sum(1 for *_, replaces in plan if replaces)
        ids = iter(self.db.ids(Bukti, len(plan) + n_old))
        old_rows: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []

        def make(target: dict[str, Any], when: dt.datetime, aktif: bool) -> dict[str, Any]:
            row: dict[str, Any] = {
                "id": next(ids),
                "code": _uuid(rng),
                "penilaian_id": penilaian.pk,
                "pertanyaan_id": target.get("pertanyaan_id"),
                "hasil_item_id": target.get("hasil_item_id"),
                "rencana_aksi_id": target.get("rencana_aksi_id"),
                "diunggah_oleh_id": tim.pk,
                "diunggah_pada": when,
                "versi_sebelumnya_id": None,
                "aktif": aktif,
                "berkas": "",
                "url": "",
                "nama_asli": "",
                "ukuran": 0,
                "sha256": "",
                "tipe_konten": "",
            }
            judul = rng.choice(DOKUMEN)
            effective = when.date()
            if rng.random() < 0.03:
                effective = dt.date(tahun - 1, 12, rng.randint(1, 28))
            row["tanggal_efektif"] = effective
            if rng.random() < 0.12:
                row["jenis"] = JenisBukti.TAUTAN
                row["url"] = f"https://drive.example.go.id/bench/{rng.getrandbits(48):012x}"
                row["judul"] = judul
            else:
                f = rng.choice(self.pool)
                row |= {
                    "jenis": JenisBukti.FILE,
                    "berkas": f.name,
                    "nama_asli": f"{judul} {tahun}{f.ext}",
                    "judul": f"{judul} {tahun}{f.ext}",
                    "ukuran": f.size,
                    "sha256": f.sha256,
                    "tipe_konten": f.mime,
                }
            audit("bukti", row["code"], target["kode"], when, berkas=row["judul"])
            return row

        for target, when, replaces in plan:
            previous = None
            if replaces:
                old = make(target, clock.at(0.05, 0.1), aktif=False)
                old_rows.append(old)
                previous = old["id"]
            row = make(target, when, aktif=True)
            row["versi_sebelumnya_id"] = previous
            rows.append(row)
        self._insert(Bukti, old_rows + rows)


def bench_data_build(spec: BenchSpec, *, progress: Progress | None = None) -> dict[str, int]:
    """Build (or complete) the benchmark data set; return the rows created per model."""
    if spec.units < 0 or spec.years < 1 or spec.units_per_instansi < 1:
        raise ValueError("units >= 0, years >= 1, units_per_instansi >= 1")
    needed = {model_kode_for_year(spec.last_year - n) for n in range(spec.years)}
    if ModelPenilaian.objects.filter(kode__in=needed).count() < len(needed):
        lke_models_load_all()
    builder = BenchBuilder(spec)
    try:
        for index in range(1, spec.units + 1):
            builder.build_unit(index)
            if progress is not None:
                progress(index, spec.units)
    finally:
        builder.finish()
    return builder.created
