"""The answer service under concurrency: two first saves of the same question."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lke.models import Penilaian, Pertanyaan
from scoring.models import Jawaban
from scoring.services import KonflikVersi, jawaban_save
from tests.conftest import require


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_give_one_answer_and_one_conflict(committed_demo: None) -> None:
    # SQLite serialises writers, so the race exists only on PostgreSQL (as in production).
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    penilaian = Penilaian.objects.get(unit__slug="biro-hp")
    q = Pertanyaan.objects.get(model=penilaian.model, kode="A.I.1.i.b")
    users = list(get_user_model().objects.filter(username__in=["tim.biro-hp", "admin"]))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: Any, opsi: str) -> None:
        try:
            barrier.wait(timeout=10)
            jawaban_save(
                penilaian=penilaian,
                set_="mandiri",
                pertanyaan=q,
                opsi=opsi,
                user=user,
                expected_versi=0,
            )
            outcomes.append("tersimpan")
        except KonflikVersi:
            outcomes.append("konflik")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(u, o)) for u, o in zip(users, ["A", "C"], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["konflik", "tersimpan"]
    assert Jawaban.objects.filter(penilaian=penilaian, pertanyaan=q, set="mandiri").count() == 1
