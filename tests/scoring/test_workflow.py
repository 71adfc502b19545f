"""The penilaian workflow (scoring.workflow): transitions, what blocks them, who may change
what and when, buka kembali, the bukti doors, and notices after commit."""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from evidence.models import Bukti
from lke.models import HasilItem, Penilaian, Pertanyaan, StatusPenilaian
from scoring import workflow
from scoring.models import Jawaban, JawabanHasil, Reviu, SnapshotSkor, StatusReviu
from scoring.services import JawabanTidakValid, jawaban_hasil_save, jawaban_save
from scoring.workflow import (
    TRANSITIONS,
    BukaKembaliDitolak,
    FinalisasiDitolak,
    PengajuanDitolak,
    PerubahanDitolak,
    TransisiDitolak,
    blocking_finalize,
    bukti_add,
    can_edit_mandiri,
    penilaian_finalize,
    penilaian_reopen,
    penilaian_submit,
    reviu_save,
)
from tests.workflow import put_status, review_everything
from units.access import unit_access
from units.models import Keanggotaan, Notifikasi, Riwayat

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def access_of(username: str, penilaian: Penilaian) -> Any:
    access = unit_access(user(username), penilaian.unit)
    assert access is not None
    return access


@pytest.fixture
def submitted(biro_hp: Penilaian, question: Callable[[str], Pertanyaan]) -> Penilaian:
    tim = user("tim.biro-hp")
    jawaban_save(
        penilaian=biro_hp, set_="mandiri", pertanyaan=question("A.I.1.i.a"), opsi="Ya", user=tim
    )
    penilaian_submit(penilaian=biro_hp, user=tim, access=access_of("tim.biro-hp", biro_hp))
    return biro_hp


def pdf_upload(name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


# --------------------------------------------------------------------------------------
# Transitions are data; a refused one changes nothing
# --------------------------------------------------------------------------------------


def test_the_transitions_are_a_table_and_others_are_refused(biro_hp: Penilaian) -> None:
    assert TRANSITIONS[StatusPenilaian.PENGISIAN] == {StatusPenilaian.REVIU_TPI}
    assert StatusPenilaian.FINAL not in TRANSITIONS[StatusPenilaian.PENGISIAN]
    locked = Penilaian.objects.get(pk=biro_hp.pk)
    with pytest.raises(TransisiDitolak, match="tidak dapat diubah dari Pengisian ke Final"):
        workflow._status_write(locked, StatusPenilaian.FINAL, user=None)
    assert Penilaian.objects.get(pk=biro_hp.pk).status == StatusPenilaian.PENGISIAN


def test_submit_moves_to_reviu_and_is_recorded(biro_hp: Penilaian) -> None:
    tim = user("tim.biro-hp")
    assert (
        penilaian_submit(penilaian=biro_hp, user=tim, access=access_of("tim.biro-hp", biro_hp)) == 0
    )
    assert biro_hp.status == StatusPenilaian.REVIU_TPI
    entry = Riwayat.objects.filter(objek="penilaian", objek_id=str(biro_hp.code)).latest("waktu")
    assert entry.perubahan["status"] == ["Pengisian", "Reviu TPI"] and entry.user == tim


def test_an_area_limited_member_cannot_submit_the_whole_unit(biro_hp: Penilaian) -> None:
    Keanggotaan.objects.filter(user__username="tim.biro-hp").update(area_terbatas=[2])
    with pytest.raises(PengajuanDitolak, match="terbatas pada area 2"):
        penilaian_submit(
            penilaian=biro_hp, user=user("tim.biro-hp"), access=access_of("tim.biro-hp", biro_hp)
        )
    assert Penilaian.objects.get(pk=biro_hp.pk).status == StatusPenilaian.PENGISIAN


def test_an_area_limited_member_cannot_submit_through_the_page(
    login: Callable[[str], Client], biro_hp: Penilaian
) -> None:
    Keanggotaan.objects.filter(user__username="tim.biro-hp").update(area_terbatas=[2])
    client = login("tim.biro-hp")
    page = client.get(f"/penilaian/{biro_hp.code}/ajukan/").content.decode()
    assert "data-unit-wide" in page and "terbatas pada area 2" in page
    response = client.post(f"/penilaian/{biro_hp.code}/ajukan/", {"konfirmasi": "ya"}, follow=True)
    assert "terbatas pada area 2" in response.content.decode()
    assert Penilaian.objects.get(pk=biro_hp.pk).status == StatusPenilaian.PENGISIAN


def test_an_area_limited_member_cannot_submit_the_rencana_kerja_nor_copy_last_year(
    login: Callable[[str], Client],
) -> None:
    from evidence.models import RencanaAksi, RencanaKerja

    tik = Penilaian.objects.get(unit__slug="pusat-tik")
    Keanggotaan.objects.filter(user__username="tim.pusat-tik").update(area_terbatas=[2])
    client = login("tim.pusat-tik")
    response = client.post(f"/penilaian/{tik.code}/rencana-kerja/", {"aksi": "ajukan"}, follow=True)
    assert "terbatas pada area 2" in response.content.decode()
    assert RencanaKerja.objects.get(penilaian=tik).status == "draf"
    rows = RencanaAksi.objects.filter(penilaian=tik).count()
    client.post(f"/penilaian/{tik.code}/rencana-aksi/salin/")
    assert RencanaAksi.objects.filter(penilaian=tik).count() == rows


# --------------------------------------------------------------------------------------
# Finalizing needs everything reviewed
# --------------------------------------------------------------------------------------


def test_finalizing_with_unreviewed_questions_is_refused_with_every_item(
    submitted: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    tpi = user("tpi.mk")
    reviu_save(
        penilaian=submitted,
        pertanyaan=question("A.I.1.i.a"),
        opsi="Ya",
        angka={},
        status=StatusReviu.DITERIMA,
        catatan="",
        user=tpi,
        expected_versi=0,
    )
    history = Riwayat.objects.count()
    with pytest.raises(FinalisasiDitolak) as caught:
        penilaian_finalize(penilaian=submitted, user=tpi)
    n_questions = Pertanyaan.objects.filter(model=submitted.model).count()
    n_hasil = HasilItem.objects.filter(model=submitted.model).count()
    codes = [b.code for b in caught.value.blocking]
    assert len(codes) == n_questions - 1 + n_hasil
    assert "A.I.1.i.a" not in codes and "A.I.1.i.b" in codes and "B.I.a" in codes
    first = caught.value.blocking[0]
    assert first.reason == "Belum direviu TPI." and "#r-" in first.url
    assert Penilaian.objects.get(pk=submitted.pk).status == StatusPenilaian.REVIU_TPI
    assert not SnapshotSkor.objects.filter(penilaian=submitted).exists()
    assert Riwayat.objects.count() == history


def test_each_kind_of_blocking_item_has_its_reason(
    submitted: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    tpi = user("tpi.mk")
    review_everything(submitted, tpi)
    assert blocking_finalize(submitted) == []
    q = question("A.I.1.i.a")
    Reviu.objects.filter(penilaian=submitted, pertanyaan=q).update(status=StatusReviu.DIPERBAIKI)
    Jawaban.objects.filter(penilaian=submitted, set="tpi", pertanyaan=question("A.I.1.i.b")).update(
        opsi=""
    )
    JawabanHasil.objects.filter(penilaian=submitted, set="tpi", hasil_item__kode="B.II.a").update(
        nilai=None
    )
    reasons = {b.code: b.reason for b in blocking_finalize(submitted)}
    assert reasons == {
        "A.I.1.i.a": "Sudah diperbaiki tim kerja, menunggu reviu ulang TPI.",
        "A.I.1.i.b": "Jawaban TPI belum diisi.",
        "B.II.a": reasons["B.II.a"],
    }
    assert reasons["B.II.a"].startswith("Nilai hasil") and "belum diisi TPI" in reasons["B.II.a"]


def test_finalizing_after_every_review_freezes_and_notifies_after_commit(
    submitted: Penilaian, django_capture_on_commit_callbacks: Any
) -> None:
    tpi = user("tpi.mk")
    review_everything(submitted, tpi)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        official = penilaian_finalize(penilaian=submitted, user=tpi)
        # Nothing is sent while the decision's transaction is open.
        assert not Notifikasi.objects.filter(pesan__contains="memfinalkan").exists()
    assert callbacks
    for callback in callbacks:
        callback()
    assert official.final and submitted.status == StatusPenilaian.FINAL
    assert Notifikasi.objects.filter(
        user__username="tim.biro-hp", pesan__contains="memfinalkan"
    ).exists()


class RaisingBackend:
    """A mail server that is down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


@override_settings(EMAIL_BACKEND="tests.scoring.test_workflow.RaisingBackend")
def test_a_failing_mail_server_never_undoes_the_decision(
    login: Callable[[str], Client],
    submitted: Penilaian,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    review_everything(submitted, user("tpi.mk"))
    get_user_model().objects.filter(username="pimpinan.biro-hp").update(email="kepala@mkri.id")
    with (
        caplog.at_level(logging.ERROR, logger="units.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = login("tpi.mk").post(f"/penilaian/{submitted.code}/final/", {"konfirmasi": "ya"})
    assert response.status_code == 302
    assert Penilaian.objects.get(pk=submitted.pk).status == StatusPenilaian.FINAL
    assert SnapshotSkor.objects.filter(penilaian=submitted, final=True).count() == 2
    assert "kepala@mkri.id" in caplog.text
    # The in-app notice still arrives.
    assert Notifikasi.objects.filter(user__username="pimpinan.biro-hp").exists()


# --------------------------------------------------------------------------------------
# Buka kembali
# --------------------------------------------------------------------------------------


@pytest.fixture
def final(submitted: Penilaian) -> Penilaian:
    review_everything(submitted, user("tpi.mk"))
    penilaian_finalize(penilaian=submitted, user=user("tpi.mk"))
    return submitted


def test_only_an_admin_reopens_with_a_reason(final: Penilaian) -> None:
    with pytest.raises(BukaKembaliDitolak, match="Hanya admin"):
        penilaian_reopen(penilaian=final, user=user("tpi.mk"), alasan="Salah hitung")
    with pytest.raises(BukaKembaliDitolak, match="alasan"):
        penilaian_reopen(penilaian=final, user=user("admin"), alasan="  ")
    assert Penilaian.objects.get(pk=final.pk).status == StatusPenilaian.FINAL
    assert SnapshotSkor.objects.filter(penilaian=final, final=True).count() == 2


def test_reopening_keeps_the_snapshots_but_not_as_current(
    login: Callable[[str], Client], final: Penilaian
) -> None:
    assert (
        "snapshot yang dibekukan"
        in login("tpi.mk").get(f"/penilaian/{final.code}/skor/").content.decode()
    )
    n = penilaian_reopen(penilaian=final, user=user("admin"), alasan="Bukti IPAK keliru")
    assert n == 2 and final.status == StatusPenilaian.REVIU_TPI
    assert SnapshotSkor.objects.filter(penilaian=final).count() == 2
    assert not SnapshotSkor.objects.filter(penilaian=final, final=True).exists()
    entry = Riwayat.objects.filter(objek="penilaian", objek_id=str(final.code)).latest("waktu")
    assert entry.perubahan["status"] == ["Final", "Reviu TPI"]
    assert entry.perubahan["alasan_buka_kembali"] == ["", "Bukti IPAK keliru"]
    html = login("tpi.mk").get(f"/penilaian/{final.code}/skor/").content.decode()
    assert "snapshot yang dibekukan" not in html
    with pytest.raises(BukaKembaliDitolak, match="Hanya penilaian final"):
        penilaian_reopen(penilaian=final, user=user("admin"), alasan="lagi")


# --------------------------------------------------------------------------------------
# Who may change what, and when: at the service, whatever the door
# --------------------------------------------------------------------------------------


def test_mandiri_answers_change_in_pengisian_and_on_returned_items_only(
    submitted: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    tim = user("tim.biro-hp")
    q, other = question("A.I.1.i.a"), question("A.I.1.i.b")
    with pytest.raises(JawabanTidakValid, match="dikembalikan TPI"):
        jawaban_save(penilaian=submitted, set_="mandiri", pertanyaan=other, opsi="A", user=tim)
    assert not Jawaban.objects.filter(penilaian=submitted, set="mandiri", pertanyaan=other).exists()
    reviu_save(
        penilaian=submitted,
        pertanyaan=q,
        opsi="Ya",
        angka={},
        status=StatusReviu.PERLU_PERBAIKAN,
        catatan="SK belum ada",
        user=user("tpi.mk"),
        expected_versi=0,
    )
    saved = jawaban_save(penilaian=submitted, set_="mandiri", pertanyaan=q, opsi="Tidak", user=tim)
    assert saved.opsi == "Tidak"
    assert can_edit_mandiri(access_of("tim.biro-hp", submitted), submitted, q)
    assert not can_edit_mandiri(access_of("tim.biro-hp", submitted), submitted, other)


def test_tpi_answers_and_hasil_change_only_in_reviu(
    biro_hp: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    tpi = user("tpi.mk")
    with pytest.raises(JawabanTidakValid, match="tidak sedang dalam tahap reviu TPI"):
        jawaban_save(
            penilaian=biro_hp, set_="tpi", pertanyaan=question("A.I.1.i.a"), opsi="Ya", user=tpi
        )
    ipak = HasilItem.objects.get(model=biro_hp.model, kode="B.I.a")
    with pytest.raises(JawabanTidakValid, match="tidak sedang dalam tahap reviu TPI"):
        jawaban_hasil_save(penilaian=biro_hp, set_="tpi", hasil_item=ipak, value="3", user=tpi)
    put_status(biro_hp, StatusPenilaian.REVIU_TPI)
    with pytest.raises(JawabanTidakValid, match="hanya dapat diubah pada tahap pengisian"):
        jawaban_hasil_save(penilaian=biro_hp, set_="mandiri", hasil_item=ipak, value="3", user=None)
    assert not JawabanHasil.objects.filter(penilaian=biro_hp).exists()


def test_nothing_changes_after_final(
    final: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    q = question("A.I.1.i.a")
    for set_, who in (("mandiri", "tim.biro-hp"), ("tpi", "tpi.mk")):
        with pytest.raises(JawabanTidakValid, match="sudah final"):
            jawaban_save(penilaian=final, set_=set_, pertanyaan=q, opsi="Tidak", user=user(who))
    with pytest.raises(PerubahanDitolak, match="sudah final"):
        bukti_add(
            access=access_of("tim.biro-hp", final),
            penilaian=final,
            pertanyaan=q,
            user=user("tim.biro-hp"),
            tanggal_efektif=None,
            rencana_aksi=None,
            url="https://contoh.go.id/sk",
        )


def test_area_limits_hold_at_the_service(
    biro_hp: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    Keanggotaan.objects.filter(user__username="tim.biro-hp").update(area_terbatas=[2])
    with pytest.raises(JawabanTidakValid, match="di luar area"):
        jawaban_save(
            penilaian=biro_hp,
            set_="mandiri",
            pertanyaan=question("A.I.1.i.a"),
            opsi="Ya",
            user=user("tim.biro-hp"),
            access=access_of("tim.biro-hp", biro_hp),
        )


def test_bukti_follow_the_mandiri_rule_through_the_page(
    login: Callable[[str], Client], submitted: Penilaian, question: Callable[[str], Pertanyaan]
) -> None:
    q = question("A.I.1.i.b")
    client = login("tim.biro-hp")
    url = f"/penilaian/{submitted.code}/pertanyaan/{q.pk}/bukti/"
    assert client.post(url, {"berkas": pdf_upload()}).status_code == 403
    assert not Bukti.objects.filter(penilaian=submitted, pertanyaan=q).exists()
    with pytest.raises(PerubahanDitolak, match="dikembalikan TPI"):
        bukti_add(
            access=None,
            penilaian=submitted,
            pertanyaan=q,
            user=user("tim.biro-hp"),
            tanggal_efektif=None,
            rencana_aksi=None,
            url="https://contoh.go.id/sk",
        )
    Reviu.objects.create(
        penilaian=submitted, pertanyaan=q, status=StatusReviu.PERLU_PERBAIKAN, catatan="Unggah SK"
    )
    assert client.post(url, {"url": "https://contoh.go.id/sk", "judul": "SK"}).status_code == 302
    assert Bukti.objects.filter(penilaian=submitted, pertanyaan=q, aktif=True).count() == 1


# --------------------------------------------------------------------------------------
# No status is written anywhere else
# --------------------------------------------------------------------------------------

WORKFLOW_MODULES = {
    Path("scoring/workflow.py"),
    Path("evidence/persetujuan.py"),
    Path("scoring/pengusulan.py"),  # the pengusulan to the TPN (draf -> ditandatangani -> dikirim)
}


def _status_writes(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines: list[int] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(t, ast.Attribute) and t.attr == "status":
                    lines.append(node.lineno)
        # queryset.update(status=...) on Penilaian or RencanaKerja
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and any(k.arg == "status" for k in node.keywords)
        ):
            source = ast.unparse(node.func.value)
            if "Penilaian" in source or "RencanaKerja" in source:
                lines.append(node.lineno)
    return lines


def test_no_status_is_written_outside_the_workflow_modules() -> None:
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {"tests", ".venv", "bench"} or "migrations" in rel.parts:
            continue
        if rel in WORKFLOW_MODULES:
            continue
        text = path.read_text(encoding="utf-8")
        if ".status" not in text and "status=" not in text:
            continue
        for line in _status_writes(path):
            source = text.splitlines()[line - 1]
            # Only Penilaian and RencanaKerja statuses are the workflow's.
            if any(word in source for word in ("rk.", "penilaian", "locked", "RencanaKerja")):
                offenders.append(f"{rel}:{line}: {source.strip()}")
    assert offenders == []


def test_the_buka_kembali_command_is_a_door_for_admins_only(final: Penilaian) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Hanya admin"):
        call_command("penilaian_buka_kembali", unit="biro-hp", year=2022, user="tpi.mk", alasan="x")
    out = StringIO()
    call_command(
        "penilaian_buka_kembali",
        unit="biro-hp",
        year=2022,
        user="admin",
        alasan="Nilai IPAK salah ketik",
        ke="pengisian",
        stdout=out,
    )
    assert "dibuka kembali ke tahap Pengisian; 2 snapshot" in out.getvalue()
    assert Penilaian.objects.get(pk=final.pk).status == StatusPenilaian.PENGISIAN


def test_rencana_aksi_do_not_change_after_final(final: Penilaian) -> None:
    from evidence.models import RencanaAksi
    from evidence.services import rencana_aksi_delete
    from evidence.validators import BuktiDitolak

    row = RencanaAksi.objects.filter(penilaian=final).first()
    assert row is not None
    with pytest.raises(BuktiDitolak, match="sudah final"):
        rencana_aksi_delete(row=row, user=user("tim.biro-hp"))
    assert RencanaAksi.objects.filter(pk=row.pk).exists()


def test_an_admin_reopens_from_the_score_page(
    login: Callable[[str], Client], final: Penilaian
) -> None:
    url = f"/penilaian/{final.code}/buka-kembali/"
    assert login("tpi.mk").post(url, {"alasan": "x"}).status_code == 403
    assert (
        "data-buka-kembali"
        not in login("tpi.mk").get(f"/penilaian/{final.code}/skor/").content.decode()
    )
    admin = login("admin")
    assert "data-buka-kembali" in admin.get(f"/penilaian/{final.code}/skor/").content.decode()
    refused = admin.post(url, {"alasan": " "}, follow=True).content.decode()
    assert "Tuliskan alasan" in refused
    assert Penilaian.objects.get(pk=final.pk).status == StatusPenilaian.FINAL
    page = admin.post(url, {"alasan": "IPAK salah ketik"}, follow=True).content.decode()
    assert "dibuka kembali" in page and "snapshot yang dibekukan" not in page
    assert Penilaian.objects.get(pk=final.pk).status == StatusPenilaian.REVIU_TPI
