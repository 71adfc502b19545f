"""Issue 11 part 3: an upload that fails while writing (full disk) leaves no file behind,
no bukti, and the next upload works."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from evidence.models import Bukti
from evidence.services import bukti_upload
from evidence.validators import BuktiDitolak
from tests.evidence.files import PDF, pdf
from tests.storage import FullAfter, files_under, random_bytes, tmpfs

pytestmark = pytest.mark.django_db


def big_pdf(name: str, size: int) -> Any:
    """A well-formed PDF of about `size` bytes (random stream content)."""
    body = random_bytes(size)
    content = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Length "
        + str(len(body)).encode()
        + b" >>\nstream\n"
        + body
        + b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return pdf(name, content)


def _url(penilaian: Any, q: Any) -> str:
    return f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], FullAfter]:
    def _full(budget: int) -> FullAfter:
        storage = FullAfter(settings.MEDIA_ROOT, budget)
        monkeypatch.setattr(Bukti._meta.get_field("berkas"), "storage", storage)
        return storage

    return _full


def test_a_write_failing_half_way_removes_the_partial_file_and_every_other_file(
    login: Callable[[str], Client], biro_hp: Any, question: Any, full_disk: Any
) -> None:
    q = question("A.I.1.i.a")
    before = files_under(settings.MEDIA_ROOT)
    storage = full_disk(len(PDF) + 20)  # the first file fits, the second stops half-way
    response = login("tim.biro-hp").post(
        _url(biro_hp, q),
        {"berkas": [pdf("satu.pdf"), big_pdf("dua.pdf", 50_000)]},
        HTTP_HX_REQUEST="true",
    )
    assert storage.failures == 1
    assert response.status_code == 422
    assert "Berkas gagal disimpan" in response.content.decode()
    assert files_under(settings.MEDIA_ROOT) == before  # neither the first nor the partial
    assert not Bukti.objects.filter(penilaian=biro_hp, pertanyaan=q).exists()


def test_a_replacement_failing_half_way_keeps_the_old_version_current(
    biro_hp: Any, question: Any, full_disk: Any
) -> None:
    q = question("A.I.1.i.a")
    user = get_user_model().objects.get(username="tim.biro-hp")
    (old,) = bukti_upload(penilaian=biro_hp, pertanyaan=q, files=[pdf()], user=user)
    before = files_under(settings.MEDIA_ROOT)
    full_disk(1000)
    with pytest.raises(BuktiDitolak):
        bukti_upload(
            penilaian=biro_hp,
            pertanyaan=q,
            files=[big_pdf("baru.pdf", 20_000)],
            user=user,
            replaces=old,
        )
    old.refresh_from_db()
    assert old.aktif and not Bukti.objects.filter(versi_sebelumnya=old).exists()
    assert files_under(settings.MEDIA_ROOT) == before


def test_on_a_full_tmpfs_a_failed_upload_leaves_the_space_free_for_the_next(
    login: Callable[[str], Client], biro_hp: Any, question: Any
) -> None:
    q = question("A.I.1.i.a")
    client = login("tim.biro-hp")
    with tmpfs("3m") as media, override_settings(MEDIA_ROOT=media):
        first = client.post(
            _url(biro_hp, q), {"berkas": [big_pdf("a.pdf", 1_500_000)]}, HTTP_HX_REQUEST="true"
        )
        assert first.status_code == 200
        # 2.6 MB goes through a temporary upload file and is copied onto the small disk;
        # 1.8 MB in memory: both stop at ENOSPC half-way.
        for size in (2_600_000, 1_800_000):
            failed = client.post(
                _url(biro_hp, q),
                {"berkas": [big_pdf(f"{size}.pdf", size)]},
                HTTP_HX_REQUEST="true",
            )
            assert failed.status_code == 422, size
            assert "Berkas gagal disimpan" in failed.content.decode()
            assert [p.stat().st_size for p in files_under(media)] == [
                Bukti.objects.get(nama_asli="a.pdf").ukuran
            ]
        later = client.post(
            _url(biro_hp, q), {"berkas": [big_pdf("b.pdf", 900_000)]}, HTTP_HX_REQUEST="true"
        )
        assert later.status_code == 200
        stored = {p.name for p in files_under(media)}
        assert stored == {
            Path(b.berkas.name).name for b in Bukti.objects.filter(pertanyaan=q, penilaian=biro_hp)
        }
        assert len(stored) == 2
