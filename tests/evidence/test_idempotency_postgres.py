"""Issue 11 part 5 on PostgreSQL: two submissions of one form (same key) at the same
instant make one set of bukti; the loser gets the winner's bukti and leaves no file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from evidence import services, validators
from evidence.models import Bukti
from lke.models import Penilaian, Pertanyaan
from tests.conftest import require
from tests.evidence.files import pdf, png
from tests.storage import files_under
from zi_portal.demo import DEMO_PASSWORD

KEY = "kunci-balapan-0123456789"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_one_key_make_one_set_of_bukti(
    committed_demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite serialises writers, so the race exists only on PostgreSQL (as in production).
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.a")
    folder = Path(settings.MEDIA_ROOT) / "bukti" / str(penilaian.code)
    before = set(files_under(folder))
    # Both requests are held after their key lookup (which found nothing) until both got
    # there: then both store their files and insert; the unique key decides.
    barrier = threading.Barrier(2)
    held = threading.local()
    real = validators.detect_and_validate

    def validate_after_both_looked(upload: Any, **kwargs: Any) -> Any:
        if not getattr(held, "done", False):
            held.done = True
            barrier.wait(timeout=20)
        return real(upload, **kwargs)

    monkeypatch.setattr(services, "detect_and_validate", validate_after_both_looked)
    removed: list[int] = []
    real_remove = services._remove_files

    def remove(rows: list[Bukti]) -> None:
        removed.append(len(rows))
        real_remove(rows)

    monkeypatch.setattr(services, "_remove_files", remove)
    answers: list[tuple[int, str]] = []

    def submit() -> None:
        try:
            client = Client()
            assert client.login(username="tim.biro-hp", password=DEMO_PASSWORD)
            response = client.post(
                f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/",
                {"berkas": [pdf(), png()], "kunci": KEY},
                HTTP_HX_REQUEST="true",
            )
            answers.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [code for code, _ in answers] == [200, 200]
    assert all("2 berkas bukti tersimpan" in html for _, html in answers)
    rows = list(Bukti.objects.filter(penilaian=penilaian, pertanyaan=q))
    assert sorted(b.kunci_kirim for b in rows) == [f"{KEY}:0", f"{KEY}:1"]
    assert removed and removed[0] >= 1  # the race did happen: the loser rolled back
    # The loser's files were removed: the folder holds exactly the winner's two.
    assert set(files_under(folder)) - before == {Path(b.berkas.path) for b in rows}
