"""Issue 18 parts 2 and 6 on a real gateway: uploads stream to the bucket (in parts when
large) and come back through the rights-checked view with the same headers as from the
disk; a store that is down, or that fails in the middle of an upload, gives the clear
message and leaves no row without its object and no object (or part) without its row."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from evidence.models import Bukti
from tests.evidence.files import pdf, png
from tests.evidence.test_storage_errors import big_pdf
from tests.s3 import CuttingProxy, bucket, default_storage_on, keys, on_s3

__all__ = ["bucket", "on_s3"]
pytestmark = [pytest.mark.django_db, pytest.mark.s3]
MB = 1024 * 1024


def _url(penilaian: Any, q: Any) -> str:
    return f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/"


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_uploads_go_to_the_bucket_and_download_with_the_same_headers(
    on_s3: Any, login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    # In memory (small), through a temporary upload file (3 MB), in parts (9 MB).
    uploads = [
        pdf("kecil.pdf"),
        png("foto.png"),
        big_pdf("tiga.pdf", 3 * MB),
        big_pdf("sembilan.pdf", 9 * MB),
    ]
    response = client.post(_url(biro_hp, q), {"berkas": uploads}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    rows = list(Bukti.objects.filter(penilaian=biro_hp, pertanyaan=q).order_by("pk"))
    assert [r.nama_asli for r in rows] == ["kecil.pdf", "foto.png", "tiga.pdf", "sembilan.pdf"]
    assert keys(on_s3, "bukti/") == {r.berkas.name for r in rows}
    for row in rows:
        base = f"/penilaian/{biro_hp.code}/bukti/{row.code}/"
        download = client.get(base + "?unduh=1")
        assert hashlib.sha256(_body(download)).hexdigest() == row.sha256
        assert download["Content-Length"] == str(row.ukuran)
        assert download["Content-Disposition"].startswith("attachment;")
        assert row.nama_asli in download["Content-Disposition"]
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
        assert download["Cache-Control"] == "private, no-store"
    preview = client.get(f"/penilaian/{biro_hp.code}/bukti/{rows[0].code}/")
    assert preview["Content-Disposition"].startswith("inline;")
    assert (
        preview["X-Frame-Options"] == "SAMEORIGIN" and preview["Content-Type"] == "application/pdf"
    )
    _body(preview)
    head = on_s3.connection.meta.client.head_object(
        Bucket=on_s3.bucket_name, Key=rows[3].berkas.name
    )
    assert "-" in head["ETag"]  # the 9 MB file went up in parts


@pytest.fixture
def proxy() -> Iterator[CuttingProxy]:
    relay = CuttingProxy(cut_after=4 * MB)
    yield relay
    relay.close()


def test_a_store_that_is_down_gives_the_message_and_no_row(
    bucket: Any, proxy: CuttingProxy, login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    proxy.down = True
    with default_storage_on(bucket.bucket_name, endpoint=proxy.url, max_attempts=1):
        response = login("tim.biro-hp").post(
            _url(biro_hp, q), {"berkas": [pdf("a.pdf")]}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 422
    assert "Berkas gagal disimpan (penyimpanan bermasalah)" in response.content.decode()
    assert not Bukti.objects.filter(penilaian=biro_hp, pertanyaan=q).exists()
    assert keys(bucket) == set()


def test_a_store_failing_in_the_middle_leaves_no_object_no_part_and_no_row(
    bucket: Any, proxy: CuttingProxy, login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    with default_storage_on(bucket.bucket_name, endpoint=proxy.url, max_attempts=1):
        # The first file is stored; the connection carrying the second dies half-way.
        failed = client.post(
            _url(biro_hp, q),
            {"berkas": [big_pdf("satu.pdf", 1 * MB), big_pdf("dua.pdf", 9 * MB)]},
            HTTP_HX_REQUEST="true",
        )
        assert proxy.cuts == 1
        assert failed.status_code == 422
        assert "Berkas gagal disimpan" in failed.content.decode()
        assert not Bukti.objects.filter(penilaian=biro_hp, pertanyaan=q).exists()
        assert keys(bucket) == set()  # the first file was removed again
        client_s3 = bucket.connection.meta.client
        assert client_s3.list_multipart_uploads(Bucket=bucket.bucket_name).get("Uploads", []) == []
        later = client.post(
            _url(biro_hp, q), {"berkas": [big_pdf("tiga.pdf", 9 * MB)]}, HTTP_HX_REQUEST="true"
        )
        assert later.status_code == 200
        (row,) = Bukti.objects.filter(penilaian=biro_hp, pertanyaan=q)
        assert keys(bucket) == {row.berkas.name}
