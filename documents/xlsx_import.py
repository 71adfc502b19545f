"""Import a filled LKE worksheet (the portal's own export) into one answer set.

The import reads the ``LKE`` sheet's ``Kode`` column and the ``Jawaban Mandiri``,
``Jawaban TPI`` or ``Jawaban TPN`` column (with its ``Catatan`` column when present), checks
every row first and reports every problem with its row number, then writes all changed
answers in one transaction through the answer services (history included), or nothing.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from documents.xlsx_export import LKE_SHEET, PROP_MODEL, PROP_PENILAIAN, SET_LABEL, VERSI_SHEET
from lke.models import (
    Area,
    Bagian,
    HasilItem,
    Indikator,
    InputNumerik,
    Komponen,
    Penilaian,
    Pertanyaan,
    StatusPenilaian,
)
from scoring.models import Jawaban, JawabanHasil, SetJawaban
from scoring.services import (
    MAX_ANGKA,
    JawabanTidakValid,
    jawaban_hasil_save,
    jawaban_save,
)
from scoring.workflow import catatan_refusal, returned_questions, tpn_refusal
from units.access import UnitAccess
from zi_portal.lib.dates import tanggal_indonesia

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 150 * 1024 * 1024  # a worksheet that inflates beyond this is refused
MAX_ROWS = 5000
MAX_CATATAN = 5000
HEADER_SEARCH_ROWS = 30


class Readable(Protocol):
    """A file-like source: an open file, ``io.BytesIO``, or Django's ``UploadedFile``."""

    def read(self, size: int = ..., /) -> bytes: ...


class ImportGagal(Exception):
    """The file cannot be imported; ``errors`` lists every problem, in the active language."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    jawaban: int  # question answers changed
    hasil: int  # hasil inputs changed
    baris: int  # worksheet rows with a code

    @property
    def changed(self) -> int:
        """Answers changed in all (questions and hasil)."""
        return self.jawaban + self.hasil


@dataclass
class _Planned:
    """What the file says for one question or hasil item of the chosen set."""

    row: int
    opsi: str | None = None  # option questions and capaian
    nilai: Decimal | None = None  # indeks / tlhp
    angka: dict[str, str | None] = field(default_factory=dict)  # input code -> number
    catatan: str | None = None  # None: the file has no catatan column


def _read(data: bytes | Readable) -> bytes:
    too_large = _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": MAX_BYTES // (1024 * 1024)}
    if isinstance(data, bytes | bytearray):
        raw = bytes(data)
    else:
        size = getattr(data, "size", None)
        if isinstance(size, int) and size > MAX_BYTES:
            raise ImportGagal([too_large])
        seek = getattr(data, "seek", None)
        if callable(seek):
            seek(0)
        raw = data.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportGagal([too_large])
    return raw


# A workbook never declares a DTD; refusing one rules out entity expansion and external
# entities whatever XML parser openpyxl ends up using.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
        return False
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            block = tail + chunk.lower()
            if any(marker in block for marker in _DTD_MARKERS):
                return True
            tail = block[-32:]
    return False


def _open(raw: bytes) -> Any:
    not_xlsx = ImportGagal(
        [
            _(
                "Berkas bukan lembar kerja Excel (.xlsx). Simpan sebagai “Excel Workbook (.xlsx)” "
                "lalu unggah lagi."
            )
        ]
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if "xl/workbook.xml" not in {m.filename for m in members}:
                raise not_xlsx
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise ImportGagal([_("Isi berkas terlalu besar untuk sebuah LKE.")])
            if any(_has_dtd(archive, m) for m in members):
                raise ImportGagal(
                    [
                        _(
                            "Berkas ditolak: berisi deklarasi DTD yang tidak dipakai lembar "
                            "kerja Excel."
                        )
                    ]
                )
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise not_xlsx from None
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors for a damaged file
        raise not_xlsx from None


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _decimal(value: object) -> Decimal | None:
    """A number from a cell: Excel numbers, or text with a decimal comma or point."""
    if isinstance(value, bool | datetime.date | datetime.time):
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


@dataclass
class _Model:
    code: str
    pertanyaan: dict[str, Pertanyaan]
    inputs: dict[str, InputNumerik]
    hasil: dict[str, HasilItem]
    nodes: set[str]


def _model(penilaian: Penilaian) -> _Model:
    model = penilaian.model
    nodes = {"total"}
    nodes.update(Komponen.objects.filter(model=model).values_list("kode", flat=True))
    nodes.update(Bagian.objects.filter(model=model).values_list("kode", flat=True))
    nodes.update(Area.objects.filter(model=model).values_list("kode", flat=True))
    nodes.update(Indikator.objects.filter(model=model).values_list("kode", flat=True))
    return _Model(
        code=model.kode,
        pertanyaan={
            q.kode: q
            for q in Pertanyaan.objects.filter(model=model)
            .select_related("indikator__area")
            .prefetch_related("input")
        },
        inputs={
            n.kode: n
            for n in InputNumerik.objects.filter(model=model).select_related(
                "pertanyaan__indikator__area"
            )
        },
        hasil={h.kode: h for h in HasilItem.objects.filter(model=model)},
        nodes=nodes,
    )


def _check_origin(wb: Any, penilaian: Penilaian) -> list[str]:
    props = {p.name: getattr(p, "value", None) for p in (wb.custom_doc_props or [])}
    model, origin = props.get(PROP_MODEL), props.get(PROP_PENILAIAN)
    if model and model != penilaian.model.kode:
        return [
            _(
                "Berkas ini adalah LKE model %(model_berkas)s, sedangkan penilaian ini memakai "
                "model %(model)s."
            )
            % {"model_berkas": model, "model": penilaian.model.kode}
        ]
    if origin and origin != str(penilaian.code):
        # Another unit's name is not revealed: the user may have no access to it.
        return [
            _(
                "Berkas ini diekspor dari penilaian lain, bukan dari LKE %(unit)s tahun "
                "%(tahun)s. Ekspor LKE penilaian ini lalu isi berkas tersebut."
            )
            % {"unit": penilaian.unit.nama, "tahun": penilaian.tahun}
        ]
    return []


def _versions(wb: Any) -> dict[tuple[str, str, str], str] | None:
    """The answer versions the workbook was exported with (None: an older workbook)."""
    if VERSI_SHEET not in wb.sheetnames:
        return None
    found: dict[tuple[str, str, str], str] = {}
    for n, cells in enumerate(wb[VERSI_SHEET].iter_rows(values_only=True)):
        if n == 0 or len(cells) < 4 or cells[0] is None:
            continue
        found[(str(cells[0]), str(cells[1]), str(cells[2]))] = str(cells[3])
    return found


def _who_when(user: Any, when: datetime.datetime) -> str:
    name = "" if user is None else (user.get_full_name() or user.get_username())
    local = timezone.localtime(when)
    return _("diubah oleh %(user)s pada %(tanggal)s pukul %(jam)s") % {
        "user": name or _("sistem"),
        "tanggal": tanggal_indonesia(local.date()),
        "jam": local.strftime("%H.%M"),
    }


def _where(row: int, code: str) -> str:
    """How an error names its worksheet row: "Baris 12 (A.I.1.a)"."""
    return _("Baris %(baris)d (%(kode)s)") % {"baris": row, "kode": code}


def _find_header(ws: Any) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS), start=1):
        names = {_norm(c.value): i for i, c in enumerate(row) if _norm(getattr(c, "value", None))}
        if "kode" in names:
            return index, names
    return None


def _parse(
    ws: Any, header_row: int, columns: dict[str, int], by: str, model: _Model
) -> tuple[dict[str, _Planned], dict[str, _Planned], int, list[str]]:
    """Check every row; return planned answers per question and per hasil item."""
    errors: list[str] = []
    answer_col = columns[f"jawaban {SET_LABEL[by].casefold()}"]
    catatan_col = columns.get(f"catatan {SET_LABEL[by].casefold()}")
    kode_col = columns["kode"]
    answer_header = f"Jawaban {SET_LABEL[by]}"
    questions: dict[str, _Planned] = {}
    hasil: dict[str, _Planned] = {}
    seen: dict[str, int] = {}
    totals: dict[str, tuple[int, object]] = {}  # derived input -> (row, typed value)
    count = 0

    def cell_at(cells: tuple[Any, ...], col: int | None) -> Any:
        return cells[col] if col is not None and col < len(cells) else None

    for offset, cells in enumerate(ws.iter_rows(min_row=header_row + 1)):
        r = header_row + 1 + offset
        if offset >= MAX_ROWS:
            errors.append(
                _("Lembar “%(lembar)s” terlalu panjang (lebih dari %(n)d baris).")
                % {"lembar": LKE_SHEET, "n": MAX_ROWS}
            )
            break
        code = _text(getattr(cell_at(cells, kode_col), "value", None))
        answer = cell_at(cells, answer_col)
        value = getattr(answer, "value", None)
        formula = _is_formula(answer)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if not code:
            if not blank and not formula:
                errors.append(
                    _("Baris %(baris)d: ada jawaban tetapi kolom Kode kosong.") % {"baris": r}
                )
            continue
        count += 1
        where = _where(r, code)
        if code in seen:
            errors.append(
                _("%(where)s: kode ini sudah ada di baris %(baris)d.")
                % {"where": where, "baris": seen[code]}
            )
            continue
        seen[code] = r
        catatan: str | None = None
        if catatan_col is not None:
            raw = getattr(cell_at(cells, catatan_col), "value", None)
            catatan = _text(raw) if raw is not None else ""
            if len(catatan) > MAX_CATATAN:
                errors.append(
                    _("%(where)s: catatan terlalu panjang (maksimal 5.000 karakter).")
                    % {"where": where}
                )
        text = "" if blank else _text(value)

        if code in model.pertanyaan:
            q = model.pertanyaan[code]
            plan = questions.setdefault(code, _Planned(row=r))
            plan.row, plan.catatan = r, catatan
            if q.jenis == "persen":
                # Computed from the input rows below it; the cell holds the formula.
                if not blank and not formula:
                    errors.append(
                        _(
                            "%(where)s: nilai pertanyaan ini dihitung dari isian jumlah di "
                            "bawahnya; kosongkan kolom %(kolom)s pada baris ini."
                        )
                        % {"where": where, "kolom": answer_header}
                    )
                continue
            if formula:
                errors.append(
                    _("%(where)s: berisi rumus; isi dengan pilihan jawaban.") % {"where": where}
                )
                continue
            match = {p.casefold(): p for p in q.pilihan}
            if text and text.casefold() not in match:
                errors.append(
                    _("%(where)s: “%(isi)s” bukan pilihan jawaban (%(pilihan)s).")
                    % {"where": where, "isi": text, "pilihan": "/".join(q.pilihan)}
                )
                continue
            plan.opsi = match.get(text.casefold(), "")
        elif _derived(model, code):
            totals[code] = (r, None if blank or formula else value)
        elif code in model.inputs:
            n = model.inputs[code]
            plan = questions.setdefault(n.pertanyaan.kode, _Planned(row=r))
            if formula:
                errors.append(_("%(where)s: berisi rumus; isi dengan angka.") % {"where": where})
                continue
            if blank:
                plan.angka[code] = None
                continue
            number = _decimal(value)
            if number is None:
                errors.append(
                    _("%(where)s: “%(isi)s” bukan angka.") % {"where": where, "isi": text}
                )
            elif number < 0:
                errors.append(_("%(where)s: jumlah tidak boleh negatif.") % {"where": where})
            elif number > MAX_ANGKA:
                errors.append(
                    _("%(where)s: angka terlalu besar (maksimal 1.000.000.000).") % {"where": where}
                )
            elif number != number.to_integral_value():
                errors.append(
                    _("%(where)s: “%(isi)s” harus bilangan bulat (jumlah).")
                    % {"where": where, "isi": text}
                )
            else:
                plan.angka[code] = str(number.quantize(Decimal(1)))
        elif code in model.hasil:
            h = model.hasil[code]
            plan = hasil.setdefault(code, _Planned(row=r, catatan=catatan))
            if formula:
                errors.append(_("%(where)s: berisi rumus; isi dengan nilai.") % {"where": where})
            elif h.jenis == "capaian":
                if text and text.upper() not in {"A", "B", "C", "D", "E"}:
                    errors.append(
                        _("%(where)s: “%(isi)s” bukan pilihan jawaban (A/B/C/D/E).")
                        % {"where": where, "isi": text}
                    )
                else:
                    plan.opsi = text.upper()
            elif not blank:
                limit = Decimal(4) if h.jenis == "indeks" else Decimal(100)
                number = _decimal(value)
                if number is None:
                    errors.append(
                        _("%(where)s: “%(isi)s” bukan angka.") % {"where": where, "isi": text}
                    )
                elif not Decimal(0) <= number <= limit:
                    errors.append(
                        _("%(where)s: nilai harus antara 0 dan %(batas)s.")
                        % {"where": where, "batas": limit}
                    )
                elif number.as_tuple().exponent < -4:  # type: ignore[operator]
                    errors.append(_("%(where)s: maksimal empat angka desimal.") % {"where": where})
                else:
                    plan.nilai = number
        elif code in model.nodes:
            if not blank and not formula:
                errors.append(
                    _("%(where)s: baris ini tidak diisi jawaban; kosongkan kolom %(kolom)s.")
                    % {"where": where, "kolom": answer_header}
                )
        else:
            errors.append(
                _("%(where)s: kode tidak dikenal dalam model %(model)s.")
                % {"where": where, "model": model.code}
            )
    errors += _check_totals(totals, questions, model)
    return questions, hasil, count, errors


def _derived(model: _Model, code: str) -> bool:
    return code in model.inputs and bool(model.inputs[code].turunan_dari)


def _check_totals(
    totals: dict[str, tuple[int, object]], questions: dict[str, _Planned], model: _Model
) -> list[str]:
    """A derived total (5.iii "Jumlah yang harus melaporkan", domain.md Scoring rule 8) is
    the sum of its rows: a typed value that differs is refused with its row number. The
    total itself is never stored (the formula of the exported workbook passes)."""
    errors: list[str] = []
    for code, (row, value) in totals.items():
        if value is None:
            continue
        n = model.inputs[code]
        angka = questions.get(n.pertanyaan.kode, _Planned(row=row)).angka
        parts = sum((Decimal(angka.get(c) or 0) for c in n.turunan_dari), Decimal(0))
        typed = _decimal(value)
        if typed != parts:
            errors.append(
                _(
                    "%(where)s: %(label)s dihitung dari baris di bawahnya (%(jumlah)s), tetapi "
                    "berisi %(isi)s. Kosongkan baris ini atau perbaiki rinciannya."
                )
                % {
                    "where": _where(row, code),
                    "label": n.teks,
                    "jumlah": parts,
                    "isi": _text(value),
                }
            )
    return errors


def lke_import(
    penilaian: Penilaian,
    data: bytes | Readable,
    *,
    by: str,
    user: Any,
    allowed_areas: Collection[int] | None = None,
    access: UnitAccess | None = None,
) -> ImportResult:
    """Import one answer set from a filled LKE worksheet; all rows or none.

    ``by`` is ``mandiri``, ``tpi`` or ``tpn`` (the TPN's result: only once the penilaian
    is final and until the TPN's result is recorded, `scoring.workflow.tpn_refusal`).
    Rows absent from the file leave their answers untouched. ``allowed_areas`` (area
    numbers) limits which questions may change, for a tim kerja member bound to some
    areas; hasil inputs then may not change either.
    ``access`` (the importer's access to the unit) applies the same rules as the pages:
    the area limits, the workflow (mandiri answers in pengisian or on returned items,
    TPI answers in reviu TPI, nothing once final) and the TPI's catatan rule. A row whose
    answer changed since the workbook was exported is refused, naming who changed it.
    Raises :class:`ImportGagal` with every problem (row numbers included); nothing is
    written then.
    """
    if access is not None and access.areas:
        allowed_areas = sorted(access.areas)
    if by not in SetJawaban.values:
        raise ImportGagal(
            [_("Set jawaban “%(set)s” tidak dikenal (mandiri, tpi atau tpn).") % {"set": by}]
        )
    if by == SetJawaban.TPN:
        refusal = tpn_refusal(access, penilaian)
        if refusal:
            raise ImportGagal([refusal])
    elif penilaian.status == StatusPenilaian.FINAL:
        raise ImportGagal([_("Penilaian ini sudah final; jawabannya tidak dapat diubah.")])
    if (
        by == SetJawaban.MANDIRI
        and penilaian.status == StatusPenilaian.REVIU_TPI
        and not returned_questions(penilaian)
    ):
        raise ImportGagal(
            [
                _(
                    "Penilaian sedang direviu TPI dan tidak ada butir yang dikembalikan: "
                    "jawaban mandiri tidak dapat diimpor."
                )
            ]
        )
    wb = _open(_read(data))
    try:
        if LKE_SHEET not in wb.sheetnames:
            raise ImportGagal(
                [
                    _(
                        "Lembar “%(lembar)s” tidak ditemukan. Gunakan berkas hasil ekspor LKE "
                        "portal."
                    )
                    % {"lembar": LKE_SHEET}
                ]
            )
        origin = _check_origin(wb, penilaian)
        if origin:
            raise ImportGagal(origin)
        ws = wb[LKE_SHEET]
        found = _find_header(ws)
        needed = ["Kode", f"Jawaban {SET_LABEL[by]}"]
        missing = [h for h in needed if found is None or _norm(h) not in found[1]]
        if found is None or missing:
            raise ImportGagal(
                [
                    _("Kolom “%(kolom)s” tidak ditemukan pada lembar “%(lembar)s”.")
                    % {"kolom": h, "lembar": LKE_SHEET}
                    for h in missing
                ]
            )
        model = _model(penilaian)
        questions, hasil, count, errors = _parse(ws, found[0], found[1], by, model)
        versions = _versions(wb)
    finally:
        wb.close()
    if errors:
        raise ImportGagal(errors)
    return _apply(
        penilaian, by, user, model, questions, hasil, count, allowed_areas, access, versions
    )


def _apply(
    penilaian: Penilaian,
    by: str,
    user: Any,
    model: _Model,
    questions: dict[str, _Planned],
    hasil: dict[str, _Planned],
    count: int,
    allowed_areas: Collection[int] | None,
    access: UnitAccess | None = None,
    versions: dict[tuple[str, str, str], str] | None = None,
) -> ImportResult:
    current = {
        j.pertanyaan_id: j
        for j in Jawaban.objects.filter(penilaian=penilaian, set=by).select_related("diubah_oleh")
    }
    current_hasil = {
        j.hasil_item_id: j
        for j in JawabanHasil.objects.filter(penilaian=penilaian, set=by).select_related(
            "diubah_oleh"
        )
    }
    mandiri = (
        {
            j.pertanyaan_id: j
            for j in Jawaban.objects.filter(penilaian=penilaian, set=SetJawaban.MANDIRI)
        }
        if by == SetJawaban.TPI
        else {}
    )
    errors: list[str] = []
    changed_q: list[tuple[Pertanyaan, str, dict[str, str], str]] = []
    for code, plan in questions.items():
        q = model.pertanyaan[code]
        old = current.get(q.pk)
        old_opsi = old.opsi if old else ""
        old_angka = {k: str(v) for k, v in ((old.angka or {}) if old else {}).items()}
        old_catatan = old.catatan if old else ""
        opsi = old_opsi if plan.opsi is None else plan.opsi
        # A derived total is computed, never stored (an old typed one is left out).
        old_angka = {k: v for k, v in old_angka.items() if not _derived(model, k)}
        angka = dict(old_angka)
        for input_code, value in plan.angka.items():
            if value is None:
                angka.pop(input_code, None)
            else:
                angka[input_code] = value
        catatan = old_catatan if plan.catatan is None else plan.catatan
        if (opsi, angka, catatan) == (old_opsi, old_angka, old_catatan):
            continue
        if allowed_areas is not None and q.indikator.area.nomor not in allowed_areas:
            errors.append(
                _("%(where)s: Anda tidak berwenang mengubah jawaban area %(area)s.")
                % {"where": _where(plan.row, code), "area": q.indikator.area.nomor}
            )
        if versions is not None:
            exported = versions.get(("q", code, by), "0")
            if str(old.versi if old else 0) != exported:
                errors.append(
                    _(
                        "%(where)s: jawaban ini %(siapa)s, setelah berkas diekspor. Ekspor "
                        "ulang LKE lalu isi kembali baris ini."
                    )
                    % {
                        "where": _where(plan.row, code),
                        "siapa": _who_when(old.diubah_oleh, old.diubah_pada)
                        if old
                        else _("dihapus"),
                    }
                )
        if by == SetJawaban.TPI:
            refusal = catatan_refusal(Jawaban(opsi=opsi, angka=angka), mandiri.get(q.pk), catatan)
            if refusal:
                errors.append(f"{_where(plan.row, code)}: {refusal}")
        changed_q.append((q, opsi, angka, catatan))
    changed_h: list[tuple[HasilItem, str, str]] = []
    for code, plan in hasil.items():
        h = model.hasil[code]
        old_h = current_hasil.get(h.pk)
        old_value = (old_h.opsi or ("" if old_h.nilai is None else old_h.nilai)) if old_h else ""
        new_value = plan.opsi or ("" if plan.nilai is None else plan.nilai)
        old_catatan = old_h.catatan if old_h else ""
        catatan = old_catatan if plan.catatan is None else plan.catatan
        if new_value == old_value and catatan == old_catatan:
            continue
        if allowed_areas is not None:
            errors.append(
                _("%(where)s: Anda tidak berwenang mengubah nilai hasil.")
                % {"where": _where(plan.row, code)}
            )
        if versions is not None:
            exported = versions.get(("h", code, by), "")
            if (old_h.diubah_pada.isoformat() if old_h else "") != exported:
                errors.append(
                    _(
                        "%(where)s: nilai ini %(siapa)s, setelah berkas diekspor. Ekspor "
                        "ulang LKE lalu isi kembali baris ini."
                    )
                    % {
                        "where": _where(plan.row, code),
                        "siapa": _who_when(old_h.diubah_oleh, old_h.diubah_pada)
                        if old_h
                        else _("dihapus"),
                    }
                )
        text = new_value if isinstance(new_value, str) else format(new_value, "f")
        changed_h.append((h, text, catatan))
    if (
        by == SetJawaban.TPI
        and penilaian.status != StatusPenilaian.REVIU_TPI
        and (changed_q or changed_h)
    ):
        raise ImportGagal([_("Jawaban TPI hanya dapat diimpor selama tahap reviu TPI.")])
    if errors:
        raise ImportGagal(errors)
    with transaction.atomic():
        for q, opsi, angka, catatan in changed_q:
            try:
                jawaban_save(
                    penilaian=penilaian,
                    set_=by,
                    pertanyaan=q,
                    opsi=opsi,
                    angka=angka or None,
                    catatan=catatan,
                    user=user,
                    access=access,
                )
            except JawabanTidakValid as exc:
                errors.append(f"{_where(questions[q.kode].row, q.kode)}: {exc}")
        for h, text, catatan in changed_h:
            try:
                jawaban_hasil_save(
                    penilaian=penilaian,
                    set_=by,
                    hasil_item=h,
                    value=text,
                    catatan=catatan,
                    user=user,
                    access=access,
                )
            except JawabanTidakValid as exc:
                errors.append(f"{_where(hasil[h.kode].row, h.kode)}: {exc}")
        if errors:
            # Raised inside the atomic block: everything written so far is rolled back.
            raise ImportGagal(errors)
    return ImportResult(jawaban=len(changed_q), hasil=len(changed_h), baris=count)
