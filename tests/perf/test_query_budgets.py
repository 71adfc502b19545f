"""Query budgets: every page and HTMX fragment runs a fixed number of SQL queries.

The benchmark data (bench.data) is built at 1× (one unit) and then grown to 20×
(twenty units of the same instansi, every unit with two years of answers, evidence,
rencana aksi and history); each page must stay within the same bound at both sizes, and
run exactly as many queries at 20× as at 1×. Timings live in bench/ (`make bench`),
never here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bench.data import BenchSpec, bench_data_build, tim_username, tpi_username, unit_slug
from documents.models import ExportJob
from evidence.models import RencanaAksi
from lke.models import Penilaian, Pertanyaan, StatusPenilaian
from scoring.models import Jawaban, SetJawaban

# The most queries each page may run, at any data size: today's count plus two. Raising a
# bound needs a reason; a count that grows with the data is an N+1 to fix instead.
BUDGETS: dict[str, int] = {
    "home (tim kerja)": 9,
    "home (TPI)": 9,
    "home (admin)": 8,
    "notifikasi": 7,
    # +2 (issue 14): the evidence checks' summary card (bukti with their text status, findings).
    # +1 (issue 13): the items the TPI returned, with their catatan and links.
    # +8 (issue 17): the RKT indikator tied to the ZI score, and that score (snapshot, or
    # the live score: answers, hasil, predikat held) for "Skor 75: kurang 6,43".
    "dashboard": 27,
    # +2 (issue 14): the checks of the bukti shown (findings, text status of those bukti).
    "worksheet": 23,
    # +4 (issue 14): the readiness list (areas, questions, bukti with text status, findings).
    "ajukan": 16,
    "rencana aksi": 13,
    "rencana aksi row (htmx)": 10,
    "rencana aksi form (htmx)": 10,
    "rencana kerja": 10,
    # The RKT page scores the ZI indikator of this year and of last year's RKT (issue 17).
    "rkt": 28,
    "rkt (TPI)": 17,
    "rkt ubah": 12,
    "riwayat": 11,
    "TPI queue": 9,
    # Issue 16: the instansi recap (freshness check: four aggregates; count, page rows,
    # their recap figures, questions, evidence, checks, predikat history, chart, summary,
    # thresholds, years, units without a penilaian), its recap rows made by an earlier
    # request.
    "instansi page (TPI)": 24,
    "instansi page (admin, filtered)": 24,
    # +2 (issue 14): the checks of the bukti shown, as on the worksheet.
    "reviu": 22,
    # +5 (issue 17): the B.I.b suggestion beside the input (RKT, sasaran, indikator,
    # realisasi, last year's RKT; the ZI indikator's score).
    "hasil": 18,
    # +1 (issue 13): each gap-advisor item links to its question (one query for them all).
    # +2 (issue 12 part 8): the model's notes, unverified rules and indikator sources
    # (lke.catatan.model_notices: rules, indikator; constant at any data size).
    # +3 (issue 16): SetJawaban.TPN (the line shared with the TPN helper): the page reads
    # and scores the TPN set too (answers, hasil, predikat held).
    "skor (mandiri)": 20,
    # +3 (issue 10): under reviu TPI the page lists what blocks finalizing (questions,
    # reviews, TPI answers, hasil items and inputs: five queries at any data size).
    # +1 (issue 12): the predikat held in the penilaian's year comes from the history.
    # +1 (issue 13): each gap-advisor item links to its question (one query for them all).
    # +2 (issue 12 part 8): the model's notes, as for the mandiri view.
    # +3 (issue 16): the TPN set, as for the mandiri view.
    "skor (TPI)": 22,
    "ekspor status (htmx)": 8,
    # issue 16 part 2: every year of the unit (final years from their snapshots; the two
    # years here are not final, so each is scored live: a fixed cost per such year).
    "antar tahun": 28,
    "tahun baru": 10,
    # issue 16 part 3: the TPN's pages (here under reviu TPI, so the refusal is shown;
    # the answers of an area in one query, every set at once).
    "tpn": 13,
    "tpn area": 13,
    # issue 12 part 3: the Tabel 5 checklist (table, rows, values, the two 5.iii figures).
    "syarat": 23,
    # +2 each (issue 14): the question card shows its bukti's checks, as on the worksheet.
    # +2 (issue 16): the saved answer removes the penilaian's instansi recap row (a
    # SnapshotSkor row: its delete also looks for signed documents of that snapshot).
    "save answer (htmx)": 30,
    # +3 (issue 16): the saved review removes the recap row, as the answer does.
    "save review (htmx)": 36,
}
SMALL, LARGE = 1, 20
YEARS = 2
LAST_YEAR = 2024


@dataclass
class Page:
    name: str
    user: str
    url: str
    method: str = "get"
    data: Callable[[], dict[str, Any]] = field(default=lambda: {})
    htmx: bool = False
    status: int = 200
    # Request once before counting: the instansi page makes its recap rows on first use
    # (and after each change), then reads them.
    warm: bool = False


def _penilaian(tahun: int) -> Penilaian:
    return Penilaian.objects.get(unit__slug=unit_slug(1), tahun=tahun)


def _prepare() -> tuple[Penilaian, Penilaian]:
    """Unit 1: the current year in pengisian (its tim kerja works), last year under the
    TPI's review. The same rows at both sizes: unit 1 does not depend on N."""
    current, reviewed = _penilaian(LAST_YEAR), _penilaian(LAST_YEAR - 1)
    Penilaian.objects.filter(pk=current.pk).update(status=StatusPenilaian.PENGISIAN)
    Penilaian.objects.filter(pk=reviewed.pk).update(status=StatusPenilaian.REVIU_TPI)
    return current, reviewed


def _rkt(p: Penilaian) -> None:
    """An RKT of the unit's year (issue 17): three sasaran, nine indikator, one tied to
    the ZI score, realisasi in two quarters. The same rows at both sizes."""
    from evidence.models import IndikatorKinerja
    from evidence.rkt import BarisRkt, realisasi_save, rkt_save

    if IndikatorKinerja.objects.filter(sasaran__rkt__unit=p.unit, sasaran__rkt__tahun=p.tahun):
        return
    rows = [
        BarisRkt(f"{s}.", f"Sasaran {s}", f"{i}.", f"Indikator {s}.{i}", "95%")
        for s in (1, 2, 3)
        for i in (1, 2, 3)
    ]
    rows.append(BarisRkt("3.", "Sasaran 3", "4.", "Nilai ZI", "Skor 75", tautan_zi="tpi"))
    rkt_save(unit=p.unit, tahun=p.tahun, header={}, rows=rows, user=None)
    for i in IndikatorKinerja.objects.filter(sasaran__rkt__unit=p.unit, tautan_zi=""):
        for triwulan in (1, 2):
            realisasi_save(indikator=i, triwulan=triwulan, nilai="50", user=None)


def _pages(current: Penilaian, reviewed: Penilaian, size: str) -> list[Page]:
    tim, tpi = tim_username(1), tpi_username(1)
    c, r = current.code, reviewed.code
    q = (
        Pertanyaan.objects.filter(model=current.model, jenis="abc")
        .order_by("indikator__area__nomor", "urutan")
        .first()
    )
    assert q is not None
    # An existing answer at both sizes, so both saves take the same (update) path.
    Jawaban.objects.get_or_create(
        penilaian=current, set=SetJawaban.MANDIRI, pertanyaan=q, defaults={"opsi": "A"}
    )
    ra = RencanaAksi.objects.filter(penilaian=current, indikator__isnull=False).first()
    assert ra is not None and ra.indikator is not None
    _rkt(current)
    _rkt(reviewed)
    job = ExportJob.objects.create(
        owner=get_user_model().objects.get(username=tim),
        penilaian=current,
        jenis="lke_xlsx",
        kedaluwarsa=current.created_at,
    )

    def answer() -> dict[str, Any]:
        mine = Jawaban.objects.filter(penilaian=current, set=SetJawaban.MANDIRI, pertanyaan=q)
        versi = mine.values_list("versi", flat=True).first() or 0
        return {"opsi": "B" if versi % 2 else "A", "catatan": "", "versi": versi}

    def review() -> dict[str, Any]:
        mandiri = Jawaban.objects.filter(penilaian=reviewed, set=SetJawaban.MANDIRI, pertanyaan=q)
        tpi_answer = Jawaban.objects.filter(penilaian=reviewed, set=SetJawaban.TPI, pertanyaan=q)
        return {
            "opsi": mandiri.values_list("opsi", flat=True).first() or "A",
            "status": "diterima",
            "catatan": f"Sesuai bukti ({size}).",  # a change at each size
            "versi": tpi_answer.values_list("versi", flat=True).first() or 0,
        }

    return [
        Page("home (tim kerja)", tim, "/"),
        Page("home (TPI)", tpi, "/"),
        Page("home (admin)", "admin", "/"),
        Page("notifikasi", tim, "/notifikasi/"),
        Page("dashboard", tim, f"/penilaian/{c}/"),
        *(Page("worksheet", tim, f"/penilaian/{c}/area/{n}/") for n in range(1, 7)),
        Page("ajukan", tim, f"/penilaian/{c}/ajukan/"),
        Page("rencana aksi", tim, f"/penilaian/{c}/indikator/{ra.indikator.kode}/rencana-aksi/"),
        Page("rencana aksi row (htmx)", tim, f"/penilaian/{c}/rencana-aksi/{ra.code}/", htmx=True),
        Page(
            "rencana aksi form (htmx)",
            tim,
            f"/penilaian/{c}/rencana-aksi/{ra.code}/ubah/",
            htmx=True,
        ),
        Page("rencana kerja", tim, f"/penilaian/{c}/rencana-kerja/"),
        Page("rkt", tim, f"/penilaian/{c}/rkt/"),
        Page("rkt (TPI)", tpi, f"/penilaian/{r}/rkt/"),
        Page("rkt ubah", tim, f"/penilaian/{c}/rkt/ubah/"),
        Page("riwayat", tpi, f"/penilaian/{r}/riwayat/"),
        Page("TPI queue", tpi, "/tpi/"),
        Page("instansi page (TPI)", tpi, "/instansi/bench-01/?urut=-tpi", warm=True),
        Page(
            "instansi page (admin, filtered)",
            "admin",
            "/instansi/bench-01/?tahun=2023&status=reviu_tpi&urut=-mandiri",
            warm=True,
        ),
        *(Page("reviu", tpi, f"/penilaian/{r}/reviu/area/{n}/") for n in range(1, 7)),
        Page("hasil", tpi, f"/penilaian/{r}/hasil/"),
        Page("skor (mandiri)", tim, f"/penilaian/{c}/skor/"),
        Page("skor (TPI)", tpi, f"/penilaian/{r}/skor/?oleh=tpi"),
        Page("ekspor status (htmx)", tim, f"/ekspor/{job.pk}/status/", htmx=True),
        Page("antar tahun", tim, f"/penilaian/{c}/antar-tahun/"),
        Page("tahun baru", "admin", f"/penilaian/{c}/tahun-baru/"),
        Page("tpn", tpi, f"/penilaian/{r}/tpn/"),
        *(Page("tpn area", tpi, f"/penilaian/{r}/tpn/area/{n}/") for n in range(1, 7)),
        Page("syarat", tim, f"/penilaian/{c}/syarat/"),
        Page(
            "save answer (htmx)",
            tim,
            f"/penilaian/{c}/jawaban/{q.pk}/",
            method="post",
            data=answer,
            htmx=True,
        ),
        Page(
            "save review (htmx)",
            tpi,
            f"/penilaian/{r}/reviu/{q.pk}/",
            method="post",
            data=review,
            htmx=True,
        ),
    ]


def _measure(size: str, assert_max: Any, clients: dict[str, Client]) -> dict[tuple[str, int], int]:
    current, reviewed = _prepare()
    counts: dict[tuple[str, int], int] = {}
    for index, page in enumerate(_pages(current, reviewed, size)):
        client = clients.get(page.user)
        if client is None:
            client = clients[page.user] = Client()
            client.force_login(get_user_model().objects.get(username=page.user))
        headers = {"HX-Request": "true"} if page.htmx else {}
        data = page.data()
        if page.warm:
            getattr(client, page.method)(page.url, data, headers=headers)
        with assert_max(BUDGETS[page.name], info=f"{page.name} at {size}: {page.url}") as ctx:
            response = getattr(client, page.method)(page.url, data, headers=headers)
        assert response.status_code == page.status, (page.name, size, response.status_code)
        counts[(page.name, index)] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_every_page_runs_the_same_number_of_queries_at_1x_and_20x_data(
    django_assert_max_num_queries: Any,
) -> None:
    clients: dict[str, Client] = {}
    bench_data_build(BenchSpec(units=SMALL, years=YEARS, last_year=LAST_YEAR))
    small = _measure("1x", django_assert_max_num_queries, clients)

    bench_data_build(BenchSpec(units=LARGE, years=YEARS, last_year=LAST_YEAR))
    assert Penilaian.objects.filter(unit__slug__startswith="bench-").count() == LARGE * YEARS
    large = _measure("20x", django_assert_max_num_queries, clients)

    grown = {page: (small[page], n) for page, n in large.items() if n != small[page]}
    assert not grown, f"query counts that grow with the data (1x, 20x): {grown}"


@pytest.mark.django_db
def test_the_tpi_queue_pages_through_every_submitted_penilaian(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The queue shows a page at a time (its cost does not grow with the instansi)."""
    import re

    from scoring import views

    bench_data_build(BenchSpec(units=6, years=YEARS, last_year=LAST_YEAR))
    submitted = set(
        Penilaian.objects.filter(unit__slug__startswith="bench-")
        .exclude(status=StatusPenilaian.PENGISIAN)
        .values_list("unit__slug", "tahun")
    )
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 4)
    client = Client()
    client.force_login(get_user_model().objects.get(username=tpi_username(1)))
    seen: list[tuple[str, int]] = []
    pages = -(-len(submitted) // 4)
    for number in range(1, pages + 1):
        html = client.get("/tpi/", {"halaman": number}).content.decode()
        rows = re.findall(r'data-penilaian="(bench-u\d{4})-(\d{4})"', html)
        assert 0 < len(rows) <= 4
        seen += [(slug, int(tahun)) for slug, tahun in rows]
        assert f"{number} / {pages}" in html
    assert len(seen) == len(set(seen)) and set(seen) == submitted


@pytest.mark.django_db
def test_the_home_page_pages_through_every_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TPI of a large instansi sees its units a page at a time."""
    import re

    from scoring import views_portal as views

    bench_data_build(BenchSpec(units=6, years=1, last_year=LAST_YEAR))
    monkeypatch.setattr(views, "HOME_PAGE_SIZE", 4)
    client = Client()
    client.force_login(get_user_model().objects.get(username=tpi_username(1)))
    seen: list[str] = []
    for number in (1, 2):
        html = client.get("/", {"halaman": number}).content.decode()
        seen += re.findall(r'data-unit="(bench-u\d{4})"', html)
        assert f"{number} / 2" in html
    assert sorted(seen) == [unit_slug(i) for i in range(1, 7)]  # each unit once
