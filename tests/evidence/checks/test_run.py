"""The checks through the doors: upload, link, task, command."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from evidence.checks import TEXT_VERSION
from evidence.checks import run as checks_run
from evidence.checks.text import tesseract_available
from evidence.models import Bukti, StatusTeks, TeksBukti, TemuanBukti
from evidence.services import bukti_link_add, bukti_upload
from evidence.tasks import bukti_periksa
from tests.conftest import require
from tests.evidence.checks.helpers import photo, text_pdf
from tests.evidence.files import pdf as minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db: None) -> Any:
    return get_user_model().objects.get(username="tim.biro-hp")


def upload(
    penilaian: Any, q: Any, user: Any, name: str, data: bytes, mime: str, capture: Any
) -> Bukti:
    with capture(execute=True):
        (bukti,) = bukti_upload(
            penilaian=penilaian,
            pertanyaan=q,
            files=[SimpleUploadedFile(name, data, content_type=mime)],
            user=user,
        )
    return bukti


def findings(bukti: Bukti) -> dict[str, TemuanBukti]:
    return {t.jenis: t for t in TemuanBukti.objects.filter(bukti=bukti)}


def test_a_pdf_dated_2019_for_biro_hp_2022_is_flagged_citing_the_page(
    biro_hp: Any, question: Any, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = text_pdf(
        "SURAT KEPUTUSAN KEPALA BIRO HUMAS DAN PROTOKOL\nTentang Tim Kerja Zona Integritas",
        "Ditetapkan di Jakarta\npada tanggal 14 Maret 2019",
    )
    bukti = upload(
        biro_hp,
        question("A.I.1.i.a"),
        user,
        "sk-tim.pdf",
        data,
        "application/pdf",
        django_capture_on_commit_callbacks,
    )
    teks = TeksBukti.objects.get(bukti=bukti)
    assert teks.status == StatusTeks.TERBACA
    assert [h["nomor"] for h in teks.halaman] == [1, 2]
    date = findings(bukti)["tanggal"]
    assert date.status in {"gagal", "perlu_dicek"}
    assert date.halaman == 2
    assert "14 Maret 2019" in date.alasan and "halaman 2" in date.alasan
    assert {"teks", "tanggal", "relevansi", "duplikat"} <= set(findings(bukti))


def test_an_unreadable_file_is_tidak_terbaca_with_its_reason(
    biro_hp: Any, question: Any, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload_file = minimal_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        (bukti,) = bukti_upload(
            penilaian=biro_hp, pertanyaan=question("A.I.1.i.a"), files=[upload_file], user=user
        )
    teks = TeksBukti.objects.get(bukti=bukti)
    assert teks.status == StatusTeks.TIDAK_TERBACA
    assert "PDF" in teks.alasan
    text = findings(bukti)["teks"]
    assert text.status == "gagal" and text.alasan.startswith("Tidak terbaca: ")
    # running the task again changes nothing and raises nothing (no retry loop)
    assert bukti_periksa.delay(bukti.pk).get() == StatusTeks.TIDAK_TERBACA
    assert TemuanBukti.objects.filter(bukti=bukti, jenis="teks").count() == 1


def test_a_link_is_never_fetched(
    biro_hp: Any,
    question: Any,
    user: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fetch(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a link must not be read")

    monkeypatch.setattr(checks_run, "extract", no_fetch)
    with django_capture_on_commit_callbacks(execute=True):
        bukti = bukti_link_add(
            penilaian=biro_hp,
            pertanyaan=question("A.I.1.i.a"),
            url="https://contoh.go.id/sk-tim.pdf",
            judul="SK Tim",
            user=user,
        )
    teks = TeksBukti.objects.get(bukti=bukti)
    assert teks.status == StatusTeks.TAUTAN
    assert teks.get_status_display() == "Tautan, tidak diperiksa"
    assert findings(bukti)["teks"].alasan.startswith("Tautan, tidak diperiksa")


def test_the_same_photo_under_two_questions_is_found_on_both(
    biro_hp: Any, question: Any, user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    require(tesseract_available(), "tesseract dengan data bahasa ind")
    first = upload(
        biro_hp,
        question("A.I.1.i.a"),
        user,
        "foto-rapat.png",
        photo(4),
        "image/png",
        django_capture_on_commit_callbacks,
    )
    assert findings(first)["duplikat"].status == "lolos"
    second = upload(
        biro_hp,
        question("A.I.1.i.b"),
        user,
        "foto-rapat-kecil.jpg",
        photo(4, fmt="JPEG", scale=0.7),
        "image/jpeg",
        django_capture_on_commit_callbacks,
    )
    on_second = findings(second)["duplikat"]
    on_first = findings(first)["duplikat"]
    assert on_second.status == on_first.status == "perlu_dicek"
    assert "pertanyaan A.I.1.i.a (foto-rapat.png): gambar hampir identik" in on_second.alasan
    assert "pertanyaan A.I.1.i.b (foto-rapat-kecil.jpg)" in on_first.alasan


def test_answer_a_without_bukti_is_perlu_dicek(biro_hp: Any, question: Any) -> None:
    from scoring.models import Jawaban

    q = question("A.I.1.i.a")
    Bukti.objects.filter(penilaian=biro_hp, pertanyaan=q).update(aktif=False)
    Jawaban.objects.update_or_create(
        penilaian=biro_hp,
        set="mandiri",
        pertanyaan=q,
        defaults={"opsi": q.pilihan[0], "catatan": ""},
    )
    (found,) = checks_run.periksa_jawaban(biro_hp, q)
    assert found.bukti is None and found.status == "perlu_dicek"
    assert found.alasan == f"Jawaban mandiri {q.pilihan[0]} tanpa bukti dukung."


def test_the_command_lists_every_check_and_reruns_only_what_changed(
    biro_hp: Any,
    question: Any,
    user: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = text_pdf("Notulen rapat Tim Kerja Zona Integritas\nJakarta, 3 Mei 2022")
    bukti = upload(
        biro_hp,
        question("A.I.1.i.b"),
        user,
        "notulen.pdf",
        data,
        "application/pdf",
        django_capture_on_commit_callbacks,
    )
    out = io.StringIO()
    call_command("bukti_check", unit="biro-hp", year=2022, json=True, stdout=out)
    rows = json.loads(out.getvalue())
    mine = [r for r in rows if r["bukti"] == "notulen.pdf"]
    assert {r["check"] for r in mine} == {"teks", "tanggal", "relevansi", "duplikat"}
    assert all(set(r) == {"bukti", "pertanyaan", "check", "status", "reason", "page"} for r in rows)
    assert all(r["pertanyaan"] == "A.I.1.i.b" for r in mine)

    # nothing changed: nothing is checked again
    calls: list[int] = []
    original = checks_run.periksa_bukti

    def counted(pk: int, force: bool = False) -> Any:
        calls.append(pk)
        return original(pk, force=force)

    monkeypatch.setattr("evidence.management.commands.bukti_check.periksa_bukti", counted)
    text = io.StringIO()
    call_command("bukti_check", unit="biro-hp", year=2022, stdout=text)
    assert calls == []
    assert "0 diperiksa ulang" in text.getvalue()
    assert "Pemeriksaan" in text.getvalue() and "notulen.pdf" in text.getvalue()

    # the checks changed (not the text reader): checked again, the text is not re-read
    monkeypatch.setattr(checks_run, "VERSION", TEXT_VERSION + "+cek-baru")
    monkeypatch.setattr(checks_run, "extract", lambda *a, **k: pytest.fail("re-read"))
    call_command("bukti_check", unit="biro-hp", year=2022, stdout=io.StringIO())
    assert calls == [bukti.pk]
    assert TeksBukti.objects.get(bukti=bukti).versi_pemeriksa.endswith("cek-baru")


def test_an_unknown_penilaian_is_a_clear_error() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("bukti_check", unit="tidak-ada", year=2022)


def test_a_failing_check_is_recorded_never_raised_nor_retried(
    biro_hp: Any, question: Any, user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bukti = bukti_link_add(  # no on_commit here: the task is run by hand below
        penilaian=biro_hp,
        pertanyaan=question("A.I.1.i.a"),
        url="https://contoh.go.id/a",
        judul="",
        user=user,
    )

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(checks_run, "periksa_bukti", broken)
    assert bukti_periksa.delay(bukti.pk).get() is None
    teks = TeksBukti.objects.get(bukti=bukti)
    assert teks.status == StatusTeks.TIDAK_TERBACA
    assert teks.alasan == "Pemeriksaan gagal karena kesalahan sistem."
    assert findings(bukti)["teks"].status == "gagal"
    assert bukti_periksa.delay(10**9).get() is None  # a bukti that is gone: nothing to do


def test_with_the_checks_disabled_an_upload_queues_nothing(
    biro_hp: Any, question: Any, user: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.ZI_BUKTI_CHECKS = False
    with django_capture_on_commit_callbacks(execute=True):
        (bukti,) = bukti_upload(
            penilaian=biro_hp,
            pertanyaan=question("A.I.1.i.a"),
            files=[
                SimpleUploadedFile("sk.pdf", text_pdf("SK Tim"), content_type="application/pdf")
            ],
            user=user,
        )
    assert not TeksBukti.objects.filter(bukti=bukti).exists()
    assert not TemuanBukti.objects.filter(bukti=bukti).exists()
    settings.ZI_BUKTI_CHECKS = True
    with django_capture_on_commit_callbacks(execute=True):
        (second,) = bukti_upload(
            penilaian=biro_hp,
            pertanyaan=question("A.I.1.i.a"),
            files=[
                SimpleUploadedFile("sk2.pdf", text_pdf("SK Tim 2"), content_type="application/pdf")
            ],
            user=user,
        )
    assert TeksBukti.objects.filter(bukti=second).exists()
