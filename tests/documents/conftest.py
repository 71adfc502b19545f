from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from documents.signing import ensure_dev_certificate, signer_p12_path


@pytest.fixture(scope="session")
def signing_certificate() -> Iterator[Path]:
    """The test PKCS#12 named by the test settings (a development certificate)."""
    path = Path(settings.ZI_SIGNING_P12)
    ensure_dev_certificate(path, settings.ZI_SIGNING_P12_PASSPHRASE)
    # Biro HP's second signer (seed 002's Sekretaris Jenderal), from the same CA.
    ensure_dev_certificate(
        signer_p12_path(1), settings.ZI_SIGNING_P12_PASSPHRASE, common_name="Penyetuju"
    )
    yield path
