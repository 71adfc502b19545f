"""The admin keeps the audit true (issue 10, parts 3 and 4).

Every registered admin model is either read-only (no add, change or delete, and a POST
to its change view changes nothing) or every save through it is recorded in Riwayat.
A used model version cannot be changed there; its copy can.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import Group
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import reverse

from lke.models import (
    HasilItem,
    Indikator,
    InputNumerik,
    ModelPenilaian,
    Penilaian,
    Pertanyaan,
    StatusPenilaian,
)
from lke.versions import model_in_use
from scoring.models import Jawaban, JawabanHasil, Reviu, SetJawaban, SnapshotSkor
from scoring.services import penilaian_score
from tests.lke.test_versions import _counts
from units.models import Riwayat

pytestmark = pytest.mark.django_db

USED_MODEL = "permenpanrb-90-2021"
# Admins whose only write is adding (covered by test_a_new_penilaian_is_recorded).
ADD_ONLY = {Penilaian}


@pytest.fixture
def superuser_client(login: Callable[[str], Client]) -> Client:
    return login("admin")


@pytest.fixture
def superuser_request() -> Any:
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="admin")
    return request


def _url(obj: models.Model, view: str = "change") -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def _field_data(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser would post back for `form` unchanged."""
    data: dict[str, Any] = {}
    for bf in form:
        field = bf.field
        if field.disabled:
            continue
        widget = field.widget
        value = bf.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bf.html_name] = "on"
        elif isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value) or []
            for index, part in enumerate(parts):
                data[f"{bf.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[bf.html_name] = [str(v) for v in (field.prepare_value(value) or [])]
        else:
            prepared = field.prepare_value(value)
            data[bf.html_name] = "" if prepared is None else str(prepared)
    return data


def _post_data(response: Any) -> tuple[dict[str, Any], forms.BaseForm]:
    form = response.context["adminform"].form
    data = _field_data(form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = str(management[name].value())
        for subform in formset.forms:
            data.update(_field_data(subform))
    return data, form


def _errors(response: Any) -> object:
    if response.context is None or "adminform" not in response.context:
        return response.status_code
    inlines = [i.formset.errors for i in response.context["inline_admin_formsets"]]
    return (response.context["adminform"].form.errors, inlines)


def _a_text_field(form: forms.BaseForm) -> str:
    """A plain text field of the form that accepts one more character."""
    for bf in form:
        field = bf.field
        plain = type(field) is forms.CharField or isinstance(field, UsernameField)
        if not plain or field.disabled or bf.name in {"kode", "slug"}:
            continue
        value = str(bf.value() or "")
        if field.max_length is None or len(value) < field.max_length:  # type: ignore[attr-defined]
            return bf.name
    raise AssertionError(f"no text field in {type(form).__name__}")


def _state(obj: models.Model) -> dict[str, Any]:
    return model_to_dict(type(obj)._default_manager.get(pk=obj.pk))


def _samples(model: type[models.Model]) -> list[models.Model]:
    """A few rows from both ends (older models and demo rows come last)."""
    qs = model._default_manager.order_by("pk")
    return [*qs[:3], *qs.reverse()[:3]]


def _answers(penilaian: Penilaian) -> None:
    """One row of each kind the demo lacks, so the walk has something to refuse."""
    pertanyaan = Pertanyaan.objects.filter(model=penilaian.model, jenis="ya_tidak").first()
    hasil = HasilItem.objects.filter(model=penilaian.model, jenis="indeks").first()
    assert pertanyaan is not None and hasil is not None
    Jawaban.objects.create(
        penilaian=penilaian, set=SetJawaban.TPI, pertanyaan=pertanyaan, opsi="Ya"
    )
    JawabanHasil.objects.create(
        penilaian=penilaian, set=SetJawaban.TPI, hasil_item=hasil, nilai=Decimal("3.5")
    )
    Reviu.objects.create(penilaian=penilaian, pertanyaan=pertanyaan, status="diterima")
    SnapshotSkor.objects.create(
        penilaian=penilaian, set=SetJawaban.TPI, total=Decimal(1), predikat="-", laporan={}
    )
    from units.predikat import predikat_add

    predikat_add(
        penilaian.unit, predikat="WBK", tahun=2021, sumber="tpn", nomor_sk="SK/1/2021", user=None
    )
    from scoring.models import BatasPengusulan
    from units.evaluator import akses_evaluator_simpan
    from units.models import AksesBerkas, AksesEvaluator

    evaluator = get_user_model().objects.create_user(username="auditor.admin-walk")
    grant = akses_evaluator_simpan(
        AksesEvaluator(
            user=evaluator,
            jenis="tpn",
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            mulai=dt.date(2026, 1, 1),
            selesai=dt.date(2026, 12, 31),
        ),
        user=None,
    )
    BatasPengusulan.objects.create(
        tahun=2027, tanggal=dt.date(2027, 6, 14), pengumuman="Surat Kementerian PANRB"
    )
    AksesBerkas.objects.create(
        user=evaluator,
        akses=grant,
        unit=penilaian.unit,
        tahun=penilaian.tahun,
        jenis=AksesBerkas.Jenis.BUKTI,
        objek_id="1",
        nama_berkas="sk.pdf",
    )


def test_every_admin_model_is_read_only_or_recorded(
    superuser_client: Client, superuser_request: Any, biro_hp: Any
) -> None:
    Group.objects.get_or_create(name="Pengelola")
    _answers(biro_hp)
    saved, refused = set(), set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert superuser_client.get(changelist).status_code == 200, label
        samples = _samples(model)
        writable = [o for o in samples if model_admin.has_change_permission(superuser_request, o)]
        locked = [o for o in samples if o not in writable]
        can_add = model_admin.has_add_permission(superuser_request)
        assert writable or model in ADD_ONLY or not can_add, f"{label}: add without a test"

        for obj in locked[:1]:
            assert not model_admin.has_delete_permission(superuser_request, obj), label
            before = _state(obj)
            response = superuser_client.post(_url(obj), {"nama": "diubah", "catatan": "x"})
            assert response.status_code in (302, 403), label
            assert _state(obj) == before, f"{label}: a locked row changed"
            refused.add(label)

        for obj in writable[:1]:
            page = superuser_client.get(_url(obj))
            assert page.status_code == 200, label
            data, form = _post_data(page)
            name = _a_text_field(form)
            data[form[name].html_name] = f"{data.get(form[name].html_name, '')}2"
            count = Riwayat.objects.count()
            response = superuser_client.post(_url(obj), data)
            assert response.status_code == 302, f"{label}: {_errors(response)}"
            assert _state(obj)[name] != model_to_dict(obj)[name], label
            assert Riwayat.objects.count() > count, f"{label}: save not recorded"
            row = Riwayat.objects.order_by("-id").first()
            assert row is not None and row.user == superuser_request.user, label
            assert row.objek in (
                model._meta.label_lower,
                "keanggotaan",
                "predikat",
                "akses_evaluator",
            ), label
            saved.add(label)
    tree = {"Komponen", "Bagian", "Area", "Indikator", "Pertanyaan", "HasilItem"}
    assert saved >= {
        "auth.User",
        "auth.Group",
        "units.Instansi",
        "units.UnitKerja",
        "units.Keanggotaan",
        "units.PredikatUnit",
        "units.AksesEvaluator",
        "scoring.BatasPengusulan",
        "lke.ModelPenilaian",
        "lke.DataDukung",
        *(f"lke.{name}" for name in tree),
    }
    assert refused >= {
        "scoring.Jawaban",
        "scoring.JawabanHasil",
        "scoring.Reviu",
        "scoring.SnapshotSkor",
        "evidence.RencanaKerja",
        "units.Riwayat",
        "units.AksesBerkas",
        "lke.Penilaian",
        "lke.ModelPenilaian",
        *(f"lke.{name}" for name in tree),
    }


def test_answers_scores_and_approvals_are_read_only(superuser_request: Any) -> None:
    for label in (
        "scoring.Jawaban",
        "scoring.JawabanHasil",
        "scoring.Reviu",
        "scoring.SnapshotSkor",
        "evidence.Bukti",
        "evidence.RencanaAksi",
        "evidence.RencanaKerja",
        "documents.DokumenTertandatangan",
        "documents.ExportJob",
        "units.Riwayat",
    ):
        model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label == label)
        assert not model_admin.has_add_permission(superuser_request), label
        assert not model_admin.has_change_permission(superuser_request), label
        assert not model_admin.has_delete_permission(superuser_request), label
    penilaian_admin = admin.site._registry[Penilaian]
    assert "status" in penilaian_admin.get_readonly_fields(superuser_request)
    assert not penilaian_admin.has_change_permission(superuser_request)
    assert not penilaian_admin.has_delete_permission(superuser_request)


def test_the_snapshot_of_a_final_penilaian_cannot_be_changed(
    superuser_client: Client, biro_hp: Any
) -> None:
    Penilaian.objects.filter(pk=biro_hp.pk).update(status=StatusPenilaian.FINAL)
    snapshot = SnapshotSkor.objects.create(
        penilaian=biro_hp,
        set=SetJawaban.TPI,
        total=Decimal("80.5"),
        predikat="WBK",
        laporan={"total": 80.5},
        final=True,
    )
    response = superuser_client.post(
        _url(snapshot), {"total": "99", "predikat": "WBBM", "final": "", "laporan": "{}"}
    )
    assert response.status_code == 403
    snapshot.refresh_from_db()
    assert (snapshot.total, snapshot.predikat, snapshot.final) == (Decimal("80.5"), "WBK", True)


def test_a_used_version_is_refused_with_the_reason(superuser_client: Client, biro_hp: Any) -> None:
    assert biro_hp.model.kode == USED_MODEL and model_in_use(biro_hp.model)
    indikator = Indikator.objects.filter(model=biro_hp.model).order_by("urutan").first()
    assert indikator is not None
    before = penilaian_score(biro_hp)

    page = superuser_client.get(_url(indikator))
    assert page.status_code == 200
    assert "sudah dipakai oleh penilaian" in page.content.decode()
    assert 'name="bobot"' not in page.content.decode()  # shown read-only

    response = superuser_client.post(
        _url(indikator),
        {"kode": indikator.kode, "bobot": "9", "nama": indikator.nama, "area": indikator.area_id},
        follow=True,
    )
    assert "sudah dipakai oleh penilaian" in response.content.decode()
    indikator.refresh_from_db()
    assert Indikator.objects.get(pk=indikator.pk).bobot == indikator.bobot != Decimal(9)
    assert penilaian_score(biro_hp) == before

    delete = superuser_client.post(_url(indikator, "delete"), {"post": "yes"})
    assert delete.status_code == 403
    assert Indikator.objects.filter(pk=indikator.pk).exists()


def test_the_copy_action_makes_an_editable_version(superuser_client: Client, biro_hp: Any) -> None:
    old = biro_hp.model
    before = penilaian_score(biro_hp)
    response = superuser_client.post(
        reverse("admin:lke_modelpenilaian_changelist"),
        {"action": "salin_versi_baru", "_selected_action": [old.pk]},
        follow=True,
    )
    assert response.status_code == 200
    copy = ModelPenilaian.objects.get(kode=f"{old.kode}-v2")
    assert _counts(copy) == _counts(old)
    assert not copy.bawaan and ModelPenilaian.objects.get(pk=old.pk).bawaan
    assert Riwayat.objects.filter(objek="lke.modelpenilaian", kode=copy.kode).exists()

    indikator = Indikator.objects.filter(model=copy).order_by("urutan").first()
    assert indikator is not None
    page = superuser_client.get(_url(indikator))
    data, _form = _post_data(page)
    data["bobot"] = str(indikator.bobot + 1)
    saved = superuser_client.post(_url(indikator), data)
    assert saved.status_code == 302
    assert Indikator.objects.get(pk=indikator.pk).bobot == indikator.bobot + 1
    assert Riwayat.objects.filter(objek="lke.indikator", objek_id=str(indikator.pk)).exists()
    assert penilaian_score(biro_hp) == before


def test_a_new_penilaian_is_recorded(superuser_client: Client) -> None:
    unit = Penilaian.objects.get(unit__slug="biro-hp").unit
    model = ModelPenilaian.objects.get(kode=USED_MODEL)
    response = superuser_client.post(
        reverse("admin:lke_penilaian_add"), {"unit": unit.pk, "tahun": 2031, "model": model.pk}
    )
    assert response.status_code == 302
    created = Penilaian.objects.get(unit=unit, tahun=2031)
    assert created.status == StatusPenilaian.PENGISIAN
    row = Riwayat.objects.get(objek="lke.penilaian", objek_id=str(created.pk))
    assert row.aksi == Riwayat.Aksi.BUAT and row.unit == unit


def test_a_password_change_is_recorded_without_the_hash(superuser_client: Client) -> None:
    user = get_user_model().objects.get(username="tim.biro-hp")
    response = superuser_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {
            "password1": "Sandi-baru-2026!",
            "password2": "Sandi-baru-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    row = Riwayat.objects.get(objek="auth.user", objek_id=str(user.pk))
    assert row.perubahan == {"kata sandi": ["", "kata sandi diubah"]}
    user.refresh_from_db()
    assert user.password not in str(row.perubahan)


def test_a_row_cannot_be_added_to_a_used_version(superuser_client: Client, biro_hp: Any) -> None:
    area = Indikator.objects.filter(model=biro_hp.model).first().area  # type: ignore[union-attr]
    count = Indikator.objects.filter(model=biro_hp.model).count()
    response = superuser_client.post(
        reverse("admin:lke_indikator_add"),
        {
            "model": biro_hp.model_id,
            "kode": "A.I.1.ix",
            "urutan": 9,
            "area": area.pk,
            "nomor": "ix",
            "nama": "Indikator tambahan",
            "bobot": "1",
        },
    )
    assert response.status_code == 200
    assert "sudah dipakai oleh penilaian" in response.content.decode()
    assert Indikator.objects.filter(model=biro_hp.model).count() == count


def test_an_inline_row_of_an_unused_version_is_added_and_recorded(superuser_client: Client) -> None:
    unused = ModelPenilaian.objects.get(kode="permenpanrb-52-2014")
    pertanyaan = Pertanyaan.objects.filter(model=unused).first()
    assert pertanyaan is not None
    page = superuser_client.get(_url(pertanyaan))
    data, _form = _post_data(page)
    prefix = next(
        i.formset.prefix
        for i in page.context["inline_admin_formsets"]
        if i.formset.model is InputNumerik
    )
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"{prefix}-{index}-kode": f"{pertanyaan.kode}.9",
            f"{prefix}-{index}-urutan": "9",
            f"{prefix}-{index}-teks": "Jumlah tambahan",
            f"{prefix}-{index}-peran": "info",
            f"{prefix}-{index}-pertanyaan": str(pertanyaan.pk),
        }
    )
    response = superuser_client.post(_url(pertanyaan), data)
    assert response.status_code == 302, _errors(response)
    added = InputNumerik.objects.get(pertanyaan=pertanyaan, kode=f"{pertanyaan.kode}.9")
    assert added.model_id == pertanyaan.model_id
    assert Riwayat.objects.filter(objek="lke.inputnumerik", objek_id=str(added.pk)).exists()
