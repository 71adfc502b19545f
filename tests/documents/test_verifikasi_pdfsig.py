"""Issue 15 part 8: the verification page agrees with poppler's pdfsig on the same file,
signature by signature (integrity and trust), also for a tampered copy."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from documents.models import DokumenTertandatangan
from tests.conftest import require

PDFSIG = "/usr/bin/pdfsig"
pytestmark = pytest.mark.django_db


def pdfsig(data: bytes, tmp_path: Path) -> list[dict[str, Any]]:
    """Each signature as pdfsig judges it (poppler, independent of pyHanko)."""
    require(Path(PDFSIG).is_file() or shutil.which("pdfsig") is not None, "pdfsig (poppler)")
    target = tmp_path / "berkas.pdf"
    target.write_bytes(data)
    out = subprocess.run(
        [PDFSIG if Path(PDFSIG).is_file() else "pdfsig", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    ).stdout
    result = []
    for block in re.split(r"^Signature #\d+:$", out, flags=re.M)[1:]:
        name = re.search(r"Signer Certificate Common Name: (.*)", block)
        dn = re.search(r"Signer full Distinguished Name: (.*)", block)
        result.append(
            {
                "name": name.group(1).strip() if name else "",
                "dn": dn.group(1).strip() if dn else "",
                "intact": "Signature Validation: Signature is Valid." in block,
                "trusted": "Certificate Validation: Certificate is Trusted." in block,
            }
        )
    return result


def page_signatures(html: str) -> list[dict[str, Any]]:
    return [
        {"name": name.strip(), "intact": utuh == "ya", "trusted": dipercaya}
        for utuh, dipercaya, name in re.findall(
            r'data-tanda-tangan-ke="\d+" data-utuh="(\w+)" data-dipercaya="(\w+)">\s*'
            r'<h3 class="h6">[^<:]*: ([^<]*)</h3>',
            html,
        )
    ]


@pytest.fixture
def dokumen() -> DokumenTertandatangan:
    return DokumenTertandatangan.objects.get(
        rencana_kerja__penilaian__unit__slug="biro-hp", aktif=True
    )


def _stored(dokumen: DokumenTertandatangan) -> bytes:
    with dokumen.berkas.open("rb") as handle:
        data: bytes = handle.read()
    return data


@override_settings(ZI_TRUST_DEV_CA=False, ZI_TRUST_ROOTS=[])
def test_the_page_agrees_with_pdfsig_on_every_signature(
    client: Client, dokumen: DokumenTertandatangan, tmp_path: Path
) -> None:
    data = _stored(dokumen)
    expected = pdfsig(data, tmp_path)
    assert len(expected) == 2  # seed 002: Kepala Biro, then the Sekretaris Jenderal
    html = client.get(f"/verifikasi/{dokumen.code}/").content.decode()
    shown = page_signatures(html)
    assert [s["name"] for s in shown] == [s["name"] for s in expected]
    assert [s["intact"] for s in shown] == [s["intact"] for s in expected] == [True, True]
    # The development certificate is not trusted by pdfsig, nor by the page.
    assert [s["trusted"] == "ya" for s in shown] == [s["trusted"] for s in expected]
    assert "Sertifikat dipercaya" not in html and 'data-status="tidak-sah"' in html
    assert "Status pencabutan" in html and "Tidak dapat diperiksa" in html


@override_settings(ZI_TRUST_DEV_CA=False, ZI_TRUST_ROOTS=[])
def test_the_page_names_each_signer_as_pdfsig_does_without_english_labels(
    client: Client, dokumen: DokumenTertandatangan, tmp_path: Path
) -> None:
    from django.utils.html import escape

    from documents.signing import verify_pdf

    data = _stored(dokumen)
    expected = pdfsig(data, tmp_path)
    result = verify_pdf(data)
    assert [s.signer_subject for s in result.signatures] == [s["dn"] for s in expected]
    assert all(s.issuer.startswith("CN=ZI Portal Development CA,") for s in result.signatures)
    html = client.get(f"/verifikasi/{dokumen.code}/").content.decode()
    for s in expected:
        assert escape(s["dn"]) in html
    for label in ("Common Name", "Organizational Unit", "Organization:", "Country"):
        assert label not in html


def test_a_trusted_development_ca_is_labelled_never_trusted_as_official(
    client: Client, dokumen: DokumenTertandatangan, tmp_path: Path
) -> None:
    expected = pdfsig(_stored(dokumen), tmp_path)
    html = client.get(f"/verifikasi/{dokumen.code}/").content.decode()  # ZI_TRUST_DEV_CA on
    shown = page_signatures(html)
    assert not any(s["trusted"] for s in expected)
    assert [s["trusted"] for s in shown] == ["pengembangan", "pengembangan"]
    assert "data-pengembangan" in html and "Sertifikat pengembangan" in html


@override_settings(ZI_TRUST_DEV_CA=False, ZI_TRUST_ROOTS=[])
def test_a_tampered_copy_is_judged_as_pdfsig_judges_it(
    client: Client, dokumen: DokumenTertandatangan, tmp_path: Path
) -> None:
    data = bytearray(_stored(dokumen))
    at = data.index(b"Heru Setiawan")  # in the first signed revision
    data[at] = ord("X")
    expected = pdfsig(bytes(data), tmp_path)
    response = client.post(
        f"/verifikasi/{dokumen.code}/",
        {"berkas": SimpleUploadedFile("salinan.pdf", bytes(data), "application/pdf")},
    )
    html = response.content.decode()
    salinan = html.split("data-salinan=", 1)[1]
    shown = page_signatures(salinan)
    assert len(shown) == len(expected) == 2
    assert [s["intact"] for s in shown] == [s["intact"] for s in expected]
    assert not all(s["intact"] for s in expected)


def _official_ca(tmp_path: Path) -> tuple[Path, Any]:
    """A CA without the development mark (as the BSrE root or an instansi's CA would be)
    and a signer it issued: the root's PEM file and the pyHanko signer."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    def name(cn: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CA Uji Instansi"),
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
            ]
        )

    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("CA Uji"))
        .issuer_name(name("CA Uji"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Penanda Tangan Uji"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
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
        .sign(ca_key, hashes.SHA256())
    )
    root = tmp_path / "akar.pem"
    root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    p12 = tmp_path / "uji.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"uji", key, cert, [ca], serialization.BestAvailableEncryption(b"uji")
        )
    )
    load: Any = signers.SimpleSigner.load_pkcs12
    return root, load(str(p12), passphrase=b"uji")


def test_a_signature_chaining_to_a_configured_root_is_valid_and_official(tmp_path: Path) -> None:
    from weasyprint import HTML

    from documents.signing import sign_pdf, verify_pdf

    root, signer = _official_ca(tmp_path)
    pdf = HTML(string="<p>Dokumen uji</p>").write_pdf()
    signed = sign_pdf(
        pdf, name="Uji", jabatan="", location="", verification_url="http://x/", signer=signer
    )
    with override_settings(ZI_TRUST_ROOTS=[str(root)], ZI_TRUST_DEV_CA=False):
        result = verify_pdf(signed)
    assert result.valid and not result.development
    assert result.signatures[0].trust_anchor.startswith("CN=CA Uji,")
    assert result.summary.startswith("Tanda tangan elektronik SAH")
    with override_settings(ZI_TRUST_ROOTS=[], ZI_TRUST_DEV_CA=True):
        assert not verify_pdf(signed).trusted  # the development CA does not vouch for it
