"""Production static files: `collectstatic` with the hashed manifest storage succeeds."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_the_production_manifest_storage(tmp_path: Path) -> None:
    # ManifestStaticFilesStorage (DEBUG=false) rewrites every url() and sourceMappingURL;
    # a reference to a file that is not shipped aborts the deployment.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]
    assert hashed != "vendor/bootstrap/bootstrap.min.css"
    assert (tmp_path / hashed).is_file()
    assert "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2" in manifest["paths"]
