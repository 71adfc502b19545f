"""Issue 13 part 5: the items the TPI returned are one click away (code, question, the
TPI's catatan, a link to the question) on the dashboard, the submit page and in the notice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from scoring.selectors import returned_items
from scoring.services import jawaban_save
from scoring.workflow import penilaian_submit
from units.access import unit_access
from units.models import Notifikasi

CATATAN = "SK tim belum ditandatangani pimpinan"


@pytest.fixture
def returned(
    biro_hp: Any,
    question: Callable[[str], Any],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> Any:
    """biro-hp submitted; the TPI returns A.I.1.i.a with a catatan and accepts nothing else."""
    tim = get_user_model().objects.get(username="tim.biro-hp")
    q = question("A.I.1.i.a")
    jawaban_save(penilaian=biro_hp, set_="mandiri", pertanyaan=q, opsi="Ya", user=tim)
    access = unit_access(tim, biro_hp.unit)
    assert access is not None
    penilaian_submit(penilaian=biro_hp, user=tim, access=access)
    with django_capture_on_commit_callbacks(execute=True):
        response = login("tpi.mk").post(
            f"/penilaian/{biro_hp.code}/reviu/{q.pk}/",
            {"versi": "0", "opsi": "Ya", "status": "perlu_perbaikan", "catatan": CATATAN},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    return q


def _link(biro_hp: Any, q: Any) -> str:
    return f"/penilaian/{biro_hp.code}/area/{q.indikator.area.nomor}/#q-{q.pk}"


def test_the_selector_lists_each_returned_question_with_catatan_and_link(
    biro_hp: Any, returned: Any
) -> None:
    items = returned_items(biro_hp)
    assert [(i.pertanyaan.kode, i.catatan) for i in items] == [("A.I.1.i.a", CATATAN)]
    assert items[0].url == _link(biro_hp, returned)


def test_nothing_returned_lists_nothing(biro_hp: Any) -> None:
    assert returned_items(biro_hp) == []


def test_the_dashboard_lists_the_returned_items(
    biro_hp: Any, returned: Any, login: Callable[[str], Client]
) -> None:
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/").content.decode()
    assert 'data-returned-items="1"' in html
    assert f'href="{_link(biro_hp, returned)}"' in html
    assert CATATAN in html and returned.teks[:40] in html


def test_the_dashboard_has_no_returned_list_when_nothing_is_returned(
    biro_hp: Any, login: Callable[[str], Client]
) -> None:
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/").content.decode()
    assert "data-dikembalikan" not in html


def test_the_submit_page_lists_the_returned_items(
    biro_hp: Any, returned: Any, login: Callable[[str], Client]
) -> None:
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/ajukan/").content.decode()
    assert 'data-returned-items="1"' in html
    assert f'href="{_link(biro_hp, returned)}"' in html and CATATAN in html


def test_the_notice_names_the_item_and_links_to_it(
    biro_hp: Any, returned: Any, login: Callable[[str], Client]
) -> None:
    notice = Notifikasi.objects.get(user__username="tim.biro-hp")
    assert "A.I.1.i.a" in notice.pesan and CATATAN in notice.pesan
    assert notice.url == _link(biro_hp, returned)
    html = login("tim.biro-hp").get("/notifikasi/").content.decode()
    assert f'href="{_link(biro_hp, returned)}"' in html


def test_the_finalize_refusal_names_the_returned_items_the_same_way(
    biro_hp: Any, returned: Any, login: Callable[[str], Client]
) -> None:
    response = login("tpi.mk").post(f"/penilaian/{biro_hp.code}/final/", {"konfirmasi": "ya"})
    assert response.status_code == 409
    html = response.content.decode()
    listed = html.split("data-dikembalikan", 1)[1].split("</div>\n", 1)[0]
    assert 'data-returned-items="1"' in listed
    assert returned.teks[:40] in listed and CATATAN in listed
    review = (
        f"/penilaian/{biro_hp.code}/reviu/area/{returned.indikator.area.nomor}/#r-{returned.pk}"
    )
    assert f'href="{review}"' in listed


def test_after_a_submission_with_nothing_returned_the_submit_page_counts_no_items(
    biro_hp: Any, login: Callable[[str], Client]
) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    access = unit_access(tim, biro_hp.unit)
    assert access is not None
    penilaian_submit(penilaian=biro_hp, user=tim, access=access)
    html = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/ajukan/").content.decode()
    assert "data-sudah-diajukan" in html
    assert "0 butir dikembalikan" not in html
