"""Login throttling, security headers and the deployment check (issue 6, deliver 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from zi_portal.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_it_locks_out_after_repeated_wrong_passwords(client: Client) -> None:
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "tim.biro-hp", "password": "salah"})
        assert response.status_code == 200
    locked = client.post("/accounts/login/", {"username": "tim.biro-hp", "password": "salah"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    assert "dikunci selama 15 menit" in locked.content.decode()
    # Even the right password stays locked for this user name and address.
    again = client.post("/accounts/login/", {"username": "tim.biro-hp", "password": DEMO_PASSWORD})
    assert again.status_code == 429
    # Another user from the same address is not affected.
    other = client.post(
        "/accounts/login/", {"username": "tim.pusat-tik", "password": DEMO_PASSWORD}
    )
    assert other.status_code == 302


def test_pages_carry_a_restrictive_csp(login: object) -> None:
    response = login("tim.biro-hp").get("/")  # type: ignore[operator]
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "object-src 'none'" in csp
        and "frame-ancestors 'self'" in csp
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "onclick=" not in response.content.decode() and "onchange=" not in response.content.decode()
    )


def test_the_admin_is_not_reachable_for_non_staff(login: object) -> None:
    response = login("tim.biro-hp").get("/admin/")  # type: ignore[operator]
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_sessions_expire() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Vq2!pX9zL0wR4tY8uB3nM6cF1hJ5dS0aG2eK7iO4pT9yU3vW8xZ1qA6sD2fH5",
    "ALLOWED_HOSTS": "zi.example.go.id",
    "ZI_PUBLIC_BASE_URL": "https://zi.example.go.id",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_TLS_PROXY": "true",
    "AXES_PROXY_COUNT": "1",
}


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path: Path) -> None:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never.
    dev_only = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dev_only}
    env.update(
        PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="zi_portal.settings.base", ZI_VAR_DIR=str(tmp_path)
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
