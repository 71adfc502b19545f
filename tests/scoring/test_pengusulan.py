"""Pengusulan to the TPN (5/2024 Bab II A): candidates, the draf, refusals, rights, deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lke.models import Penilaian, StatusPenilaian
from scoring.models import (
    BatasPengusulan,
    Pengusulan,
    PengusulanUnit,
    SetJawaban,
    SnapshotSkor,
    StatusPengusulan,
)
from scoring.pengusulan import (
    PengusulanDitolak,
    pengusulan_kandidat,
    pengusulan_kirim,
    pengusulan_simpan,
    pengusulan_tenggat,
)
from tests.workflow import put_status
from units.access import instansi_access
from units.models import Instansi, Riwayat

pytestmark = pytest.mark.django_db
URL = "/instansi/mk/2022/pengusulan/"


def final_with(penilaian: Penilaian, predikat: str, total: int = 80) -> None:
    """Set-up: the penilaian is final with a final TPI snapshot of `predikat`."""
    put_status(penilaian, StatusPenilaian.FINAL)
    SnapshotSkor.objects.create(
        penilaian=penilaian,
        set=SetJawaban.TPI,
        total=total,
        predikat=predikat,
        laporan={},
        final=True,
    )


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def mk() -> Instansi:
    return Instansi.objects.get(kode="mk")


def test_only_a_final_tpi_result_reaching_a_predikat_is_proposable(
    mk: Instansi, biro_hp: Penilaian
) -> None:
    final_with(biro_hp, "WBK")
    by_unit = {k.unit.slug: k for k in pengusulan_kandidat(mk, 2022)}
    assert set(by_unit) == {"biro-hp", "pusat-tik"}
    assert by_unit["biro-hp"].boleh == ("WBK",)
    assert by_unit["biro-hp"].checklist.tabel is not None
    assert by_unit["pusat-tik"].boleh == ()
    assert by_unit["pusat-tik"].alasan == "Belum ada hasil final TPI."


def test_a_wbbm_result_may_ask_wbbm_or_wbk(mk: Instansi, biro_hp: Penilaian) -> None:
    final_with(biro_hp, "WBBM", 90)
    (k,) = [k for k in pengusulan_kandidat(mk, 2022) if k.unit.slug == "biro-hp"]
    assert k.boleh == ("WBBM", "WBK")


def test_the_tpi_saves_the_draf_and_riwayat_records_it(mk: Instansi, biro_hp: Penilaian) -> None:
    final_with(biro_hp, "WBK")
    tpi = user("tpi.mk")
    row = pengusulan_simpan(
        instansi=mk,
        tahun=2022,
        usulan=[(str(biro_hp.code), "WBK")],
        surat={"nomor_surat": "123/SET.MK/2022", "tempat": "Jakarta"},
        user=tpi,
        access=instansi_access(tpi, mk),
    )
    assert row.status == StatusPengusulan.DRAF and row.nomor_surat == "123/SET.MK/2022"
    assert [(u.penilaian_id, u.predikat, u.urutan) for u in row.units.all()] == [
        (biro_hp.pk, "WBK", 1)
    ]
    logged = Riwayat.objects.filter(objek="pengusulan", unit=biro_hp.unit)
    assert logged.count() == 1 and logged.get().perubahan["predikat"] == ["", "WBK"]
    # Removing the unit is recorded too.
    pengusulan_simpan(
        instansi=mk, tahun=2022, usulan=[], surat={}, user=tpi, access=instansi_access(tpi, mk)
    )
    assert not row.units.exists()
    assert Riwayat.objects.filter(objek="pengusulan", unit=biro_hp.unit).count() == 2


@pytest.mark.parametrize(
    ("slug", "predikat", "message"),
    [
        (
            "pusat-tik",
            "WBK",
            "Pusat Teknologi Informasi dan Komunikasi tidak dapat diusulkan: "
            "Belum ada hasil final TPI.",
        ),
        ("rutan-kupang", "WBK", "Unit yang dipilih bukan unit kerja Mahkamah Konstitusi"),
        ("biro-hp", "WBBM", "tidak dapat diusulkan untuk predikat WBBM: hasil final TPI WBK."),
    ],
)
def test_bad_choices_are_refused_in_indonesian_and_change_nothing(
    mk: Instansi, biro_hp: Penilaian, slug: str, predikat: str, message: str
) -> None:
    final_with(biro_hp, "WBK")
    tpi = user("tpi.mk")
    pengusulan_simpan(
        instansi=mk,
        tahun=2022,
        usulan=[(str(biro_hp.code), "WBK")],
        surat={"tempat": "Jakarta"},
        user=tpi,
        access=instansi_access(tpi, mk),
    )
    before = Riwayat.objects.count()
    other = Penilaian.objects.get(unit__slug=slug)
    with pytest.raises(PengusulanDitolak) as refused:
        pengusulan_simpan(
            instansi=mk,
            tahun=2022,
            usulan=[(str(biro_hp.code), "WBK"), (str(other.code), predikat)]
            if slug != "biro-hp"
            else [(str(other.code), predikat)],
            surat={"tempat": "Bandung"},
            user=tpi,
            access=instansi_access(tpi, mk),
        )
    if slug == "pusat-tik":
        nama = other.unit.nama
        message = f"{nama} tidak dapat diusulkan: Belum ada hasil final TPI."
    assert message in str(refused.value)
    row = Pengusulan.objects.get(instansi=mk, tahun=2022)
    assert row.tempat == "Jakarta"
    assert list(PengusulanUnit.objects.values_list("penilaian_id", "predikat")) == [
        (biro_hp.pk, "WBK")
    ]
    assert Riwayat.objects.count() == before


def test_the_page_refuses_bad_input_with_a_message(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    rutan = Penilaian.objects.get(unit__slug="rutan-kupang")
    client = login("tpi.mk")
    response = client.post(
        URL,
        {"aksi": "simpan", "usul": [str(rutan.code)], f"predikat-{rutan.code}": "WBK"},
        follow=True,
    )
    assert "Unit yang dipilih bukan unit kerja Mahkamah Konstitusi." in response.content.decode()
    assert not Pengusulan.objects.exists()


def test_rights_on_the_page(login: Callable[[str], Client], biro_hp: Penilaian) -> None:
    final_with(biro_hp, "WBK")
    data = {"aksi": "simpan", "usul": [str(biro_hp.code)], f"predikat-{biro_hp.code}": "WBK"}
    assert login("tim.biro-hp").get(URL).status_code == 404  # not an instansi-wide role
    assert login("tim.rutan-kupang").get(URL).status_code == 404
    pimpinan = login("pimpinan.mk")
    page = pimpinan.get(URL)
    assert page.status_code == 200 and "data-simpan" not in page.content.decode()
    assert pimpinan.post(URL, data).status_code == 403  # the pimpinan signs, not prepares
    tpi = login("tpi.mk")
    assert tpi.post(URL, data).status_code == 302
    assert Pengusulan.objects.get().units.count() == 1
    body = login("admin").get(URL).content.decode()
    assert "data-simpan" in body and "data-tandatangani" not in body  # admins never sign


def test_deadline_31_may_or_the_tpn_date(mk: Instansi, biro_hp: Penilaian) -> None:
    t = pengusulan_tenggat(mk, 2022, today=dt.date(2022, 5, 1))
    assert (t.batas, t.sisa_hari, t.status, t.batas_tampil) == (
        dt.date(2022, 5, 31),
        30,
        "belum",
        "31 Mei 2022",
    )
    BatasPengusulan.objects.create(tahun=2022, tanggal=dt.date(2022, 6, 15), pengumuman="B/1/2022")
    t = pengusulan_tenggat(mk, 2022, today=dt.date(2022, 6, 20))
    assert (t.batas, t.dasar, t.lewat, t.terlambat_hari) == (
        dt.date(2022, 6, 15),
        "B/1/2022",
        True,
        5,
    )


def test_the_partial_shows_deadline_and_status(mk: Instansi) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "partials/_pengusulan_tenggat.html",
        {"tenggat": pengusulan_tenggat(mk, 2022, today=dt.date(2022, 5, 29))},
    )
    assert "31 Mei 2022" in html and "2 hari lagi" in html and URL in html


def test_kirim_only_after_signing(mk: Instansi, biro_hp: Penilaian) -> None:
    final_with(biro_hp, "WBK")
    tpi = user("tpi.mk")
    row = pengusulan_simpan(
        instansi=mk,
        tahun=2022,
        usulan=[(str(biro_hp.code), "WBK")],
        surat={},
        user=tpi,
        access=instansi_access(tpi, mk),
    )
    with pytest.raises(PengusulanDitolak, match="Hanya pengusulan yang sudah ditandatangani"):
        pengusulan_kirim(pengusulan=row, user=tpi, access=instansi_access(tpi, mk))
    Pengusulan.objects.filter(pk=row.pk).update(status=StatusPengusulan.DITANDATANGANI)
    sent = pengusulan_kirim(pengusulan=row, user=tpi, access=instansi_access(tpi, mk))
    assert sent.status == StatusPengusulan.DIKIRIM and sent.dikirim_pada is not None
    with pytest.raises(PengusulanDitolak, match="sudah dikirim ke tpn"):
        pengusulan_simpan(
            instansi=mk,
            tahun=2022,
            usulan=[],
            surat={},
            user=tpi,
            access=instansi_access(tpi, mk),
        )


def test_a_draf_changed_while_signing_is_not_marked_signed(
    mk: Instansi, biro_hp: Penilaian
) -> None:
    from scoring.pengusulan import pengusulan_ditandatangani

    final_with(biro_hp, "WBK")
    tpi = user("tpi.mk")
    row = pengusulan_simpan(
        instansi=mk,
        tahun=2022,
        usulan=[(str(biro_hp.code), "WBK")],
        surat={},
        user=tpi,
        access=instansi_access(tpi, mk),
    )
    stale = row.diubah_pada - dt.timedelta(seconds=1)
    with pytest.raises(PengusulanDitolak, match="berubah selama penandatanganan"):
        pengusulan_ditandatangani(
            pengusulan=row, user=user("pimpinan.mk"), seen=stale, dokumen_code="x"
        )
    row.refresh_from_db()
    assert row.status == StatusPengusulan.DRAF


def test_the_syarat_page_leads_instansi_roles_to_the_pengusulan(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    syarat = f"/penilaian/{biro_hp.code}/syarat/"
    assert URL in login("tpi.mk").get(syarat).content.decode()
    assert URL in login("pimpinan.mk").get(syarat).content.decode()
    assert URL not in login("tim.biro-hp").get(syarat).content.decode()
