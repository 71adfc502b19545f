from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from documents.models import DokumenTertandatangan
from documents.rencana_kerja import rencana_kerja_sign
from documents.signing import SIGNATURE_ANCHOR, sign_pdf, waktu_indonesia
from evidence.models import RencanaKerja

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def signed_pdf(signing_certificate: Path) -> bytes:
    html = (
        "<html><body><p>Rencana kerja uji</p>"
        f'<div id="{SIGNATURE_ANCHOR}" style="width:80mm;height:30mm"></div></body></html>'
    )
    return sign_pdf(
        HTML(string=html).write_pdf(),
        name="Heru Setiawan",
        jabatan="Kepala Biro Hubungan Masyarakat dan Protokol",
        location="Jakarta",
        verification_url="http://testserver/verifikasi/uji/",
    )


@pytest.fixture
def dokumen(signed_pdf: bytes) -> DokumenTertandatangan:
    """A registered signed document (small PDF, to keep the tests fast)."""
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    row = DokumenTertandatangan(
        rencana_kerja=rk,
        sha256=hashlib.sha256(signed_pdf).hexdigest(),
        ukuran=len(signed_pdf),
        penandatangan=get_user_model().objects.get(username="pimpinan.biro-hp"),
        nama_penandatangan="Heru Setiawan",
        jabatan_penandatangan="Kepala Biro Hubungan Masyarakat dan Protokol",
        subjek_sertifikat="Common Name: ZI Portal Development Signer",
        ditandatangani_pada=timezone.now(),
    )
    row.berkas.save("x.pdf", ContentFile(signed_pdf), save=False)
    row.save()
    return row


def url(dokumen: DokumenTertandatangan) -> str:
    return reverse("verifikasi:detail", args=[dokumen.code])


def test_the_url_is_verifikasi_code(dokumen: DokumenTertandatangan) -> None:
    assert url(dokumen) == f"/verifikasi/{dokumen.code}/"


def test_anyone_sees_the_document_details_and_a_valid_signature(
    client: Client, dokumen: DokumenTertandatangan
) -> None:
    response = client.get(url(dokumen))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Signed with the development certificate, whose CA the test settings trust: intact,
    # but labelled as development, never as an official valid signature.
    assert 'data-status="pengembangan"' in html and "sertifikat pengembangan" in html
    assert "Tanda tangan SAH" not in html
    assert "Biro Hubungan Masyarakat dan Protokol" in html
    assert "Mahkamah Konstitusi" in html
    assert "Rencana Kerja Pembangunan Zona Integritas 2022" in html
    assert "Heru Setiawan" in html
    assert "Kepala Biro Hubungan Masyarakat dan Protokol" in html
    assert dokumen.sha256 in html
    assert waktu_indonesia(dokumen.ditandatangani_pada) in html
    assert "ZI Portal Development Signer" in html


def test_an_unknown_code_is_404(client: Client) -> None:
    assert client.get(f"/verifikasi/{uuid.uuid4()}/").status_code == 404
    assert client.get("/verifikasi/bukan-uuid/").status_code == 404


def test_a_changed_stored_file_shows_invalid(
    client: Client, dokumen: DokumenTertandatangan, signed_pdf: bytes
) -> None:
    changed = bytearray(signed_pdf)
    changed[len(changed) // 4] ^= 0x01
    Path(dokumen.berkas.path).write_bytes(bytes(changed))
    html = client.get(url(dokumen)).content.decode()
    assert 'data-status="tidak-sah"' in html and "Tanda tangan TIDAK SAH" in html
    assert "SHA-256 berbeda" in html


def test_a_missing_stored_file_shows_invalid(
    client: Client, dokumen: DokumenTertandatangan
) -> None:
    Path(dokumen.berkas.path).unlink()
    html = client.get(url(dokumen)).content.decode()
    assert 'data-status="tidak-sah"' in html
    assert "tidak ditemukan di server" in html


def test_a_replaced_document_says_so(client: Client, dokumen: DokumenTertandatangan) -> None:
    DokumenTertandatangan.objects.filter(pk=dokumen.pk).update(aktif=False)
    html = client.get(url(dokumen)).content.decode()
    assert 'data-aktif="tidak"' in html and "tidak lagi berlaku" in html


def post(client: Client, dokumen: DokumenTertandatangan, name: str, data: bytes) -> str:
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client.post(url(dokumen), {"berkas": upload})
    assert response.status_code == 200
    return response.content.decode()


def test_an_identical_uploaded_copy_is_confirmed(
    client: Client, dokumen: DokumenTertandatangan, signed_pdf: bytes
) -> None:
    html = post(client, dokumen, "salinan.pdf", signed_pdf)
    assert 'data-salinan="identik"' in html and 'data-salinan-status="sah"' in html
    assert "identik dengan dokumen yang terdaftar" in html


def test_a_changed_uploaded_copy_is_refused(
    client: Client, dokumen: DokumenTertandatangan, signed_pdf: bytes
) -> None:
    changed = bytearray(signed_pdf)
    changed[len(changed) // 4] ^= 0x01
    html = post(client, dokumen, "salinan.pdf", bytes(changed))
    assert 'data-salinan="berbeda"' in html and 'data-salinan-status="tidak-sah"' in html
    assert "BERBEDA dari dokumen yang terdaftar" in html
    assert hashlib.sha256(bytes(changed)).hexdigest() in html


def test_uploads_must_be_pdf_and_at_most_25_mb(
    client: Client, dokumen: DokumenTertandatangan
) -> None:
    html = post(client, dokumen, "foto.pdf", b"\x89PNG\r\n\x1a\n bukan pdf")
    assert "Berkas ini bukan PDF." in html and "data-salinan=" not in html
    big = b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024)
    html = post(client, dokumen, "besar.pdf", big)
    assert "Berkas terlalu besar" in html and "batasnya 25 MB" in html
    response = client.post(url(dokumen), {})
    assert "Pilih berkas PDF yang akan diperiksa." in response.content.decode()


def test_the_qr_link_of_an_approved_document_shows_valid(
    client: Client, signing_certificate: Path, monkeypatch: Any
) -> None:
    """End to end: sign through the service, follow the link printed in the document."""
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    dokumen = rencana_kerja_sign(rk, user=get_user_model().objects.get(username="pimpinan.biro-hp"))
    link = f"http://testserver/verifikasi/{dokumen.code}/"
    response = client.get(link.removeprefix("http://testserver"))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="pengembangan"' in html
    assert dokumen.sha256 in html
