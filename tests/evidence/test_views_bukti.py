from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from evidence.models import Bukti
from evidence.services import bukti_upload
from tests.evidence.files import PDF, pdf, png, raw, xlsx
from units.models import Riwayat

pytestmark = pytest.mark.django_db


def _url(penilaian: Any, q: Any) -> str:
    return f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/"


def _stored(penilaian: Any, q: Any, *files: Any) -> list[Bukti]:
    user = get_user_model().objects.get(username="tim.biro-hp")
    return bukti_upload(penilaian=penilaian, pertanyaan=q, files=list(files), user=user)


class TestUnggah:
    def test_it_stores_several_files_at_once(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.a")
        response = login("tim.biro-hp").post(
            _url(biro_hp, q),
            {"berkas": [pdf(), png(), xlsx()], "tanggal_efektif": "2022-03-14"},
            HTTP_HX_REQUEST="true",
        )
        assert (
            response.status_code == 200 and "3 berkas bukti tersimpan" in response.content.decode()
        )
        stored = Bukti.objects.filter(pertanyaan=q)
        assert stored.count() == 3 and {b.tanggal_efektif for b in stored} == {dt.date(2022, 3, 14)}
        assert Riwayat.objects.filter(objek="bukti", kode="A.I.1.i.a").count() == 3

    def test_it_stores_a_link(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.a")
        login("tim.biro-hp").post(
            _url(biro_hp, q), {"url": "https://drive.google.com/file/d/abc", "judul": "SK Tim"}
        )
        bukti = Bukti.objects.get(pertanyaan=q)
        assert (bukti.jenis, bukti.judul) == ("tautan", "SK Tim")

    def test_it_refuses_a_non_http_link(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        response = login("tim.biro-hp").post(
            _url(biro_hp, question("A.I.1.i.a")),
            {"url": "javascript:alert(1)"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 422 and not Bukti.objects.exists()

    def test_it_refuses_an_empty_submission(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        response = login("tim.biro-hp").post(
            _url(biro_hp, question("A.I.1.i.a")), {}, HTTP_HX_REQUEST="true"
        )
        assert (
            response.status_code == 422
            and "Pilih berkas atau isi tautan" in response.content.decode()
        )

    def test_it_shows_the_reason_for_a_refused_file(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        response = login("tim.biro-hp").post(
            _url(biro_hp, question("A.I.1.i.a")),
            {"berkas": [raw("virus.pdf", b"MZ\x90\x00" + b"\0" * 200)]},
            HTTP_HX_REQUEST="true",
        )
        assert (
            response.status_code == 422
            and "tidak sesuai dengan ekstensi .pdf" in response.content.decode()
        )

    def test_it_flags_evidence_dated_outside_the_year(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.a")
        response = login("tim.biro-hp").post(
            _url(biro_hp, q),
            {"berkas": [pdf()], "tanggal_efektif": "2021-12-31"},
            HTTP_HX_REQUEST="true",
        )
        assert "di luar tahun penilaian 2022" in response.content.decode()

    def test_it_rejects_get(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        assert login("tim.biro-hp").get(_url(biro_hp, question("A.I.1.i.a"))).status_code == 405

    def test_it_hides_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        assert (
            login("tim.pusat-tik")
            .post(_url(biro_hp, question("A.I.1.i.a")), {"berkas": [pdf()]})
            .status_code
            == 404
        )
        assert not Bukti.objects.exists()

    def test_it_refuses_read_only_roles_with_403(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        assert (
            login("pimpinan.biro-hp")
            .post(_url(biro_hp, question("A.I.1.i.a")), {"berkas": [pdf()]})
            .status_code
            == 403
        )
        assert not Bukti.objects.exists()


class TestBerkas:
    def test_it_previews_a_pdf_inline_with_safe_headers(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf("SK Tim.pdf"))
        response = login("pimpinan.biro-hp").get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]

    def test_it_downloads_office_files_as_attachments(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), xlsx("rekap.xlsx"))
        response = login("tim.biro-hp").get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/")
        assert (
            response["Content-Disposition"].startswith("attachment")
            and "rekap.xlsx" in response["Content-Disposition"]
        )
        assert response["Content-Type"] == "application/octet-stream"

    def test_it_lets_the_tpi_of_the_instansi_see_files(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        assert (
            login("tpi.mk").get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/").status_code == 200
        )

    def test_it_hides_files_from_other_units_with_404(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        for user in ("tim.pusat-tik", "tpi.kemenkumham", "pimpinan.rutan-kupang"):
            assert (
                login(user).get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/").status_code == 404
            )

    def test_it_hides_a_file_behind_another_penilaian_code(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        from lke.models import Penilaian

        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        own = Penilaian.objects.get(unit__slug="pusat-tik")
        assert (
            login("tim.pusat-tik").get(f"/penilaian/{own.code}/bukti/{bukti.code}/").status_code
            == 404
        )

    def test_it_redirects_anonymous_users_to_login(
        self, client: Client, biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        assert client.get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/").status_code == 302

    def test_it_rejects_post(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        assert (
            login("tim.biro-hp").post(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/").status_code
            == 405
        )


class TestGantiDanTarik:
    def test_a_replacement_keeps_the_old_version(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        q = question("A.I.1.i.a")
        (old,) = _stored(biro_hp, q, pdf("sk-v1.pdf"))
        response = login("tim.biro-hp").post(
            f"/penilaian/{biro_hp.code}/bukti/{old.code}/ganti/",
            {"berkas": pdf("sk-v2.pdf")},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        old.refresh_from_db()
        new = Bukti.objects.get(pertanyaan=q, aktif=True)
        assert (old.aktif, new.versi_sebelumnya, new.nama_asli) == (False, old, "sk-v2.pdf")
        assert old.berkas.storage.exists(old.berkas.name)

    def test_withdrawing_keeps_the_file(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        login("tim.biro-hp").post(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/tarik/")
        bukti.refresh_from_db()
        assert not bukti.aktif and bukti.berkas.storage.exists(bukti.berkas.name)

    def test_read_only_roles_cannot_replace_or_withdraw(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        client = login("pimpinan.biro-hp")
        assert (
            client.post(
                f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/ganti/", {"berkas": pdf()}
            ).status_code
            == 403
        )
        assert (
            client.post(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/tarik/").status_code == 403
        )

    def test_outsiders_get_404(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        assert (
            login("tim.pusat-tik")
            .post(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/tarik/")
            .status_code
            == 404
        )

    def test_they_reject_get(
        self, login: Callable[[str], Client], biro_hp: Any, question: Any
    ) -> None:
        (bukti,) = _stored(biro_hp, question("A.I.1.i.a"), pdf())
        client = login("tim.biro-hp")
        assert client.get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/ganti/").status_code == 405
        assert client.get(f"/penilaian/{biro_hp.code}/bukti/{bukti.code}/tarik/").status_code == 405


def test_it_refuses_a_tampered_rencana_aksi_of_another_unit(
    login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    from evidence.models import RencanaAksi

    foreign = RencanaAksi.objects.filter(penilaian__unit__slug="pusat-tik").first()
    assert foreign is not None
    response = login("tim.biro-hp").post(
        _url(biro_hp, question("A.I.1.i.a")),
        {"berkas": [pdf()], "rencana_aksi": str(foreign.code)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422 and "tidak ditemukan" in response.content.decode()
    assert not Bukti.objects.exists()


def test_evidence_can_prove_a_rencana_aksi_row(
    login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    from evidence.models import RencanaAksi

    row = (
        RencanaAksi.objects.filter(penilaian=biro_hp, indikator__kode="A.I.1.i")
        .order_by("urutan")
        .first()
    )
    assert row is not None
    client = login("tim.biro-hp")
    worksheet = client.get(f"/penilaian/{biro_hp.code}/area/1/").content.decode()
    assert f'<option value="{row.code}">' in worksheet
    client.post(
        _url(biro_hp, question("A.I.1.i.a")), {"berkas": [pdf()], "rencana_aksi": str(row.code)}
    )
    assert Bukti.objects.get().rencana_aksi == row
    page = client.get(f"/penilaian/{biro_hp.code}/indikator/A.I.1.i/rencana-aksi/").content.decode()
    assert "bi-paperclip" in page and "sk-tim.pdf" in page
