from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from units.audit import riwayat_record
from units.models import Instansi, Keanggotaan, PredikatUnit, Riwayat, UnitKerja
from units.predikat import predikat_delete, predikat_save


def record_membership(request: HttpRequest, member: Keanggotaan, aksi: str) -> None:
    """Memberships decide who sees a unit's data: every change goes to the audit trail."""
    scope = member.unit.nama if member.unit else f"seluruh unit {member.instansi}"
    value = f"{member.user.get_username()} sebagai {member.get_peran_display()} di {scope}"
    if member.area_terbatas:
        value += f" (area {', '.join(str(a) for a in member.area_terbatas)})"
    riwayat_record(
        user=request.user,
        unit=member.unit,
        tahun=None,
        objek="keanggotaan",
        objek_id=member.pk,
        kode=member.user.get_username(),
        aksi=aksi,
        perubahan={
            "keanggotaan": [
                "" if aksi == Riwayat.Aksi.BUAT else value,
                "" if aksi == Riwayat.Aksi.HAPUS else value,
            ]
        },
    )


class AuditedMembershipMixin:
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if isinstance(obj, Keanggotaan):
            record_membership(request, obj, Riwayat.Aksi.UBAH if change else Riwayat.Aksi.BUAT)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if isinstance(obj, Keanggotaan):
            record_membership(request, obj, Riwayat.Aksi.HAPUS)
        super().delete_model(request, obj)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            if isinstance(deleted, Keanggotaan):
                record_membership(request, deleted, Riwayat.Aksi.HAPUS)
            deleted.delete()
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            if isinstance(obj, Keanggotaan):
                record_membership(request, obj, Riwayat.Aksi.BUAT if is_new else Riwayat.Aksi.UBAH)
        formset.save_m2m()


admin.site.site_header = _("Administrasi ZI Portal")
admin.site.site_title = _("ZI Portal")
admin.site.index_title = _("Data portal")


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin[Instansi]):
    list_display = ["nama", "kode"]
    search_fields = ["nama", "kode"]


class KeanggotaanInline(admin.TabularInline[Keanggotaan, UnitKerja]):
    model = Keanggotaan
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "peran", "area_terbatas", "jabatan", "nip"]


@admin.register(UnitKerja)
class UnitKerjaAdmin(AuditedMembershipMixin, admin.ModelAdmin[UnitKerja]):
    list_display = ["nama", "instansi", "slug"]
    list_filter = ["instansi"]
    search_fields = ["nama", "slug"]
    inlines = [KeanggotaanInline]


@admin.register(PredikatUnit)
class PredikatUnitAdmin(admin.ModelAdmin[PredikatUnit]):
    """Predikat history; every save and delete goes through units.predikat (Riwayat)."""

    list_display = ["unit", "predikat", "tahun", "sumber", "nomor_sk", "dicabut_pada"]
    list_filter = ["predikat", "sumber", "unit__instansi"]
    search_fields = ["unit__nama", "nomor_sk"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: PredikatUnit, form: Any, change: bool) -> None:
        predikat_save(obj, user=request.user)

    def delete_model(self, request: HttpRequest, obj: PredikatUnit) -> None:
        predikat_delete(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            predikat_delete(obj, user=request.user)


@admin.register(Keanggotaan)
class KeanggotaanAdmin(AuditedMembershipMixin, admin.ModelAdmin[Keanggotaan]):
    list_display = ["user", "peran", "unit", "instansi", "jabatan"]
    list_filter = ["peran", "instansi", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "jabatan"]
    autocomplete_fields = ["user"]


@admin.register(Riwayat)
class RiwayatAdmin(admin.ModelAdmin[Riwayat]):
    """Read-only: the audit trail is never edited, only read and filtered."""

    list_display = ["waktu", "user", "unit", "tahun", "objek", "kode", "aksi"]
    list_filter = ["objek", "aksi", "unit"]
    search_fields = ["kode", "user__username"]
    date_hierarchy = "waktu"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
