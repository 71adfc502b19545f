"""Settings come from the environment, and a mistyped value stops the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zi_portal.env import env_bool, env_int, env_list, env_str, env_url

ROOT = Path(__file__).resolve().parents[2]


def test_it_reads_booleans_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZI_X", "True")
    assert env_bool("ZI_X", False) is True
    monkeypatch.setenv("ZI_X", "ya")
    with pytest.raises(ImproperlyConfigured, match="ZI_X='ya' bukan nilai boolean"):
        env_bool("ZI_X", False)


def test_it_reads_integers_with_a_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZI_N", "20MB")
    with pytest.raises(ImproperlyConfigured, match="bukan bilangan bulat"):
        env_int("ZI_N", 1)
    monkeypatch.setenv("ZI_N", "0")
    with pytest.raises(ImproperlyConfigured, match="harus ≥ 1"):
        env_int("ZI_N", 1, minimum=1)


def test_it_reads_lists_and_secret_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ZI_L", "a.go.id, b.go.id,")
    assert env_list("ZI_L", []) == ["a.go.id", "b.go.id"]
    secret = tmp_path / "secret"
    secret.write_text("rahasia\n")
    monkeypatch.setenv("ZI_S_FILE", str(secret))
    assert env_str("ZI_S") == "rahasia"


def test_it_refuses_a_url_with_the_wrong_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZI_DB", "mysql://x@y/z")
    with pytest.raises(ImproperlyConfigured, match="ZI_DB harus berupa URL dengan skema postgres"):
        env_url("ZI_DB", ("postgres", "sqlite"))


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="zi_portal.settings.base")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_with_a_mistyped_debug_value() -> None:
    result = _start(DEBUG="ture", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG='ture' bukan nilai boolean" in result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    result = _start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY belum diisi" in result.stderr


def test_it_starts_for_development_without_any_server() -> None:
    result = _start(DEBUG="true", ZI_VAR_DIR=str(ROOT / "var"))
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_in_production_without_a_public_address() -> None:
    """Links and QR codes in documents need the real address (zi_portal.lib.urls)."""
    env = {k: v for k, v in os.environ.items() if k not in {"ZI_PUBLIC_BASE_URL", "DEBUG"}}
    env.update(DEBUG="false", SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="zi_portal.settings.base")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ZI_PUBLIC_BASE_URL belum diisi" in result.stderr
    env["ZI_PUBLIC_BASE_URL"] = "ftp://zi.example.go.id"
    assert "skema http, https" in _start(**env).stderr


_SHOW_STORAGE = (
    "import json; from zi_portal.settings import base as s; d = s.STORAGES['default']; "
    "o = d.get('OPTIONS', {}); c = o.get('client_config'); print(json.dumps({'backend': "
    "d['BACKEND'], 'bucket': o.get('bucket_name'), 'endpoint': o.get('endpoint_url'), "
    "'key': o.get('access_key'), 'region': o.get('region_name'), 'overwrite': "
    "o.get('file_overwrite'), 'style': c.s3['addressing_style'] if c else None}))"
)


def _storage_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    clean.update(env, DEBUG="true")
    return subprocess.run(
        [sys.executable, "-c", _SHOW_STORAGE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_stored_files_are_on_disk_unless_a_bucket_is_named() -> None:
    import json

    disk = json.loads(_storage_settings().stdout)
    assert disk["backend"] == "django.core.files.storage.FileSystemStorage"
    s3 = json.loads(
        _storage_settings(
            AWS_STORAGE_BUCKET_NAME="zi-portal",
            AWS_S3_ENDPOINT_URL="http://127.0.0.1:7480",
            AWS_ACCESS_KEY_ID="kunci",
            AWS_SECRET_ACCESS_KEY="rahasia",
        ).stdout
    )
    assert s3 == {
        "backend": "zi_portal.lib.objectstore.PortalS3Storage",
        "bucket": "zi-portal",
        "endpoint": "http://127.0.0.1:7480",
        "key": "kunci",
        "region": "us-east-1",
        "overwrite": False,  # a name clash gets a free variant, as on disk
        "style": "path",
    }
    wrong = _storage_settings(AWS_STORAGE_BUCKET_NAME="b", AWS_S3_ADDRESSING_STYLE="jalan")
    assert wrong.returncode != 0 and "AWS_S3_ADDRESSING_STYLE='jalan' tidak dikenal" in wrong.stderr
    bad_url = _storage_settings(AWS_STORAGE_BUCKET_NAME="b", AWS_S3_ENDPOINT_URL="127.0.0.1:7480")
    assert bad_url.returncode != 0 and "AWS_S3_ENDPOINT_URL harus berupa URL" in bad_url.stderr
