"""The Tabel 5 checklist page (issue 12 part 3): what each role sees and may enter, the
evidence files, bad input, values derived from the worksheet."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import translation

from evidence.models import IsianSyarat
from lke.models import Penilaian, Pertanyaan
from scoring.models import SetJawaban
from scoring.services import jawaban_save
from tests.evidence.files import PDF, pdf, raw
from units.models import Riwayat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    """Messages are asserted in Indonesian, whatever an earlier test left active."""
    with translation.override("id"):
        yield


def _url(p: Penilaian, tail: str = "") -> str:
    return f"/penilaian/{p.code}/syarat/{tail}"


def test_every_demo_checklist_renders_belum_diisi(login: Callable[[str], Client]) -> None:
    client = login("admin")
    for p in Penilaian.objects.select_related("unit"):
        page = client.get(_url(p)).content.decode()
        if p.tahun < 2022:
            assert "data-tabel-tidak-ada" in page, p
            continue
        assert page.count('data-status="belum"') == 2 + 2 * 10, p  # summary + 10 rows
        assert 'data-status="memenuhi"' not in page and 'data-status="tidak"' not in page
        assert "Kementerian/lembaga" in page


def test_the_tim_kerja_enters_unit_values_with_evidence(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    client = login("tim.biro-hp")
    page = client.get(_url(biro_hp)).content.decode()
    assert 'data-isian-form="core_layanan"' in page
    assert 'data-isian-form="opini_bpk"' not in page  # the instansi's value
    response = client.post(
        _url(biro_hp, "isi/"),
        {"kode": "tindak_lanjut", "nilai": "100", "catatan": "LHP Inspektorat", "berkas": pdf()},
    )
    assert response.status_code == 302 and response["Location"].endswith("#isian-tindak_lanjut")
    row = IsianSyarat.objects.get(unit=biro_hp.unit, kode="tindak_lanjut")
    assert (row.nilai, row.catatan, row.nama_asli) == ("100", "LHP Inspektorat", "sk-tim.pdf")
    assert row.berkas.name.startswith("syarat/2022/") and len(row.sha256) == 64
    with default_storage.open(row.berkas.name, "rb") as handle:
        assert handle.read() == PDF
    record = Riwayat.objects.get(objek="syarat", kode="tindak_lanjut", unit=biro_hp.unit)
    assert record.perubahan["nilai"] == ["", "100"] and record.tahun == 2022
    page = client.get(_url(biro_hp)).content.decode()
    assert 'data-syarat="tindak_lanjut"' in page
    download = login("pimpinan.biro-hp").get(_url(biro_hp, "tindak_lanjut/berkas/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith("attachment")
    # Another unit's member never reaches it.
    assert login("tim.rutan-kupang").get(_url(biro_hp, "tindak_lanjut/berkas/")).status_code == 404


def test_bad_input_changes_nothing_and_says_why(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    client = login("tim.biro-hp")
    for data, message in (
        ({"kode": "tindak_lanjut", "nilai": "120"}, "0 sampai 100"),
        ({"kode": "sakip_unit", "nilai": "E"}, "Pilih salah satu"),
        ({"kode": "zi_mulai_wbk", "nilai": "tahun lalu"}, "empat angka"),
        ({"kode": "core_layanan", "nilai": "ya", "url": "javascript:alert(1)"}, "tidak disimpan"),
        (
            {"kode": "core_layanan", "nilai": "ya", "berkas": raw("skrip.exe", b"MZ\x90\x00")},
            "tidak disimpan",
        ),
    ):
        response = client.post(_url(biro_hp, "isi/"), data, follow=True)
        assert message in response.content.decode(), data
    assert not IsianSyarat.objects.exists()
    assert not Riwayat.objects.filter(objek="syarat").exists()
    unknown = client.post(_url(biro_hp, "isi/"), {"kode": "tidak-ada", "nilai": "1"})
    assert unknown.status_code == 404


def test_lhkpn_from_the_worksheet_is_shown_read_only(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    q = Pertanyaan.objects.get(model=biro_hp.model, kode="A.II.5.iii.a")
    jawaban_save(
        penilaian=biro_hp,
        set_=SetJawaban.MANDIRI,
        pertanyaan=q,
        angka={f"{q.kode}.2": "1", f"{q.kode}.3": "1", f"{q.kode}.4": "1", f"{q.kode}.5": "3"},
        user=None,
    )
    client = login("tim.biro-hp")
    page = client.get(_url(biro_hp)).content.decode()
    assert 'data-isian-form="lhkpn"' not in page and 'data-isian-form="lhkasn"' in page
    assert "dari LKE A.II.5.iii.a (angka mandiri): 3 dari 3" in page
    response = client.post(_url(biro_hp, "isi/"), {"kode": "lhkpn", "nilai": "50"}, follow=True)
    assert "ubah angkanya di lembar kerja" in response.content.decode()
    assert not IsianSyarat.objects.filter(kode="lhkpn").exists()


def test_the_navigation_links_to_the_checklist(
    biro_hp: Penilaian, login: Callable[[str], Client]
) -> None:
    page = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/").content.decode()
    assert f'href="/penilaian/{biro_hp.code}/syarat/"' in page
