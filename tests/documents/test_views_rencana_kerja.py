from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from documents.models import DokumenTertandatangan
from documents.signing import verify_pdf
from evidence.models import RencanaKerja
from evidence.persetujuan import RK_TEXT_FIELDS
from units.models import Notifikasi

pytestmark = pytest.mark.django_db


def _url(p: Any) -> str:
    return f"/penilaian/{p.code}/rencana-kerja/"


@pytest.fixture
def tik(db: None) -> Any:
    from lke.models import Penilaian

    return Penilaian.objects.get(unit__slug="pusat-tik")


def test_the_demo_biro_hp_rencana_kerja_is_approved_and_signed(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    rk = RencanaKerja.objects.get(penilaian=biro_hp)
    assert rk.status == "disetujui" and rk.disetujui_oleh.username == "pimpinan.biro-hp"  # type: ignore[union-attr]
    dokumen = rk.dokumen.get(aktif=True)
    response = login("pimpinan.biro-hp").get(
        f"/penilaian/{biro_hp.code}/rencana-kerja/dokumen/{dokumen.code}/"
    )
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")
    result = verify_pdf(data)
    assert result.valid and result.intact
    # Seed 002: proposed and signed by the Kepala Biro, approved by the Sekretaris Jenderal.
    assert dokumen.nama_penandatangan == "Heru Setiawan; M. Guntur Hamzah"
    assert len(result.signatures) == 2
    assert result.signatures[0].signer_name == "ZI Portal Development Signer"
    assert all(s.intact and s.unchanged_after for s in result.signatures)
    assert rk.status_tanda_tangan == "selesai"


def test_tim_kerja_edits_and_submits_then_pimpinan_returns_and_approves(
    login: Callable[[str], Client], tik: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tim, pimpinan = login("tim.pusat-tik"), login("pimpinan.pusat-tik")
    rk = RencanaKerja.objects.get(penilaian=tik)
    form = {f: getattr(rk, f) or "" for f in RK_TEXT_FIELDS}
    form.update(tanggal="2022-02-10", aksi="simpan", penandatangan_nip="197001012000031001")
    assert tim.post(_url(tik), form).status_code == 302
    assert RencanaKerja.objects.get(pk=rk.pk).penandatangan_nip == "197001012000031001"
    with django_capture_on_commit_callbacks(execute=True):
        tim.post(_url(tik), {"aksi": "ajukan"})
    assert RencanaKerja.objects.get(pk=rk.pk).status == "diajukan"
    assert Notifikasi.objects.filter(
        user__username="pimpinan.pusat-tik", pesan__contains="mengajukan"
    ).exists()

    refused = pimpinan.post(_url(tik), {"aksi": "kembalikan", "catatan": ""}, follow=True)
    assert "Tulis catatan" in refused.content.decode()
    pimpinan.post(_url(tik), {"aksi": "kembalikan", "catatan": "Lengkapi jadwal area 3."})
    assert RencanaKerja.objects.get(pk=rk.pk).status == "dikembalikan"
    assert "Lengkapi jadwal area 3." in tim.get(_url(tik)).content.decode()

    tim.post(_url(tik), {"aksi": "ajukan"})
    with django_capture_on_commit_callbacks(execute=True):
        pimpinan.post(_url(tik), {"aksi": "setujui", "catatan": ""})
    rk.refresh_from_db()
    assert rk.status == "disetujui"
    dokumen = DokumenTertandatangan.objects.get(rencana_kerja=rk, aktif=True)
    assert dokumen.nama_penandatangan and verify_pdf(dokumen.berkas.read()).valid
    html = pimpinan.get(_url(tik)).content.decode()
    assert f"/verifikasi/{dokumen.code}/" in html


def test_a_change_after_approval_asks_for_a_new_approval(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    from evidence.models import RencanaAksi

    row = RencanaAksi.objects.filter(penilaian=biro_hp).first()
    assert row is not None
    login("tim.biro-hp").post(f"/penilaian/{biro_hp.code}/rencana-aksi/{row.code}/hapus/")
    assert RencanaKerja.objects.get(penilaian=biro_hp).status == "perlu_ulang"
    assert (
        "Perlu persetujuan ulang" in login("pimpinan.biro-hp").get(_url(biro_hp)).content.decode()
    )


def test_roles_and_outsiders(login: Callable[[str], Client], tik: Any) -> None:
    assert (
        login("pimpinan.pusat-tik").post(_url(tik), {"aksi": "simpan", "judul": "x"}).status_code
        == 403
    )
    assert login("pimpinan.pusat-tik").post(_url(tik), {"aksi": "ajukan"}).status_code == 403
    assert login("tim.pusat-tik").post(_url(tik), {"aksi": "setujui"}).status_code == 403
    assert login("tim.biro-hp").get(_url(tik)).status_code == 404
    assert login("tim.pusat-tik").put(_url(tik)).status_code == 405


def test_signed_documents_are_hidden_from_other_units(
    login: Callable[[str], Client], biro_hp: Any
) -> None:
    dokumen = DokumenTertandatangan.objects.get(rencana_kerja__penilaian=biro_hp, aktif=True)
    assert (
        login("tim.pusat-tik")
        .get(f"/penilaian/{biro_hp.code}/rencana-kerja/dokumen/{dokumen.code}/")
        .status_code
        == 404
    )
    # ...but the public verification page needs no login.
    from django.test import Client as Anonymous

    page = Anonymous().get(f"/verifikasi/{dokumen.code}/")
    assert page.status_code == 200 and dokumen.sha256 in page.content.decode()


def test_tim_kerja_lists_the_further_signers_in_order(
    login: Callable[[str], Client], tik: Any
) -> None:
    tim = login("tim.pusat-tik")
    rk = RencanaKerja.objects.get(penilaian=tik)
    form = {f: getattr(rk, f) or "" for f in RK_TEXT_FIELDS if f != "penandatangan_lain"}
    bad = {**form, "aksi": "simpan", "penandatangan_lain": "Menyetujui, | Sekretaris Jenderal"}
    response = tim.post(_url(tik), bad)
    assert response.status_code == 422 and "Baris 1" in response.content.decode()
    assert RencanaKerja.objects.get(pk=rk.pk).penandatangan_lain == []
    good = {
        **form,
        "aksi": "simpan",
        "penandatangan_lain": "Menyetujui, | Sekretaris Jenderal | M. Guntur Hamzah\n\n"
        "Mengetahui, | Inspektur | Nama Inspektur | 1970",
    }
    assert tim.post(_url(tik), good).status_code == 302
    assert RencanaKerja.objects.get(pk=rk.pk).penandatangan_lain == [
        {
            "keterangan": "Menyetujui,",
            "jabatan": "Sekretaris Jenderal",
            "nama": "M. Guntur Hamzah",
            "nip": "",
        },
        {
            "keterangan": "Mengetahui,",
            "jabatan": "Inspektur",
            "nama": "Nama Inspektur",
            "nip": "1970",
        },
    ]
    page = tim.get(_url(tik)).content.decode()
    assert "Menyetujui, | Sekretaris Jenderal | M. Guntur Hamzah" in page
