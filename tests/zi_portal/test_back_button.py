"""Issue 13 part 6: after submitting, Back never offers a resubmission that then fails.

The pages whose forms move a workflow (submit to the TPI, approve the rencana kerja,
finalize / reopen on the score page) are sent with `Cache-Control: no-store`, so the
browser fetches them anew on Back instead of showing the stale form. The browser side is
tests/browser/test_feedback.py and the journeys (tests/browser/test_journeys.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("tim.biro-hp", "scoring:ajukan"),
        ("tim.biro-hp", "documents:rencana_kerja"),
        ("pimpinan.biro-hp", "documents:rencana_kerja"),
        ("tpi.mk", "scoring:skor"),
        ("admin", "scoring:skor"),
    ],
)
def test_pages_with_a_workflow_form_are_never_cached(
    username: str, name: str, login: Callable[[str], Client], biro_hp: Any
) -> None:
    response = login(username).get(reverse(name, args=[biro_hp.code]))
    assert response.status_code == 200
    cache_control = {p.strip() for p in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate"} <= cache_control, cache_control
    assert "Expires" in response
