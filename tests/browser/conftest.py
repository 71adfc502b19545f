from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import require
from zi_portal.demo import DEMO_PASSWORD, demo_load

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    require(os.path.exists(CHROMIUM), "Chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # Playwright turns the back/forward cache off; people's browsers have it on, and
        # Back after a submission must behave as there (tests/browser/test_feedback.py).
        "ignore_default_args": ["--disable-back-forward-cache"],
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def demo_live_server(live_server: Any, transactional_db: None) -> Any:
    """A live server over the demo data (transactional tests start from an empty flush)."""
    demo_load()
    return live_server


@pytest.fixture
def browser_login(page: Any, demo_live_server: Any) -> Callable[[str], Any]:
    def _login(username: str) -> Any:
        page.goto(f"{demo_live_server.url}/accounts/login/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        return page

    return _login
