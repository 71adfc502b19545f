"""The catalogue in the admin: a used model version is shown read-only.

A version that a penilaian uses never changes (lke.versions guards every door); here
its tree is shown read-only with a notice why, and the action *Salin sebagai versi baru*
copies it into a new version that may be edited. Every remaining write is recorded in
`Riwayat` (units.admin_audit.AuditedAdmin).

The grants of outside evaluators (units.AksesEvaluator) are edited here because a grant
names a penilaian, which only this app knows; their rights stay in units.access.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lke.models import (
    Area,
    AturanPredikat,
    Bagian,
    DataDukung,
    HasilItem,
    Indikator,
    InputNumerik,
    Komponen,
    ModelPenilaian,
    Opsi,
    OpsiHasil,
    Penilaian,
    Pertanyaan,
    SyaratPengusulan,
    TabelSyarat,
)
from lke.versions import (
    ModelVersionInUse,
    model_in_use,
    model_row_check,
    model_version_copy,
    tree_model_id,
    tree_row_check,
)
from units.access import tanggal_akses
from units.admin_audit import AuditedAdmin, ReadOnlyAdmin, UnchangeableAdmin, record_admin_change
from units.evaluator import akses_evaluator_hapus, akses_evaluator_simpan
from units.models import AKSES_GANDA, AksesBerkas, AksesEvaluator, Riwayat
from zi_portal.lib.dates import nama_bulan
from zi_portal.lib.numbers import format_id


def _used(obj: models.Model | None) -> bool:
    """True when `obj` (a model version or a row of one) belongs to a used version."""
    if obj is None or obj.pk is None:
        return False
    if isinstance(obj, ModelPenilaian):
        return model_in_use(obj)
    return model_in_use(tree_model_id(obj))


def _version_of(obj: models.Model) -> ModelPenilaian | None:
    if isinstance(obj, ModelPenilaian):
        return obj
    pk = tree_model_id(obj)
    return None if pk is None else ModelPenilaian.objects.filter(pk=pk).first()


_DECIMAL_DISPLAYS: dict[tuple[str, str], Any] = {}


def _decimal_display(field: models.DecimalField[Any, Any]) -> Any:
    """A read-only column showing the field as the portal writes it (0,50, not 0,5000)."""
    key = (field.model._meta.label, field.name)
    if key not in _DECIMAL_DISPLAYS:

        def show(obj: Any) -> str:
            return _angka(getattr(obj, field.name))

        show.__name__ = field.name
        show.short_description = field.verbose_name  # type: ignore[attr-defined]
        _DECIMAL_DISPLAYS[key] = show
    return _DECIMAL_DISPLAYS[key]


class ReadOnlyDecimals:
    """A row shown read-only (a used version) writes its decimals 0,50 too."""

    model: type[models.Model]

    def _decimals(self) -> dict[str, Any]:
        return {
            f.name: _decimal_display(f)
            for f in self.model._meta.concrete_fields
            if isinstance(f, models.DecimalField)
        }

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            return fields
        return [*fields, *self._decimals().values()]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)  # type: ignore[misc]
        if self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            return fields
        decimals = self._decimals()
        shown = [decimals.get(f, f) if isinstance(f, str) else f for f in fields]
        return list(dict.fromkeys(shown))


class VersionGuardAdmin(ReadOnlyDecimals, AuditedAdmin):
    """Rows of a used version: view only, with the reason; other writes are audited."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_delete_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kw)

        class GuardedForm(form):  # type: ignore[valid-type, misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                try:
                    if isinstance(self.instance, ModelPenilaian):
                        model_row_check(self.instance)
                    else:
                        tree_row_check(self.instance)
                except ModelVersionInUse as exc:
                    self.add_error(None, str(exc))

        return GuardedForm

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None and _used(obj):
            message = str(ModelVersionInUse(_version_of(obj)))
            if request.method == "POST":
                messages.error(request, message)
                return HttpResponseRedirect(request.get_full_path())
            messages.warning(request, message)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ModelVersionInUse as exc:  # an inline row of a used version, say
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ModelVersionInUse as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect("../change/")


class VersionGuardInline(ReadOnlyDecimals, admin.TabularInline):  # type: ignore[type-arg]
    """Inline rows of a used version (the parent `obj`) are shown, never changed."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _used(obj) and super().has_delete_permission(request, obj)


# Weights and thresholds as the portal writes them ("0,50"): a localized text input, which
# also accepts the decimal comma, instead of the browser's number input ("0.50").
LOCAL_DECIMALS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DecimalField: {"localize": True}
}


def _angka(value: Decimal | None) -> str:
    """0.5000 -> "0,50": at least two places, more only when the value needs them."""
    if value is None:
        return "–"
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return format_id(value, places)


class IndikatorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The same indikator code exists in every LKE model: show the label and the model."""

    def label_from_instance(self, obj: Any) -> str:
        return indikator_label(obj, short=True)


def indikator_label(indikator: Indikator | None, *, short: bool = False) -> str:
    """Code, label and model, e.g. "A.I.1.i Penyusunan Tim Kerja (Lembar Kerja ...)";
    `short` cuts a long label so that a choice list stays within its form."""
    if indikator is None:
        return "–"
    nama = Truncator(indikator.nama).chars(48) if short else indikator.nama
    return f"{indikator.kode} {nama} ({indikator.model.nama})"


class IndikatorLabelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every Indikator choice of this admin names its model and label, not only its code."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:  # type: ignore[type-arg]
        if db_field.related_model is Indikator:
            kwargs["form_class"] = IndikatorChoiceField
            kwargs["queryset"] = Indikator.objects.select_related("model").order_by(
                "model__kode", "urutan", "pk"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndikatorListFilter(admin.RelatedFieldListFilter):
    """The changelist filter on an Indikator: the same labels as the choice."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        rows = Indikator.objects.select_related("model").order_by("model__kode", "urutan", "pk")
        return [(i.pk, indikator_label(i, short=True)) for i in rows]


BULAN_CHOICES = [(n, nama_bulan(n)) for n in range(1, 13)]


class DataDukungForm(forms.ModelForm):  # type: ignore[type-arg]
    """Upload months chosen by name (Maret, Juni, ...), stored as month numbers."""

    bulan = forms.TypedMultipleChoiceField(
        label=capfirst(gettext_lazy("bulan unggah")),
        choices=BULAN_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DataDukung
        fields = [
            "pertanyaan",
            "hasil_item",
            "unit",
            "nama",
            "petunjuk",
            "penanggung_jawab",
            "bulan",
            "urutan",
        ]


def bulan_names(data_dukung: DataDukung) -> str:
    return ", ".join(nama_bulan(int(b)) for b in data_dukung.bulan if 1 <= int(b) <= 12)


def _months_by_name(fields: Any, editable: bool) -> list[Any]:
    """A read-only form shows the months by name (the field would show "[3, 6]")."""
    shown = [f if editable or f != "bulan" else "bulan_unggah" for f in fields]
    return list(dict.fromkeys(shown))


@admin.display(description=gettext_lazy("bobot"), ordering="bobot")
def bobot_id(obj: Any) -> str:
    return _angka(obj.bobot)


class AturanInline(VersionGuardInline):
    formfield_overrides = LOCAL_DECIMALS
    model = AturanPredikat


@admin.register(ModelPenilaian)
class ModelPenilaianAdmin(VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "versi", "nama", "bawaan", "dipakai"]
    inlines = [AturanInline]
    actions = ["salin_versi_baru", "salin_versi_baru_bawaan", "jadikan_bawaan"]

    @admin.display(description=gettext_lazy("dipakai penilaian"), boolean=True)
    def dipakai(self, obj: ModelPenilaian) -> bool:
        return model_in_use(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.bawaan:  # one default model: the others lose the flag, recorded
            self._unset_default(request, obj)

    def _unset_default(self, request: HttpRequest, chosen: ModelPenilaian) -> None:
        for model in ModelPenilaian.objects.filter(bawaan=True).exclude(pk=chosen.pk):
            model.bawaan = False
            model.save(update_fields=["bawaan"])
            record_admin_change(
                request, model, Riwayat.Aksi.UBAH, {"model bawaan": "ya"}, {"model bawaan": "tidak"}
            )

    def _copy(self, request: HttpRequest, queryset: QuerySet[ModelPenilaian], bawaan: bool) -> None:
        for model in queryset.order_by("kode"):
            copy = model_version_copy(model, user=request.user, bawaan=bawaan)
            self.message_user(
                request,
                _("Versi baru %(baru)s dibuat dari %(lama)s.") % {"baru": copy, "lama": model},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Salin sebagai versi baru"))
    def salin_versi_baru(self, request: HttpRequest, queryset: QuerySet[ModelPenilaian]) -> None:
        self._copy(request, queryset, bawaan=False)

    @admin.action(description=gettext_lazy("Salin sebagai versi baru dan jadikan model bawaan"))
    def salin_versi_baru_bawaan(
        self, request: HttpRequest, queryset: QuerySet[ModelPenilaian]
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Pilih tepat satu model."), messages.ERROR)
            return None
        self._copy(request, queryset, bawaan=True)
        return None

    @admin.action(description=gettext_lazy("Jadikan model bawaan"))
    def jadikan_bawaan(self, request: HttpRequest, queryset: QuerySet[ModelPenilaian]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Pilih tepat satu model."), messages.ERROR)
            return
        chosen = queryset.get()
        self._unset_default(request, chosen)
        if not chosen.bawaan:
            chosen.bawaan = True
            chosen.save(update_fields=["bawaan"])
            old, new = {"model bawaan": "tidak"}, {"model bawaan": "ya"}
            record_admin_change(request, chosen, Riwayat.Aksi.UBAH, old, new)
        self.message_user(
            request, _("%(kode)s kini model bawaan.") % {"kode": chosen}, messages.SUCCESS
        )


@admin.register(Komponen)
class KomponenAdmin(VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model"]


@admin.register(Bagian)
class BagianAdmin(VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model"]


@admin.register(Area)
class AreaAdmin(VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model", "nomor"]


@admin.register(Indikator)
class IndikatorAdmin(VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "model"]
    list_filter = ["model", "area__nomor"]
    search_fields = ["kode", "nama"]


class OpsiInline(VersionGuardInline):
    formfield_overrides = LOCAL_DECIMALS
    model = Opsi


class InputInline(VersionGuardInline):
    formfield_overrides = LOCAL_DECIMALS
    model = InputNumerik
    fk_name = "pertanyaan"
    exclude = ["model"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class WithModel(formset):  # type: ignore[valid-type, misc]
            """A new input belongs to the model of its pertanyaan."""

            def save_new(self, form: Any, commit: bool = True) -> Any:
                form.instance.model_id = self.instance.model_id
                return super().save_new(form, commit)

        return WithModel


class DataDukungMonths:
    """Upload months by name: checkboxes Januari…Desember where the row may be changed,
    a read-only line of month names where it may not (a used model version)."""

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        editable = self.has_change_permission(request, obj)  # type: ignore[attr-defined]
        return _months_by_name(super().get_fields(request, obj), editable)  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return fields if self.has_change_permission(request, obj) else [*fields, "bulan_unggah"]  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("bulan unggah"))
    def bulan_unggah(self, obj: DataDukung) -> str:
        return bulan_names(obj)


class DataDukungInline(DataDukungMonths, VersionGuardInline):
    formfield_overrides = LOCAL_DECIMALS
    model = DataDukung
    form = DataDukungForm
    fields = ["unit", "nama", "bulan", "penanggung_jawab"]


@admin.register(Pertanyaan)
class PertanyaanAdmin(IndikatorLabelAdmin, VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "teks", "jenis", "model"]
    list_filter = ["model", "jenis"]
    search_fields = ["kode", "teks"]
    inlines = [OpsiInline, InputInline, DataDukungInline]


class OpsiHasilInline(VersionGuardInline):
    formfield_overrides = LOCAL_DECIMALS
    model = OpsiHasil


@admin.register(HasilItem)
class HasilItemAdmin(VersionGuardAdmin):
    formfield_overrides = LOCAL_DECIMALS
    list_display = ["kode", "nama", bobot_id, "jenis", "model"]
    list_filter = ["model"]
    inlines = [OpsiHasilInline]


@admin.register(DataDukung)
class DataDukungAdmin(DataDukungMonths, VersionGuardAdmin):
    """A unit's own data dukung stays editable; a used version's rows do not."""

    formfield_overrides = LOCAL_DECIMALS
    form = DataDukungForm
    list_display = ["nama", "pertanyaan", "unit", "bulan_unggah"]
    list_filter = ["unit", "pertanyaan__model"]
    search_fields = ["nama", "pertanyaan__kode"]


@admin.register(Penilaian)
class PenilaianAdmin(UnchangeableAdmin, AuditedAdmin):
    """A new penilaian may be added (recorded); its status moves only in its workflow.

    A penilaian is never changed or deleted here: it keeps its model version, and its
    answers, reviews and snapshots are the audit's evidence.
    """

    formfield_overrides = LOCAL_DECIMALS
    list_display = ["unit", "tahun", "model", "status"]
    list_filter = ["status", "model", "tahun"]
    readonly_fields = ["status"]


class SyaratInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SyaratPengusulan
    extra = 0
    fields = ["urutan", "kode", "tingkat", "ambang"]
    readonly_fields = ["urutan", "kode", "tingkat", "ambang"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TabelSyarat)
class TabelSyaratAdmin(ReadOnlyAdmin):
    """Tabel 5 as transcribed (fixtures/lke/syarat/*.yaml, `load_lke_models`)."""

    list_display = ["kode", "berlaku_dari", "berlaku_sampai", "stranas_pk"]
    inlines = [SyaratInline]


class AksesEvaluatorForm(forms.ModelForm):  # type: ignore[type-arg]
    """A grant names a penilaian; it is stored as its (unit, tahun) in units."""

    penilaian = forms.ModelChoiceField(
        label=gettext_lazy("Penilaian"),
        queryset=Penilaian.objects.select_related("unit").order_by("unit__nama", "-tahun"),
    )

    class Meta:
        model = AksesEvaluator
        fields = ["penilaian", "user", "jenis", "lembaga", "mulai", "selesai", "dasar"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["penilaian"] = Penilaian.objects.filter(
                unit_id=self.instance.unit_id, tahun=self.instance.tahun
            ).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        penilaian = data.get("penilaian")
        user = data.get("user")
        if penilaian is not None:
            self.instance.unit = penilaian.unit
            self.instance.tahun = penilaian.tahun
            taken = AksesEvaluator.objects.filter(
                user=user, unit=penilaian.unit, tahun=penilaian.tahun
            ).exclude(pk=self.instance.pk)
            if user is not None and taken.exists():
                raise forms.ValidationError(str(AKSES_GANDA))
        return data


class AksesBerkasInline(admin.TabularInline):  # type: ignore[type-arg]
    """The files the evaluator opened under this grant (read-only)."""

    model = AksesBerkas
    fk_name = "akses"
    extra = 0
    fields = ["waktu", "jenis", "nama_berkas"]
    readonly_fields = ["waktu", "jenis", "nama_berkas"]
    can_delete = False
    ordering = ["-waktu"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AksesEvaluator)
class AksesEvaluatorAdmin(admin.ModelAdmin[AksesEvaluator]):
    """Grants of outside evaluators (TPN, external auditors) to one penilaian each.

    Every save and deletion goes through units.evaluator (recorded in Riwayat). Moving
    `selesai` to an earlier day ends the access at the end of that day (Asia/Jakarta).
    """

    form = AksesEvaluatorForm
    list_display = ["user", "unit", "tahun", "jenis", "lembaga", "mulai", "selesai", "berlaku"]
    list_filter = ["jenis", "unit__instansi", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "lembaga"]
    autocomplete_fields = ["user"]
    readonly_fields = ["diberikan_oleh"]
    inlines = [AksesBerkasInline]

    @admin.display(boolean=True, description=gettext_lazy("berlaku hari ini"))
    def berlaku(self, obj: AksesEvaluator) -> bool:
        return obj.berlaku_pada(tanggal_akses())

    def save_model(
        self, request: HttpRequest, obj: AksesEvaluator, form: Any, change: bool
    ) -> None:
        akses_evaluator_simpan(obj, user=request.user)

    def delete_model(self, request: HttpRequest, obj: AksesEvaluator) -> None:
        akses_evaluator_hapus(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            akses_evaluator_hapus(obj, user=request.user)
