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
        result.append(
            {
                "name": name.group(1).strip() if name else "",
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
