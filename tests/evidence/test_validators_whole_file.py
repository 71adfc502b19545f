"""Issue 11 part 5: the markup scan covers the whole file, and every zip-based format
accepted (OOXML and OpenDocument) is checked for zip bombs."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model

from evidence.models import Bukti
from evidence.services import bukti_upload
from evidence.validators import ARCHIVE_MAX_ENTRIES, SCAN_CHUNK, BuktiDitolak
from lke.models import Penilaian, Pertanyaan
from tests.evidence.files import PDF, raw

pytestmark = pytest.mark.django_db
ODT_MIME = b"application/vnd.oasis.opendocument.text"


def _upload(name: str, content: bytes) -> list[Bukti]:
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    user = get_user_model().objects.get(username="tim.biro-hp")
    return bukti_upload(penilaian=penilaian, pertanyaan=q, files=[raw(name, content)], user=user)


def _odt(*, big_mib: int = 0, entries: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        if big_mib:
            megabyte = b"\0" * (1024 * 1024)
            with archive.open("Pictures/padding.bin", "w", force_zip64=True) as handle:
                for _ in range(big_mib):
                    handle.write(megabyte)
        for n in range(entries):
            archive.writestr(f"x/{n}.xml", "")
    return buffer.getvalue()


def test_markup_after_the_first_kilobytes_is_found() -> None:
    tail = PDF + b"\n%" + b"x" * 9000 + b"\n<html><script>alert(1)</script></html>"
    with pytest.raises(BuktiDitolak, match="kode HTML/skrip"):
        _upload("ekor.pdf", tail)


def test_markup_split_between_two_chunks_is_found() -> None:
    padding = SCAN_CHUNK - len(PDF) - 3
    split = PDF + b"%" * padding + b"<scr" + b"ipt>alert(1)</script>"
    assert split.index(b"<script") < SCAN_CHUNK < split.index(b"<script") + 7
    with pytest.raises(BuktiDitolak, match="kode HTML/skrip"):
        _upload("belah.pdf", split)


def test_a_plain_odt_is_accepted() -> None:
    (stored,) = _upload("laporan.odt", _odt())
    assert stored.tipe_konten == "application/vnd.oasis.opendocument.text"


def test_an_odt_inflating_to_a_gibibyte_is_refused() -> None:
    bomb = _odt(big_mib=1024)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(BuktiDitolak, match="zip bomb"):
        _upload("bom.odt", bomb)
    assert not Bukti.objects.filter(nama_asli="bom.odt").exists()


def test_an_odt_with_one_highly_inflating_entry_is_refused() -> None:
    with pytest.raises(BuktiDitolak, match="zip bomb"):
        _upload("rasio.odt", _odt(big_mib=20))  # 20 MiB of zeros: ratio about 1000


def test_an_odt_with_too_many_entries_is_refused() -> None:
    with pytest.raises(BuktiDitolak, match="zip bomb"):
        _upload("banyak.odt", _odt(entries=ARCHIVE_MAX_ENTRIES + 1))
