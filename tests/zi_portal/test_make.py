"""Issue 13 part 8: `make run PORT=8123` serves on that port (8000 without it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_line(*args: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    # -n: print the recipes without running them (nothing is installed or served).
    out = subprocess.run(
        [make, "-n", "-C", str(ROOT), "run", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PORT"},
    ).stdout
    lines = [line for line in out.splitlines() if "manage.py runserver" in line]
    assert len(lines) == 1, out
    return lines[0]


def test_make_run_accepts_port() -> None:
    assert _run_line("PORT=8123").endswith("runserver 127.0.0.1:8123")


def test_make_run_defaults_to_port_8000() -> None:
    assert _run_line().endswith("runserver 127.0.0.1:8000")
