"""The 10/2019 model carries the 10/2019 question list as published (issue 12, parts 1, 5, 8).

Sources: the LKE 10/2019 list of the 2021 period (research note c.3, its source [R5]),
checked against seed 004 (BKKBN Sumsel 2020); answer types from the same 90/2021
Pemenuhan question. docs/models.md lists the source of every indikator.
"""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from lke.models import (
    OPSI_PER_JENIS,
    AturanPredikat,
    DataDukung,
    HasilItem,
    Indikator,
    JenisAturan,
    ModelPenilaian,
    Penilaian,
    Pertanyaan,
)
from scoring.services import jawaban_hasil_save, jawaban_save
from tests.workflow import writable

pytestmark = pytest.mark.django_db
MODEL = "permenpanrb-10-2019"

# research note c.3: question counts per indikator, area by area, in order (81 in all)
COUNTS = {
    "A.1": [2, 3, 3, 4],
    "A.2": [3, 4, 2],
    "A.3": [3, 3, 6, 4, 1, 1],
    "A.4": [3, 8],
    "A.5": [2, 4, 4, 4, 5],
    "A.6": [4, 5, 3],
}
# research note a.2.2 (derived, PKPP 3/3/4 unverified); unchanged by issue 12
WEIGHTS = {
    "A.1": ["1", "2", "2", "3"],
    "A.2": ["2", "4", "1"],
    "A.3": ["0.5", "1", "2.5", "4", "1.5", "0.5"],
    "A.4": ["5", "5"],
    "A.5": ["3", "3", "3", "3", "3"],
    "A.6": ["3", "3", "4"],
}
ROMAN = ["i", "ii", "iii", "iv", "v", "vi"]


def _texts(indikator: str) -> list[str]:
    return list(
        Pertanyaan.objects.filter(model__kode=MODEL, indikator__kode=indikator).values_list(
            "teks", flat=True
        )
    )


def test_it_has_the_published_number_of_questions_per_indikator() -> None:
    for area, counts in COUNTS.items():
        codes = [f"{area}.{ROMAN[n]}" for n in range(len(counts))]
        stored = Indikator.objects.filter(model__kode=MODEL, area__kode=area)
        assert list(stored.values_list("kode", flat=True)) == codes
        assert [len(_texts(code)) for code in codes] == counts, area
    assert Pertanyaan.objects.filter(model__kode=MODEL).count() == 81


def test_it_keeps_the_10_2019_only_questions_verbatim() -> None:
    # WBS has four questions, the first being internalisasi (90/2021 dropped it).
    assert _texts("A.5.iv") == [
        "Whistle Blowing System sudah di internalisasi",
        "Whistle Blowing System telah diterapkan",
        "Telah dilakukan evaluasi atas penerapan Whistle Blowing System",
        "Hasil evaluasi atas penerapan Whistle Blowing System telah ditindaklanjuti",
    ]
    standar = _texts("A.6.i")
    assert standar[2] == "Terdapat SOP bagi pelaksanaan standar pelayanan"
    assert standar[3] == "Dilakukan reviu dan perbaikan atas standar pelayanan dan SOP"
    budaya = _texts("A.6.ii")
    assert budaya[2].startswith("Tekah terdapat sistem punishment (sanksi)/reward")  # source typo
    assert budaya[2].endswith(
        "serta pemberian kompensasi kepada penerima layanan bila layanan tidak sesuai standar"
    )
    assert budaya[4] == "Terdapat inovasi pelayanan"
    # E-Office, not SPBE: the four questions of the 10/2019 list.
    assert (
        _texts("A.2.ii")[1] == "Operasionaliasi Manajemen SDM sudah menggunakan teknologi informasi"
    )
    # 4.ii.g/h: the texts the 90/2021 option explanations describe (research note U8).
    assert _texts("A.4.ii")[6:] == [
        "Terdapat upaya peningkatan kapasitas SDM yang menangani akuntabilitas kinerja",
        "Pengelolaan akuntabilitas kinerja dilaksanakan oleh SDM yang kompeten",
    ]


def test_every_question_has_the_options_of_its_type() -> None:
    questions = Pertanyaan.objects.filter(model__kode=MODEL).prefetch_related("opsi", "input")
    for q in questions:
        assert tuple(o.huruf for o in q.opsi.all()) == OPSI_PER_JENIS[q.jenis], q.kode
        assert q.jenis != "persen" and not q.rumus and not q.input.exists(), q.kode
    jenis = {q.kode: q.jenis for q in questions}
    # as the same 90/2021 Pemenuhan question
    assert (jenis["A.1.i.a"], jenis["A.3.iv.c"], jenis["A.6.iii.a"]) == (
        "ya_tidak",
        "abcde",
        "abcde",
    )
    # assumed from their neighbours (research note U3), without invented option texts
    assumed = {"A.5.iv.a": "abc", "A.6.i.c": "abcd", "A.6.ii.c": "abcd"}
    for kode, scale in assumed.items():
        q = questions.get(kode=kode)
        assert q.jenis == scale
        assert not any(o.penjelasan for o in q.opsi.all()), kode
        assert "U3" in q.indikator.catatan, kode
    penjelasan = questions.get(kode="A.5.iv.b").opsi.get(huruf="C").penjelasan
    assert penjelasan == "Jika unit kerja belum menerapkan kebijakan Whistle Blowing System"


def test_it_keeps_the_weights_and_names_each_indikator_source() -> None:
    for area, weights in WEIGHTS.items():
        stored = Indikator.objects.filter(model__kode=MODEL, area__kode=area)
        assert [i.bobot for i in stored] == [Decimal(w) for w in weights], area
    total = Indikator.objects.filter(model__kode=MODEL).aggregate(s=Sum("bobot"))["s"]
    assert total == Decimal(60)
    for ind in Indikator.objects.filter(model__kode=MODEL):
        assert ind.sumber_pertanyaan == "", ind.kode  # no question is borrowed silently
        assert "catatan riset c.3" in ind.catatan and "seed 004" in ind.catatan, ind.kode
    assert "tidak dicetak" in Indikator.objects.get(model__kode=MODEL, kode="A.2.ii").catatan


def test_it_flags_the_unverified_thresholds() -> None:
    rules = AturanPredikat.objects.filter(model__kode=MODEL)
    numeric = rules.exclude(jenis=JenisAturan.PREDIKAT_SEBELUMNYA)
    assert numeric.count() == 9
    assert not numeric.filter(terverifikasi=True).exists()
    assert all("U1" in r.catatan for r in numeric)
    assert rules.get(jenis=JenisAturan.PREDIKAT_SEBELUMNYA).terverifikasi
    assert "BELUM TERVERIFIKASI" in ModelPenilaian.objects.get(kode=MODEL).catatan
    assert not AturanPredikat.objects.filter(
        model__kode="permenpanrb-90-2021", terverifikasi=False
    ).exists()


def test_90_2021_cites_its_amendment_by_5_2024() -> None:
    dasar = ModelPenilaian.objects.get(kode="permenpanrb-90-2021").dasar_hukum
    assert dasar.startswith(
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 90 "
        "Tahun 2021 tentang Pembangunan dan Evaluasi Zona Integritas Menuju Wilayah Bebas "
        "dari Korupsi dan Wilayah Birokrasi Bersih dan Melayani di Instansi Pemerintah "
        "sebagaimana telah diubah dengan Peraturan Menteri Pendayagunaan Aparatur Negara dan "
        "Reformasi Birokrasi Nomor 5 Tahun 2024"
    )
    assert dasar.endswith("Lampiran III.")


def test_bkkbn_data_dukung_attach_to_the_questions_the_seed_prints_them_under() -> None:
    rows = DataDukung.objects.filter(unit__slug="bkkbn-sumsel").select_related("pertanyaan")
    assert rows.count() == 128
    assert all(d.pertanyaan is not None and d.pertanyaan.model.kode == MODEL for d in rows)
    where = {d.nama: d.pertanyaan.kode for d in rows if d.pertanyaan}
    # seed 004 lines 811-841: WBS a) internalisasi, b) diterapkan, c) evaluasi, d) tindak lanjut
    assert where["Dokumen dan capture internalisasi Whistle Blowing System (WBS)"] == "A.5.iv.a"
    assert where["Capture Whistle Blowing System"] == "A.5.iv.b"
    assert (
        where["Dokumen Laporan hasil evaluasi atas penerapan Whistle Blowing System"] == "A.5.iv.c"
    )
    assert (
        where["dokumen Laporan tindak lanjut hasil evaluasi atas penerapan Whistle Blowing System"]
        == "A.5.iv.d"
    )
    # lines 917-928: Standar Pelayanan c) SOP, d) reviu; lines 955-962: Budaya d) layanan terpadu
    assert where["dokumen SOP pelaksanaan standar pelayanan"] == "A.6.i.c"
    assert where["dokumen reviu dan perbaikan atas standar pelayanan dan SOP."] == "A.6.i.d"
    assert where["Capture layanan terpadu terintegrasi"] == "A.6.ii.d"
    # lines 754-760: the seed's SPIP "c)" is question d (it prints nothing for c)
    assert (
        where[
            "Dokumen (foto sosialisasi dan atau naskah arahan pembina) implementasi dan "
            "sosialisasi SPI"
        ]
        == "A.5.ii.d"
    )


def test_lke_score_scores_bkkbn_2020_on_the_published_questions() -> None:
    penilaian = Penilaian.objects.get(unit__slug="bkkbn-sumsel", tahun=2020)
    answers = {
        # WBS (bobot 3, A/B/C): (1 + 0.5 + 0 + 1) / 4 × 3 = 1.875
        "A.5.iv.a": "A",
        "A.5.iv.b": "B",
        "A.5.iv.c": "C",
        "A.5.iv.d": "A",
        # Standar Pelayanan (bobot 3; ABCDE, ABCD, ABCD, ABCD):
        # (0.75 + 0.33 + 1 + 0) / 4 × 3 = 2.08 / 4 × 3 = 1.56
        "A.6.i.a": "B",
        "A.6.i.b": "C",
        "A.6.i.c": "A",
        "A.6.i.d": "D",
        # Tim Kerja (bobot 1; Ya/Tidak, A/B/C): (1 + 0.5) / 2 × 1 = 0.75
        "A.1.i.a": "Ya",
        "A.1.i.b": "B",
    }
    with writable(penilaian, "tpi"):
        for kode, opsi in answers.items():
            q = Pertanyaan.objects.get(model=penilaian.model, kode=kode)
            jawaban_save(penilaian=penilaian, set_="tpi", pertanyaan=q, opsi=opsi, user=None)
        # IPAK 3.6 / 4 × 17.5 = 15.75; TLHP 80 % × 5 = 4; IPKP 3.2 / 4 × 17.5 = 14
        for kode, value in {"B.I.a": "3.6", "B.I.b": "80", "B.II.a": "3.2"}.items():
            item = HasilItem.objects.get(model=penilaian.model, kode=kode)
            jawaban_hasil_save(
                penilaian=penilaian, set_="tpi", hasil_item=item, value=value, user=None
            )

    out = StringIO()
    call_command("lke_score", unit="bkkbn-sumsel", year=2020, json=True, stdout=out)
    data = json.loads(out.getvalue())

    assert data["model"] == MODEL
    codes = [i["code"] for i in data["indikator"]]
    assert codes == list(
        Indikator.objects.filter(model=penilaian.model)
        .order_by("area__urutan", "urutan")
        .values_list("kode", flat=True)
    )
    assert len(codes) == 23
    nilai = {i["code"]: i["nilai"] for i in data["indikator"]}
    assert nilai["A.5.iv"] == pytest.approx(1.875)
    assert nilai["A.6.i"] == pytest.approx(1.56)
    assert nilai["A.1.i"] == pytest.approx(0.75)
    assert data["completeness"]["answered"] == 10 and data["completeness"]["total"] == 81
    # pengungkit 1.875 + 1.56 + 0.75 = 4.185; hasil 15.75 + 4 + 14 = 33.75; total 37.935
    assert data["pengungkit"] == pytest.approx(4.185)
    assert data["hasil"] == pytest.approx(33.75)
    assert data["total"] == pytest.approx(37.935)
    passed = {(r["predikat"], r["target"] or r["kind"]): r["passed"] for r in data["rules"]}
    assert passed[("WBK", "total")] is False
    assert passed[("WBK", "B.I")] is True  # 15.75 + 4 = 19.75 ≥ 18.25
    assert passed[("WBK", "B.I.a")] is True  # 15.75 ≥ 15.75
    assert data["verdict"] == "belum memenuhi"
