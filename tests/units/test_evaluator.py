"""Outside evaluators (issue 16 part 4): a grant of one penilaian for a period.

The matrix (tests/test_authorization_matrix.py) checks every URL for an evaluator inside,
after and before its period; here: the day boundaries in Asia/Jakarta, the file log of
every file door, the grant in the admin and its Riwayat, the home page, exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import Http404
from django.test import Client
from django.urls import reverse

from documents.models import ExportJob, JenisEkspor, StatusEkspor
from lke.access import get_penilaian_for_user
from lke.models import Penilaian
from tests.authz_matrix import EVALUATOR_AKTIF, EVALUATOR_BERAKHIR, OWN, Scene
from tests.test_authorization_matrix import (
    bukti_kw,
    dokumen_kw,
    job_kw,
    penetapan_sk_kw,
    syarat_berkas_kw,
)
from units.access import EVALUATOR_LUAR, Izin, penilaian_access, tanggal_akses
from units.models import AksesBerkas, AksesEvaluator, JenisEvaluator, Riwayat, UnitKerja

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _grant(
    user: User,
    mulai: dt.date,
    selesai: dt.date,
    *,
    slug: str = "biro-hp",
    tahun: int = 2022,
) -> AksesEvaluator:
    return AksesEvaluator.objects.create(
        user=user,
        jenis=JenisEvaluator.AUDITOR,
        lembaga="Kantor Akuntan Publik Uji",
        unit=UnitKerja.objects.get(slug=slug),
        tahun=tahun,
        mulai=mulai,
        selesai=selesai,
    )


@pytest.fixture
def evaluator() -> User:
    user: User = get_user_model().objects.create_user(username="auditor.kap", password="x")
    return user


@pytest.fixture
def biro_hp_2022() -> Penilaian:
    return Penilaian.objects.select_related("unit").get(unit__slug="biro-hp", tahun=2022)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        # 1 March 2026 00:00 in Jakarta is 28 February 17:00 UTC.
        (dt.datetime(2026, 2, 28, 16, 59, 59, tzinfo=UTC), False),
        (dt.datetime(2026, 2, 28, 17, 0, 0, tzinfo=UTC), True),
        # The last day counts to its end: 31 March 23:59:59 in Jakarta.
        (dt.datetime(2026, 3, 31, 16, 59, 59, tzinfo=UTC), True),
        (dt.datetime(2026, 3, 31, 17, 0, 0, tzinfo=UTC), False),
    ],
)
def test_it_counts_the_period_in_jakarta_days_both_ends_included(
    evaluator: User, biro_hp_2022: Penilaian, moment: dt.datetime, inside: bool
) -> None:
    _grant(evaluator, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with time_machine.travel(moment, tick=False):
        access = penilaian_access(evaluator, biro_hp_2022)
    assert (access is not None) is inside
    if access is not None:
        assert access.roles == {EVALUATOR_LUAR}
        assert access.permissions == {Izin.VIEW, Izin.EXPORT}


def test_it_gives_no_other_year_of_the_unit(evaluator: User, biro_hp_2022: Penilaian) -> None:
    today = tanggal_akses()
    _grant(evaluator, today, today)
    other_year = Penilaian.objects.create(
        unit=biro_hp_2022.unit, tahun=2023, model=biro_hp_2022.model
    )
    assert penilaian_access(evaluator, biro_hp_2022) is not None
    assert penilaian_access(evaluator, other_year) is None
    with pytest.raises(Http404):
        get_penilaian_for_user(evaluator, str(other_year.code))


def test_a_member_of_the_unit_keeps_their_own_role(biro_hp_2022: Penilaian) -> None:
    tim = get_user_model().objects.get(username="tim.biro-hp")
    access = penilaian_access(tim, biro_hp_2022)
    assert access is not None and access.akses_evaluator is None and access.can(Izin.SUBMIT)


# -- the file log: every file door -----------------------------------------------------

FILE_DOORS: dict[str, tuple[Callable[[Scene], dict[str, Any]], str]] = {
    "evidence:bukti": (bukti_kw, AksesBerkas.Jenis.BUKTI),
    "documents:dokumen": (dokumen_kw, AksesBerkas.Jenis.DOKUMEN),
    "ekspor:unduh": (job_kw, AksesBerkas.Jenis.EKSPOR),
    "scoring:syarat_berkas": (syarat_berkas_kw, AksesBerkas.Jenis.SYARAT),
    "scoring:penetapan_sk": (penetapan_sk_kw, AksesBerkas.Jenis.SK_PENETAPAN),
}


@pytest.mark.parametrize("route", sorted(FILE_DOORS))
def test_it_logs_every_file_an_evaluator_opens(route: str) -> None:
    kwargs, jenis = FILE_DOORS[route]
    scene = Scene(OWN, EVALUATOR_AKTIF)
    requester = scene.requester
    assert requester is not None
    url = reverse(route, kwargs=kwargs(scene))
    client = Client()
    client.force_login(requester)
    response = client.get(url)
    assert response.status_code == 200
    (row,) = AksesBerkas.objects.filter(user=requester)
    assert row.jenis == jenis and row.unit.slug == "biro-hp" and row.nama_berkas
    assert row.akses is not None and row.akses.user == requester and row.tahun == row.akses.tahun
    response.close()  # last: closing a file response ends the test's database connection


@pytest.mark.parametrize("route", sorted(FILE_DOORS))
def test_it_logs_nothing_for_members_and_refuses_ended_grants(route: str) -> None:
    kwargs, _jenis = FILE_DOORS[route]
    member = Scene(OWN, "tim.biro-hp")
    client = Client()
    client.force_login(member.tim)
    url = reverse(route, kwargs=kwargs(member))
    response = client.get(url)
    assert response.status_code == 200
    ended = Scene(OWN, EVALUATOR_BERAKHIR)
    assert ended.requester is not None
    if route == "ekspor:unduh":  # a job of their own, started while the grant was valid
        url = reverse(route, kwargs=kwargs(ended))
    client.force_login(ended.requester)
    assert client.get(url).status_code == 404
    assert not AksesBerkas.objects.exists()
    response.close()


# -- exports --------------------------------------------------------------------------


def test_an_evaluator_exports_the_lke_and_the_dossier_read_only(
    evaluator: User, biro_hp_2022: Penilaian, django_capture_on_commit_callbacks: Any
) -> None:
    """Decision: starting an export is reading; a job row changes nothing of the penilaian."""
    grant = _grant(evaluator, tanggal_akses(), tanggal_akses())
    status_before = biro_hp_2022.status
    riwayat_before = Riwayat.objects.count()
    client = Client()
    client.force_login(evaluator)
    downloads = []
    for jenis in (JenisEkspor.LKE_XLSX, JenisEkspor.BERKAS_BUKTI_ZIP):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("documents:ekspor_mulai", args=[biro_hp_2022.code, jenis]),
                {"oleh": "tpi"},
            )
        assert response.status_code == 302
        job = ExportJob.objects.get(owner=evaluator, jenis=jenis)
        assert job.status == StatusEkspor.SELESAI, job.error
        download = client.get(reverse("ekspor:unduh", args=[job.pk]))
        assert download.status_code == 200
        downloads.append(download)
    assert AksesBerkas.objects.filter(akses=grant, jenis=AksesBerkas.Jenis.EKSPOR).count() == 2
    biro_hp_2022.refresh_from_db()
    assert biro_hp_2022.status == status_before
    assert Riwayat.objects.count() == riwayat_before
    # The end date moved to yesterday: the finished jobs are gone for them too.
    AksesEvaluator.objects.filter(pk=grant.pk).update(
        mulai=tanggal_akses() - dt.timedelta(days=5), selesai=tanggal_akses() - dt.timedelta(1)
    )
    for job in ExportJob.objects.filter(owner=evaluator):
        assert client.get(reverse("ekspor:unduh", args=[job.pk])).status_code == 404
        assert client.get(reverse("ekspor:halaman", args=[job.pk])).status_code == 404
    for download in downloads:
        download.close()


# -- home -----------------------------------------------------------------------------


def test_home_lists_only_the_penilaian_granted_today_with_the_end_date(
    evaluator: User,
) -> None:
    today = tanggal_akses()
    _grant(evaluator, today - dt.timedelta(days=3), dt.date(today.year + 1, 12, 31))
    _grant(evaluator, today - dt.timedelta(days=9), today - dt.timedelta(days=1), slug="pusat-tik")
    _grant(evaluator, today + dt.timedelta(days=1), today + dt.timedelta(9), slug="rutan-kupang")
    client = Client()
    client.force_login(evaluator)
    html = client.get(reverse("home")).content.decode()
    assert 'data-penilaian="biro-hp-2022"' in html
    assert f"31 Desember {today.year + 1}" in html
    assert "pusat-tik" not in html and "rutan-kupang" not in html
    assert "Anda belum memiliki peran" not in html


def test_the_dashboard_shows_the_grant_and_no_write_button(
    evaluator: User, biro_hp_2022: Penilaian
) -> None:
    today = tanggal_akses()
    _grant(evaluator, today, dt.date(2030, 6, 28))
    client = Client()
    client.force_login(evaluator)
    html = client.get(reverse("scoring:dashboard", args=[biro_hp_2022.code])).content.decode()
    assert "data-akses-evaluator" in html and "28 Juni 2030" in html
    for write in ("scoring:ajukan", "documents:impor", "evidence:rencana_aksi_salin"):
        assert reverse(write, args=[biro_hp_2022.code]) not in html
    assert reverse("scoring:riwayat", args=[biro_hp_2022.code]) not in html


# -- the grant in the admin -----------------------------------------------------------


def _admin() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _form(penilaian: Penilaian, user: User, **values: str) -> dict[str, str]:
    return {
        "penilaian": str(penilaian.pk),
        "user": str(user.pk),
        "jenis": JenisEvaluator.TPN,
        "lembaga": "Kementerian PANRB",
        "mulai": "2026-11-01",
        "selesai": "2026-12-31",
        "dasar": "ST-12/2026",
        "log_berkas-TOTAL_FORMS": "0",
        "log_berkas-INITIAL_FORMS": "0",
        **values,
    }


def test_the_admin_grants_changes_and_removes_access_recorded_in_riwayat(
    evaluator: User, biro_hp_2022: Penilaian
) -> None:
    client = _admin()
    response = client.post(
        reverse("admin:units_aksesevaluator_add"), _form(biro_hp_2022, evaluator)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = AksesEvaluator.objects.get(user=evaluator)
    assert (grant.unit_id, grant.tahun) == (biro_hp_2022.unit_id, 2022)
    assert grant.diberikan_oleh is not None and grant.diberikan_oleh.username == "admin"
    created = Riwayat.objects.get(objek="akses_evaluator", aksi=Riwayat.Aksi.BUAT)
    assert (created.unit_id, created.tahun, created.kode) == (
        biro_hp_2022.unit_id,
        2022,
        "auditor.kap",
    )
    assert created.perubahan["selesai"] == ["", "2026-12-31"]

    client.post(
        reverse("admin:units_aksesevaluator_change", args=[grant.pk]),
        _form(biro_hp_2022, evaluator, selesai="2026-11-30"),
    )
    changed = Riwayat.objects.get(objek="akses_evaluator", aksi=Riwayat.Aksi.UBAH)
    assert changed.perubahan == {"selesai": ["2026-12-31", "2026-11-30"]}

    client.post(reverse("admin:units_aksesevaluator_delete", args=[grant.pk]), {"post": "yes"})
    assert not AksesEvaluator.objects.exists()
    assert Riwayat.objects.filter(objek="akses_evaluator", aksi=Riwayat.Aksi.HAPUS).exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"mulai": "2026-12-31", "selesai": "2026-12-01"}, "tidak boleh sebelum"),
        ({}, "sudah memiliki akses ke penilaian ini"),
    ],
)
def test_the_admin_refuses_a_bad_grant_with_a_clear_message(
    evaluator: User, biro_hp_2022: Penilaian, values: dict[str, str], message: str
) -> None:
    if not values:  # the duplicate case: a grant exists already
        _grant(evaluator, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    before = AksesEvaluator.objects.count()
    response = _admin().post(
        reverse("admin:units_aksesevaluator_add"), _form(biro_hp_2022, evaluator, **values)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AksesEvaluator.objects.count() == before
    assert not Riwayat.objects.filter(objek="akses_evaluator").exists()
