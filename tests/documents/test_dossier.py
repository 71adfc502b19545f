"""The evidence dossier ZIP (documents/dossier.py) through the one document flow."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.test import Client

from documents.dossier import dossier_entries, dossier_stream, safe_name
from documents.exports import export_run
from documents.models import ExportJob, StatusEkspor
from evidence.models import Bukti
from evidence.services import bukti_link_add, bukti_upload
from scoring.models import Reviu, StatusReviu
from tests.evidence.files import PDF, pdf, png

pytestmark = pytest.mark.django_db

ROOT = "berkas-bukti-biro-hp-2022"
TIM_KERJA = f"{ROOT}/A.I.1 MANAJEMEN PERUBAHAN/A.I.1.i Penyusunan Tim Kerja"
RENCANA = f"{ROOT}/A.I.1 MANAJEMEN PERUBAHAN/A.I.1.ii Rencana Pembangunan Zona Integritas"


def tim() -> Any:
    return get_user_model().objects.get(username="tim.biro-hp")


def _pdf_bytes(label: str) -> bytes:
    return PDF.replace(b"%%EOF", f"% {label}\n%%EOF".encode())


@pytest.fixture
def evidence(biro_hp: Any, question: Callable[[str], Any]) -> dict[str, Any]:
    """Files (two with one name but for case, one replaced), a link, a TPI review."""
    first = [
        bukti_upload(
            penilaian=biro_hp, pertanyaan=question("A.I.1.i.a"), files=[upload], user=tim()
        )[0]
        for upload in (
            pdf("SK Tim Kerja.pdf", _pdf_bytes("sk")),
            pdf("sk tim kerja.PDF", _pdf_bytes("b")),  # another upload, same name but for case
        )
    ]
    old = bukti_upload(
        penilaian=biro_hp,
        pertanyaan=question("A.I.1.ii.a"),
        files=[pdf("rencana.pdf", _pdf_bytes("lama"))],
        user=tim(),
    )[0]
    new = bukti_upload(
        penilaian=biro_hp,
        pertanyaan=question("A.I.1.ii.a"),
        files=[pdf("Rencana Kerja ZI.pdf", _pdf_bytes("baru"))],
        user=tim(),
        replaces=old,
    )[0]
    photo = bukti_upload(
        penilaian=biro_hp, pertanyaan=question("A.I.1.ii.a"), files=[png()], user=tim()
    )[0]
    link = bukti_link_add(
        penilaian=biro_hp,
        pertanyaan=question("A.I.1.iii.a"),
        url="https://example.go.id/monev",
        judul='=HYPERLINK("x")',
        user=tim(),
    )
    Reviu.objects.create(
        penilaian=biro_hp, pertanyaan=question("A.I.1.i.a"), status=StatusReviu.DITERIMA
    )
    return {"first": first, "old": old, "new": new, "photo": photo, "link": link}


def _index(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read(f"{ROOT}/Indeks bukti.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_dossier_downloads_through_the_job_page_and_matches_its_index(
    login: Callable[[str], Client],
    biro_hp: Any,
    evidence: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    client = login("tpi.mk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/penilaian/{biro_hp.code}/ekspor/berkas_bukti_zip/")
    job = ExportJob.objects.get()
    assert response["Location"] == f"/ekspor/{job.pk}/"
    assert (job.status, job.progress, job.nama_berkas) == ("selesai", 100, f"{ROOT}.zip")
    download = client.get(f"/ekspor/{job.pk}/unduh/")
    assert download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    archive.extractall(tmp_path)

    names = set(archive.namelist())
    assert {
        f"{TIM_KERJA}/A.I.1.i.a - SK Tim Kerja.pdf",
        f"{TIM_KERJA}/A.I.1.i.a - sk tim kerja (2).pdf",  # same name but for case
        f"{RENCANA}/A.I.1.ii.a - Rencana Kerja ZI.pdf",
        f"{RENCANA}/A.I.1.ii.a - foto.png",
        f"{ROOT}/Indeks bukti.csv",
        f"{ROOT}/Indeks bukti.pdf",
        f"{ROOT}/Daftar tautan.csv",
    } == names  # the replaced version is not in it

    rows = _index(archive)
    files = [r for r in rows if r["jenis"] == "berkas"]
    assert len(files) == 4
    for row in files:
        data = (tmp_path / ROOT / row["berkas_atau_tautan"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert row["sesuai_saat_unggah"] == "ya" and int(row["ukuran_byte"]) == len(data)
    by_name = {r["berkas_atau_tautan"].rsplit("/", 1)[-1]: r for r in files}
    stored = {b.sha256 for b in Bukti.objects.filter(penilaian=biro_hp, aktif=True)}
    assert {r["sha256"] for r in files} <= stored
    sk = by_name["A.I.1.i.a - SK Tim Kerja.pdf"]
    assert sk["kode"] == "A.I.1.i.a" and sk["pertanyaan"].startswith("Unit kerja telah membentuk")
    assert sk["status_reviu_tpi"] == "Diterima" and sk["diunggah_oleh"]
    assert by_name["A.I.1.ii.a - foto.png"]["status_reviu_tpi"] == "Belum direviu"
    (link,) = [r for r in rows if r["jenis"] == "tautan"]
    assert link["berkas_atau_tautan"] == "https://example.go.id/monev" and not link["sha256"]

    links = list(
        csv.reader(io.StringIO(archive.read(f"{ROOT}/Daftar tautan.csv").decode("utf-8-sig")))
    )
    # A title that starts like a formula opens as text (zi_portal.lib.spreadsheet.csv_safe).
    assert links[1][:4] == [
        "A.I.1.iii.a",
        links[1][1],
        '\'=HYPERLINK("x")',
        "https://example.go.id/monev",
    ]
    assert archive.read(f"{ROOT}/Indeks bukti.pdf").startswith(b"%PDF-1.7")


def test_names_are_safe_on_windows_and_in_a_zip() -> None:
    assert safe_name('Laporan: Q1/2022 "final"?.pdf') == "Laporan- Q1-2022 final.pdf"
    assert safe_name("  notulen rapat.  ") == "notulen rapat"
    assert safe_name("CON") == "_CON" and safe_name("lpt1.txt") == "_lpt1.txt"
    assert safe_name("a\x00b\tc\nd") == "ab c d"
    assert safe_name("...") == "_"
    assert len(safe_name("x" * 300)) == 90
    assert safe_name("Pe\u0301rencanaan") == "P\u00e9rencanaan"  # NFC: one code point


def test_a_long_title_is_cut_but_keeps_its_code_and_suffix(
    biro_hp: Any, question: Callable[[str], Any]
) -> None:
    bukti_upload(
        penilaian=biro_hp,
        pertanyaan=question("A.I.1.i.a"),
        files=[pdf("Surat " + "sangat panjang " * 9 + ".pdf")],
        user=tim(),
    )
    (entri,) = dossier_entries(biro_hp)
    name = entri.arcname.rsplit("/", 1)[1]
    assert name.startswith("A.I.1.i.a - Surat sangat") and name.endswith(".pdf")
    assert len(name) <= 90 and all(len(part) <= 90 for part in entri.arcname.split("/"))


def test_evidence_is_read_from_storage_as_streams_one_file_at_a_time(
    biro_hp: Any, evidence: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    open_now = 0
    most = 0
    # A second storage on the same folder does the reading; the portal's own storage
    # refuses local paths, as object storage (S3) would.
    disk = FileSystemStorage(location=settings.MEDIA_ROOT)

    class Tracked(io.BufferedReader):
        def close(self) -> None:
            nonlocal open_now
            if not self.closed:
                open_now -= 1
            super().close()

    def tracked_open(name: str, mode: str = "rb") -> Any:
        nonlocal open_now, most
        handle = disk.open(name, mode)
        open_now += 1
        most = max(most, open_now)
        return Tracked(handle.file)  # type: ignore[arg-type]

    def no_paths(name: str) -> str:
        raise AssertionError("the dossier must not use local paths")

    monkeypatch.setattr(default_storage, "open", tracked_open)
    monkeypatch.setattr(default_storage, "path", no_paths)
    chunks = dossier_stream(biro_hp)
    first = next(chunks)
    assert open_now <= 1  # nothing is read ahead
    body = first + b"".join(chunks)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    assert most == 1 and open_now == 0


def test_a_file_missing_from_storage_is_listed_not_fatal(
    biro_hp: Any, evidence: dict[str, Any]
) -> None:
    photo = evidence["photo"]
    default_storage.delete(photo.berkas.name)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(dossier_stream(biro_hp))))
    (row,) = [r for r in _index(archive) if r["berkas_atau_tautan"] == photo.nama_asli]
    assert row["keterangan"] == "Berkas tidak ditemukan di penyimpanan" and not row["sha256"]
    assert not any(n.endswith("foto.png") for n in archive.namelist())


def test_a_changed_file_is_flagged_in_the_index(biro_hp: Any, evidence: dict[str, Any]) -> None:
    Bukti.objects.filter(pk=evidence["new"].pk).update(sha256="0" * 64)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(dossier_stream(biro_hp))))
    (row,) = [
        r for r in _index(archive) if r["berkas_atau_tautan"].endswith("Rencana Kerja ZI.pdf")
    ]
    assert (row["sesuai_saat_unggah"], row["keterangan"]) == (
        "TIDAK",
        "Isi berkas berbeda dari saat diunggah",
    )


def test_a_stream_that_fails_leaves_no_half_file(
    biro_hp: Any, evidence: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = ExportJob.objects.create(
        owner=tim(),
        penilaian=biro_hp,
        jenis="berkas_bukti_zip",
        kedaluwarsa="2100-01-01T00:00:00Z",
    )
    calls = 0
    real_open = default_storage.open

    def failing_open(name: str, mode: str = "rb") -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("storage went away")
        return real_open(name, mode)

    monkeypatch.setattr(default_storage, "open", failing_open)
    with pytest.raises(RuntimeError):
        export_run(str(job.pk))
    job.refresh_from_db()
    assert job.status != StatusEkspor.SELESAI and not job.berkas
    assert not default_storage.exists(f"ekspor/{job.pk}/{ROOT}.zip")


def test_the_command_writes_the_same_dossier(
    biro_hp: Any, evidence: dict[str, Any], tmp_path: Path
) -> None:
    out = io.StringIO()
    target = tmp_path / "d.zip"
    call_command("dossier_zip", unit="biro-hp", year=2022, output=str(target), stdout=out)
    assert "ditulis ke" in out.getvalue()
    archive = zipfile.ZipFile(target)
    assert f"{TIM_KERJA}/A.I.1.i.a - SK Tim Kerja.pdf" in archive.namelist()
    for row in _index(archive):
        if row["jenis"] == "berkas":
            data = archive.read(f"{ROOT}/{row['berkas_atau_tautan']}")
            assert hashlib.sha256(data).hexdigest() == row["sha256"]
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("dossier_zip", unit="tidak-ada", year=2022, output=str(target))


def test_compressed_formats_are_stored_and_the_index_is_deflated(
    biro_hp: Any, evidence: dict[str, Any]
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(dossier_stream(biro_hp))))
    kinds = {i.filename.rsplit(".", 1)[1]: i.compress_type for i in archive.infolist()}
    assert (kinds["pdf"], kinds["png"], kinds["csv"]) == (
        zipfile.ZIP_STORED,
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    )
