"""The labelled test set of the evidence checks, built deterministically at test time.

Every document is written here by the project (no downloads): PDFs with a text layer
(WeasyPrint), scanned-looking PNGs (text rendered with Pillow and a DejaVu font, with
noise and a slight rotation), image-only PDFs, DOCX (python-docx), XLSX (openpyxl) and
documentation photos (drawn shapes). Each is labelled with the date it bears, the Rutan
Kupang data dukung (fixtures/demo/rutan-kupang.yaml, by question code) it fits, and the
duplicate group it belongs to (exact copies and re-encoded near-identical images).
The penilaian year of the set is 2024 (Rutan Kupang's demo penilaian).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFilter, ImageFont

TAHUN = 2024
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
NAMA_BULAN = BULAN.split()
SATKER = "RUMAH TAHANAN NEGARA KELAS IIB KUPANG"

# question code -> (title lines, body lines): what a document fitting that data dukung says
TOPICS: dict[str, tuple[list[str], list[str]]] = {
    "A.I.1.i.a": (
        [
            "KEPUTUSAN KEPALA " + SATKER,
            "TENTANG PEMBENTUKAN TIM KERJA PEMBANGUNAN",
            "ZONA INTEGRITAS MENUJU WBK/WBBM",
        ],
        [
            "Menetapkan susunan keanggotaan Tim Kerja Pembangunan Zona Integritas menuju",
            "Wilayah Bebas dari Korupsi (WBK) dan Wilayah Birokrasi Bersih dan Melayani",
            "(WBBM) pada Satuan Kerja Rumah Tahanan Negara Kelas IIB Kupang.",
            "Tim Kerja bertugas menyusun rencana kerja dan melaporkan pelaksanaannya.",
        ],
    ),
    "A.I.1.iii.b": (
        ["LAPORAN HASIL MONITORING DAN EVALUASI", "PEMBANGUNAN ZONA INTEGRITAS"],
        [
            "Rapat monitoring dan evaluasi pembangunan Zona Integritas dilaksanakan oleh",
            "Tim Kerja dengan undangan rapat, daftar hadir, notula dan dokumentasi foto.",
            "Hasil monitoring dan evaluasi menunjukkan kemajuan rencana aksi setiap area.",
        ],
    ),
    "A.I.1.iv.b": (
        ["KEPUTUSAN KEPALA " + SATKER, "TENTANG PENETAPAN AGEN PERUBAHAN"],
        [
            "Menetapkan pegawai yang namanya tercantum dalam lampiran sebagai Agen",
            "Perubahan, setelah penilaian riwayat hidup dan rekam jejak masing-masing.",
            "Agen Perubahan menjadi teladan dan penggerak perubahan di satuan kerja.",
        ],
    ),
    "A.I.5.i.b": (
        ["LAPORAN BERKALA PENGENDALIAN GRATIFIKASI", "TIM UPG SATKER"],
        [
            "Tim Unit Pengendalian Gratifikasi (UPG) Satker menyampaikan laporan berkala",
            "pengendalian gratifikasi kepada UPG Pusat Inspektorat Jenderal.",
            "Pada periode ini tidak terdapat laporan penerimaan gratifikasi.",
        ],
    ),
    "A.I.5.v.c": (
        ["SURAT PERNYATAAN", "BEBAS DARI BENTURAN KEPENTINGAN"],
        [
            "Yang bertanda tangan di bawah ini menyatakan dengan sesungguhnya bahwa dalam",
            "melaksanakan tugas saya bebas dari benturan kepentingan dan akan melaporkan",
            "setiap potensi benturan kepentingan kepada atasan langsung.",
        ],
    ),
    "A.I.6.iv.a": (
        ["LAPORAN SURVEI KEPUASAN MASYARAKAT", "TERHADAP PELAYANAN " + SATKER],
        [
            "Survei kepuasan masyarakat dilaksanakan sesuai Permen PAN RB Nomor 14 Tahun",
            "2017 tentang Survei Kepuasan Masyarakat dengan 30 responden per bulan untuk",
            "layanan kunjungan. Nilai indeks kepuasan masyarakat (IKM) adalah 88,4.",
        ],
    ),
    "A.I.6.i.b": (
        ["MAKLUMAT PELAYANAN", SATKER],
        [
            "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar",
            "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini kami siap",
            "menerima sanksi sesuai peraturan. Piagam maklumat pelayanan ini ditandatangani",
            "oleh Kepala Satuan Kerja dan dipasang di ruang layanan publik.",
        ],
    ),
    "A.I.4.ii.f": (
        ["LAPORAN KINERJA (LKj)", SATKER],
        [
            "Laporan Kinerja ini menyajikan capaian indikator kinerja utama satuan kerja",
            "dibandingkan dengan target dalam perjanjian kinerja, beserta analisis",
            "keberhasilan dan kendala serta rencana perbaikan kinerja.",
        ],
    ),
    "A.I.5.ii.b": (
        ["MATRIK IDENTIFIKASI RISIKO", "DAN ANALISIS RISIKO"],
        [
            "Dokumen matrik identifikasi risiko memuat kejadian risiko, penyebab, dampak",
            "dan pemilik risiko pada setiap proses layanan. Analisis risiko menilai",
            "kemungkinan dan dampak sesuai formulir manajemen risiko.",
        ],
    ),
    "A.I.5.iii.a": (
        ["KEPUTUSAN KEPALA " + SATKER, "TENTANG PETUGAS PENANGANAN PENGADUAN"],
        [
            "Menunjuk petugas penanganan pengaduan masyarakat yang bertugas menerima",
            "pengaduan melalui loket, kotak pengaduan dan aplikasi LAPOR, serta",
            "meneruskannya kepada bagian terkait untuk ditindaklanjuti.",
        ],
    ),
}
CODES = list(TOPICS)

# The held-out part: the same data dukung said in other words, written after the rules
# were tuned on the part above and measured once, as it came (never tuned on).
TOPICS_UJI: dict[str, tuple[list[str], list[str]]] = {
    "A.I.1.i.a": (
        ["KEPUTUSAN KEPALA RUTAN KELAS IIB KUPANG", "TENTANG TIM PEMBANGUNAN ZI"],
        [
            "Membentuk tim yang bertugas membangun zona integritas di lingkungan Rutan,",
            "dengan susunan ketua, sekretaris dan koordinator setiap area perubahan.",
        ],
    ),
    "A.I.1.iii.b": (
        ["NOTULA RAPAT MONEV ZONA INTEGRITAS"],
        [
            "Agenda: evaluasi capaian rencana aksi bulan berjalan. Peserta rapat sesuai",
            "daftar hadir terlampir. Kesimpulan: koordinator area melengkapi laporan.",
        ],
    ),
    "A.I.1.iv.b": (
        ["SURAT KEPUTUSAN", "PENUNJUKAN AGEN PERUBAHAN TAHUN BERJALAN"],
        [
            "Pegawai berikut ditunjuk sebagai agen perubahan karena integritas dan",
            "prestasinya, dengan tugas memberi contoh perilaku kerja yang baik.",
        ],
    ),
    "A.I.5.i.b": (
        ["LAPORAN UPG TRIWULAN III"],
        [
            "Rekapitulasi penolakan dan penerimaan gratifikasi pegawai selama triwulan,",
            "disampaikan kepada Inspektorat Jenderal sebagai laporan pengendalian.",
        ],
    ),
    "A.I.5.v.c": (
        ["PERNYATAAN TIDAK MEMILIKI BENTURAN KEPENTINGAN"],
        [
            "Saya menyatakan tidak memiliki hubungan keluarga atau kepentingan pribadi",
            "dengan pengguna layanan yang dapat mempengaruhi keputusan saya.",
        ],
    ),
    "A.I.6.iv.a": (
        ["HASIL SURVEI IKM SEMESTER I"],
        [
            "Pengukuran indeks kepuasan masyarakat atas layanan kunjungan dan penitipan",
            "barang dengan 120 responden; mutu pelayanan berkategori baik.",
        ],
    ),
    "A.I.6.i.b": (
        ["MAKLUMAT PELAYANAN PUBLIK"],
        [
            "Kami siap memberikan pelayanan yang cepat, mudah dan tanpa pungutan liar,",
            "dan siap menerima sanksi bila melanggar janji layanan ini.",
        ],
    ),
    "A.I.4.ii.f": (
        ["LKj TAHUNAN RUTAN KUPANG"],
        [
            "Capaian sasaran strategis dan indikator kinerja utama, realisasi anggaran,",
            "serta langkah perbaikan untuk tahun berikutnya.",
        ],
    ),
    "A.I.5.ii.b": (
        ["REGISTER RISIKO LAYANAN"],
        [
            "Identifikasi risiko proses kunjungan, penilaian tingkat kemungkinan dan",
            "dampak, serta rencana tindak pengendalian risiko.",
        ],
    ),
    "A.I.5.iii.a": (
        ["SK PENUNJUKAN PETUGAS PENGADUAN MASYARAKAT"],
        [
            "Petugas menerima keluhan dari loket, kotak saran dan media sosial, lalu",
            "mencatat dan meneruskan pengaduan kepada seksi terkait.",
        ],
    ),
}


@dataclass
class Dok:
    name: str
    kind: str  # pdf, pdf2 (date on page 2), docx, xlsx, png, jpg, scanpdf, photo
    fits: str | None  # question code whose data dukung it fits; None for photos
    date: dt.date | None  # the document's own date (signature); None: no date
    page: int | None  # page holding that date
    group: str | None = None  # duplicate group: same label = same file or picture
    unit: str = "rutan-kupang"
    path: Path | None = None
    # how the date is written: "tanggal" (28 Juni 2024), "bulan" (Juni 2024) or "nomor"
    # (only the year closing the letter number: .../2024)
    variant: str = "tanggal"
    uji: bool = False  # in the held-out part

    @property
    def date_label(self) -> str:
        assert self.date is not None
        if self.variant == "bulan":
            return f"{NAMA_BULAN[self.date.month - 1]} {self.date.year}"
        if self.variant == "nomor":
            return str(self.date.year)
        return tanggal(self.date)

    @property
    def mime(self) -> str:
        return {
            "pdf": "application/pdf",
            "pdf2": "application/pdf",
            "scanpdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "png": "image/png",
            "photo": "image/png",
            "jpg": "image/jpeg",
            "rescan": "image/png",
        }[self.kind]

    @property
    def outside(self) -> bool:
        return self.date is not None and self.date.year != TAHUN


def tanggal(value: dt.date) -> str:
    return f"{value.day} {NAMA_BULAN[value.month - 1]} {value.year}"


def _nomor(code: str, value: dt.date, n: int) -> str:
    return f"W20.PAS.PAS.9-UM.01.01-{100 + n}/{value.year}"


def _lines(dok: Dok, n: int, *, reference: bool) -> tuple[list[str], list[str], list[str]]:
    assert dok.fits is not None and dok.date is not None
    title, body = (TOPICS_UJI if dok.uji else TOPICS)[dok.fits]
    head = [*title, f"NOMOR: {_nomor(dok.fits, dok.date, n)}"]
    extra = []
    if reference:
        # a regulation cited by number and year, and an earlier meeting: not the doc's date
        earlier = dok.date - dt.timedelta(days=20 + n)
        extra = [
            "Berdasarkan Peraturan Menteri PANRB Nomor 90 Tahun 2021 tentang Pembangunan",
            f"dan Evaluasi Zona Integritas serta hasil rapat tanggal {tanggal(earlier)}.",
        ]
    place = "Kupang" if dok.variant == "nomor" else f"Kupang, {dok.date_label}"
    if dok.variant == "angka":  # "Kupang, 05-08-2024"
        place = f"Kupang, {dok.date:%d-%m-%Y}"
    sign = [place, "KEPALA RUTAN KELAS IIB KUPANG", "L. Soelistiyadi"]
    return head, extra + body, sign


def _pdf(dok: Dok, n: int, path: Path) -> None:
    from weasyprint import HTML

    head, body, sign = _lines(dok, n, reference=n % 2 == 0)
    page2 = dok.kind == "pdf2"
    html = (
        "<html><body style='font-family: DejaVu Sans; font-size: 11pt'>"
        + "".join(f"<h3 style='text-align:center;margin:2px'>{h}</h3>" for h in head)
        + "".join(f"<p>{line}</p>" for line in body)
        + ("<p style='page-break-before: always'>Lampiran dan pengesahan.</p>" if page2 else "")
        + "".join(f"<p style='text-align:right'>{s}</p>" for s in sign)
        + "</body></html>"
    )
    HTML(string=html).write_pdf(path)


def _docx(dok: Dok, n: int, path: Path) -> None:
    head, body, sign = _lines(dok, n, reference=n % 2 == 1)
    document = Document()
    for line in head:
        document.add_heading(line, level=2)
    for line in body:
        document.add_paragraph(line)
    for line in sign:
        document.add_paragraph(line)
    document.save(str(path))


def _scan(dok: Dok, n: int, seed: int | None = None) -> Image.Image:
    """A page of text as a scanner makes it: grey, noisy, slightly rotated."""
    head, body, sign = _lines(dok, n, reference=False)
    rng = random.Random(n if seed is None else seed)
    image = Image.new("L", (1000, 640), 250)
    draw = ImageDraw.Draw(image)
    bold, font = ImageFont.truetype(FONT_BOLD, 22), ImageFont.truetype(FONT, 20)
    y = 30
    for line in head:
        draw.text((40, y), line, font=bold, fill=20)
        y += 32
    y += 10
    for line in body:
        draw.text((40, y), line, font=font, fill=30)
        y += 28
    y += 10
    for line in sign:
        draw.text((560, y), line, font=font, fill=30)
        y += 28
    for _ in range(2500):
        x, yy = rng.randrange(1000), rng.randrange(640)
        image.putpixel((x, yy), rng.choice((120, 180, 200)))
    image = image.rotate(rng.uniform(-1.2, 1.2), fillcolor=250, resample=Image.Resampling.BICUBIC)
    return image.filter(ImageFilter.GaussianBlur(0.4))


def _photo(seed: int) -> Image.Image:
    """A documentation 'photo': a sky, a floor and people-like shapes, all seeded."""
    rng = random.Random(1000 + seed)
    image = Image.new("RGB", (640, 480), (rng.randrange(60, 200), rng.randrange(90, 200), 230))
    draw = ImageDraw.Draw(image)
    floor = rng.randrange(240, 360)
    draw.rectangle((0, floor, 640, 480), fill=(rng.randrange(80, 160), 90, 60))
    for _ in range(rng.randrange(4, 9)):
        x, w = rng.randrange(0, 590), rng.randrange(25, 70)
        top = rng.randrange(100, floor - 30)
        color = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, top - w, x + w, top), fill=color)
        draw.rectangle((x, top, x + w, floor + rng.randrange(0, 80)), fill=color)
    return image.filter(ImageFilter.GaussianBlur(1.0))


def _xlsx(dok: Dok, n: int, path: Path) -> None:
    assert dok.date is not None
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rekap"
    sheet.append(["REKAPITULASI PENYAMPAIAN E-LHKPN " + SATKER])
    sheet.append([f"Per tanggal {tanggal(dok.date)}"])
    sheet.append(["No", "Nama", "Jabatan", "Status pelaporan LHKPN kepada KPK"])
    for i, jabatan in enumerate(["KPA", "PPK", "PPSMP", "Bendahara"], 1):
        sheet.append([i, f"Pegawai {i}", jabatan, "Sudah melaporkan"])
    workbook.create_sheet("Catatan").append(["Bukti pelaporan LHKPN terlampir."])
    workbook.save(str(path))


def labels() -> list[Dok]:
    """The documents of the set and their labels (no files yet)."""
    docs: list[Dok] = []
    months = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11]
    for i, code in enumerate(CODES):
        in_year = dt.date(TAHUN, months[i], 3 + i)
        # one in three of the PDFs and scans is from a wrong year
        wrong = dt.date(TAHUN - 1 - (i % 3) * 2, months[(i + 4) % 10], 10 + i)
        docs += [
            Dok(f"pdf-{i:02d}.pdf", "pdf", code, in_year if i % 3 else wrong, 1),
            Dok(f"pdf2-{i:02d}.pdf", "pdf2", code, in_year.replace(day=20), 2),
            Dok(f"docx-{i:02d}.docx", "docx", code, wrong if i % 4 == 1 else in_year, 1),
            Dok(f"scan-{i:02d}.png", "png", code, wrong if i % 3 == 2 else in_year, 1),
        ]
    docs += [
        Dok("lhkpn-01.xlsx", "xlsx", "A.II.5.iii.a", dt.date(TAHUN, 3, 28), 1),
        Dok("lhkpn-02.xlsx", "xlsx", "A.II.5.iii.a", dt.date(TAHUN - 1, 12, 30), 1),
    ]
    # dates written as a month and year only, or only in the letter number
    docs += [
        Dok("bulan-00.pdf", "pdf", CODES[1], dt.date(TAHUN, 6, 1), 1, variant="bulan"),
        Dok("bulan-01.pdf", "pdf", CODES[3], dt.date(TAHUN - 1, 9, 1), 1, variant="bulan"),
        Dok("bulan-02.pdf", "pdf", CODES[7], dt.date(TAHUN, 12, 1), 1, variant="bulan"),
        Dok("nomor-00.docx", "docx", CODES[0], dt.date(TAHUN, 1, 1), 1, variant="nomor"),
        Dok("nomor-01.docx", "docx", CODES[2], dt.date(TAHUN - 2, 1, 1), 1, variant="nomor"),
        Dok("nomor-02.docx", "docx", CODES[9], dt.date(TAHUN, 1, 1), 1, variant="nomor"),
    ]
    # the held-out part (TOPICS_UJI)
    for i, code in enumerate(CODES):
        value = dt.date(TAHUN - (1 if i % 4 == 3 else 0), 1 + (i * 5) % 12, 2 + i * 2)
        kind = ("pdf", "docx", "png")[i % 3]
        ext = {"pdf": "pdf", "docx": "docx", "png": "png"}[kind]
        variant = ("tanggal", "angka", "tanggal", "bulan")[i % 4]
        docs.append(Dok(f"uji-{i:02d}.{ext}", kind, code, value, 1, variant=variant, uji=True))
    # photos (no text, no date): distinct pictures, two of them re-encoded below
    docs += [Dok(f"foto-{k}.png", "photo", None, None, None) for k in range(8)]
    # duplicates: exact copies elsewhere (another unit / question) and near-identical images
    by_name = {d.name: d for d in docs}
    copies = [
        ("pdf-01.pdf", "copy-pdf-01.pdf", "biro-hp"),
        ("docx-02.docx", "copy-docx-02.docx", "rutan-kupang"),
        ("scan-03.png", "copy-scan-03.png", "pusat-tik"),
        ("pdf2-05.pdf", "copy-pdf2-05.pdf", "rutan-kupang"),
        ("foto-2.png", "copy-foto-2.png", "rutan-kupang"),
        ("foto-3.png", "copy-foto-3.png", "bkkbn-sumsel"),
    ]
    near = [
        ("scan-04.png", "near-scan-04.jpg"),
        ("scan-07.png", "near-scan-07.jpg"),
        ("foto-0.png", "near-foto-0.jpg"),
        ("foto-1.png", "near-foto-1.jpg"),
        ("scan-08.png", "scan-08-as.pdf"),
        ("scan-09.png", "scan-09-as.pdf"),
    ]
    near += [("uji-02.png", "uji-rescan-02.png"), ("foto-5.png", "uji-near-foto-5.jpg")]
    for source, name, unit in copies:
        original = by_name[source]
        original.group = source
        docs.append(
            Dok(name, original.kind, original.fits, original.date, original.page, source, unit)
        )
    for source, name in near:
        original = by_name[source]
        original.group = source
        kind = "scanpdf" if name.endswith(".pdf") else "jpg"
        if "rescan" in name:
            kind = "rescan"
        docs.append(
            Dok(
                name,
                kind,
                original.fits,
                original.date,
                original.page,
                source,
                variant=original.variant,
                uji=name.startswith("uji-"),
            )
        )
    return docs


def build(folder: Path) -> list[Dok]:
    """Write every document of `labels()` under `folder`; returns them with their paths."""
    docs = labels()
    by_name = {d.name: d for d in docs}
    scans: dict[str, Image.Image] = {}
    for n, dok in enumerate(docs):
        dok.path = folder / dok.name
        if dok.name.startswith("copy-"):
            continue
        if dok.kind in {"pdf", "pdf2"}:
            _pdf(dok, n, dok.path)
        elif dok.kind == "docx":
            _docx(dok, n, dok.path)
        elif dok.kind == "xlsx":
            _xlsx(dok, n, dok.path)
        elif dok.kind == "png":
            scans[dok.name] = _scan(dok, n)
            scans[dok.name].save(dok.path, format="PNG")
        elif dok.kind == "photo":
            scans[dok.name] = _photo(int(dok.name.split("-")[1].split(".")[0]))
            scans[dok.name].save(dok.path, format="PNG")
    for dok in docs:
        assert dok.path is not None
        if dok.name.startswith("copy-"):
            assert dok.group is not None
            source = by_name[dok.group].path
            assert source is not None
            shutil.copyfile(source, dok.path)
        elif dok.kind == "jpg":
            assert dok.group is not None
            original = scans[dok.group]
            w, h = original.size
            resized = original.convert("RGB").resize((int(w * 0.9), int(h * 0.9)))
            buffer = io.BytesIO()
            resized.save(buffer, format="JPEG", quality=70)
            dok.path.write_bytes(buffer.getvalue())
        elif dok.kind == "rescan":
            assert dok.group is not None
            scanned = by_name[dok.group]  # the same page through the scanner again
            page = _scan(scanned, docs.index(scanned), seed=900 + docs.index(dok))
            page.save(dok.path, format="PNG")
        elif dok.kind == "scanpdf":
            assert dok.group is not None
            scans[dok.group].convert("RGB").save(dok.path, format="PDF", resolution=200)
    return docs
