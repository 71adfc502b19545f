"""The demo data set: the four units of the seed documents, their users and penilaian.

Everything comes from `fixtures/demo/*.yaml` (transcribed from ../shared/seeds); this
module only wires it into the database. Loading is idempotent: a second run changes
nothing, and rows a user has since edited (rencana aksi, texts) are never overwritten.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from evidence.models import RencanaAksi, RencanaKerja, RencanaKinerjaTahunan
from lke.loader import LoaderError, lke_models_load_all, read_yaml
from lke.models import DataDukung, HasilItem, Indikator, ModelPenilaian, Penilaian, Pertanyaan
from lke.syarat import tabel_syarat_load_all
from units.models import Instansi, Keanggotaan, Peran, PredikatUnit, UnitKerja

DEMO_PASSWORD = "demo-zi-2026"  # noqa: S105 - documented demo password (README)
DEMO_UNITS = ("biro-hp", "pusat-tik", "rutan-kupang", "bkkbn-sumsel")
# TPI users cover every unit of an instansi.
DEMO_TPI = {"tpi.mk": "mk", "tpi.kemenkumham": "kemenkumham", "tpi.bkkbn": "bkkbn"}
# Pimpinan instansi only where a seed names one: MK's Sekretaris Jenderal (seed 002).
DEMO_PIMPINAN_INSTANSI = {"pimpinan.mk": "mk"}


def demo_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "demo"


@transaction.atomic
def demo_load(*, force_password_change: bool = False) -> dict[str, int]:
    """Load models, units, users and penilaian; return counts of what was created.

    `force_password_change` (production, `load_demo --demo-in-production`): every demo
    account that still has the public demo password must choose a new one at first login.
    """
    lke_models_load_all()
    tabel_syarat_load_all()
    created = {"rencana_aksi": 0, "data_dukung": 0, "users": 0, "rkt_indikator": 0}
    admin = _user("admin", first_name="Administrator", staff=True, created=created)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    for slug in DEMO_UNITS:
        data = read_yaml(demo_dir() / f"{slug}.yaml")
        unit = _unit(data)
        penilaian = _penilaian(unit, data)
        _rencana_kerja(penilaian, data.get("rencana_kerja") or {})
        created["rencana_aksi"] += _rencana_aksi(penilaian, data.get("rencana_aksi") or [])
        created["data_dukung"] += _data_dukung(unit, penilaian.model, data.get("data_dukung") or [])
        _unit_users(unit, data, created)
        created["rkt_indikator"] += _rkt(unit, data.get("rkt"))
        _pimpinan_instansi(unit.instansi, data, created)
    for username, instansi_kode in DEMO_TPI.items():
        instansi = Instansi.objects.get(kode=instansi_kode)
        tpi = _user(username, first_name=f"TPI {instansi.nama}", created=created)
        Keanggotaan.objects.get_or_create(user=tpi, instansi=instansi, peran=Peran.TPI)
    _approve_biro_hp_rencana_kerja()
    if force_password_change:
        _require_password_change()
    return created


def demo_usernames() -> list[str]:
    """Every account the demo loader creates."""
    names = ["admin", *DEMO_TPI, *DEMO_PIMPINAN_INSTANSI]
    for slug in DEMO_UNITS:
        names += [f"tim.{slug}", f"pimpinan.{slug}"]
    return names


def _require_password_change() -> None:
    from units.akun import password_change_require

    users = get_user_model().objects.filter(username__in=demo_usernames())
    password_change_require([u for u in users if u.check_password(DEMO_PASSWORD)], by=None)


def _approve_biro_hp_rencana_kerja() -> None:
    """Biro HP 2022's rencana kerja arrives approved by its pimpinan and signed (issue 5).

    Signing needs the unit certificate; in development (`make run`) a development
    certificate is created when none is configured.
    """
    from documents.rencana_kerja import ensure_dev_certificates, rencana_kerja_sign
    from evidence.models import StatusPersetujuan
    from evidence.persetujuan import rencana_kerja_approve_seeded

    rk = (
        RencanaKerja.objects.select_related("penilaian__unit")
        .filter(penilaian__unit__slug="biro-hp", penilaian__tahun=2022)
        .first()
    )
    if rk is None or rk.status != StatusPersetujuan.DRAF or rk.dokumen.exists():
        return
    if settings.ZI_SIGNING_P12_PASSPHRASE:
        ensure_dev_certificates(rk)
    pimpinan = get_user_model().objects.get(username="pimpinan.biro-hp")
    rk = rencana_kerja_approve_seeded(rk=rk, user=pimpinan)
    rencana_kerja_sign(rk, user=pimpinan)


def _user(
    username: str, *, first_name: str, created: dict[str, int], staff: bool = False
) -> AbstractUser:
    user_model = get_user_model()
    user, is_new = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first_name[:150], "is_staff": staff}
    )
    if is_new:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        created["users"] += 1
    return user


def _unit(data: dict[str, Any]) -> UnitKerja:
    inst, _ = Instansi.objects.get_or_create(
        kode=data["instansi"]["kode"],
        defaults={"nama": data["instansi"]["nama"], "jenis": data["instansi"].get("jenis") or ""},
    )
    if not inst.jenis and data["instansi"].get("jenis"):
        inst.jenis = data["instansi"]["jenis"]
        inst.save(update_fields=["jenis"])
    u = data["unit"]
    unit, _ = UnitKerja.objects.get_or_create(
        slug=u["slug"],
        defaults={
            "instansi": inst,
            "nama": u["nama"],
            "kota": u.get("kota") or "",
        },
    )
    for row in u.get("predikat") or []:
        # Only rows a seed states (none of today's demo units): never invented.
        PredikatUnit.objects.get_or_create(
            unit=unit,
            predikat=row["predikat"],
            tahun=int(row["tahun"]),
            sumber=row["sumber"],
            defaults={
                "nomor_sk": row.get("nomor_sk") or "",
                "tanggal_sk": row.get("tanggal_sk"),
                "catatan": row.get("catatan") or "",
            },
        )
    return unit


def _rkt(unit: UnitKerja, data: dict[str, Any] | None) -> int:
    """The unit's RKT as printed (seed 002), through the same service as the editor;
    an RKT already in the portal (perhaps edited since) is left alone."""
    from evidence.rkt import HEADER_FIELDS, BarisRkt, rkt_save

    if not data or RencanaKinerjaTahunan.objects.filter(unit=unit, tahun=data["tahun"]).exists():
        return 0
    rows = [
        BarisRkt(
            sasaran_nomor=s["nomor"],
            sasaran=s["teks"] if n == 0 else "",
            nomor=i["nomor"],
            indikator=i["nama"],
            target=i["target"],
            tautan_zi=i.get("tautan_zi") or "",
        )
        for s in data["sasaran"]
        for n, i in enumerate(s["indikator"])
    ]
    header = {f: data[f] for f in HEADER_FIELDS if f in data}
    header["kop"], header["judul"] = header["kop"].strip(), header["judul"].strip()
    rkt_save(unit=unit, tahun=int(data["tahun"]), header=header, rows=rows, user=None)
    return len(rows)


def _penilaian(unit: UnitKerja, data: dict[str, Any]) -> Penilaian:
    p = data["penilaian"]
    model = ModelPenilaian.objects.get(kode=p["model"])
    penilaian, _ = Penilaian.objects.get_or_create(
        unit=unit, tahun=int(p["tahun"]), defaults={"model": model}
    )
    return penilaian


def _rencana_kerja(penilaian: Penilaian, rk: dict[str, Any]) -> None:
    if not rk or RencanaKerja.objects.filter(penilaian=penilaian).exists():
        return
    signer = rk.get("penandatangan") or {}
    tanggal = signer.get("tanggal")
    RencanaKerja.objects.create(
        penilaian=penilaian,
        judul=rk.get("judul") or "",
        kata_pengantar=rk.get("kata_pengantar") or "",
        latar_belakang=rk.get("latar_belakang") or "",
        maksud_tujuan=rk.get("maksud_tujuan") or "",
        pengertian_umum=rk.get("pengertian_umum") or "",
        rencana_aksi_pengantar=rk.get("rencana_aksi_pengantar") or "",
        penutup=rk.get("penutup") or "",
        penandatangan_nama=signer.get("nama") or "",
        penandatangan_jabatan=signer.get("jabatan") or "",
        penandatangan_nip=signer.get("nip") or "",
        kota=signer.get("kota") or penilaian.unit.kota,
        tanggal=dt.date.fromisoformat(str(tanggal)) if tanggal else None,
        penandatangan_lain=[
            {k: str(item.get(k) or "") for k in ("keterangan", "jabatan", "nama", "nip")}
            for item in rk.get("penandatangan_lain") or []
        ],
    )


def _rencana_aksi(penilaian: Penilaian, rows: list[dict[str, Any]]) -> int:
    if not rows or penilaian.rencana_aksi.exists():
        return 0
    indikator = {i.kode: i for i in Indikator.objects.filter(model=penilaian.model)}
    hasil = {h.kode: h for h in HasilItem.objects.filter(model=penilaian.model)}
    objs = []
    for index, row in enumerate(rows):
        code = row.get("indikator") or row.get("hasil")
        target_i = indikator.get(row.get("indikator") or "")
        target_h = hasil.get(row.get("hasil") or "")
        if target_i is None and target_h is None:
            raise LoaderError(
                f"{penilaian}: baris rencana aksi {index + 1}: kode {code!r} tidak dikenal"
            )
        objs.append(
            RencanaAksi(
                penilaian=penilaian,
                indikator=target_i,
                hasil_item=target_h,
                label_sumber=row.get("label_sumber") or "",
                sasaran=row.get("sasaran") or "",
                rencana_aksi=row.get("rencana_aksi") or "",
                rencana_kegiatan=row.get("rencana_kegiatan") or "",
                bukti_direncanakan=row.get("bukti") or "",
                jadwal=row.get("jadwal") or "",
                bulan_mulai=row.get("bulan_mulai"),
                bulan_selesai=row.get("bulan_selesai"),
                penanggung_jawab=row.get("penanggung_jawab") or "",
                urutan=index,
            )
        )
    RencanaAksi.objects.bulk_create(objs)
    return len(objs)


def _data_dukung(unit: UnitKerja, model: ModelPenilaian, rows: list[dict[str, Any]]) -> int:
    if not rows or DataDukung.objects.filter(unit=unit).exists():
        return 0
    questions = {q.kode: q for q in Pertanyaan.objects.filter(model=model)}
    hasil = {h.kode: h for h in HasilItem.objects.filter(model=model)}
    objs = []
    for index, row in enumerate(rows):
        code = row["pertanyaan"]
        if code not in questions and code not in hasil:
            raise LoaderError(f"{unit.slug}: data dukung {index + 1}: kode {code!r} tidak dikenal")
        objs.append(
            DataDukung(
                unit=unit,
                pertanyaan=questions.get(code),
                hasil_item=hasil.get(code),
                nama=row["nama"],
                petunjuk=row.get("petunjuk") or "",
                penanggung_jawab=(row.get("penanggung_jawab") or "")[:300],
                bulan=[int(b) for b in row.get("bulan") or []],
                urutan=index,
            )
        )
    DataDukung.objects.bulk_create(objs)
    return len(objs)


def _unit_users(unit: UnitKerja, data: dict[str, Any], created: dict[str, int]) -> None:
    tim = _user(f"tim.{unit.slug}", first_name=f"Tim Kerja {unit.nama}", created=created)
    Keanggotaan.objects.get_or_create(user=tim, unit=unit, peran=Peran.TIM_KERJA)
    head: dict[str, Any] = next(
        (p for p in data.get("pejabat") or [] if p.get("peran") == "pimpinan"), {}
    )
    pimpinan = _user(
        f"pimpinan.{unit.slug}",
        first_name=head.get("nama") or f"Pimpinan {unit.nama}",
        created=created,
    )
    Keanggotaan.objects.get_or_create(
        user=pimpinan,
        unit=unit,
        peran=Peran.PIMPINAN,
        defaults={"jabatan": head.get("jabatan") or "", "nip": head.get("nip") or ""},
    )


def _pimpinan_instansi(instansi: Instansi, data: dict[str, Any], created: dict[str, int]) -> None:
    """The instansi's pimpinan, when the unit's seed names the pejabat who holds it."""
    peran = data["instansi"].get("pimpinan_instansi")
    if not peran:
        return
    head = next(p for p in data.get("pejabat") or [] if p.get("peran") == peran)
    username = next(u for u, kode in DEMO_PIMPINAN_INSTANSI.items() if kode == instansi.kode)
    user = _user(username, first_name=head["nama"], created=created)
    Keanggotaan.objects.get_or_create(
        user=user,
        instansi=instansi,
        peran=Peran.PIMPINAN_INSTANSI,
        defaults={"jabatan": head.get("jabatan") or "", "nip": head.get("nip") or ""},
    )
