from __future__ import annotations

import datetime as dt
import hashlib
import io
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qrcode  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from weasyprint import HTML

from documents import rencana_kerja as services_rencana_kerja
from documents.models import DokumenTertandatangan
from documents.pdf import rencana_kerja_pdf
from documents.rencana_kerja import rencana_kerja_sign
from documents.signing import (
    DEV_SIGNER_CN,
    SIGNATURE_ANCHOR,
    SigningError,
    ensure_dev_certificate,
    load_signer,
    sign_pdf,
    verify_pdf,
)
from evidence.models import RencanaKerja

URL = "http://testserver/verifikasi/00000000-0000-4000-8000-000000000001/"


# Ordered with the database tests (the fixture reads the demo data set).
pytestmark = pytest.mark.django_db


@pytest.fixture
def qr_data(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the signature's QR code encodes (pyHanko draws it with `qrcode`)."""
    seen: list[str] = []
    original = qrcode.QRCode.add_data

    def spy(self: qrcode.QRCode, data: Any, optimize: int = 20) -> None:
        seen.append(data.decode() if isinstance(data, bytes) else str(data))
        original(self, data, optimize)

    monkeypatch.setattr(qrcode.QRCode, "add_data", spy)
    return seen


def small_pdf(with_box: bool = True) -> bytes:
    box = f'<div id="{SIGNATURE_ANCHOR}" style="width:80mm;height:30mm"></div>' if with_box else ""
    html = f"<html><body><p>Menyetujui,</p>{box}<p>Nama</p></body></html>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def ca_certificate() -> asn1_x509.Certificate:
    data = Path(settings.ZI_SIGNING_P12).read_bytes()
    _key, _cert, others = pkcs12.load_key_and_certificates(
        data, settings.ZI_SIGNING_P12_PASSPHRASE.encode()
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(others[0].public_bytes(Encoding.DER))


@pytest.fixture(scope="module")
def signed_rk(
    signing_certificate: Path, django_db_setup: None, django_db_blocker: Any
) -> Iterator[dict[str, Any]]:
    """Biro HP's rencana kerja rendered and signed once, with what its QR code holds."""
    seen: list[str] = []
    original = qrcode.QRCode.add_data

    def spy(self: qrcode.QRCode, data: Any, optimize: int = 20) -> None:
        seen.append(str(data))
        original(self, data, optimize)

    with django_db_blocker.unblock():
        rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
        pdf = rencana_kerja_pdf(rk, verification_url=URL)
    qrcode.QRCode.add_data = spy  # type: ignore[method-assign]
    try:
        before = timezone.now()
        signed = sign_pdf(
            pdf,
            name="Heru Setiawan",
            jabatan="Kepala Biro Hubungan Masyarakat dan Protokol",
            location="Jakarta",
            verification_url=URL,
        )
    finally:
        qrcode.QRCode.add_data = original  # type: ignore[method-assign]
    yield {"pdf": pdf, "signed": signed, "qr": seen, "before": before}


# --- certificates -------------------------------------------------------------------


def test_ensure_dev_certificate_creates_a_marked_development_pkcs12_once(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dev.p12"
    assert ensure_dev_certificate(path, "rahasia") is True
    assert ensure_dev_certificate(path, "lain") is False
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key, cert, others = pkcs12.load_key_and_certificates(path.read_bytes(), b"rahasia")
    assert key is not None and cert is not None and len(others) == 1
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    ou = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value
    assert cn == DEV_SIGNER_CN == "ZI Portal Development Signer"
    assert "BUKAN UNTUK PRODUKSI" in str(ou)
    assert cert.issuer == others[0].subject
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(path.read_bytes(), b"salah")


def test_load_signer_explains_a_missing_file(tmp_path: Path) -> None:
    with (
        override_settings(ZI_SIGNING_P12=str(tmp_path / "tidak-ada.p12")),
        pytest.raises(SigningError, match="tidak ditemukan"),
    ):
        load_signer()


def test_load_signer_explains_a_wrong_passphrase(signing_certificate: Path) -> None:
    with (
        override_settings(ZI_SIGNING_P12_PASSPHRASE="salah"),
        pytest.raises(SigningError, match="frasa sandi"),
    ):
        load_signer()
    cert: Any = load_signer().signing_cert
    assert cert.subject.native["common_name"] == DEV_SIGNER_CN


# --- signing --------------------------------------------------------------------------


def test_the_signed_rencana_kerja_validates_with_pyhanko(signed_rk: dict[str, Any]) -> None:
    signed: bytes = signed_rk["signed"]
    reader = PdfFileReader(io.BytesIO(signed))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded.sig_object["/Name"] == "Heru Setiawan"
    assert embedded.sig_object["/Location"] == "Jakarta"
    context = ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False)
    status = validate_pdf_signature(embedded, context)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"


def test_verify_pdf_reports_a_valid_signature(signed_rk: dict[str, Any]) -> None:
    signed: bytes = signed_rk["signed"]
    result = verify_pdf(signed)
    assert result.valid and result.intact and result.trusted and result.whole_file
    assert result.sha256 == hashlib.sha256(signed).hexdigest()
    assert result.signer_name == DEV_SIGNER_CN
    assert "ZI Portal Development Signer" in result.signer_subject
    assert result.signing_time is not None
    assert abs(result.signing_time - signed_rk["before"]) < dt.timedelta(minutes=5)
    # The test settings trust the development CA explicitly: labelled as such, never
    # presented as an official signature.
    assert result.development and "SERTIFIKAT PENGEMBANGAN" in result.summary


def test_the_signature_is_visible_in_the_reserved_box_with_a_qr_code(
    signed_rk: dict[str, Any],
) -> None:
    signed: bytes = signed_rk["signed"]
    assert signed_rk["qr"] == [URL]
    plain = PdfReader(io.BytesIO(signed_rk["pdf"]))
    dest: Any = plain.named_destinations[SIGNATURE_ANCHOR]
    reader = PdfReader(io.BytesIO(signed))
    last = reader.pages[-1]
    widgets = [
        a.get_object() for a in last.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    x1, y1, x2, y2 = (float(v) for v in widgets[0]["/Rect"])
    assert x2 - x1 > 200 and y2 - y1 > 80
    assert abs(x1 - float(dest.left)) < 1 and abs(y2 - float(dest.top)) < 1
    appearance = widgets[0]["/AP"]["/N"].get_object()
    content = appearance.get_data()
    names = list(appearance["/Resources"]["/XObject"].keys())
    inner = b"".join(appearance["/Resources"]["/XObject"][n].get_object().get_data() for n in names)
    stream = content + inner
    assert b"Ditandatangani secara elektronik oleh" in stream
    assert b"Heru Setiawan" in stream
    assert b"(Waktu" in stream


@pytest.mark.parametrize("where", ["first-range", "signature", "second-range"])
def test_one_changed_byte_breaks_the_signature(signed_rk: dict[str, Any], where: str) -> None:
    signed: bytes = signed_rk["signed"]
    reader = PdfFileReader(io.BytesIO(signed))
    start1, length1, start2, _length2 = (int(v) for v in reader.embedded_signatures[0].byte_range)
    position = {
        "first-range": length1 // 2,
        "signature": start1 + length1 + 200,
        "second-range": start2 + 1,
    }[where]
    changed = bytearray(signed)
    changed[position] = changed[position] ^ 0x01
    result = verify_pdf(bytes(changed))
    assert not result.valid
    assert "TIDAK SAH" in result.summary or "rusak" in result.summary
    if where == "first-range":
        assert not result.intact
        embedded = PdfFileReader(io.BytesIO(bytes(changed))).embedded_signatures[0]
        context = ValidationContext(trust_roots=[ca_certificate()], allow_fetching=False)
        assert not validate_pdf_signature(embedded, context).intact


def test_an_update_appended_after_signing_is_not_valid(signed_rk: dict[str, Any]) -> None:
    writer: Any = IncrementalPdfFileWriter(io.BytesIO(signed_rk["signed"]))
    writer.root["/ZIPortalUji"] = generic.pdf_name("/Diubah")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.intact and not result.whole_file and not result.valid
    assert "setelah dokumen ditandatangani" in result.summary


def test_a_signer_the_portal_does_not_trust_is_not_valid(tmp_path: Path) -> None:
    other = tmp_path / "lain.p12"
    ensure_dev_certificate(other, "lain")
    load: Any = signers.SimpleSigner.load_pkcs12
    signer = load(str(other), passphrase=b"lain")
    assert signer is not None
    signed = sign_pdf(
        small_pdf(), name="Orang Lain", jabatan="", location="", verification_url=URL, signer=signer
    )
    result = verify_pdf(signed)
    assert result.intact and not result.trusted and not result.valid
    assert "tidak dipercaya" in result.summary


def test_a_pdf_without_the_reserved_box_gets_the_stamp_at_the_bottom_right(
    signing_certificate: Path,
) -> None:
    signed = sign_pdf(
        small_pdf(with_box=False), name="A", jabatan="B", location="C", verification_url=URL
    )
    assert verify_pdf(signed).valid
    page = PdfReader(io.BytesIO(signed)).pages[-1]
    annots: Any = page["/Annots"]
    (widget,) = [a.get_object() for a in annots if a.get_object().get("/FT") == "/Sig"]
    _x1, y1, x2, _y2 = (float(v) for v in widget["/Rect"])
    assert x2 > float(page.mediabox.width) / 2 and y1 < 100


def test_verify_pdf_explains_unsigned_and_non_pdf_files(signing_certificate: Path) -> None:
    unsigned = verify_pdf(small_pdf())
    assert not unsigned.signed and not unsigned.valid
    assert unsigned.summary == "Berkas ini tidak memuat tanda tangan elektronik."
    garbage = verify_pdf(b"bukan pdf sama sekali")
    assert not garbage.valid and garbage.summary == "Berkas ini bukan dokumen PDF."
    broken = verify_pdf(b"%PDF-1.7\n" + b"\x00" * 100)
    assert not broken.valid and "tidak dapat" in broken.summary


# --- the service ------------------------------------------------------------------------


def pimpinan() -> Any:
    return get_user_model().objects.get(username="pimpinan.biro-hp")


@pytest.mark.django_db
def test_rencana_kerja_sign_stores_a_valid_document_and_retires_older_ones(
    signing_certificate: Path, qr_data: list[str]
) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    user = pimpinan()
    older = DokumenTertandatangan.objects.create(
        rencana_kerja=rk,
        berkas="dokumen/lama.pdf",
        sha256="0" * 64,
        ukuran=1,
        penandatangan=user,
        nama_penandatangan="Heru Setiawan",
        subjek_sertifikat="lama",
        ditandatangani_pada=timezone.now() - dt.timedelta(days=1),
    )
    dokumen = rencana_kerja_sign(rk, user=user)
    older.refresh_from_db()
    assert not older.aktif and dokumen.aktif
    assert dokumen.berkas.name == f"dokumen/{dokumen.code}.pdf"
    with dokumen.berkas.open("rb") as handle:
        data = handle.read()
    assert dokumen.sha256 == hashlib.sha256(data).hexdigest() and dokumen.ukuran == len(data)
    # Seed 002: the Kepala Biro signs first, the Sekretaris Jenderal approves after him.
    assert dokumen.nama_penandatangan == "Heru Setiawan; M. Guntur Hamzah"
    assert dokumen.jabatan_penandatangan == (
        "Kepala Biro Hubungan Masyarakat dan Protokol; Sekretaris Jenderal"
    )
    assert "ZI Portal Development Signer" in dokumen.subjek_sertifikat
    assert dokumen.penandatangan == user
    url = f"http://testserver/verifikasi/{dokumen.code}/"
    assert qr_data == [url, url]  # one stamp per signer
    assert verify_pdf(data).valid
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert url in text


@pytest.mark.django_db
def test_rencana_kerja_sign_leaves_nothing_behind_when_it_fails(
    signing_certificate: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    monkeypatch.setattr(services_rencana_kerja, "rencana_kerja_pdf", lambda *a, **k: small_pdf())

    class Boom:
        @staticmethod
        def sha256(data: bytes) -> Any:
            raise RuntimeError("gagal setelah berkas disimpan")

    monkeypatch.setattr(services_rencana_kerja, "hashlib", Boom)
    folder = Path(settings.MEDIA_ROOT) / "dokumen"
    files_before = set(folder.glob("*")) if folder.exists() else set()
    count = DokumenTertandatangan.objects.count()
    with pytest.raises(RuntimeError):
        rencana_kerja_sign(rk, user=pimpinan())
    assert DokumenTertandatangan.objects.count() == count
    assert (set(folder.glob("*")) if folder.exists() else set()) == files_before


@pytest.mark.django_db
def test_rencana_kerja_sign_refuses_without_a_usable_certificate(tmp_path: Path) -> None:
    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    count = DokumenTertandatangan.objects.count()
    with (
        override_settings(ZI_SIGNING_P12=str(tmp_path / "tidak-ada.p12")),
        pytest.raises(SigningError),
    ):
        rencana_kerja_sign(rk, user=pimpinan())
    assert DokumenTertandatangan.objects.count() == count


@pytest.mark.django_db
def test_rendering_and_signing_hold_no_row_lock_and_a_change_meanwhile_is_discarded(
    signing_certificate: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Render and sign first, outside any transaction; then lock, re-check, store. A text
    changed during the render is not stored as the signed approval."""
    from django.db import connection

    from documents.rencana_kerja import RencanaKerjaBerubah

    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    depth = len(connection.atomic_blocks)
    seen: list[int] = []

    def render_while_someone_edits(*args: Any, **kwargs: Any) -> bytes:
        seen.append(len(connection.atomic_blocks))
        RencanaKerja.objects.filter(pk=rk.pk).update(
            judul="Diubah saat dirender", updated_at=timezone.now()
        )
        return small_pdf()

    monkeypatch.setattr(services_rencana_kerja, "rencana_kerja_pdf", render_while_someone_edits)
    folder = Path(settings.MEDIA_ROOT) / "dokumen"
    files_before = set(folder.glob("*")) if folder.exists() else set()
    current = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    count = DokumenTertandatangan.objects.count()
    with pytest.raises(RencanaKerjaBerubah):
        rencana_kerja_sign(rk, user=pimpinan())
    assert seen == [depth]  # no transaction (so no row lock) around the render
    assert DokumenTertandatangan.objects.count() == count
    assert DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True) == current
    assert (set(folder.glob("*")) if folder.exists() else set()) == files_before


@pytest.mark.django_db
def test_the_signing_task_tries_again_when_the_rencana_kerja_changed_meanwhile(
    signing_certificate: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery.exceptions import Retry

    from documents.rencana_kerja import RencanaKerjaBerubah
    from documents.tasks import sign_rencana_kerja_task

    rk = RencanaKerja.objects.get(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
    RencanaKerja.objects.filter(pk=rk.pk).update(
        disetujui_pada=timezone.now(), status_tanda_tangan="menunggu"
    )
    real = services_rencana_kerja.rencana_kerja_sign
    calls: list[int] = []

    def changed_once(rk: RencanaKerja, *, user: Any) -> DokumenTertandatangan:
        calls.append(rk.pk)
        if len(calls) == 1:
            raise RencanaKerjaBerubah("changed during the render")
        return real(rk, user=user)

    monkeypatch.setattr(services_rencana_kerja, "rencana_kerja_sign", changed_once)
    before = DokumenTertandatangan.objects.count()
    with pytest.raises(Retry):  # scheduled again (in-process Celery raises it)
        sign_rencana_kerja_task.apply(args=(rk.pk, pimpinan().pk))
    assert DokumenTertandatangan.objects.count() == before
    result = sign_rencana_kerja_task.apply(args=(rk.pk, pimpinan().pk))
    assert len(calls) == 2
    dokumen = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    assert result.get() == str(dokumen.code)
