from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from zi_portal.demo import DEMO_PASSWORD

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, what: str) -> None:
    """Skip a test whose real service is missing, except in CI, where it fails."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI: {what} tidak tersedia, padahal tes ini wajib berjalan di CI.")
    pytest.skip(f"{what} tidak tersedia")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the portal's default language (Indonesian).

    A request through the test client activates the language of that request in the
    test's thread and leaves it active; without this, a test after one that asked for
    English would read English messages.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the demo data set once; tests run in transactions on top of it."""
    from zi_portal.demo import demo_load

    with django_db_blocker.unblock():
        demo_load()
    yield


@pytest.fixture
def login(db: None) -> Callable[[str], Client]:
    def _login(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        return client

    return _login


@pytest.fixture
def biro_hp(db: None) -> Any:
    from lke.models import Penilaian

    return Penilaian.objects.select_related("model", "unit").get(unit__slug="biro-hp")


@pytest.fixture
def question(biro_hp: Any) -> Callable[[str], Any]:
    from lke.models import Pertanyaan

    def _q(kode: str) -> Any:
        return Pertanyaan.objects.get(model=biro_hp.model, kode=kode)

    return _q


@pytest.fixture
def committed_demo(transactional_db: None) -> None:
    """Demo data in committed rows, for tests that need real commits or another process.

    Transactional tests end with a flush, so each one loads the demo data again.
    """
    from zi_portal.demo import demo_load

    demo_load()
