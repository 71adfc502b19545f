from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from units.admin_audit import PASSWORD_CHANGED, AuditedAdmin, ReadOnlyAdmin
from units.akun import password_change_require
from units.audit import riwayat_record
from units.models import (
    AksesBerkas,
    Instansi,
    Keanggotaan,
    PredikatUnit,
    Riwayat,
    UnitKerja,
)
from units.predikat import predikat_delete, predikat_save

admin.site.site_header = _("Administrasi ZI Portal")
admin.site.site_title = _("ZI Portal")
admin.site.index_title = _("Data portal")

User = get_user_model()


@admin.register(Instansi)
class InstansiAdmin(AuditedAdmin):
    list_display = ["nama", "kode", "jenis"]
    list_filter = ["jenis"]
    search_fields = ["nama", "kode"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its units and their audit trail are kept for years


class KeanggotaanInline(admin.TabularInline[Keanggotaan, UnitKerja]):
    model = Keanggotaan
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "peran", "area_terbatas", "jabatan", "nip"]


@admin.register(UnitKerja)
class UnitKerjaAdmin(AuditedAdmin):
    list_display = ["nama", "instansi", "slug", "stranas_pk"]
    list_filter = ["instansi", "stranas_pk"]
    search_fields = ["nama", "slug"]
    inlines = [KeanggotaanInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting a unit would delete its audit trail (Riwayat.unit)


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
class KeanggotaanAdmin(AuditedAdmin):
    list_display = ["user", "peran", "unit", "instansi", "jabatan"]
    list_filter = ["peran", "instansi", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "jabatan"]
    autocomplete_fields = ["user"]


@admin.register(Riwayat)
class RiwayatAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is never edited, only read and filtered."""

    list_display = ["waktu", "user", "unit", "tahun", "objek", "kode", "aksi"]
    list_filter = ["objek", "aksi", "unit"]
    search_fields = ["kode", "user__username"]
    date_hierarchy = "waktu"


@admin.register(AksesBerkas)
class AksesBerkasAdmin(ReadOnlyAdmin):
    """Files outside evaluators viewed or downloaded (written by units.evaluator only)."""

    list_display = ["waktu", "user", "unit", "tahun", "jenis", "nama_berkas"]
    list_filter = ["jenis", "unit"]
    search_fields = ["user__username", "nama_berkas"]
    date_hierarchy = "waktu"


class AuditedUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    """Django's user admin, with every change recorded (a password only as changed)."""

    actions = ["wajibkan_ganti_sandi"]

    @admin.action(description=_("Wajibkan ganti kata sandi"))
    def wajibkan_ganti_sandi(self, request: HttpRequest, queryset: Any) -> None:
        changed = password_change_require(queryset, by=request.user)
        self.message_user(
            request,
            _("%(n)d pengguna wajib mengganti kata sandi saat masuk berikutnya.") % {"n": changed},
            messages.SUCCESS,
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        before = User._default_manager.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        user = User._default_manager.filter(pk=id).first()
        if user is not None and before is not None and user.password != before:
            riwayat_record(
                user=request.user,
                unit=None,
                tahun=None,
                objek=User._meta.label_lower,
                objek_id=user.pk,
                kode=user.get_username(),
                aksi=Riwayat.Aksi.UBAH,
                perubahan={"kata sandi": ["", PASSWORD_CHANGED]},
            )
        return response


class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


for _model, _admin in ((User, AuditedUserAdmin), (Group, AuditedGroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
