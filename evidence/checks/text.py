"""Text of a bukti file, page by page, with limits on pages, time and memory.

`extract(path, mime)` runs the extraction in a child process (`python -m
evidence.checks.text`) with a wall-clock timeout and an address-space limit, so a hostile
or huge file can cost at most those limits; inside it, PDFs are read one page at a time
(pdfminer.six), DOCX with python-docx, XLSX with openpyxl in read-only mode, and images
and PDF pages without a text layer are read by Tesseract (`-l ind+eng`), PDF pages being
rendered by pdftoppm first. A file that cannot be read raises `TidakTerbaca(reason)`,
the reason in Bahasa Indonesia.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

MAX_PAGES = 30  # pages (or sheets) read per file
MAX_OCR_PAGES = 10  # pages sent to Tesseract per file (OCR is slow)
MAX_CHARS_PER_PAGE = 100_000
OCR_TIMEOUT_S = 60  # per Tesseract or pdftoppm call
FILE_TIMEOUT_S = 240  # the whole extraction of one file
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the child process
OCR_DPI = 200
MIN_TEXT_CHARS = 20  # a PDF page with fewer characters is treated as a scan

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGES = {"image/png", "image/jpeg"}


class TidakTerbaca(Exception):
    """The file's text cannot be read; `reason` says why, in Bahasa Indonesia."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Halaman:
    nomor: int
    teks: str
    ocr: bool = False


@dataclass
class HasilTeks:
    halaman: list[Halaman] = field(default_factory=list)
    # perceptual hashes (hex) of the image, or of each scanned page
    phash: list[str] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)  # e.g. "hanya 30 halaman pertama"

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str) -> HasilTeks:
        data = json.loads(raw)
        return cls(
            halaman=[Halaman(**h) for h in data["halaman"]],
            phash=list(data["phash"]),
            catatan=list(data["catatan"]),
        )


# -- the parent side -----------------------------------------------------------------


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def extract(path: Path, mime: str, *, timeout: float = FILE_TIMEOUT_S) -> HasilTeks:
    """Extract in a child process bounded in time and memory."""
    if mime not in {PDF, DOCX, XLSX, *IMAGES}:
        raise TidakTerbaca(
            f"Jenis berkas {mime or 'tidak dikenal'} belum didukung untuk pemeriksaan isi."
        )
    root = str(Path(__file__).resolve().parents[2])
    pythonpath = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": pythonpath}
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", "evidence.checks.text", str(path), mime],
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TidakTerbaca(
            f"Pembacaan berkas melebihi batas waktu ({int(timeout)} detik)."
        ) from exc
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode == 3:
        raise TidakTerbaca(out.strip() or "Berkas tidak dapat dibaca.")
    if proc.returncode != 0:
        if b"MemoryError" in proc.stderr or proc.returncode < 0:
            raise TidakTerbaca("Pembacaan berkas melebihi batas memori atau dihentikan.")
        raise TidakTerbaca("Berkas tidak dapat dibaca (kesalahan saat membaca isi).")
    return HasilTeks.from_json(out)


# -- the child side (also callable in-process, for tests) ------------------------------


def extract_local(path: Path, mime: str) -> HasilTeks:
    if mime == PDF:
        return _pdf(path)
    if mime == DOCX:
        return _docx(path)
    if mime == XLSX:
        return _xlsx(path)
    if mime in IMAGES:
        return _image(path)
    raise TidakTerbaca(f"Jenis berkas {mime} belum didukung untuk pemeriksaan isi.")


def _clip(text: str) -> str:
    return text[:MAX_CHARS_PER_PAGE]


def tesseract_available() -> bool:
    if shutil.which("tesseract") is None:
        return False
    proc = subprocess.run(
        ["tesseract", "--list-langs"],  # noqa: S607
        capture_output=True,
        timeout=OCR_TIMEOUT_S,
        check=False,
    )
    langs = proc.stdout.decode().split()
    return "ind" in langs and "eng" in langs


def ocr_image(path: Path) -> str:
    if shutil.which("tesseract") is None:
        raise TidakTerbaca("OCR tidak tersedia di server (tesseract tidak terpasang).")
    try:
        proc = subprocess.run(  # noqa: S603 - fixed program, our temporary file
            ["tesseract", str(path), "stdout", "-l", "ind+eng", "--psm", "3"],  # noqa: S607
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise TidakTerbaca(f"OCR melebihi batas waktu ({OCR_TIMEOUT_S} detik).") from exc
    if proc.returncode != 0:
        raise TidakTerbaca("Gambar tidak dapat dibaca oleh OCR (berkas rusak?).")
    return proc.stdout.decode("utf-8", "replace")


def _phash(path: Path) -> str:
    import imagehash
    from PIL import Image

    with Image.open(path) as image:
        return str(imagehash.phash(image.convert("L")))


def _image(path: Path) -> HasilTeks:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise TidakTerbaca("Gambar rusak atau tidak dapat dibuka.") from exc
    result = HasilTeks(phash=[_phash(path)])
    text = _clip(ocr_image(path))
    if text.strip():
        result.halaman.append(Halaman(1, text, ocr=True))
    else:
        result.catatan.append("Tidak ada teks yang terbaca pada gambar.")
    return result


def _pdf(path: Path) -> HasilTeks:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    result = HasilTeks()
    scans: list[int] = []
    try:
        for number, page in enumerate(extract_pages(str(path), maxpages=MAX_PAGES + 1), 1):
            if number > MAX_PAGES:
                result.catatan.append(f"Hanya {MAX_PAGES} halaman pertama yang diperiksa.")
                break
            text = "".join(
                element.get_text() for element in page if isinstance(element, LTTextContainer)
            )
            if len(text.strip()) < MIN_TEXT_CHARS:
                scans.append(number)
            result.halaman.append(Halaman(number, _clip(text)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise TidakTerbaca("PDF terkunci dengan kata sandi.") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise TidakTerbaca("Berkas PDF rusak atau tidak dapat dibaca.") from exc
    if not result.halaman:
        raise TidakTerbaca("Berkas PDF tidak memiliki halaman.")
    if scans:
        _ocr_pdf_pages(path, scans, result)
    return result


def _ocr_pdf_pages(path: Path, numbers: list[int], result: HasilTeks) -> None:
    if len(numbers) > MAX_OCR_PAGES:
        result.catatan.append(
            f"Hanya {MAX_OCR_PAGES} halaman hasil pindai pertama yang dibaca dengan OCR."
        )
    by_number = {h.nomor: h for h in result.halaman}
    with tempfile.TemporaryDirectory(prefix="zi-ocr-") as tmp:
        for number in numbers[:MAX_OCR_PAGES]:
            prefix = Path(tmp) / f"p{number}"
            try:
                subprocess.run(  # noqa: S603 - fixed program, our temporary file
                    [  # noqa: S607
                        "pdftoppm",
                        "-r",
                        str(OCR_DPI),
                        "-gray",
                        "-png",
                        "-singlefile",
                        "-f",
                        str(number),
                        "-l",
                        str(number),
                        str(path),
                        str(prefix),
                    ],
                    capture_output=True,
                    timeout=OCR_TIMEOUT_S,
                    check=True,
                )
            except subprocess.TimeoutExpired as exc:
                raise TidakTerbaca(
                    f"Halaman {number} tidak dapat dirender dalam batas waktu."
                ) from exc
            except (subprocess.CalledProcessError, FileNotFoundError) as exc:
                raise TidakTerbaca(f"Halaman {number} tidak dapat dirender.") from exc
            image = prefix.with_suffix(".png")
            result.phash.append(_phash(image))
            text = ocr_image(image).strip()
            if text:
                by_number[number].teks = _clip(text)
                by_number[number].ocr = True
            image.unlink()


def _docx(path: Path) -> HasilTeks:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TidakTerbaca("Dokumen Word rusak atau tidak dapat dibuka.") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    # A DOCX has no fixed pages: its whole text is page 1 (page breaks are not layout).
    return HasilTeks(halaman=[Halaman(1, _clip("\n".join(parts)))])


def _xlsx(path: Path) -> HasilTeks:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TidakTerbaca("Lembar kerja Excel rusak atau tidak dapat dibuka.") from exc
    result = HasilTeks()
    try:
        for number, sheet in enumerate(workbook.worksheets, 1):
            if number > MAX_PAGES:
                result.catatan.append(f"Hanya {MAX_PAGES} lembar pertama yang diperiksa.")
                break
            lines: list[str] = [sheet.title]
            size = 0
            for row in sheet.iter_rows(values_only=True):
                line = " ".join(str(v) for v in row if v is not None)
                lines.append(line)
                size += len(line)
                if size > MAX_CHARS_PER_PAGE:
                    break
            # each sheet is one "page", numbered in workbook order
            result.halaman.append(Halaman(number, _clip("\n".join(lines))))
    finally:
        workbook.close()
    return result


def main(argv: list[str]) -> int:
    path, mime = Path(argv[1]), argv[2]
    try:
        result = extract_local(path, mime)
    except TidakTerbaca as exc:
        sys.stdout.write(exc.reason)
        return 3
    sys.stdout.write(result.to_json())
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main(sys.argv))
