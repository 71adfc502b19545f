"""Evidence, export and verification errors speak the user's language.

The portal is Indonesian first; a user who picks English in the language selector (the
`django_language` cookie) gets the service layer's refusals in English too.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from documents.models import ExportJob
from documents.signing import verify_pdf
from evidence.models import Bukti
from evidence.validators import BuktiDitolak, detect_and_validate
from tests.evidence.files import PDF, pdf, raw

pytestmark = pytest.mark.django_db

MZ = b"MZ\x90\x00" + b"\0" * 200  # a Windows executable named .pdf


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"  # what the portal's language selector sets
    return client


def _upload(
    client: Client, penilaian: Any, q: Any, *files: Any, headers: dict[str, str] | None = None
) -> Any:
    return client.post(
        f"/penilaian/{penilaian.code}/pertanyaan/{q.pk}/bukti/",
        {"berkas": list(files)},
        headers={"HX-Request": "true", **(headers or {})},
    )


def _text(response: Any) -> str:
    return html.unescape(str(response.content.decode()))


class TestUploadRefusal:
    def test_it_is_in_indonesian_by_default_whatever_the_browser_says(
        self, login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
    ) -> None:
        response = _upload(
            login("tim.biro-hp"),
            biro_hp,
            question("A.I.1.i.a"),
            raw("virus.pdf", MZ),
            headers={"Accept-Language": "en-US,en;q=0.9"},
        )
        assert response.status_code == 422
        assert "virus.pdf: isi berkas (" in _text(response)
        assert ") tidak sesuai dengan ekstensi .pdf." in _text(response)
        assert not Bukti.objects.exists()

    def test_it_is_in_english_when_the_user_chose_english(
        self, login: Callable[[str], Client], biro_hp: Any, question: Callable[[str], Any]
    ) -> None:
        client = _english(login("tim.biro-hp"))
        response = _upload(client, biro_hp, question("A.I.1.i.a"), raw("virus.pdf", MZ))
        assert response.status_code == 422
        page = _text(response)
        assert "virus.pdf: the file's content (" in page
        assert ") does not match its extension .pdf." in page
        assert "tidak sesuai dengan ekstensi" not in page
        assert not Bukti.objects.exists()

    def test_the_size_uses_the_languages_decimal_separator(
        self,
        login: Callable[[str], Client],
        biro_hp: Any,
        question: Callable[[str], Any],
        settings: Any,
    ) -> None:
        settings.ZI_UPLOAD_MAX_MB = 1
        big = PDF + b"0" * (1536 * 1024 - len(PDF))  # 1.5 MB
        client = login("tim.biro-hp")
        response = _upload(client, biro_hp, question("A.I.1.i.a"), pdf("besar.pdf", big))
        assert "besar.pdf: ukuran 1,5 MB melebihi batas 1 MB." in _text(response)
        response = _upload(_english(client), biro_hp, question("A.I.1.i.a"), pdf("besar.pdf", big))
        assert "besar.pdf: its size of 1.5 MB exceeds the 1 MB limit." in _text(response)

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("id", "kosong.txt: berkas kosong (0 byte)."),
            ("en", "kosong.txt: the file is empty (0 bytes)."),
        ],
    )
    def test_the_validator_raises_in_the_active_language(
        self, language: str, expected: str
    ) -> None:
        with translation.override(language), pytest.raises(BuktiDitolak) as caught:
            detect_and_validate(raw("kosong.txt", b""), max_bytes=1024)
        assert str(caught.value) == expected


class TestExportFailure:
    def test_a_stored_failure_is_shown_in_the_viewers_language(
        self, login: Callable[[str], Client], django_capture_on_commit_callbacks: Any
    ) -> None:
        from lke.models import Penilaian

        bkkbn = Penilaian.objects.get(unit__slug="bkkbn-sumsel")  # no rencana kerja text
        client = _english(login("tim.bkkbn-sumsel"))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/penilaian/{bkkbn.code}/ekspor/rencana_kerja_pdf/")
        job = ExportJob.objects.get()
        # Stored as the Indonesian source text whatever language the worker runs in ...
        assert (job.status, job.error) == ("gagal", "Unit ini belum memiliki teks rencana kerja.")
        # ... and translated when shown.
        assert "This unit has no work plan text yet." in _text(client.get(f"/ekspor/{job.pk}/"))
        client.cookies["django_language"] = "id"
        status = _text(client.get(f"/ekspor/{job.pk}/status/"))
        assert "Unit ini belum memiliki teks rencana kerja." in status


class TestVerificationSummary:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [("id", "Berkas ini bukan dokumen PDF."), ("en", "This file is not a PDF document.")],
    )
    def test_the_summary_follows_the_active_language(self, language: str, expected: str) -> None:
        with translation.override(language):
            assert verify_pdf(b"bukan pdf").summary == expected
