"""Every generated PDF is PDF/A-3b and tagged (documents.pdf.html_pdf).

Checked with readers independent of WeasyPrint: pikepdf (qpdf) for the catalogue, the
XMP packet and the output intent; poppler's `pdfinfo` and `pdffonts` for what a viewer
sees. Limits: this is not a conformance validator (veraPDF is not available here). It
checks the identification (pdfaid part 3, conformance B), the XMP metadata and its
agreement with the document information dictionary, an sRGB output intent with an
embedded ICC profile, the file identifier, no encryption or JavaScript, embedded fonts
and the structure tree. It does not check every clause of ISO 19005-3 (colour spaces
of each object, font glyph widths, annotation appearance streams, and so on).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.test import Client

from documents.dossier import index_pdf
from documents.pdf import html_pdf, rencana_kerja_pdf, rkt_pdf
from documents.signing import sign_pdf
from evidence.models import RencanaKerja, RencanaKinerjaTahunan
from tests.conftest import require

pytestmark = pytest.mark.django_db

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"
PDF_NS = "{http://ns.adobe.com/pdf/1.3/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"


def poppler(tool: str, path: Path) -> str:
    require(shutil.which(tool) is not None, f"poppler {tool}")
    return subprocess.run(
        [tool, str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def assert_archival(pdf: bytes, tmp_path: Path, *, tagged: bool = True) -> dict[str, Any]:
    """The checks of the module docstring; returns the XMP as a dict."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert not doc.is_encrypted
        meta = doc.open_metadata()
        xmp = {key: meta[key] for key in meta}
        assert xmp[f"{PDFAID}part"] == "3" and xmp[f"{PDFAID}conformance"] == "B"
        root = doc.Root
        intent = root.OutputIntents[0]
        assert str(intent.S) == "/GTS_PDFA1"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3 and len(profile.read_bytes()) > 1000  # an RGB ICC profile
        assert len(doc.trailer.ID) == 2  # the file identifier PDF/A requires
        assert "/JavaScript" not in root.get("/Names", {})
        # ISO 19005-3 6.6.2.3: the document information agrees with the XMP packet.
        info = doc.docinfo
        pairs = {
            "/Title": f"{DC}title",
            "/Producer": f"{PDF_NS}Producer",
            "/Keywords": f"{PDF_NS}Keywords",
            "/Creator": f"{XMP}CreatorTool",
        }
        for key, xmp_key in pairs.items():
            if key in info:
                assert str(info[key]) == xmp[xmp_key], key
        if "/Author" in info:
            assert [str(info["/Author"])] == xmp[f"{DC}creator"]
        if tagged:
            assert bool(root.MarkInfo.Marked) and "/StructTreeRoot" in root
            assert str(root.Lang) == "id"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    fields = dict(
        (key.strip(), value.strip())
        for key, _sep, value in (
            line.partition(":") for line in poppler("pdfinfo", path).splitlines()
        )
    )
    assert (fields["PDF version"], fields["Encrypted"], fields["Metadata Stream"]) == (
        "1.7",
        "no",
        "yes",
    )
    assert fields["Tagged"] == ("yes" if tagged else "no")
    fonts = poppler("pdffonts", path).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # "emb" column
    return xmp


def test_the_rencana_kerja_pdf_is_pdf_a_3b_and_tagged(tmp_path: Path) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    xmp = assert_archival(rencana_kerja_pdf(rk), tmp_path)
    assert xmp[f"{DC}title"].startswith("Rencana Kerja Pembangunan Zona Integritas")


def test_the_dossier_index_pdf_is_pdf_a_3b_and_tagged(biro_hp: Any, tmp_path: Path) -> None:
    xmp = assert_archival(index_pdf(biro_hp, []), tmp_path)
    assert xmp[f"{DC}title"].startswith("Indeks Berkas Bukti")


def test_the_rkt_pdf_is_pdf_a_3b_and_tagged(tmp_path: Path) -> None:
    rkt = RencanaKinerjaTahunan.objects.get(unit__slug="biro-hp", tahun=2022)
    assert_archival(rkt_pdf(rkt), tmp_path)


def test_every_pdf_is_rendered_by_html_pdf() -> None:
    """No document slips past the archival options: WeasyPrint's `write_pdf` is called in
    one place only."""
    root = Path(__file__).resolve().parents[2]
    callers = [
        str(path.relative_to(root))
        for app in ("units", "lke", "evidence", "scoring", "documents", "zi_portal")
        for path in sorted((root / app).rglob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if ".write_pdf(" in line
    ]
    assert callers == ["documents/pdf.py"], callers


def test_generated_pdfs_have_no_object_streams() -> None:
    """pyHanko's check of what changed after a signature parses an object stream from its
    start for every object it reads: a tagged PDF in object streams took 70 s to verify
    (documents.pdf.without_object_streams)."""
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    pdf = rencana_kerja_pdf(rk)
    assert b"/ObjStm" not in pdf
    assert b"/StructTreeRoot" in pdf  # still tagged


def test_any_print_html_becomes_archival(tmp_path: Path) -> None:
    html = '<html lang="id"><head><title>Uji</title></head><body><p>Isi</p></body></html>'
    assert_archival(html_pdf(html), tmp_path)


def test_a_signed_rencana_kerja_keeps_its_pdf_a_identification(
    signing_certificate: Path, tmp_path: Path
) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    signed = sign_pdf(
        rencana_kerja_pdf(rk, verification_url="http://testserver/verifikasi/x/"),
        name="Heru Setiawan",
        jabatan="Kepala Biro",
        location="Jakarta",
        verification_url="http://testserver/verifikasi/x/",
    )
    # The signature is an incremental update: the PDF/A identification of the first
    # revision stays the document's (pdfsig's verdict is in test_signing.py).
    with pikepdf.open(io.BytesIO(signed)) as doc:
        meta = doc.open_metadata()
        assert meta[f"{PDFAID}part"] == "3" and meta[f"{PDFAID}conformance"] == "B"
        assert "/OutputIntents" in doc.Root and "/AcroForm" in doc.Root
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    require(shutil.which("pdfsig") is not None, "poppler pdfsig")
    out = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    assert "Signature is Valid." in out


def test_a_pdf_downloaded_through_the_job_page_is_archival(
    login: Callable[[str], Client],
    biro_hp: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login("tim.biro-hp")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/penilaian/{biro_hp.code}/ekspor/rencana_kerja_pdf/")
    download = client.get(response["Location"] + "unduh/")
    assert_archival(b"".join(download.streaming_content), tmp_path)  # type: ignore[attr-defined]
