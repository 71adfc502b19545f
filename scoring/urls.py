from __future__ import annotations

from django.urls import path

from scoring import (
    views,
    views_bukti,
    views_instansi,
    views_pengusulan,
    views_portal,
    views_predikat,
    views_rkt,
    views_syarat,
    views_tahunan,
    views_temuan,
    views_tpn,
    views_worksheet,
)

app_name = "scoring"

urlpatterns = [
    path(
        "instansi/<slug:slug>/<int:tahun>/pengusulan/",
        views_pengusulan.pengusulan,
        name="pengusulan",
    ),
    path("tpi/", views.tpi_antrean, name="antrean"),
    path("instansi/<slug:kode>/", views_instansi.instansi_rekap, name="instansi"),
    path("penilaian/<uuid:code>/", views_worksheet.penilaian_dashboard, name="dashboard"),
    path(
        "penilaian/<uuid:code>/area/<int:nomor>/", views_worksheet.worksheet_area, name="worksheet"
    ),
    path(
        "penilaian/<uuid:code>/jawaban/<int:pertanyaan_id>/",
        views_worksheet.jawaban_simpan,
        name="jawaban",
    ),
    path("penilaian/<uuid:code>/ajukan/", views_worksheet.penilaian_ajukan, name="ajukan"),
    path("penilaian/<uuid:code>/riwayat/", views_portal.riwayat, name="riwayat"),
    path("penilaian/<uuid:code>/skor/", views.skor, name="skor"),
    path("penilaian/<uuid:code>/reviu/area/<int:nomor>/", views.reviu_area, name="reviu"),
    path(
        "penilaian/<uuid:code>/reviu/<int:pertanyaan_id>/", views.reviu_simpan, name="reviu_simpan"
    ),
    path(
        "penilaian/<uuid:code>/temuan/<int:temuan_id>/abaikan/",
        views_temuan.temuan_abaikan_view,
        name="temuan_abaikan",
    ),
    path("penilaian/<uuid:code>/hasil/", views.hasil_isi, name="hasil"),
    path("penilaian/<uuid:code>/rkt/", views_rkt.rkt, name="rkt"),
    path("penilaian/<uuid:code>/final/", views.finalkan, name="final"),
    path("penilaian/<uuid:code>/predikat/", views_predikat.predikat_simpan, name="predikat_simpan"),
    path("penilaian/<uuid:code>/syarat/", views_syarat.syarat, name="syarat"),
    path("penilaian/<uuid:code>/syarat/isi/", views_syarat.syarat_isi, name="syarat_isi"),
    path(
        "penilaian/<uuid:code>/syarat/<slug:kode>/berkas/",
        views_syarat.syarat_berkas,
        name="syarat_berkas",
    ),
    path(
        "penilaian/<uuid:code>/evaluasi-mandiri/",
        views_syarat.evaluasi_mandiri,
        name="evaluasi_mandiri",
    ),
    path("penilaian/<uuid:code>/penetapan/", views_syarat.penetapan, name="penetapan"),
    path("penilaian/<uuid:code>/penetapan/sk/", views_syarat.penetapan_sk, name="penetapan_sk"),
    path("penilaian/<uuid:code>/buka-kembali/", views.buka_kembali, name="buka_kembali"),
    path("penilaian/<uuid:code>/antar-tahun/", views_tahunan.antar_tahun_view, name="antar_tahun"),
    path("penilaian/<uuid:code>/tpn/", views_tpn.tpn, name="tpn"),
    path("penilaian/<uuid:code>/tpn/area/<int:nomor>/", views_tpn.tpn_area, name="tpn_area"),
    path("penilaian/<uuid:code>/tpn/tetapkan/", views_tpn.tpn_tetapkan_view, name="tpn_tetapkan"),
    # Bukti writes pass the workflow's mandiri rule (paths as before, under /penilaian/).
    path(
        "penilaian/<uuid:code>/pertanyaan/<int:pertanyaan_id>/bukti/",
        views_bukti.bukti_unggah,
        name="bukti_unggah",
    ),
    path(
        "penilaian/<uuid:code>/bukti/<uuid:bukti_code>/ganti/",
        views_bukti.bukti_ganti,
        name="bukti_ganti",
    ),
    path(
        "penilaian/<uuid:code>/bukti/<uuid:bukti_code>/tarik/",
        views_bukti.bukti_tarik,
        name="bukti_tarik",
    ),
    path(
        "penilaian/<uuid:code>/bukti/<uuid:bukti_code>/berlaku/",
        views_bukti.bukti_berlaku,
        name="bukti_berlaku",
    ),
]
