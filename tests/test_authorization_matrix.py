"""Every URL of the project against every demo role, for objects of the user's own unit
and of other units (issue 6).

`MATRIX` names each route of the URL resolver with the requests to make and the outcome
the access rules (units/access.py, docs/architecture.md) demand per relation: 200 or a
redirect for who may act, the login page for anonymous users, 403 for roles that may see
but not act, 404 for outsiders and for objects that do not belong to the penilaian in
the URL, 405 for methods a view does not accept. The relation of each demo role to each
scope is in tests/authz_matrix.py. A route missing from the matrix fails
`test_every_url_has_an_entry`.

Each cell is its own test, so the transaction rollback undoes what an allowed action did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from documents.models import JenisEkspor
from evidence.models import RencanaKerja, StatusPersetujuan, TemuanBukti
from evidence.syarat import isian_syarat_simpan
from lke.models import Penilaian, StatusPenilaian
from lke.syarat import isian_of, tabel_for_year
from scoring.models import EvaluasiMandiri, SetJawaban, SnapshotSkor
from scoring.penetapan import penetapan_catat
from tests.authz_matrix import (
    ADMIN_LOGIN,
    CROSS,
    REDIRECT,
    SCOPED,
    SCOPED_WITH_CROSS,
    UNSCOPED,
    Builder,
    Cell,
    Check,
    Expect,
    Route,
    Scene,
    cells,
    everyone,
    members,
    no_kwargs,
    outcome_of,
    resolver_routes,
    wrong_method,
)
from tests.evidence.files import pdf, xlsx

pytestmark = pytest.mark.django_db

# Namespaces checked as one entry on a few representative URLs.
WHOLE_NAMESPACES = ("admin",)

# -- URL parameters from real objects ---------------------------------------------------


def penilaian_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code}


def instansi_kw(s: Scene) -> dict[str, Any]:
    return {"kode": s.penilaian.unit.instansi.kode}


def tahun_data(s: Scene) -> dict[str, Any]:
    return {"tahun": str(s.penilaian.tahun)}


def area_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "nomor": s.question.indikator.area.nomor}


def question_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "pertanyaan_id": s.question.pk}


def bukti_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "bukti_code": s.bukti.code}


def temuan_kw(s: Scene) -> dict[str, Any]:
    """A finding of the evidence checks on the scene's bukti (made here: the checks' task
    runs on commit, which a test transaction never reaches)."""
    bukti = s.bukti
    temuan, _ = TemuanBukti.objects.get_or_create(
        penilaian=bukti.penilaian,
        pertanyaan=bukti.pertanyaan,
        bukti=bukti,
        jenis="tanggal",
        defaults={"status": "perlu_dicek", "alasan": "Tidak ditemukan tanggal pada dokumen."},
    )
    return {"code": s.penilaian.code, "temuan_id": temuan.pk}


def indikator_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "kode": s.question.indikator.kode}


def row_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "row_code": s.row.code}


def realisasi_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "row_code": s.row.code, "triwulan": 2}


def dokumen_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.penilaian.code, "dokumen_code": s.dokumen.code}


def pengusulan_kw(s: Scene) -> dict[str, Any]:
    """The pengusulan of the scene unit's instansi and year (instansi-wide pages)."""
    return {"slug": s.penilaian.unit.instansi.kode, "tahun": s.penilaian.tahun}


def pengusulan_dokumen_kw(s: Scene) -> dict[str, Any]:
    """A signed letter + SPTJM of the scene's instansi; in `cross` another instansi's in
    this instansi's URL."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from documents.models import DokumenTertandatangan
    from scoring.models import Pengusulan
    from tests.evidence.files import PDF

    source = s.foreign if s.scope == CROSS else s
    unit = source.penilaian.unit
    row, _created = Pengusulan.objects.get_or_create(
        instansi=unit.instansi, tahun=source.penilaian.tahun
    )
    dokumen = DokumenTertandatangan.objects.create(
        jenis="pengusulan",
        pengusulan=row,
        berkas=ContentFile(PDF, name="pengusulan.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
        ukuran=len(PDF),
        penandatangan=get_user_model().objects.get(username="admin"),
        nama_penandatangan="Pimpinan instansi",
        subjek_sertifikat="CN=Uji",
        ditandatangani_pada=timezone.now(),
    )
    return {**pengusulan_kw(s), "dokumen_code": dokumen.code}


def public_dokumen_kw(s: Scene) -> dict[str, Any]:
    return {"code": s.dokumen.code}


def _rkt_indikator(s: Scene) -> Any:
    """An indikator kinerja of the scene unit's RKT (made for units without one)."""
    from evidence.models import IndikatorKinerja
    from evidence.rkt import BarisRkt, rkt_save

    unit, tahun = s.penilaian.unit, s.penilaian.tahun
    found = IndikatorKinerja.objects.filter(
        sasaran__rkt__unit=unit, sasaran__rkt__tahun=tahun, tautan_zi=""
    ).first()
    if found is None:
        rkt_save(
            unit=unit,
            tahun=tahun,
            header={},
            rows=[BarisRkt("1.", "S", "1.", "I", "95%")],
            user=None,
        )
        found = IndikatorKinerja.objects.get(sasaran__rkt__unit=unit, sasaran__rkt__tahun=tahun)
    return found


def rkt_indikator_kw(s: Scene) -> dict[str, Any]:
    source = s.foreign if s.scope == CROSS else s
    return {"code": s.penilaian.code, "indikator_code": _rkt_indikator(source).code}


def job_kw(s: Scene) -> dict[str, Any]:
    return {"job_id": s.job.pk}


def ekspor_kw(jenis: str) -> Builder:
    return lambda s: {"code": s.penilaian.code, "jenis": jenis}


def admin_change_kw(s: Scene) -> dict[str, Any]:
    return {"object_id": s.penilaian.pk}


def syarat_berkas_kw(s: Scene) -> dict[str, Any]:
    """A unit value of Tabel 5 with its evidence file (the scene's unit and year)."""
    tabel = tabel_for_year(s.penilaian.tahun)
    assert tabel is not None
    isian_syarat_simpan(
        isian=isian_of(tabel)["core_layanan"],
        tahun=s.penilaian.tahun,
        unit=s.penilaian.unit,
        nilai="ya",
        berkas=pdf("sk-core-layanan.pdf"),
        user=s.tim,
    )
    return {"code": s.penilaian.code, "kode": "core_layanan"}


def penetapan_sk_kw(s: Scene) -> dict[str, Any]:
    """A recorded penetapan Menuju WBK (evaluasi mandiri, from 2024 on: 5/2024 B) of a
    penilaian of the scene's unit."""
    penilaian, _created = Penilaian.objects.get_or_create(
        unit=s.penilaian.unit,
        tahun=max(2024, s.penilaian.tahun),
        defaults={"model": s.penilaian.model, "status": StatusPenilaian.FINAL},
    )
    Penilaian.objects.filter(pk=penilaian.pk).update(status=StatusPenilaian.FINAL)
    penilaian.refresh_from_db()
    admin = get_user_model().objects.get(username="admin")
    EvaluasiMandiri.objects.get_or_create(instansi=penilaian.unit.instansi, tahun=penilaian.tahun)
    SnapshotSkor.objects.create(
        penilaian=penilaian, set=SetJawaban.TPI, total=80, predikat="WBK", laporan={}, final=True
    )
    penetapan_catat(
        penilaian=penilaian,
        nomor_sk="SK-1/2022",
        tanggal_sk=dt.date(penilaian.tahun, 12, 1),
        berkas=pdf("sk-penetapan.pdf"),
        user=admin,
        access=None,
    )
    return {"code": penilaian.code}


# -- state an action needs to get past its workflow check -------------------------------


def in_review(s: Scene) -> None:
    s.set_status(StatusPenilaian.REVIU_TPI)


def is_final(s: Scene) -> None:
    s.set_status(StatusPenilaian.FINAL)


def rk_status(status: str) -> Callable[[Scene], None]:
    def prepare(s: Scene) -> None:
        RencanaKerja.objects.filter(pk=s.rk.pk).update(status=status)

    return prepare


# -- form data --------------------------------------------------------------------------

RA_ROW = {"rencana_aksi": "Sosialisasi kode etik pegawai", "status": "belum_mulai"}


def jawaban_data(s: Scene) -> dict[str, Any]:
    return {"opsi": "Ya", "versi": str(s.jawaban_versi(SetJawaban.MANDIRI))}


def reviu_data(s: Scene) -> dict[str, Any]:
    return {
        "opsi": "Ya",
        "status": "diterima",
        "catatan": "Sesuai bukti.",
        "versi": str(s.jawaban_versi(SetJawaban.TPI)),
    }


def ra_edit_data(s: Scene) -> dict[str, Any]:
    return {**RA_ROW, "status": "berjalan", "versi": str(s.row.versi)}


def constant(data: dict[str, Any]) -> Builder:
    return lambda s: dict(data)


# -- the matrix -------------------------------------------------------------------------

VIEW = members(200)
TIM_ACTS = Expect(admin=200, tim=200, pimpinan=403, tpi=403)
TIM_ACTS_REDIRECT = Expect(admin=REDIRECT, tim=REDIRECT, pimpinan=403, tpi=403)
TPI_ACTS = Expect(admin=200, tim=403, pimpinan=403, tpi=200)
TPI_ACTS_REDIRECT = Expect(admin=REDIRECT, tim=403, pimpinan=403, tpi=REDIRECT)
# Only the pimpinan instansi (not a matrix role: tests/scoring/test_views_syarat.py) and admins.
ADMIN_ACTS_REDIRECT = Expect(admin=REDIRECT, tim=403, pimpinan=403, tpi=403)
PIMPINAN_ACTS_REDIRECT = Expect(admin=REDIRECT, tim=403, pimpinan=REDIRECT, tpi=403)
EDITORS = Expect(admin=200, tim=200, pimpinan=403, tpi=200)  # mandiri or TPI answers
ADMIN_ONLY = Expect(
    admin=200,
    tim=ADMIN_LOGIN,
    pimpinan=ADMIN_LOGIN,
    tpi=ADMIN_LOGIN,
    anon=ADMIN_LOGIN,
    evaluator=ADMIN_LOGIN,
)
SIGNED_IN = Expect(admin=200, tim=200, pimpinan=200, tpi=200, evaluator=200)

# Instansi-wide pages: the instansi's TPI and admins (and its pimpinan instansi, not a
# matrix role: tests/scoring/test_pengusulan.py); unit members and outside evaluators have
# no instansi-wide role.
INSTANSI_VIEW = Expect(admin=200, tim=404, pimpinan=404, tpi=200, evaluator=404)
INSTANSI_ACTS_REDIRECT = Expect(admin=REDIRECT, tim=404, pimpinan=404, tpi=REDIRECT, evaluator=404)

MATRIX: dict[str, Route] = {
    # -- project ---------------------------------------------------------------------
    "home": Route(no_kwargs, UNSCOPED, (Check("GET", SIGNED_IN), wrong_method("POST"))),
    "login": Route(
        no_kwargs,
        UNSCOPED,
        (
            Check("GET", everyone(200)),
            Check(
                "POST",
                everyone(200),
                data=constant({"username": "tidak-ada", "password": "salah"}),
                label="wrong password",
            ),
        ),
    ),
    "logout": Route(no_kwargs, UNSCOPED, (Check("POST", everyone(REDIRECT)), wrong_method("GET"))),
    "password_change": Route(
        no_kwargs,
        UNSCOPED,
        (
            Check("GET", SIGNED_IN),
            Check(
                "POST",
                SIGNED_IN,
                data=constant({"old_password": "salah", "new_password1": "x"}),
                label="wrong old password",
            ),
            wrong_method("PUT"),
        ),
    ),
    "password_change_done": Route(
        no_kwargs, UNSCOPED, (Check("GET", SIGNED_IN), wrong_method("POST"))
    ),
    "favicon": Route(no_kwargs, UNSCOPED, (Check("GET", everyone(REDIRECT)), wrong_method("POST"))),
    "notifikasi": Route(
        no_kwargs,
        UNSCOPED,
        (
            Check("GET", SIGNED_IN),
            Check("POST", members(REDIRECT), label="mark all read"),
            wrong_method("PUT"),
        ),
    ),
    "set_language": Route(
        no_kwargs,
        UNSCOPED,
        (Check("POST", everyone(REDIRECT), data=constant({"language": "en", "next": "/"})),),
    ),
    "scoring:riwayat": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", TPI_ACTS),
            Check("GET", TPI_ACTS, query="format=csv", label="csv"),
            wrong_method("POST"),
        ),
    ),
    "verifikasi:detail": Route(
        public_dokumen_kw,
        UNSCOPED,
        (
            Check("GET", everyone(200)),
            Check("POST", everyone(200), label="no file"),
            wrong_method("PUT"),
        ),
    ),
    # -- lke -------------------------------------------------------------------------
    "scoring:dashboard": Route(penilaian_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))),
    "scoring:worksheet": Route(area_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))),
    "scoring:jawaban": Route(
        question_kw,
        SCOPED_WITH_CROSS,
        (Check("POST", TIM_ACTS, data=jawaban_data, htmx=True), wrong_method("GET")),
    ),
    "scoring:ajukan": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", TIM_ACTS),
            Check("POST", TIM_ACTS_REDIRECT, label="without konfirmasi"),
            wrong_method("PUT"),
        ),
    ),
    # -- evidence: bukti -------------------------------------------------------------
    "scoring:bukti_unggah": Route(
        question_kw,
        SCOPED_WITH_CROSS,
        (
            Check(
                "POST",
                TIM_ACTS,
                data=constant({"url": "https://example.org/sk-tim", "judul": "SK Tim"}),
                htmx=True,
                label="link",
            ),
            wrong_method("GET"),
        ),
    ),
    "evidence:bukti": Route(
        bukti_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW), wrong_method("POST"))
    ),
    "scoring:bukti_ganti": Route(
        bukti_kw,
        SCOPED_WITH_CROSS,
        (
            Check("POST", TIM_ACTS, data=lambda s: {"berkas": pdf("sk-tim-v2.pdf")}, htmx=True),
            wrong_method("GET"),
        ),
    ),
    "scoring:bukti_tarik": Route(
        bukti_kw, SCOPED_WITH_CROSS, (Check("POST", TIM_ACTS, htmx=True), wrong_method("GET"))
    ),
    "scoring:bukti_berlaku": Route(
        bukti_kw, SCOPED_WITH_CROSS, (Check("POST", TIM_ACTS, htmx=True), wrong_method("GET"))
    ),
    # -- evidence: rencana aksi ------------------------------------------------------
    "evidence:rencana_aksi": Route(
        indikator_kw,
        SCOPED,
        (
            Check("GET", VIEW),
            Check("POST", TIM_ACTS_REDIRECT, data=constant(RA_ROW), label="new row"),
            wrong_method("PUT"),
        ),
    ),
    "evidence:rencana_aksi_salin": Route(
        penilaian_kw, SCOPED, (Check("POST", TIM_ACTS_REDIRECT), wrong_method("GET"))
    ),
    "evidence:rencana_aksi_baris": Route(
        row_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW, htmx=True), wrong_method("POST"))
    ),
    "evidence:rencana_aksi_ubah": Route(
        row_kw,
        SCOPED_WITH_CROSS,
        (
            Check("GET", TIM_ACTS, htmx=True, label="edit form"),
            Check("POST", TIM_ACTS, data=ra_edit_data, htmx=True),
            wrong_method("PUT"),
        ),
    ),
    "evidence:rencana_aksi_hapus": Route(
        row_kw, SCOPED_WITH_CROSS, (Check("POST", TIM_ACTS, htmx=True), wrong_method("GET"))
    ),
    "evidence:rencana_aksi_pindah": Route(
        row_kw,
        SCOPED_WITH_CROSS,
        (Check("POST", TIM_ACTS_REDIRECT, data=constant({"arah": "turun"})), wrong_method("GET")),
    ),
    # -- evidence: realisasi of the rencana aksi per quarter (issue 15) -----------------
    "evidence:rencana_aksi_realisasi": Route(
        row_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW, htmx=True), wrong_method("POST"))
    ),
    "evidence:rencana_aksi_realisasi_ubah": Route(
        realisasi_kw,
        SCOPED_WITH_CROSS,
        (
            Check("GET", TIM_ACTS, htmx=True, label="edit form"),
            Check(
                "POST",
                TIM_ACTS,
                data=constant({"realisasi": "Rapat tim", "progres": "50", "status": "berjalan"}),
                htmx=True,
            ),
            wrong_method("PUT"),
        ),
    ),
    # -- evidence: Rencana Kinerja Tahunan (issue 17) --------------------------------
    "evidence:rkt_ubah": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", TIM_ACTS),
            Check("POST", Expect(admin=422, tim=422, pimpinan=403, tpi=403), label="no rows"),
            wrong_method("PUT"),
        ),
    ),
    "evidence:rkt_impor": Route(
        penilaian_kw,
        SCOPED,
        (Check("POST", TIM_ACTS_REDIRECT, label="no file"), wrong_method("GET")),
    ),
    "evidence:rkt_realisasi": Route(
        rkt_indikator_kw,
        SCOPED_WITH_CROSS,
        (
            Check("POST", TIM_ACTS_REDIRECT, data=constant({"triwulan": "1", "nilai": "90"})),
            wrong_method("GET"),
        ),
    ),
    "scoring:rkt": Route(penilaian_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))),
    # -- evidence: documents ---------------------------------------------------------
    "documents:ekspor_mulai": Route(
        ekspor_kw(JenisEkspor.LKE_XLSX),
        SCOPED,
        (
            Check("POST", members(REDIRECT), data=constant({"oleh": "tpi"}), label="lke_xlsx"),
            Check(
                "POST",
                members(REDIRECT),
                kwargs=ekspor_kw(JenisEkspor.RENCANA_KERJA_PDF),
                label="rencana_kerja_pdf",
            ),
            Check(
                "POST",
                members(REDIRECT),
                kwargs=ekspor_kw(JenisEkspor.BERKAS_BUKTI_ZIP),
                label="berkas_bukti_zip",
            ),
            Check(
                "POST", members(REDIRECT), kwargs=ekspor_kw(JenisEkspor.RKT_PDF), label="rkt_pdf"
            ),
            # The TPI's LHE: only who sees the TPI result (not the tim kerja); before the
            # final TPI score the start redirects back with the reason.
            Check(
                "POST",
                Expect(admin=REDIRECT, tim=403, pimpinan=REDIRECT, tpi=REDIRECT),
                kwargs=ekspor_kw(JenisEkspor.LHE_PDF),
                label="lhe_pdf",
            ),
            Check(
                "POST",
                members(REDIRECT),
                data=constant({"triwulan": "2"}),
                kwargs=ekspor_kw(JenisEkspor.MONEV_PDF),
                label="monev_pdf",
            ),
            Check(
                "POST",
                members(REDIRECT),
                data=constant({"triwulan": "3"}),
                kwargs=ekspor_kw(JenisEkspor.MONEV_DOCX),
                label="monev_docx",
            ),
            wrong_method("GET"),
        ),
    ),
    "documents:impor": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", EDITORS),
            Check("POST", EDITORS, data=constant({"oleh": "mandiri"}), label="no file"),
            # With a workbook the per-set check runs; an empty workbook is then refused.
            Check(
                "POST",
                Expect(admin=422, tim=422, pimpinan=403, tpi=403),
                data=lambda s: {"oleh": "mandiri", "berkas": xlsx()},
                label="oleh=mandiri",
            ),
            Check(
                "POST",
                Expect(admin=422, tim=403, pimpinan=403, tpi=422),
                data=lambda s: {"oleh": "tpi", "berkas": xlsx()},
                prepare=in_review,
                label="oleh=tpi",
            ),
            Check(
                "POST",
                Expect(admin=422, tim=403, pimpinan=403, tpi=422),
                data=lambda s: {"oleh": "tpn", "berkas": xlsx()},
                prepare=is_final,
                label="oleh=tpn",
            ),
            wrong_method("PUT"),
        ),
    ),
    "documents:rencana_kerja": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", VIEW),
            Check(
                "POST",
                TIM_ACTS_REDIRECT,
                data=constant({"aksi": "simpan", "judul": "Rencana Kerja ZI"}),
                prepare=rk_status(StatusPersetujuan.DRAF),
                label="aksi=simpan",
            ),
            Check(
                "POST",
                TIM_ACTS_REDIRECT,
                data=constant({"aksi": "ajukan"}),
                prepare=rk_status(StatusPersetujuan.DRAF),
                label="aksi=ajukan",
            ),
            Check(
                "POST",
                PIMPINAN_ACTS_REDIRECT,
                data=constant({"aksi": "setujui"}),
                prepare=rk_status(StatusPersetujuan.DIAJUKAN),
                label="aksi=setujui",
            ),
            Check(
                "POST",
                PIMPINAN_ACTS_REDIRECT,
                data=constant({"aksi": "kembalikan", "catatan": "Lengkapi BAB II."}),
                prepare=rk_status(StatusPersetujuan.DIAJUKAN),
                label="aksi=kembalikan",
            ),
            wrong_method("PUT"),
        ),
    ),
    "documents:dokumen": Route(
        dokumen_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW), wrong_method("POST"))
    ),
    # -- export jobs: the requester's own job; in `cross` a colleague's job ------------
    "ekspor:halaman": Route(job_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW), wrong_method("POST"))),
    "ekspor:status": Route(
        job_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW, htmx=True), wrong_method("POST"))
    ),
    "ekspor:unduh": Route(job_kw, SCOPED_WITH_CROSS, (Check("GET", VIEW), wrong_method("POST"))),
    # -- scoring ---------------------------------------------------------------------
    "scoring:antrean": Route(no_kwargs, UNSCOPED, (Check("GET", SIGNED_IN), wrong_method("POST"))),
    # The instansi recap: roles over the whole instansi (its TPI, pimpinan instansi) and
    # admins; a unit's own tim kerja and pimpinan get 404 like outsiders.
    "scoring:instansi": Route(
        instansi_kw, SCOPED, (Check("GET", INSTANSI_VIEW), wrong_method("POST"))
    ),
    "instansi:ekspor": Route(
        instansi_kw,
        SCOPED,
        (Check("POST", INSTANSI_ACTS_REDIRECT, data=tahun_data), wrong_method("GET")),
    ),
    "scoring:skor": Route(penilaian_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))),
    "scoring:reviu": Route(area_kw, SCOPED, (Check("GET", TPI_ACTS), wrong_method("POST"))),
    "scoring:reviu_simpan": Route(
        question_kw,
        SCOPED,
        (
            Check("POST", TPI_ACTS, data=reviu_data, prepare=in_review, htmx=True),
            wrong_method("GET"),
        ),
    ),
    "scoring:temuan_abaikan": Route(
        temuan_kw,
        SCOPED_WITH_CROSS,
        (
            Check(
                "POST",
                TPI_ACTS,
                data=constant({"alasan": "Sudah dicek manual."}),
                prepare=in_review,
                htmx=True,
            ),
            wrong_method("GET"),
        ),
    ),
    "scoring:hasil": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", TPI_ACTS),
            Check("POST", TPI_ACTS_REDIRECT, prepare=in_review, label="empty inputs"),
            wrong_method("PUT"),
        ),
    ),
    "scoring:final": Route(
        penilaian_kw,
        SCOPED,
        (Check("POST", TPI_ACTS_REDIRECT, label="without konfirmasi"), wrong_method("GET")),
    ),
    "scoring:predikat_simpan": Route(
        penilaian_kw,
        SCOPED,
        (Check("POST", TPI_ACTS_REDIRECT, label="empty form"), wrong_method("GET")),
    ),
    "scoring:syarat": Route(penilaian_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))),
    "scoring:syarat_isi": Route(
        penilaian_kw,
        SCOPED,
        (
            Check(
                "POST", TIM_ACTS_REDIRECT, data=constant({"kode": "core_layanan", "nilai": "ya"})
            ),
            Check(
                "POST",
                ADMIN_ACTS_REDIRECT,  # and the pimpinan instansi (tests/scoring/test_views_syarat)
                data=constant({"kode": "opini_bpk", "nilai": "WTP"}),
                label="instansi value",
            ),
            wrong_method("GET"),
        ),
    ),
    "scoring:syarat_berkas": Route(
        syarat_berkas_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))
    ),
    "scoring:evaluasi_mandiri": Route(
        penilaian_kw,
        SCOPED,
        (Check("POST", ADMIN_ACTS_REDIRECT, label="pimpinan instansi"), wrong_method("GET")),
    ),
    "scoring:penetapan": Route(
        penilaian_kw,
        SCOPED,
        (Check("POST", ADMIN_ACTS_REDIRECT, label="empty form"), wrong_method("GET")),
    ),
    "scoring:penetapan_sk": Route(
        penetapan_sk_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))
    ),
    "scoring:pengusulan": Route(
        pengusulan_kw,
        SCOPED,
        (
            Check("GET", INSTANSI_VIEW),
            Check("POST", INSTANSI_ACTS_REDIRECT, data=constant({"aksi": "simpan"}), label="empty"),
            wrong_method("PUT"),
        ),
    ),
    # Signing: only the pimpinan instansi (tests/documents/test_pengusulan_pdf.py).
    "pengusulan_dokumen:buat": Route(
        pengusulan_kw,
        SCOPED,
        (
            Check("POST", INSTANSI_ACTS_REDIRECT, data=constant({"aksi": "draf"}), label="no draf"),
            wrong_method("GET"),
        ),
    ),
    "pengusulan_dokumen:unduh": Route(
        pengusulan_dokumen_kw,
        SCOPED_WITH_CROSS,
        (Check("GET", INSTANSI_VIEW), wrong_method("POST")),
    ),
    "scoring:buka_kembali": Route(
        penilaian_kw,
        SCOPED,
        (
            Check(
                "POST",
                Expect(admin=REDIRECT, tim=403, pimpinan=403, tpi=403),
                label="without alasan",
            ),
            wrong_method("GET"),
        ),
    ),
    # -- year over year and the start of a new year (issue 16 part 2) -----------------
    "scoring:antar_tahun": Route(penilaian_kw, SCOPED, (Check("GET", VIEW), wrong_method("POST"))),
    "evidence:tahun_baru": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", Expect(admin=200, tim=403, pimpinan=403, tpi=403)),
            Check(
                "POST",
                Expect(admin=422, tim=403, pimpinan=403, tpi=403),
                data=constant({"tahun": "", "salin_rencana_aksi": "on"}),
                label="without tahun",
            ),
            wrong_method("PUT"),
        ),
    ),
    # -- the TPN's result (issue 16 part 3): admin or the instansi's TPI ----------------
    "scoring:tpn": Route(
        penilaian_kw,
        SCOPED,
        (
            Check("GET", TPI_ACTS),
            Check("GET", TPI_ACTS, prepare=is_final, label="final"),
            Check("POST", TPI_ACTS_REDIRECT, prepare=is_final, label="empty inputs"),
            wrong_method("PUT"),
        ),
    ),
    "scoring:tpn_area": Route(
        area_kw,
        SCOPED,
        (
            Check("GET", TPI_ACTS),
            Check("POST", TPI_ACTS_REDIRECT, prepare=is_final, label="nothing typed"),
            wrong_method("PUT"),
        ),
    ),
    "scoring:tpn_tetapkan": Route(
        penilaian_kw,
        SCOPED,
        (Check("POST", TPI_ACTS_REDIRECT, label="without konfirmasi"), wrong_method("GET")),
    ),
    # -- Django admin: the whole namespace, on representative URLs ------------------------
    "admin:index": Route(no_kwargs, UNSCOPED, (Check("GET", ADMIN_ONLY),)),
    "admin:lke_penilaian_changelist": Route(no_kwargs, UNSCOPED, (Check("GET", ADMIN_ONLY),)),
    "admin:lke_penilaian_change": Route(admin_change_kw, UNSCOPED, (Check("GET", ADMIN_ONLY),)),
    "admin:units_aksesevaluator_add": Route(no_kwargs, UNSCOPED, (Check("GET", ADMIN_ONLY),)),
}

CELLS: list[Cell] = list(cells(MATRIX))


def test_every_url_has_an_entry() -> None:
    routes = resolver_routes()
    missing = sorted(
        name
        for name in routes
        if name not in MATRIX and name.split(":", 1)[0] not in WHOLE_NAMESPACES
    )
    stale = sorted(name for name in MATRIX if name not in routes)
    assert not missing, "URL tanpa entri di matriks otorisasi: " + ", ".join(
        f"{name} ({routes[name]})" for name in missing
    )
    assert not stale, "Entri matriks untuk URL yang sudah tidak ada: " + ", ".join(stale)


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_authorization(cell: Cell) -> None:
    route = MATRIX[cell.route]
    scene = Scene(cell.scope, cell.role)
    url = reverse(cell.route, kwargs=(cell.check.kwargs or route.kwargs)(scene))
    if cell.check.query:
        url = f"{url}?{cell.check.query}"
    if cell.check.prepare is not None:
        cell.check.prepare(scene)
    data = cell.check.data(scene) if cell.check.data is not None else {}
    client = Client()
    if scene.requester is not None:
        client.force_login(scene.requester)
    headers = {"HX-Request": "true"} if cell.check.htmx else {}
    if cell.check.method == "GET":
        response = client.get(url, headers=headers)
    elif cell.check.method == "POST":
        response = client.post(url, data, headers=headers)
    else:
        response = client.generic(cell.check.method, url, headers=headers)
    actual, expected = outcome_of(response), cell.expected
    response.close()
    assert actual == expected, (
        f"{cell.check.method} {url} as {cell.role} ({cell.scope}): "
        f"expected {expected}, got {actual}"
    )
