"""The laporan monev triwulan: per area the rencana aksi rows planned for the quarter,
their realisasi and bukti, what is late, the mandiri score against the quarter before,
and a chart; as PDF (WeasyPrint, the chart as inline SVG) and as Word (python-docx, the
chart as a PNG drawn with Pillow).

The mandiri score of a quarter is the snapshot the report records
(`scoring.services.snapshot_triwulan`): making the report of triwulan II stores the
score of triwulan II, and the change is measured against the latest stored snapshot of
triwulan I.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from documents.pdf import html_pdf, jadwal_teks
from evidence.models import Bukti, RealisasiRencanaAksi, RencanaAksi, StatusRencanaAksi
from evidence.realisasi import (
    NAMA_TRIWULAN,
    bulan_triwulan,
    direncanakan,
    realisasi_per_triwulan,
    realisasi_sampai,
    terlambat,
)
from lke.models import Penilaian
from scoring.models import SnapshotSkor
from scoring.services import snapshot_triwulan
from zi_portal.lib.dates import BULAN, tanggal_indonesia
from zi_portal.lib.numbers import format_id

Progress = Callable[[int], None]
HASIL = 0  # the group of the hasil rows (no area)


class MonevTidakValid(ValueError):
    """Bad input for the report (a quarter outside I-IV); the message is Indonesian."""


@dataclass
class BarisMonev:
    ra: RencanaAksi
    kode: str
    jadwal: str
    realisasi: RealisasiRencanaAksi | None  # of this quarter
    sampai: RealisasiRencanaAksi | None  # the latest up to this quarter (cumulative)
    bukti: list[Bukti]
    terlambat: bool

    @property
    def progres(self) -> int:
        return self.sampai.progres if self.sampai else 0

    @property
    def status_teks(self) -> str:
        if self.sampai is None:
            return "Belum diisi"
        return str(self.sampai.get_status_display())


@dataclass
class AreaMonev:
    nomor: int
    nama: str
    baris: list[BarisMonev] = field(default_factory=list)
    terlambat: list[BarisMonev] = field(default_factory=list)
    skor: Decimal | None = None
    skor_sebelum: Decimal | None = None
    bobot: Decimal | None = None

    def hitung(self, status: str | None) -> int:
        if status is None:
            return sum(1 for b in self.baris if b.sampai is None)
        return sum(1 for b in self.baris if b.sampai is not None and b.sampai.status == status)

    @property
    def jumlah(self) -> dict[str, int]:
        return {
            "direncanakan": len(self.baris),
            "selesai": self.hitung(StatusRencanaAksi.SELESAI),
            "berjalan": self.hitung(StatusRencanaAksi.BERJALAN),
            "belum_mulai": self.hitung(StatusRencanaAksi.BELUM_MULAI),
            "belum_diisi": self.hitung(None),
            "terlambat": len(self.terlambat),
        }

    @property
    def rerata_progres(self) -> Decimal | None:
        if not self.baris:
            return None
        return Decimal(sum(b.progres for b in self.baris)) / len(self.baris)

    @property
    def selisih(self) -> Decimal | None:
        if self.skor is None or self.skor_sebelum is None:
            return None
        return self.skor - self.skor_sebelum

    @property
    def judul(self) -> str:
        return f"Area {self.nomor}. {self.nama}" if self.nomor else self.nama


@dataclass
class LaporanMonev:
    penilaian: Penilaian
    triwulan: int
    areas: list[AreaMonev]
    snapshot: SnapshotSkor | None
    snapshot_sebelum: SnapshotSkor | None
    dibuat: dt.datetime

    @property
    def nama_triwulan(self) -> str:
        return NAMA_TRIWULAN[self.triwulan - 1]

    @property
    def periode(self) -> str:
        awal, akhir = bulan_triwulan(self.triwulan)
        return f"{BULAN[awal - 1]}–{BULAN[akhir - 1]} {self.penilaian.tahun}"

    @property
    def judul(self) -> str:
        return f"LAPORAN MONITORING DAN EVALUASI TRIWULAN {self.nama_triwulan}"

    @property
    def skor(self) -> Decimal | None:
        return self.snapshot.total if self.snapshot else None

    @property
    def skor_sebelum(self) -> Decimal | None:
        return self.snapshot_sebelum.total if self.snapshot_sebelum else None

    @property
    def selisih(self) -> Decimal | None:
        if self.skor is None or self.skor_sebelum is None:
            return None
        return self.skor - self.skor_sebelum

    @property
    def jumlah(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for area in self.areas:
            for key, value in area.jumlah.items():
                total[key] = total.get(key, 0) + value
        return total


def _area_scores(snap: SnapshotSkor | None) -> dict[int, tuple[Decimal, Decimal]]:
    """Area number -> (nilai, bobot) of a snapshot, Pemenuhan and Reform summed."""
    result: dict[int, tuple[Decimal, Decimal]] = {}
    if snap is None:
        return result
    for node in snap.laporan.get("areas", []):
        try:
            nomor = int(str(node["code"]).rsplit(".", 1)[-1])
        except ValueError:
            continue
        nilai, bobot = result.get(nomor, (Decimal(0), Decimal(0)))
        result[nomor] = (nilai + Decimal(str(node["nilai"])), bobot + Decimal(str(node["bobot"])))
    return result


def laporan_monev(
    penilaian: Penilaian, triwulan: int, *, user: Any = None, progress: Progress | None = None
) -> LaporanMonev:
    """Collect the report of `triwulan` (1-4) and record that quarter's mandiri snapshot."""
    if triwulan not in (1, 2, 3, 4):
        raise MonevTidakValid("Triwulan harus 1, 2, 3 atau 4 (I–IV).")
    rows = list(
        RencanaAksi.objects.filter(penilaian=penilaian)
        .select_related("indikator__area", "hasil_item")
        .prefetch_related("realisasi__bukti")
        .order_by("indikator__area__nomor", "indikator__urutan", "urutan", "id")
    )
    if progress:
        progress(10)
    areas: dict[int, AreaMonev] = {}
    for ra in rows:
        if ra.indikator is not None:
            nomor, nama = ra.indikator.area.nomor, ra.indikator.area.nama
            kode = ra.indikator.kode
        else:
            nomor, nama = HASIL, "Komponen Hasil"
            kode = ra.hasil_item.kode if ra.hasil_item else ""
        area = areas.setdefault(nomor, AreaMonev(nomor, nama))
        by = realisasi_per_triwulan(ra)
        this = by.get(triwulan)
        baris = BarisMonev(
            ra=ra,
            kode=kode,
            jadwal=jadwal_teks(ra, penilaian.tahun),
            realisasi=this,
            sampai=realisasi_sampai(ra, triwulan),
            bukti=list(this.bukti.all()) if this else [],
            terlambat=terlambat(ra, triwulan),
        )
        if direncanakan(ra, triwulan):
            area.baris.append(baris)
        if baris.terlambat:
            area.terlambat.append(baris)
    if progress:
        progress(30)
    snap, before = snapshot_triwulan(penilaian=penilaian, triwulan=triwulan, user=user)
    now_scores, before_scores = _area_scores(snap), _area_scores(before)
    for nomor, area in areas.items():
        if nomor in now_scores:
            area.skor, area.bobot = now_scores[nomor]
        if nomor in before_scores:
            area.skor_sebelum = before_scores[nomor][0]
    if progress:
        progress(50)
    ordered = sorted(areas.values(), key=lambda a: (a.nomor == HASIL, a.nomor))
    return LaporanMonev(penilaian, triwulan, ordered, snap, before, timezone.localtime())


# -- the chart ---------------------------------------------------------------------------

BATANG = (
    ("selesai", "Selesai", "#2e7d32"),
    ("berjalan", "Sedang berjalan", "#1565c0"),
    ("belum_mulai", "Belum mulai", "#9e9e9e"),
    ("belum_diisi", "Belum diisi", "#e0e0e0"),
    ("terlambat", "Terlambat", "#c62828"),
)
LEBAR, LABEL, TINGGI_BATANG = 440, 120, 18


def batang(area: AreaMonev) -> list[tuple[str, int, str]]:
    counts = area.jumlah
    return [(label, counts[key], color) for key, label, color in BATANG]


def chart_svg(area: AreaMonev) -> str:
    """Horizontal bars: rows planned this quarter by status, and the late rows."""
    bars = batang(area)
    top = max([n for _label, n, _c in bars] + [1])
    scale = (LEBAR - LABEL - 40) / top
    height = len(bars) * (TINGGI_BATANG + 6) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEBAR}" height="{height}" '
        f'viewBox="0 0 {LEBAR} {height}" role="img" aria-label="Grafik {area.judul}">'
    ]
    for i, (label, n, color) in enumerate(bars):
        y = 4 + i * (TINGGI_BATANG + 6)
        w = max(n * scale, 0)
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="10" font-family="Liberation Sans, Arial, '
            f'sans-serif">{label}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{w:.1f}" height="{TINGGI_BATANG}" '
            f'fill="{color}" stroke="#555" stroke-width="0.5"/>'
            f'<text x="{LABEL + w + 4:.1f}" y="{y + 13}" font-size="10" '
            f'font-family="Liberation Sans, Arial, sans-serif">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_png(area: AreaMonev) -> bytes:
    """The same bars as `chart_svg`, as a PNG (twice the size, for print)."""
    from PIL import Image, ImageDraw, ImageFont

    k = 2
    bars = batang(area)
    top = max([n for _label, n, _c in bars] + [1])
    scale = (LEBAR - LABEL - 40) / top
    height = len(bars) * (TINGGI_BATANG + 6) + 8
    image = Image.new("RGB", (LEBAR * k, height * k), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11 * k)
    for i, (label, n, color) in enumerate(bars):
        y = (4 + i * (TINGGI_BATANG + 6)) * k
        w = max(n * scale, 0) * k
        draw.text((0, y + 2 * k), label, fill="black", font=font)
        if w:
            draw.rectangle(
                [LABEL * k, y, LABEL * k + w, y + TINGGI_BATANG * k], fill=color, outline="#555555"
            )
        draw.text((LABEL * k + w + 4 * k, y + 2 * k), str(n), fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# -- rendering ---------------------------------------------------------------------------


def angka(value: Decimal | None) -> str:
    return "–" if value is None else format_id(value)


def selisih_teks(value: Decimal | None) -> str:
    if value is None:
        return "tidak ada snapshot triwulan sebelumnya"
    return ("+" if value > 0 else "") + format_id(value)


def bukti_teks(b: Bukti) -> str:
    kode = b.pertanyaan.kode if b.pertanyaan_id and b.pertanyaan else ""
    return f"{kode} {b}".strip()


def monev_filename(penilaian: Penilaian, triwulan: int, suffix: str) -> str:
    return f"monev-{penilaian.unit.slug}-{penilaian.tahun}-tw{triwulan}.{suffix}"


def monev_context(laporan: LaporanMonev) -> dict[str, Any]:
    return {
        "l": laporan,
        "unit": laporan.penilaian.unit,
        "areas": [
            {
                "a": a,
                "svg": chart_svg(a),
                "jumlah": a.jumlah,
                "rerata": a.rerata_progres,
                "selisih": selisih_teks(a.selisih),
            }
            for a in laporan.areas
        ],
        "skor": angka(laporan.skor),
        "skor_sebelum": angka(laporan.skor_sebelum),
        "selisih": selisih_teks(laporan.selisih),
        "tanggal": tanggal_indonesia(laporan.dibuat.date()),
        "snapshot_waktu": (
            tanggal_indonesia(timezone.localtime(laporan.snapshot.dibuat_pada).date())
            if laporan.snapshot
            else ""
        ),
        "snapshot_sebelum_waktu": (
            tanggal_indonesia(timezone.localtime(laporan.snapshot_sebelum.dibuat_pada).date())
            if laporan.snapshot_sebelum
            else ""
        ),
        "generator": "ZI Portal",
    }


def monev_pdf(laporan: LaporanMonev) -> bytes:
    return html_pdf(render_to_string("documents/pdf/monev.html", monev_context(laporan)))


def monev_docx(laporan: LaporanMonev) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    p = laporan.penilaian
    document.core_properties.title = f"{laporan.judul} {p.unit.nama} {p.tahun}"
    document.core_properties.author = p.unit.nama
    document.add_heading(laporan.judul, level=0)
    document.add_paragraph(
        f"{p.unit.nama} ({p.unit.instansi.nama}), periode {laporan.periode}. "
        f"Dibuat {tanggal_indonesia(laporan.dibuat.date())} oleh ZI Portal."
    )
    document.add_heading("Ringkasan", level=1)
    jumlah = laporan.jumlah
    for text in (
        f"Nilai penilaian mandiri triwulan {laporan.nama_triwulan}: {angka(laporan.skor)}",
        f"Triwulan sebelumnya: {angka(laporan.skor_sebelum)}; "
        f"perubahan: {selisih_teks(laporan.selisih)}",
        f"Rencana aksi yang direncanakan pada triwulan ini: {jumlah.get('direncanakan', 0)} "
        f"(selesai {jumlah.get('selesai', 0)}, sedang berjalan {jumlah.get('berjalan', 0)}, "
        f"belum mulai {jumlah.get('belum_mulai', 0)}, belum diisi {jumlah.get('belum_diisi', 0)})",
        f"Rencana aksi terlambat: {jumlah.get('terlambat', 0)}",
    ):
        document.add_paragraph(text, style="List Bullet")
    for area in laporan.areas:
        document.add_heading(area.judul, level=1)
        if area.skor is not None:
            document.add_paragraph(
                f"Nilai mandiri area: {angka(area.skor)} dari bobot {angka(area.bobot)}; "
                f"triwulan sebelumnya {angka(area.skor_sebelum)}; "
                f"perubahan {selisih_teks(area.selisih)}."
            )
        rerata = area.rerata_progres
        document.add_paragraph(
            f"Direncanakan pada triwulan {laporan.nama_triwulan}: {len(area.baris)} baris"
            + (f"; rata-rata progres {format_id(rerata)}%." if rerata is not None else ".")
        )
        document.add_picture(io.BytesIO(chart_png(area)), width=Cm(11))
        if area.baris:
            table = document.add_table(rows=1, cols=7)
            table.style = "Table Grid"
            for cell, text in zip(
                table.rows[0].cells,
                (
                    "Indikator",
                    "Rencana aksi",
                    "Jadwal",
                    "Realisasi",
                    "Progres / status",
                    "Bukti",
                    "Kendala / tindak lanjut",
                ),
                strict=True,
            ):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for b in area.baris:
                r = b.realisasi
                cells = table.add_row().cells
                cells[0].text = b.kode
                cells[1].text = b.ra.rencana_aksi
                cells[2].text = b.jadwal
                cells[3].text = r.realisasi if r else "Belum diisi"
                cells[4].text = f"{b.progres}% – {b.status_teks}" + (
                    " (terlambat)" if b.terlambat else ""
                )
                cells[5].text = "\n".join(bukti_teks(x) for x in b.bukti) or "–"
                cells[6].text = (
                    "\n".join(
                        t
                        for t in (
                            f"Kendala: {r.kendala}" if r and r.kendala else "",
                            f"Tindak lanjut: {r.tindak_lanjut}" if r and r.tindak_lanjut else "",
                        )
                        if t
                    )
                    or "–"
                )
        else:
            document.add_paragraph("Tidak ada rencana aksi yang direncanakan pada triwulan ini.")
        if area.terlambat:
            document.add_heading("Terlambat", level=2)
            for b in area.terlambat:
                document.add_paragraph(
                    f"{b.kode} {b.ra.rencana_aksi} (jadwal {b.jadwal or '–'}): "
                    f"{b.progres}%, {b.status_teks}",
                    style="List Bullet",
                )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
