from __future__ import annotations

from evidence.checks.base import GAGAL, LOLOS, PERLU_DICEK
from evidence.checks.relevance import (
    Corpus,
    check_relevance,
    normalise,
    split_items,
    stop_words,
    tokens,
)

# real data dukung texts (fixtures/demo/rutan-kupang.yaml)
SK_TIM = "SK Tim Kerja Pembangunan ZI Menuju WBK/WBBM pada Satker"
MONEV = (
    "Dokumen kegiatan penyusunan laporan hasil monitoring dan evaluasi: a. undangan rapat "
    "b. daftar hadir c. notula dan dokumentasi foto d. laporan hasil monitoring dan evaluasi"
)
UPG = (
    "B03 a. SK Tim UPG, B03, B06, B09 dan B12 a. Laporan berkala tentang Pengendalian "
    "Gratifikasi oleh Tim UPG Satker kepada UPG Pusat Inspektorat Jenderal"
)
CORPUS = Corpus([SK_TIM, MONEV, UPG, "Dokumen LKJ (Laporan Kinerja)"])

SK_TEXT = (
    "KEPUTUSAN KEPALA RUMAH TAHANAN NEGARA KELAS IIB KUPANG\n"
    "TENTANG PEMBENTUKAN TIM KERJA PEMBANGUNAN ZONA INTEGRITAS MENUJU WBK/WBBM\n"
    "Menimbang: bahwa dalam rangka pembangunan Zona Integritas perlu dibentuk Tim Kerja "
    "pada Satuan Kerja."
)


def test_normalisation_folds_phrases_and_drops_stop_words() -> None:
    assert "sk" in normalise("Surat Keputusan Kepala").split()
    assert tokens("Notulen rapat dan daftar hadir yang telah ditandatangani") == [
        "notula",
        "rapat",
        "daftar",
        "hadir",
        "ditandatangani",
    ]
    assert {"yang", "dan", "dari"} <= stop_words()
    assert tokens("B03, B06 dan 2022") == []


def test_items_of_a_data_dukung_are_split_and_a_catatan_is_no_item() -> None:
    header, items = split_items(MONEV)
    assert header.startswith("Dokumen kegiatan penyusunan")
    assert items[0] == "undangan rapat" and items[-1] == "laporan hasil monitoring dan evaluasi"
    header, items = split_items("Dokumen analisis resiko. Catatan: Formulir Manajemen Risiko")
    assert items == [] and "Formulir" not in header


def test_a_matching_document_passes_and_says_which_words_where() -> None:
    found = check_relevance([(1, SK_TEXT)], [SK_TIM], CORPUS)
    assert found.status == LOLOS
    assert found.halaman == 1
    assert (
        "ditemukan: *Surat Keputusan (SK)*, "
        "*tim kerja pembangunan Zona Integritas (ZI) menuju WBK WBBM*" in found.reason
    )
    assert found.reason.endswith("halaman 1.")
    assert found.detail["cakupan"] >= 0.5


def test_the_best_page_is_cited() -> None:
    pages = [(1, "Daftar isi dan lampiran"), (2, "Laporan kinerja"), (3, SK_TEXT)]
    found = check_relevance(pages, [SK_TIM], CORPUS)
    assert found.status == LOLOS and found.halaman == 3


def test_another_decree_is_not_the_one_asked_for() -> None:
    # an SK, but not of the UPG: the most distinctive word ("UPG") is missing
    found = check_relevance([(1, SK_TEXT)], [UPG], CORPUS)
    assert found.status in {PERLU_DICEK, GAGAL}
    assert "UPG" in found.reason.split("tidak ditemukan")[-1]
    # the same words with the UPG named pass
    upg_sk = SK_TEXT.replace("TIM KERJA PEMBANGUNAN", "TIM UPG (UNIT PENGENDALIAN GRATIFIKASI)")
    assert check_relevance([(1, upg_sk)], [UPG], CORPUS).status == LOLOS


def test_an_unrelated_document_fails() -> None:
    found = check_relevance([(1, "Daftar menu kantin dan harga makanan")], [MONEV], CORPUS)
    assert found.status == GAGAL
    assert "tidak cocok" in found.reason and "monitoring" in found.reason


def test_without_data_dukung_or_text_it_is_perlu_dicek() -> None:
    assert check_relevance([(1, SK_TEXT)], [], CORPUS).status == PERLU_DICEK
    assert check_relevance([(1, "  ")], [SK_TIM], CORPUS).status == PERLU_DICEK
