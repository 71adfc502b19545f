"""Evaluasi menuju WBK secara mandiri (issue 12 part 4): the instansi's record, the
pimpinan instansi's penetapan after the TPI's final, the predikat row it becomes, and who
may do it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import translation

from lke.models import Penilaian, StatusPenilaian
from scoring.models import EvaluasiMandiri, PenetapanMandiri, SetJawaban, SnapshotSkor
from scoring.penetapan import (
    PenetapanDitolak,
    evaluasi_mandiri_catat,
    penetapan_catat,
)
from scoring.services import penilaian_score
from tests.evidence.files import PDF, pdf, png
from tests.workflow import put_status
from units.access import Izin, unit_access
from units.models import Keanggotaan, Peran, PredikatUnit, Riwayat
from units.predikat import predikat_add, predikat_held

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    """Messages are asserted in Indonesian, whatever an earlier test left active."""
    with translation.override("id"):
        yield


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def biro_2024(biro_hp: Penilaian) -> Penilaian:
    """Biro HP in 2024, the first year of evaluasi mandiri (5/2024 B)."""
    return Penilaian.objects.create(unit=biro_hp.unit, tahun=2024, model=biro_hp.model)


def _final(penilaian: Penilaian, verdict: str = "WBK") -> None:
    """Set-up: a penilaian the TPI finalized with `verdict` as the official result."""
    put_status(penilaian, StatusPenilaian.FINAL)
    SnapshotSkor.objects.create(
        penilaian=penilaian, set=SetJawaban.TPI, total=80, predikat=verdict, laporan={}, final=True
    )


def _catat(penilaian: Penilaian, who: str = "pimpinan.mk") -> PenetapanMandiri:
    return penetapan_catat(
        penilaian=penilaian,
        nomor_sk="1/SK/SET.MK/2024",
        tanggal_sk=dt.date(2024, 12, 20),
        berkas=pdf("sk-penetapan.pdf"),
        user=user(who),
        access=unit_access(user(who), penilaian.unit),
    )


def test_the_pimpinan_instansi_role_covers_every_unit_of_its_instansi(
    biro_hp: Penilaian,
) -> None:
    holder = user("pimpinan.mk")  # seed 002: MK's Sekretaris Jenderal
    assert holder.first_name == "M. Guntur Hamzah"
    membership = Keanggotaan.objects.get(user=holder)
    assert (
        membership.peran == Peran.PIMPINAN_INSTANSI
        and membership.instansi is not None
        and membership.instansi.kode == "mk"
    )
    for slug in ("biro-hp", "pusat-tik"):
        access = unit_access(holder, Penilaian.objects.get(unit__slug=slug).unit)
        assert access is not None and access.can(Izin.TETAPKAN_MANDIRI)
        assert access.can(Izin.ISI_SYARAT_INSTANSI) and not access.can(Izin.ISI_SYARAT_UNIT)
        assert not access.can(Izin.EDIT_MANDIRI) and not access.can(Izin.FINALIZE)
    rutan = Penilaian.objects.get(unit__slug="rutan-kupang").unit
    assert unit_access(holder, rutan) is None  # another instansi
    for name in ("tim.biro-hp", "pimpinan.biro-hp", "tpi.mk"):
        access = unit_access(user(name), biro_hp.unit)
        assert access is not None and not access.can(Izin.TETAPKAN_MANDIRI), name


def test_pimpinan_instansi_is_held_only_for_a_whole_instansi(biro_hp: Penilaian) -> None:
    with pytest.raises(Exception, match="keanggotaan_unit_xor_instansi"):
        Keanggotaan.objects.create(
            user=user("tim.biro-hp"), unit=biro_hp.unit, peran=Peran.PIMPINAN_INSTANSI
        )


def test_penetapan_after_final_becomes_a_mandiri_wbk_predikat_row(biro_2024: Penilaian) -> None:
    evaluasi_mandiri_catat(
        instansi=biro_2024.unit.instansi,
        tahun=2024,
        dasar="Surat Sekjen 1/2024",
        user=user("pimpinan.mk"),
        access=unit_access(user("pimpinan.mk"), biro_2024.unit),
    )
    _final(biro_2024)
    penetapan = _catat(biro_2024)
    row = penetapan.predikat
    assert (row.predikat, row.tahun, row.sumber) == ("WBK", 2024, PredikatUnit.Sumber.MANDIRI)
    assert (row.nomor_sk, row.tanggal_sk) == ("1/SK/SET.MK/2024", dt.date(2024, 12, 20))
    assert predikat_held(biro_2024.unit, 2024) == "WBK"
    assert predikat_held(biro_2024.unit, 2023) is None
    with default_storage.open(penetapan.berkas_sk.name, "rb") as handle:
        assert handle.read() == PDF
    assert penetapan.berkas_sk.name.startswith(f"penetapan/{biro_2024.code}/")
    kinds = set(Riwayat.objects.filter(unit=biro_2024.unit).values_list("objek", flat=True))
    assert {"evaluasi_mandiri", "penetapan_mandiri", "predikat"} <= kinds
    # The predikat counts for a later WBBM penilaian (5/2024 B): held in that year.
    later = Penilaian.objects.create(unit=biro_2024.unit, tahun=2025, model=biro_2024.model)
    assert predikat_held(later.unit, later.tahun) == "WBK"
    wbbm = [r for r in penilaian_score(later, SetJawaban.TPI).rules if r.predikat == "WBBM"]
    held = [r for r in wbbm if r.kind == "predikat_sebelumnya"]
    assert held and all(r.passed for r in held)  # "Unit telah berpredikat WBK" holds
    with pytest.raises(PenetapanDitolak, match="sudah dicatat"):
        _catat(biro_2024)
    assert PredikatUnit.objects.filter(unit=biro_2024.unit).count() == 1


def test_evaluasi_mandiri_is_not_available_before_5_2024(biro_hp: Penilaian) -> None:
    # 90/2021 (penilaian 2022-2023) has no evaluasi mandiri: it is new in 5/2024 B.
    with pytest.raises(PenetapanDitolak, match="belum berlaku untuk tahun 2022"):
        evaluasi_mandiri_catat(
            instansi=biro_hp.unit.instansi,
            tahun=2022,
            dasar="",
            user=user("pimpinan.mk"),
            access=unit_access(user("pimpinan.mk"), biro_hp.unit),
        )
    EvaluasiMandiri.objects.create(instansi=biro_hp.unit.instansi, tahun=2022)  # set-up only
    _final(biro_hp)
    with pytest.raises(PenetapanDitolak, match="belum berlaku untuk tahun 2022"):
        _catat(biro_hp)
    assert not PredikatUnit.objects.exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no_evaluasi", "belum mencatat evaluasi mandiri"),
        ("not_final", "setelah TPI memfinalkan"),
        ("verdict_low", "belum memenuhi ambang Menuju WBK"),
    ],
)
def test_penetapan_is_refused_without_its_preconditions(
    biro_2024: Penilaian, setup: str, message: str
) -> None:
    if setup != "no_evaluasi":
        EvaluasiMandiri.objects.create(instansi=biro_2024.unit.instansi, tahun=2024)
    if setup == "verdict_low":
        _final(biro_2024, "belum memenuhi")
    elif setup == "no_evaluasi":
        _final(biro_2024)
    with pytest.raises(PenetapanDitolak, match=message):
        _catat(biro_2024)
    assert not PredikatUnit.objects.exists() and not PenetapanMandiri.objects.exists()


def test_only_the_pimpinan_instansi_records_and_only_a_signed_pdf(biro_2024: Penilaian) -> None:
    biro_hp = biro_2024
    EvaluasiMandiri.objects.create(instansi=biro_hp.unit.instansi, tahun=2024)
    _final(biro_hp)
    for name in ("tpi.mk", "pimpinan.biro-hp", "tim.biro-hp"):
        with pytest.raises(PenetapanDitolak, match="Hanya pimpinan instansi"):
            _catat(biro_hp, name)
        with pytest.raises(PenetapanDitolak, match="Hanya pimpinan instansi"):
            evaluasi_mandiri_catat(
                instansi=biro_hp.unit.instansi,
                tahun=2025,
                dasar="",
                user=user(name),
                access=unit_access(user(name), biro_hp.unit),
            )
    with pytest.raises(PenetapanDitolak, match="PDF"):
        penetapan_catat(
            penilaian=biro_hp,
            nomor_sk="1",
            tanggal_sk=dt.date(2024, 12, 1),
            berkas=png("sk.png"),
            user=user("pimpinan.mk"),
            access=unit_access(user("pimpinan.mk"), biro_hp.unit),
        )
    with pytest.raises(PenetapanDitolak, match="Nomor SK"):
        penetapan_catat(
            penilaian=biro_hp,
            nomor_sk="  ",
            tanggal_sk=dt.date(2024, 12, 1),
            berkas=pdf(),
            user=user("pimpinan.mk"),
            access=None,
        )
    assert not PenetapanMandiri.objects.exists()


def test_evaluasi_mandiri_sets_only_menuju_wbk(biro_hp: Penilaian) -> None:
    # 5/2024 B: "... secara mandiri bagi unit kerja/satuan kerja untuk mendapatkan
    # predikat Menuju WBK"; WBBM stays with the TPN, at every door of units.predikat.
    with pytest.raises(ValidationError, match="hanya dapat menetapkan predikat Menuju WBK"):
        predikat_add(
            biro_hp.unit,
            predikat="WBBM",
            tahun=2024,
            sumber=PredikatUnit.Sumber.MANDIRI,
            user=user("admin"),
        )
    assert not PredikatUnit.objects.exists()


def test_the_pages_of_the_pimpinan_instansi(
    biro_2024: Penilaian, login: Callable[[str], Client]
) -> None:
    biro_hp = biro_2024
    client = login("pimpinan.mk")
    page = client.get(f"/penilaian/{biro_hp.code}/syarat/").content.decode()
    assert "Catat evaluasi mandiri" in page
    response = client.post(
        f"/penilaian/{biro_hp.code}/evaluasi-mandiri/", {"dasar": "Surat 1/2024"}, follow=True
    )
    assert "Evaluasi mandiri instansi dicatat." in response.content.decode()
    assert EvaluasiMandiri.objects.filter(instansi__kode="mk", tahun=2024).exists()
    page = client.get(f"/penilaian/{biro_hp.code}/syarat/").content.decode()
    assert "setelah TPI memfinalkan" in page and "data-penetapan-form" not in page
    _final(biro_hp)
    page = client.get(f"/penilaian/{biro_hp.code}/syarat/").content.decode()
    assert "data-penetapan-form" in page
    response = client.post(
        f"/penilaian/{biro_hp.code}/penetapan/",
        {"nomor_sk": "2/SK/2024", "tanggal_sk": "2024-12-21", "berkas": pdf("sk.pdf")},
        follow=True,
    )
    assert "masuk riwayat predikat unit" in response.content.decode()
    assert PredikatUnit.objects.get(unit=biro_hp.unit).sumber == "mandiri"
    download = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/penetapan/sk/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    # An instansi value from the same page, recorded; a unit value is not theirs.
    response = client.post(
        f"/penilaian/{biro_hp.code}/syarat/isi/", {"kode": "opini_bpk", "nilai": "WTP"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/penilaian/{biro_hp.code}/syarat/isi/", {"kode": "core_layanan", "nilai": "ya"}
    )
    assert response.status_code == 403


def test_the_2022_page_says_evaluasi_mandiri_is_not_yet_in_force(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    page = login("pimpinan.mk").get(f"/penilaian/{biro_hp.code}/syarat/").content.decode()
    assert "data-evaluasi-mandiri-belum-berlaku" in page
    assert "Catat evaluasi mandiri" not in page


def test_the_penetapan_records_whether_the_sk_carries_an_electronic_signature(
    biro_2024: Penilaian,
) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.signing import ensure_dev_certificate, sign_pdf
    from tests.documents.test_signing import small_pdf

    ensure_dev_certificate(settings.ZI_SIGNING_P12, settings.ZI_SIGNING_P12_PASSPHRASE)
    signed = sign_pdf(
        small_pdf(),
        name="M. Guntur Hamzah",
        jabatan="Sekretaris Jenderal",
        location="Jakarta",
        verification_url="https://zi.example/verifikasi/",
    )
    EvaluasiMandiri.objects.create(instansi=biro_2024.unit.instansi, tahun=2024)
    _final(biro_2024)
    penetapan = penetapan_catat(
        penilaian=biro_2024,
        nomor_sk="3/SK/2024",
        tanggal_sk=dt.date(2024, 12, 2),
        berkas=SimpleUploadedFile("sk-ttd.pdf", signed, content_type="application/pdf"),
        user=user("pimpinan.mk"),
        access=None,
    )
    assert penetapan.tanda_tangan_elektronik == 1
    record = Riwayat.objects.get(objek="penetapan_mandiri", unit=biro_2024.unit)
    assert record.perubahan["tanda_tangan_elektronik"] == ["", "1"]


def test_a_scanned_sk_without_signature_fields_is_recorded_as_such(biro_2024: Penilaian) -> None:
    EvaluasiMandiri.objects.create(instansi=biro_2024.unit.instansi, tahun=2024)
    _final(biro_2024)
    assert _catat(biro_2024).tanda_tangan_elektronik == 0
