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
from collections.abc import Callable, Iterator, Sequence
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
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
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
DEV_CA_FILE = "dev-ca.p12"
_MAX_SIGNERS = 5


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


def signer_p12_path(index: int = 0) -> Path:
    """The PKCS#12 of the signer at `index` of a document's ordered signers.

    The first signer's is ZI_SIGNING_P12; the n-th (n >= 2) sits beside it with `-n`
    before the suffix (`unit.p12`, `unit-2.p12`, ...), under the same passphrase.
    """
    first = _p12_path()
    if index == 0:
        return first
    return first.with_name(f"{first.stem}-{index + 1}{first.suffix}")


TPI_SIGNATURE_FIELD = "TandaTanganTPI"


def tpi_p12_path() -> Path:
    """The PKCS#12 of the Tim Penilai Internal, who signs the LHE.

    `ZI_SIGNING_P12_TPI` when set, else beside ZI_SIGNING_P12 with `-tpi` before the
    suffix (`unit-tpi.p12`), under the same passphrase.
    """
    configured: str = getattr(settings, "ZI_SIGNING_P12_TPI", "")
    if configured:
        return Path(configured)
    first = _p12_path()
    return first.with_name(f"{first.stem}-tpi{first.suffix}")


def _passphrase() -> bytes | None:
    value: str = settings.ZI_SIGNING_P12_PASSPHRASE
    return value.encode() if value else None


def load_signer(path: Path | None = None) -> signers.SimpleSigner:
    """A signer from a PKCS#12 file (default: ZI_SIGNING_P12).

    Raises SigningError with an Indonesian message when the file is missing or cannot be
    opened with the configured passphrase (pyHanko answers None on a wrong passphrase).
    These never pass by themselves: the signing stops and asks a person.
    """
    path = path or _p12_path()
    if not path.is_file():
        raise SigningError(
            f"Berkas sertifikat penandatanganan {path} tidak ditemukan. Isi ZI_SIGNING_P12 "
            "dengan berkas PKCS#12 unit kerja, atau buat sertifikat pengembangan dengan "
            "`python manage.py create_dev_certificate`."
        )
    try:
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(path), passphrase=_passphrase()
        )
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise SigningError(
            f"Sertifikat penandatanganan {path} tidak dapat dibuka: frasa sandi "
            "(ZI_SIGNING_P12_PASSPHRASE) salah atau berkas bukan PKCS#12 yang sah."
        )
    return signer


def _der(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _read_certificates(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return [_der(c) for c in x509.load_pem_x509_certificates(data)]
    return [_der(x509.load_der_x509_certificate(data))]


def is_development(cert: asn1_x509.Certificate) -> bool:
    """A certificate of the portal's development CA (marked in its subject)."""
    try:
        units = cert.subject.native.get("organizational_unit_name", "")
    except (ValueError, AttributeError):
        return False
    return DEV_MARK in (units if isinstance(units, list) else [units])


def _dev_roots() -> list[asn1_x509.Certificate]:
    """The development CA: the marked CA certificates in the configured PKCS#12 chains."""
    roots: dict[bytes, asn1_x509.Certificate] = {}
    for path in [*(signer_p12_path(i) for i in range(_MAX_SIGNERS)), tpi_p12_path()]:
        try:
            _key, _cert, others = pkcs12.load_key_and_certificates(path.read_bytes(), _passphrase())
        except (OSError, ValueError, TypeError):
            continue
        for other in others:
            der = _der(other)
            if is_development(der) and der.ca:
                roots[der.sha256] = der
    return list(roots.values())


def _trust_roots() -> list[asn1_x509.Certificate]:
    """The configured trust anchors: `ZI_TRUST_ROOTS` (BSrE root, the instansi's CA) and,
    only when `ZI_TRUST_DEV_CA` is set (development), the portal's development CA.

    Never the signer's own certificate: a document is trusted when its signer chains to
    a root someone configured, as poppler's pdfsig and Adobe judge it. A root file that
    cannot be read stops with ImproperlyConfigured naming it.
    """
    roots: list[asn1_x509.Certificate] = []
    for name in settings.ZI_TRUST_ROOTS:
        try:
            roots.extend(_read_certificates(Path(name)))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"ZI_TRUST_ROOTS: sertifikat akar {name} tidak dapat dibaca ({exc})."
            ) from exc
    if settings.ZI_TRUST_DEV_CA:
        roots.extend(_dev_roots())
    return roots


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ZI Portal (pengembangan)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEV_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_private(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _dev_ca(directory: Path, passphrase: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The development CA of `directory` (`dev-ca.p12`, key and certificate), made once
    so that every development signer of the portal is issued by the same CA."""
    target = directory / DEV_CA_FILE
    if target.exists():
        key, cert, _others = pkcs12.load_key_and_certificates(
            target.read_bytes(), passphrase.encode()
        )
        if isinstance(key, rsa.RSAPrivateKey) and cert is not None:
            return key, cert
        raise SigningError(f"CA pengembangan {target} tidak dapat dibaca.")
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
    _write_private(
        target,
        pkcs12.serialize_key_and_certificates(
            name=DEV_CA_CN.encode(),
            key=ca_key,
            cert=ca_cert,
            cas=None,
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
        ),
    )
    return ca_key, ca_cert


def ensure_dev_certificate(
    path: str | os.PathLike[str], passphrase: str, *, common_name: str = DEV_SIGNER_CN
) -> bool:
    """Issue a development signer (PKCS#12 at `path`) from the development CA of its
    directory, if the file is missing.

    Returns True when a file was created, False when one already existed. Every signer
    of one directory shares the CA, so a document with several development signatures
    chains to one root. The subjects say plainly that they are development certificates.
    """
    target = Path(path)
    if target.exists():
        return False
    ca_key, ca_cert = _dev_ca(target.parent, passphrase)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
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
    _write_private(
        target,
        pkcs12.serialize_key_and_certificates(
            name=common_name.encode(),
            key=key,
            cert=cert,
            cas=[ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
        ),
    )
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


def signature_anchor(index: int) -> str:
    """The named destination of the blank box the document reserves for signer `index`
    (`ruang-tanda-tangan`, `ruang-tanda-tangan-2`, ...)."""
    return SIGNATURE_ANCHOR if index == 0 else f"{SIGNATURE_ANCHOR}-{index + 1}"


def signature_field(index: int) -> str:
    return SIGNATURE_FIELD if index == 0 else f"{SIGNATURE_FIELD}{index + 1}"


def _stamp_box(
    reader: Any, anchor: str = SIGNATURE_ANCHOR, fallback_slot: int = 0
) -> tuple[int, tuple[int, int, int, int]]:
    """Page index and box of the visible signature (see module docstring)."""
    dest = None
    try:
        names = reader.root.get("/Names")
        if names is not None and "/Dests" in _resolve(names):
            dest = _name_tree_lookup(_resolve(names)["/Dests"], anchor)
        if dest is None and "/Dests" in reader.root:
            dest = _resolve(reader.root["/Dests"]).get("/" + anchor)
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
    # Fallback: bottom right of the last page, a further signer above the previous one.
    count = int(reader.root["/Pages"]["/Count"])
    page_ref, _resources = reader.find_page_for_modification(count - 1)
    media_box = _resolve(page_ref.get_object()["/MediaBox"])
    right = float(media_box[2]) - _MARGIN_PT
    bottom = float(media_box[1]) + _MARGIN_PT + fallback_slot * (STAMP_HEIGHT_PT + 6)
    return count - 1, (
        round(right - STAMP_WIDTH_PT),
        round(bottom),
        round(right),
        round(bottom + STAMP_HEIGHT_PT),
    )


@dataclass(frozen=True)
class SignerSpec:
    """One signature of a document: who, with which certificate, in which reserved box.

    `anchor` names the blank box the document reserves for this stamp (a visible
    signature is drawn over the page, so the document leaves the place empty);
    `field_name` must differ between the signers of one document.
    """

    signer: signers.SimpleSigner
    name: str
    jabatan: str
    location: str
    reason: str
    verification_url: str
    field_name: str = SIGNATURE_FIELD
    anchor: str = SIGNATURE_ANCHOR


def _sign_one(pdf: bytes, spec: SignerSpec, slot: int) -> bytes:
    now = timezone.now()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    on_page, box = _stamp_box(reader, spec.anchor, fallback_slot=slot)
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
        field_name=spec.field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=_latin(spec.name) or None,
        location=_latin(spec.location) or None,
        reason=_latin(spec.reason) or None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=spec.signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=spec.field_name, on_page=on_page, box=box
        ),
    )
    output = outside_event_loop(
        pdf_signer.sign_pdf,
        writer,
        appearance_text_params={
            "url": spec.verification_url,
            "penanda": _wrap(spec.name, 40),
            "jabatan": _wrap(spec.jabatan, 40),
            "waktu": _latin(waktu_indonesia(now)),
        },
    )
    return bytes(output.getbuffer())


def sign_pdf_signers(pdf: bytes, specs: Sequence[SignerSpec]) -> bytes:
    """Sign `pdf` once per spec, in order (PAdES B-B, pyHanko incremental updates).

    Each signature is appended as its own revision, so every earlier signature stays
    intact and covers the revision its signer saw; the last covers the whole file. Any
    document (rencana kerja, RKT, LHE, letters) reuses this with its own signers.
    """
    if not specs:
        raise SigningError("Tidak ada penanda tangan untuk dokumen ini.")
    names = [spec.field_name for spec in specs]
    if len(set(names)) != len(names):
        raise SigningError("Setiap penanda tangan memerlukan nama ruas tanda tangan sendiri.")
    for slot, spec in enumerate(specs):
        pdf = _sign_one(pdf, spec, slot)
    return pdf


def sign_pdf(
    pdf: bytes,
    *,
    name: str,
    jabatan: str,
    location: str,
    verification_url: str,
    signer: signers.SimpleSigner | None = None,
    reason: str = "Persetujuan Rencana Kerja Pembangunan Zona Integritas",
) -> bytes:
    """Sign `pdf` (PAdES B-B) with one visible signature and a QR code to the verifier."""
    spec = SignerSpec(
        signer=signer or load_signer(),
        name=name,
        jabatan=jabatan,
        location=location,
        reason=reason,
        verification_url=verification_url,
    )
    return sign_pdf_signers(pdf, [spec])


# ---------------------------------------------------------------------------------------
# Verification


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a file, judged on each point separately.

    `intact`: the bytes it covers are unchanged and the cryptographic signature holds.
    `unchanged_after`: it covers the whole file, or what was added after it is only
    further signing (another signer's signature). `trusted`: the signer's certificate
    chains to a configured root (`trust_anchor`); `development` when that root is the
    portal's development CA. `revocation` is a sentence: the portal works offline and
    says when revocation cannot be checked.
    """

    field_name: str
    signer_name: str
    signer_subject: str
    issuer: str
    serial: str
    intact: bool
    whole_file: bool
    unchanged_after: bool
    trusted: bool
    development: bool
    trust_anchor: str
    signing_time: dt.datetime | None
    revoked: bool
    revocation: str


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of checking a signed PDF, with a plain summary in the active language.

    The flags sum up every signature in `signatures` (all must hold); `signer_*` and
    `signing_time` are those of the last signature.
    """

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
    development: bool = False
    signatures: tuple[SignatureCheck, ...] = ()


def _common_name(cert: asn1_x509.Certificate) -> str:
    try:
        value = cert.subject.native.get("common_name", "")
    except (ValueError, AttributeError):
        return ""
    return str(value[-1] if isinstance(value, list) else value)


def _distinguished_name(cert: asn1_x509.Certificate, *, issuer: bool = False) -> str:
    """The subject (or issuer) as RFC 4514 writes it, `CN=…,OU=…,O=…,C=ID`, the form
    pdfsig prints as the signer's full distinguished name: attribute abbreviations, not
    the English labels ("Common Name: …") of asn1crypto on an Indonesian page."""
    try:
        parsed = x509.load_der_x509_certificate(cert.dump())
    except ValueError:
        name = cert.issuer if issuer else cert.subject
        return str(name.human_friendly)
    return (parsed.issuer if issuer else parsed.subject).rfc4514_string()


def _revocation(status: Any, cert: asn1_x509.Certificate) -> tuple[bool, str]:
    details = getattr(status, "revocation_details", None)
    if details is not None:
        return True, _("Dicabut pada %(waktu)s.") % {
            "waktu": waktu_indonesia(details.revocation_date)
        }
    has_source = bool(cert.crl_distribution_points or cert.ocsp_urls)
    if not has_source:
        return False, _(
            "Tidak dapat diperiksa: sertifikat tidak mencantumkan alamat CRL atau OCSP."
        )
    return False, _(
        "Tidak dapat diperiksa: portal tidak menghubungi CRL/OCSP penerbit (%(alamat)s)."
    ) % {"alamat": ", ".join([*cert.ocsp_urls, *(p.url for p in cert.crl_distribution_points)])}


def _check_signature(embedded: Any, context: ValidationContext) -> SignatureCheck:
    status = outside_event_loop(validate_pdf_signature, embedded, context)
    cert = status.signing_cert
    path = getattr(status, "validation_path", None)
    anchor_cert = None
    if path is not None:
        anchor_cert = getattr(path.trust_anchor, "certificate", None)
    trusted = bool(status.trusted)
    development = trusted and anchor_cert is not None and is_development(anchor_cert)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    later_ok = (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and bool(status.docmdp_ok)
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.FORM_FILLING
    )
    revoked, revocation = _revocation(status, cert)
    return SignatureCheck(
        field_name=str(embedded.field_name or ""),
        signer_name=_common_name(cert),
        signer_subject=_distinguished_name(cert),
        issuer=_distinguished_name(cert, issuer=True),
        serial=format(cert.serial_number, "X"),
        intact=bool(status.intact and status.valid),
        whole_file=whole,
        unchanged_after=whole or later_ok,
        trusted=trusted and not revoked,
        development=development,
        trust_anchor=_distinguished_name(anchor_cert) if trusted and anchor_cert else "",
        signing_time=status.signer_reported_dt,
        revoked=revoked,
        revocation=revocation,
    )


def verify_pdf(data: bytes) -> VerificationResult:
    """Validate every signature of `data` against the configured trust roots.

    `valid` holds only when every signature is intact and trusted, the last covers the
    whole file and nothing but further signatures was added after the earlier ones.
    Trust comes from `ZI_TRUST_ROOTS` (and the development CA only when
    `ZI_TRUST_DEV_CA` is set, then reported as `development`).
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
        checks = tuple(_check_signature(sig, context) for sig in embedded)
    except Exception:  # a damaged signature container is an invalid signature
        return failed(
            _("Tanda tangan elektronik pada berkas ini rusak dan tidak dapat diperiksa."),
            signed=True,
        )
    intact = all(c.intact for c in checks)
    trusted = all(c.trusted for c in checks)
    whole_file = all(c.unchanged_after for c in checks) and checks[-1].whole_file
    valid = intact and trusted and whole_file
    development = any(c.development for c in checks)
    last = checks[-1]
    names = ", ".join(c.signer_name for c in checks)
    if valid and development:
        summary = _(
            "Tanda tangan elektronik utuh dan dibuat dengan SERTIFIKAT PENGEMBANGAN "
            "(%(nama)s): sah hanya untuk uji coba, bukan dokumen resmi."
        ) % {"nama": names}
    elif valid:
        summary = _(
            "Tanda tangan elektronik SAH: dokumen tidak berubah sejak ditandatangani dengan "
            "sertifikat %(nama)s."
        ) % {"nama": names}
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
    return VerificationResult(
        sha256=digest,
        signed=True,
        intact=intact,
        trusted=trusted,
        whole_file=whole_file,
        valid=valid,
        signer_subject=last.signer_subject,
        signer_name=last.signer_name,
        signing_time=last.signing_time,
        summary=summary,
        development=development,
        signatures=checks,
    )
