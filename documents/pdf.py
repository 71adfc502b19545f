"""The rencana kerja document as PDF (WeasyPrint), in the shape of seeds 000 and 001.

Cover, kata pengantar, daftar isi (page numbers via CSS `target-counter`), BAB I
Pendahuluan, BAB II with Tabel 1 (A4 landscape, one group per area, hasil rows last),
BAB III Penutup and the signature block of seed 002, which leaves a blank box for the
visible electronic signature (`documents.signing.SIGNATURE_ANCHOR`).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from documents.signing import (
    SIGNATURE_ANCHOR,
    STAMP_HEIGHT_PT,
    STAMP_WIDTH_PT,
    signature_anchor,
)
from evidence.models import RencanaAksi, RencanaKerja, RencanaKinerjaTahunan
from lke.models import Area, Komponen
from zi_portal.lib.dates import BULAN, tanggal_indonesia

# WeasyPrint reports every layout step at INFO; keep the portal's log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

JUDUL_BAWAAN = (
    "RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS MENUJU WILAYAH BEBAS DARI KORUPSI (WBK) "
    "DAN WILAYAH BIROKRASI BERSIH DAN MELAYANI (WBBM)"
)
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def format_bobot(value: Decimal) -> str:
    """`1,5`, `0,25`, `17,5`, `8`: the weight as printed in seed 000's Tabel 1."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def romawi(number: int) -> str:
    return ROMAWI[number - 1] if 1 <= number <= len(ROMAWI) else str(number)


def jadwal_teks(ra: RencanaAksi, tahun: int) -> str:
    """The printed Rencana Pelaksanaan, or one made from the planned months."""
    if ra.jadwal.strip():
        return ra.jadwal.strip()
    if ra.bulan_mulai and ra.bulan_selesai and ra.bulan_mulai != ra.bulan_selesai:
        return f"{BULAN[ra.bulan_mulai - 1]}–{BULAN[ra.bulan_selesai - 1]} {tahun}"
    month = ra.bulan_mulai or ra.bulan_selesai
    return f"{BULAN[month - 1]} {tahun}" if month else ""


# ---------------------------------------------------------------------------------------
# Plain text to print HTML

_PENANDA = re.compile(
    r"^(?P<indent>\s*)(?P<penanda>(?:\d{1,2}|[a-zA-Z]|[ivx]{2,4})[.)]|[-•–])\s+(?P<isi>\S.*)$"
)
_SUBJUDUL = re.compile(r"^(?:[IVX]{1,4}|[A-Z])\.\s+\S")


def teks_html(text: str, *, subjudul: bool = False) -> SafeString:
    """Paragraphs (blank-line separated) and enumerations (`1.`, `a.`, `1)`, `-`) as HTML.

    With `subjudul`, a paragraph that is one short line numbered `I.` or `A.` becomes a
    sub-heading (BAB II's narrative prints its headings that way).
    """
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        first = lines[0].strip()
        if (
            subjudul
            and len(lines) == 1
            and _SUBJUDUL.match(first)
            and len(first) <= 90
            and not first.endswith((".", ",", ";", ":"))
        ):
            out.append(f'<h3 class="subjudul">{escape(first)}</h3>')
            continue
        out.extend(_blok_html(lines))
    return mark_safe("\n".join(out))  # noqa: S308 - every piece of text is escaped


def _blok_html(lines: list[str]) -> list[str]:
    """One paragraph block: plain lines form a paragraph, numbered lines list items."""
    out: list[str] = []
    paragraph: list[str] = []
    item: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f'<p class="alinea">{"<br>".join(paragraph)}</p>')
        if item:
            out.append("".join(item) + "</span></div>")
        paragraph.clear()
        item.clear()

    for line in lines:
        match = _PENANDA.match(line)
        if match:
            flush()
            level = min(1 + len(match["indent"].expandtabs(4)) // 2, 3)
            item.append(
                f'<div class="butir tingkat-{level}"><span class="penanda">'
                f'{escape(match["penanda"])}</span><span class="isi">{escape(match["isi"])}'
            )
        elif item:
            item.append(f"<br>{escape(line.strip())}")
        else:
            paragraph.append(str(escape(line.strip())))
    flush()
    return out


# ---------------------------------------------------------------------------------------
# Tabel 1


@dataclass
class Baris:
    ra: RencanaAksi
    jadwal: str
    penanggung_jawab: str
    status: str
    sasaran_rowspan: int = 1  # 0: merged into the cell above


@dataclass
class KelompokIndikator:
    nomor: int
    nama: str
    bobot: str
    keterangan: str
    baris: list[Baris] = field(default_factory=list)


@dataclass
class KelompokArea:
    anchor: str
    nomor: str
    nama: str
    bobot: str
    indikator: list[KelompokIndikator] = field(default_factory=list)


@dataclass
class KelompokKomponen:
    anchor: str
    nomor: str
    nama: str
    bobot: str
    area: list[KelompokArea] = field(default_factory=list)


def _merge_sasaran(baris: list[Baris]) -> None:
    start = 0
    for index in range(1, len(baris) + 1):
        same = (
            index < len(baris)
            and baris[index].ra.sasaran.strip()
            and baris[index].ra.sasaran.strip() == baris[start].ra.sasaran.strip()
        )
        if not same:
            baris[start].sasaran_rowspan = index - start
            for merged in baris[start + 1 : index]:
                merged.sasaran_rowspan = 0
            start = index


def _penanggung_jawab(ra: RencanaAksi) -> str:
    if ra.penanggung_jawab.strip():
        return ra.penanggung_jawab.strip()
    user = ra.penanggung_jawab_user
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def tabel_rencana_aksi(rk: RencanaKerja) -> list[KelompokKomponen]:
    """Tabel 1 grouped komponen → area (by area number) → indikator → rows."""
    penilaian = rk.penilaian
    model = penilaian.model
    tahun = penilaian.tahun
    rows = list(
        RencanaAksi.objects.filter(penilaian=penilaian)
        .select_related(
            "indikator__area__bagian",
            "hasil_item__bagian",
            "penanggung_jawab_user",
        )
        .order_by("urutan", "id")
    )

    def baris(ra: RencanaAksi) -> Baris:
        return Baris(
            ra=ra,
            jadwal=jadwal_teks(ra, tahun),
            penanggung_jawab=_penanggung_jawab(ra),
            status=ra.get_status_display(),
        )

    komponen = list(Komponen.objects.filter(model=model).order_by("urutan", "id"))
    areas = list(
        Area.objects.filter(model=model)
        .select_related("bagian", "komponen")
        .order_by("nomor", "bagian__urutan", "urutan", "id")
    )
    pengungkit_ids = {a.komponen_id for a in areas}
    result: list[KelompokKomponen] = []
    for komp in komponen:
        group = KelompokKomponen(
            anchor=f"komponen-{komp.kode.lower()}",
            nomor=komp.kode,
            nama=f"KOMPONEN {komp.nama.upper()}",
            bobot=format_bobot(komp.bobot),
        )
        if komp.pk in pengungkit_ids:
            by_nomor: dict[int, list[Area]] = {}
            for area in areas:
                if area.komponen_id == komp.pk:
                    by_nomor.setdefault(area.nomor, []).append(area)
            for nomor, same in sorted(by_nomor.items()):
                group.area.append(
                    KelompokArea(
                        anchor=f"area-{nomor}",
                        nomor=romawi(nomor),
                        nama=same[0].nama.upper(),
                        bobot=format_bobot(sum((a.bobot for a in same), Decimal(0))),
                        indikator=_indikator_groups(
                            [r for r in rows if r.indikator and r.indikator.area.nomor == nomor],
                            baris,
                        ),
                    )
                )
        else:
            hasil_rows = [
                r
                for r in rows
                if r.hasil_item is not None and r.hasil_item.bagian.komponen_id == komp.pk
            ]
            group.area.append(
                KelompokArea(
                    anchor=f"hasil-{komp.kode.lower()}",
                    nomor="",
                    nama="",
                    bobot="",
                    indikator=_indikator_groups(hasil_rows, baris),
                )
            )
        result.append(group)
    return result


def _indikator_groups(
    rows: Iterable[RencanaAksi], make: Callable[[RencanaAksi], Baris]
) -> list[KelompokIndikator]:
    def key(ra: RencanaAksi) -> tuple[int, int, int, int, int]:
        if ra.indikator is not None:
            area = ra.indikator.area
            bagian = area.bagian.urutan if area.bagian else 0
            return (bagian, area.urutan, ra.indikator.urutan, ra.indikator.pk, 0)
        assert ra.hasil_item is not None
        item = ra.hasil_item
        return (item.bagian.urutan, 0, item.urutan, item.pk, 0)

    groups: dict[tuple[int, int, int, int, int], KelompokIndikator] = {}
    for ra in sorted(rows, key=key):  # stable: rows keep their order inside an indikator
        k = key(ra)
        if k not in groups:
            if ra.indikator is not None:
                ind = ra.indikator
                bagian = ind.area.bagian
                keterangan = f"{bagian.nama.title()} · {ind.kode}" if bagian else ind.kode
                nama, bobot = ind.nama, ind.bobot
            else:
                assert ra.hasil_item is not None
                item = ra.hasil_item
                keterangan = f"{item.bagian.nama.title()} · {item.kode}"
                nama, bobot = item.nama, item.bobot
            groups[k] = KelompokIndikator(
                nomor=len(groups) + 1, nama=nama, bobot=format_bobot(bobot), keterangan=keterangan
            )
        groups[k].baris.append(make(ra))
    for group in groups.values():
        _merge_sasaran(group.baris)
    return list(groups.values())


# ---------------------------------------------------------------------------------------
# Signers


@dataclass(frozen=True)
class Penandatangan:
    """One signer of the rencana kerja, in signing order (index 0 signs first)."""

    index: int
    keterangan: str  # the line above the jabatan, e.g. "Menyetujui,"
    jabatan: str
    nama: str
    nip: str

    @property
    def anchor(self) -> str:
        return signature_anchor(self.index)


def rencana_kerja_penandatangan(rk: RencanaKerja, *, fallback: str = "") -> list[Penandatangan]:
    """The ordered signers: the unit's own (penandatangan_*, who proposes) first, then
    `penandatangan_lain` (who approves, seed 002's "Menyetujui, Sekretaris Jenderal")."""
    first_name = rk.penandatangan_nama.strip() or fallback
    result = [
        Penandatangan(
            index=0,
            keterangan="",
            jabatan=rk.penandatangan_jabatan.strip(),
            nama=first_name,
            nip=rk.penandatangan_nip.strip(),
        )
    ]
    for item in rk.penandatangan_lain or []:
        if not isinstance(item, dict) or not str(item.get("nama", "")).strip():
            continue
        result.append(
            Penandatangan(
                index=len(result),
                keterangan=str(item.get("keterangan", "")).strip(),
                jabatan=str(item.get("jabatan", "")).strip(),
                nama=str(item.get("nama", "")).strip(),
                nip=str(item.get("nip", "")).strip(),
            )
        )
    return result


# ---------------------------------------------------------------------------------------
# Document


def _judul(rk: RencanaKerja) -> tuple[str, str]:
    """(document kind, title) for the cover."""
    judul = " ".join(rk.judul.split()).upper() or JUDUL_BAWAAN
    if "RENCANA KERJA" in judul:
        return "", judul
    return "RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS", judul


def rencana_kerja_context(
    rk: RencanaKerja,
    *,
    tanggal: dt.date | None = None,
    verification_url: str = "",
    penandatangan: list[Penandatangan] | None = None,
) -> dict[str, object]:
    penilaian = rk.penilaian
    unit = penilaian.unit
    jenis, judul = _judul(rk)
    tanggal = tanggal or rk.tanggal
    kota = rk.kota.strip() or unit.kota.strip()
    signers = penandatangan or rencana_kerja_penandatangan(rk)
    return {
        "rk": rk,
        "unit": unit,
        "instansi": unit.instansi,
        "tahun": penilaian.tahun,
        "jenis": jenis,
        "judul": judul,
        "kata_pengantar": teks_html(rk.kata_pengantar),
        "latar_belakang": teks_html(rk.latar_belakang),
        "maksud_tujuan": teks_html(rk.maksud_tujuan),
        "pengertian_umum": teks_html(rk.pengertian_umum),
        "rencana_aksi_pengantar": teks_html(rk.rencana_aksi_pengantar, subjudul=True),
        "penutup": teks_html(rk.penutup),
        "tempat_tanggal": ", ".join(
            part for part in (kota, tanggal_indonesia(tanggal) if tanggal else "") if part
        ),
        "tanggal_kosong": tanggal is None,
        "komponen": tabel_rencana_aksi(rk),
        "signature_anchor": SIGNATURE_ANCHOR,
        # seed 002: the unit's signer (who proposes) on the right under the date line,
        # the approvers ("Menyetujui,") to its left, each over its own blank box.
        "penandatangan_utama": signers[0],
        "penyetuju": list(reversed(signers[1:])),
        "stamp_width": f"{STAMP_WIDTH_PT}pt",
        "stamp_height": f"{STAMP_HEIGHT_PT}pt",
        "verification_url": verification_url,
        "generator": "ZI Portal",
    }


def rencana_kerja_html(
    rk: RencanaKerja,
    *,
    tanggal: dt.date | None = None,
    verification_url: str = "",
    penandatangan: list[Penandatangan] | None = None,
) -> str:
    """The print HTML of the document (its CSS is inlined from the template)."""
    return render_to_string(
        "documents/pdf/rencana_kerja.html",
        rencana_kerja_context(
            rk, tanggal=tanggal, verification_url=verification_url, penandatangan=penandatangan
        ),
    )


def rencana_kerja_pdf(
    rk: RencanaKerja,
    *,
    tanggal: dt.date | None = None,
    verification_url: str = "",
    penandatangan: list[Penandatangan] | None = None,
) -> bytes:
    """Render the document to PDF bytes.

    `tanggal` overrides the signing date printed in the signature block (the approval
    date when the document has none); `verification_url` prints the link to the public
    verification page under the signature.
    """
    html = rencana_kerja_html(
        rk, tanggal=tanggal, verification_url=verification_url, penandatangan=penandatangan
    )
    return html_pdf(html)


# Every PDF the portal makes is archival (PDF/A-3b: fonts embedded, sRGB output intent,
# XMP metadata) and tagged (a structure tree for screen readers and reflow). PDF/A-3 and
# not -2: a later document may carry its sources (a CSV, the LKE workbook) as attachments.
PDF_OPTIONS: dict[str, object] = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


def html_pdf(html: str) -> bytes:
    """Render print HTML (templates/documents/pdf/) to an archival, tagged PDF."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**PDF_OPTIONS)
    return without_object_streams(pdf)


def without_object_streams(pdf: bytes) -> bytes:
    """The same PDF with every object written on its own (content streams stay compressed).

    A tagged PDF holds thousands of structure elements, which WeasyPrint packs into object
    streams. pyHanko reads an object of an earlier revision by parsing its object stream
    from the start, for every object, when it checks what changed after a signature: the
    verification of the demo's 38-page rencana kerja with two signatures took 70 s. Written
    without object streams the same check takes about 1 s; the file grows (268 KB to 961 KB).
    """
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(
            out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=True
        )
    return out.getvalue()


# -- Rencana Kinerja Tahunan (seed 002) --------------------------------------------------

# The second signer's box (the Sekretaris Jenderal's *Menyetujui*); the first signer
# (the Kepala Biro) signs in SIGNATURE_ANCHOR, where the single-signer stamp goes.
RKT_ANCHOR_PENYETUJU = signature_anchor(1)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def rkt_context(
    rkt: RencanaKinerjaTahunan, *, verification_url: str = "", draf: bool = False
) -> dict[str, object]:
    from evidence.models import SasaranKegiatan

    sasaran = [
        {"obj": s, "daftar": list(s.indikator.all())}
        for s in SasaranKegiatan.objects.filter(rkt=rkt)
        .prefetch_related("indikator")
        .order_by("urutan", "id")
    ]
    judul = _lines(rkt.judul) or [
        "RENCANA KINERJA TAHUNAN",
        rkt.unit.nama.upper(),
        f"TAHUN {rkt.tahun}",
    ]
    kota = rkt.kota.strip() or rkt.unit.kota.strip()
    return {
        "rkt": rkt,
        "unit": rkt.unit,
        "kop": _lines(rkt.kop) or [rkt.unit.instansi.nama.upper()],
        "judul": judul,
        "judul_satu_baris": " ".join(judul),
        "sasaran": sasaran,
        "tempat_tanggal": ", ".join(
            p
            for p in (
                kota,
                tanggal_indonesia(rkt.tanggal)
                if rkt.tanggal
                else f".................... {rkt.tahun}",
            )
            if p
        ),
        "anchor_penandatangan": SIGNATURE_ANCHOR,
        "anchor_penyetuju": RKT_ANCHOR_PENYETUJU,
        "stamp_width": f"{STAMP_WIDTH_PT}pt",
        "stamp_height": f"{STAMP_HEIGHT_PT}pt",
        "verification_url": verification_url,
        "draf": draf,
        "generator": "ZI Portal",
    }


def rkt_pdf(rkt: RencanaKinerjaTahunan, *, verification_url: str = "", draf: bool = False) -> bytes:
    """The RKT in seed 002's layout as PDF bytes, with a blank box for each of its two
    signers (Kepala Biro: SIGNATURE_ANCHOR; Sekretaris Jenderal: RKT_ANCHOR_PENYETUJU)."""
    html = render_to_string(
        "documents/pdf/rkt.html", rkt_context(rkt, verification_url=verification_url, draf=draf)
    )
    return html_pdf(html)
