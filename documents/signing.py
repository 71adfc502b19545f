"""PAdES signing and verification of the rencana kerja PDF (pyHanko).

The unit's signing certificate is a PKCS#12 file named by `settings.ZI_SIGNING_P12`
(passphrase in `settings.ZI_SIGNING_P12_PASSPHRASE`). Without a time-stamping
authority (the portal runs offline) signatures are PAdES baseline B-B.

The visible signature (text and a QR code to the public verification page) is drawn
into the box the document reserves for it: a named destination `ruang-tanda-tangan`
(see `documents.pdf`), STAMP_WIDTH_PT x STAMP_HEIGHT_PT below its top-left corner. A PDF
without that destination gets the stamp at the bottom right of its last page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import os
import textwrap
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import ValidationContext

from zi_portal.lib.dates import tanggal_indonesia

DEV_SIGNER_CN = "ZI Portal Development Signer"
DEV_CA_CN = "ZI Portal Development CA"
DEV_MARK = "PENGEMBANGAN - BUKAN UNTUK PRODUKSI"

SIGNATURE_FIELD = "TandaTanganPimpinan"
SIGNATURE_ANCHOR = "ruang-tanda-tangan"
# Size of the visible signature, in PDF points (1 pt = 1/72 inch): 80 mm x 30 mm.
STAMP_WIDTH_PT = 226.8
STAMP_HEIGHT_PT = 85.0
_MARGIN_PT = 36.0


T = TypeVar("T")


def outside_event_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a pyHanko function that runs `asyncio.run()` itself.

    That fails in a thread whose event loop is already running (an ASGI server, or a
    browser driver in the same process); there the call moves to a short-lived thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


class SigningError(Exception):
    """The document cannot be signed (certificate missing, wrong passphrase, ...)."""


def waktu_indonesia(value: dt.datetime) -> str:
    """`28 Juni 2022 pukul 12.34.28 WIB` in the portal's time zone."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    zone = local.tzname() or ""
    return f"{tanggal_indonesia(local.date())} pukul {local:%H.%M.%S} {zone}".rstrip()


# ---------------------------------------------------------------------------------------
# Certificates


def _p12_path() -> Path:
    return Path(settings.ZI_SIGNING_P12)


def _passphrase() -> bytes | None:
    value: str = settings.ZI_SIGNING_P12_PASSPHRASE
    return value.encode() if value else None


def load_signer() -> signers.SimpleSigner:
    """The unit's signer from the configured PKCS#12 file.

    Raises SigningError with an Indonesian message when the file is missing or cannot be
    opened with the configured passphrase.
    """
    path = _p12_path()
    if not path.is_file():
        raise SigningError(
            f"Berkas sertifikat penandatanganan {path} tidak ditemukan. Isi ZI_SIGNING_P12 "
            "dengan berkas PKCS#12 unit kerja, atau buat sertifikat pengembangan dengan "
            "`python manage.py create_dev_certificate`."
        )
    signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
        str(path), passphrase=_passphrase()
    )
    if signer is None:
        raise SigningError(
            f"Sertifikat penandatanganan {path} tidak dapat dibuka: frasa sandi "
            "(ZI_SIGNING_P12_PASSPHRASE) salah atau berkas bukan PKCS#12 yang sah."
        )
    return signer


def _trust_roots() -> list[asn1_x509.Certificate]:
    """Certificates of the configured PKCS#12 (signer and its chain) as trust anchors.

    A document counts as trusted when its signer chains up to the certificate the portal
    itself signs with; an unreadable PKCS#12 trusts nothing.
    """
    path = _p12_path()
    try:
        _key, cert, others = pkcs12.load_key_and_certificates(path.read_bytes(), _passphrase())
    except (OSError, ValueError, TypeError):
        return []
    certs = [c for c in [cert, *others] if c is not None]
    return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certs]


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ZI Portal (pengembangan)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEV_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def ensure_dev_certificate(path: str | os.PathLike[str], passphrase: str) -> bool:
    """Create a self-signed development CA and signer as PKCS#12 at `path` if missing.

    Returns True when a file was created, False when one already existed. The subject
    says plainly that it is a development certificate; never use it in production.
    """
    target = Path(path)
    if target.exists():
        return False
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = _name(DEV_CA_CN)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(DEV_SIGNER_CN))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        name=DEV_SIGNER_CN.encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return True


# ---------------------------------------------------------------------------------------
# Signing


def _latin(text: str) -> str:
    """The stamp uses a PDF standard font (WinAnsi): keep Latin-1, transliterate the rest."""
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            out.append(unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode())
    return "".join(out)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(_latin(text), width=width)) if text else ""


def _resolve(obj: Any) -> Any:
    target: Any = obj
    return target.get_object() if isinstance(obj, generic.IndirectObject) else obj


def _name_tree_lookup(node: Any, key: str) -> Any:
    node = _resolve(node)
    names = node.get("/Names")
    if names is not None:
        names = _resolve(names)
        for index in range(0, len(names) - 1, 2):
            if str(_resolve(names[index])) == key:
                return _resolve(names[index + 1])
    for kid in _resolve(node.get("/Kids", generic.ArrayObject())):
        found = _name_tree_lookup(kid, key)
        if found is not None:
            return found
    return None


def _page_refs(reader: Any) -> Iterator[tuple[int, Any]]:
    count = int(reader.root["/Pages"]["/Count"])
    for index in range(count):
        ref, _resources = reader.find_page_for_modification(index)
        yield index, ref


def _stamp_box(reader: Any) -> tuple[int, tuple[int, int, int, int]]:
    """Page index and box of the visible signature (see module docstring)."""
    dest = None
    try:
        names = reader.root.get("/Names")
        if names is not None and "/Dests" in _resolve(names):
            dest = _name_tree_lookup(_resolve(names)["/Dests"], SIGNATURE_ANCHOR)
        if dest is None and "/Dests" in reader.root:
            dest = _resolve(reader.root["/Dests"]).get("/" + SIGNATURE_ANCHOR)
    except (KeyError, TypeError, ValueError):
        dest = None
    if isinstance(dest, generic.DictionaryObject):
        dest = _resolve(dest.get("/D"))
    if isinstance(dest, generic.ArrayObject) and len(dest) >= 4 and dest[1] == "/XYZ":
        page_ref = dest.raw_get(0) if hasattr(dest, "raw_get") else dest[0]
        left, top = float(dest[2]), float(dest[3])
        for index, ref in _page_refs(reader):
            if getattr(ref, "idnum", None) == getattr(page_ref, "idnum", -1):
                return index, (
                    round(left),
                    round(top - STAMP_HEIGHT_PT),
                    round(left + STAMP_WIDTH_PT),
                    round(top),
                )
    # Fallback: bottom right of the last page.
    count = int(reader.root["/Pages"]["/Count"])
    page_ref, _resources = reader.find_page_for_modification(count - 1)
    media_box = _resolve(page_ref.get_object()["/MediaBox"])
    right = float(media_box[2]) - _MARGIN_PT
    bottom = float(media_box[1]) + _MARGIN_PT
    return count - 1, (
        round(right - STAMP_WIDTH_PT),
        round(bottom),
        round(right),
        round(bottom + STAMP_HEIGHT_PT),
    )


def sign_pdf(
    pdf: bytes,
    *,
    name: str,
    jabatan: str,
    location: str,
    verification_url: str,
    signer: signers.SimpleSigner | None = None,
) -> bytes:
    """Sign `pdf` (PAdES B-B) with a visible signature and a QR code to the verifier."""
    signer = signer or load_signer()
    now = timezone.now()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    on_page, box = _stamp_box(reader)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    style = QRStampStyle(
        stamp_text=(
            "Ditandatangani secara elektronik oleh\n%(penanda)s\n%(jabatan)s\n"
            "Waktu: %(waktu)s\nPindai kode QR untuk verifikasi."
        ),
        text_box_style=TextBoxStyle(font_size=7, leading=9),
        border_width=1,
        innsep=4,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=_latin(name) or None,
        location=_latin(location) or None,
        reason="Persetujuan Rencana Kerja Pembangunan Zona Integritas",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=SIGNATURE_FIELD, on_page=on_page, box=box
        ),
    )
    output = outside_event_loop(
        pdf_signer.sign_pdf,
        writer,
        appearance_text_params={
            "url": verification_url,
            "penanda": _wrap(name, 40),
            "jabatan": _wrap(jabatan, 40),
            "waktu": _latin(waktu_indonesia(now)),
        },
    )
    return bytes(output.getbuffer())


# ---------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of checking a signed PDF, with a plain summary in the active language."""

    sha256: str
    signed: bool
    intact: bool
    trusted: bool
    whole_file: bool
    valid: bool
    signer_subject: str
    signer_name: str
    signing_time: dt.datetime | None
    summary: str


def _common_name(cert: asn1_x509.Certificate) -> str:
    try:
        value = cert.subject.native.get("common_name", "")
    except (ValueError, AttributeError):
        return ""
    return str(value[-1] if isinstance(value, list) else value)


def verify_pdf(data: bytes) -> VerificationResult:
    """Validate the (last) signature of `data` against the portal's signing certificate.

    `valid` holds only when the signed bytes are unchanged (intact), the signer chains
    to the configured certificate (trusted) and the signature covers the whole file.
    """
    digest = hashlib.sha256(data).hexdigest()

    def failed(summary: str, *, signed: bool = False) -> VerificationResult:
        return VerificationResult(
            sha256=digest,
            signed=signed,
            intact=False,
            trusted=False,
            whole_file=False,
            valid=False,
            signer_subject="",
            signer_name="",
            signing_time=None,
            summary=summary,
        )

    if b"%PDF-" not in data[:1024]:
        return failed(_("Berkas ini bukan dokumen PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # any parse error means the file is damaged
        return failed(
            _("Berkas PDF rusak atau tidak dapat dibaca, sehingga tidak dapat diverifikasi.")
        )
    if not embedded:
        return failed(_("Berkas ini tidak memuat tanda tangan elektronik."))
    context = ValidationContext(
        trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = outside_event_loop(validate_pdf_signature, embedded[-1], context)
    except Exception:  # a damaged signature container is an invalid signature
        return failed(
            _("Tanda tangan elektronik pada berkas ini rusak dan tidak dapat diperiksa."),
            signed=True,
        )
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    valid = intact and trusted and whole_file
    cert = status.signing_cert
    name = _common_name(cert)
    if valid:
        summary = _(
            "Tanda tangan elektronik SAH: dokumen tidak berubah sejak ditandatangani dengan "
            "sertifikat %(nama)s."
        ) % {"nama": name}
    elif not intact:
        summary = _(
            "Tanda tangan elektronik TIDAK SAH: isi dokumen telah berubah setelah "
            "ditandatangani, atau tanda tangannya rusak."
        )
    elif not whole_file:
        summary = _(
            "Tanda tangan elektronik TIDAK SAH untuk berkas ini: ada perubahan yang "
            "ditambahkan setelah dokumen ditandatangani."
        )
    else:
        summary = _(
            "Tanda tangan elektronik TIDAK SAH: isi dokumen utuh, tetapi sertifikat "
            "penanda tangan tidak dikenal atau tidak dipercaya oleh portal ini."
        )
    signing_time = status.signer_reported_dt
    return VerificationResult(
        sha256=digest,
        signed=True,
        intact=intact,
        trusted=trusted,
        whole_file=whole_file,
        valid=valid,
        signer_subject=cert.subject.human_friendly,
        signer_name=name,
        signing_time=signing_time,
        summary=summary,
    )
