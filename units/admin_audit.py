"""The admin keeps the audit true: what it may still write is recorded in `Riwayat`.

Two mixins for every app's admin (this module lives in `units`, the lowest app):
- `AuditedAdmin`: each save, deletion and inline change through the admin writes a
  `Riwayat` row (objek = the model's label, e.g. `units.unitkerja`; the unit when the
  object has one, else none), with the changed fields as `[lama, baru]`. A password is
  never recorded, only that it changed ("kata sandi diubah").
- `ReadOnlyAdmin`: data that only its workflow service may write (answers, reviews,
  scores, approvals, evidence, signed documents, the audit trail itself) can be read and
  filtered in the admin, never added, changed or deleted there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from units.audit import diff, riwayat_record
from units.models import Keanggotaan, Riwayat, UnitKerja

PASSWORD_CHANGED = "kata sandi diubah"  # noqa: S105 - a label, not a password
_OLD = "_zi_audit_lama"
_PASSWORD_FIELD = "password"  # noqa: S105 - the field name


def _display(obj: models.Model, field: models.Field[Any, Any]) -> str:
    if field.choices:
        value = getattr(obj, field.attname)
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = getattr(obj, field.name, None)
        return "" if related is None else str(related)
    value = getattr(obj, field.attname)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return "" if value is None else str(value)


def audit_values(obj: models.Model) -> dict[str, str]:
    """The object's fields as display strings, keyed by their (Indonesian) label.

    Timestamps the database moves by itself and the password hash are left out.
    """
    values: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name == _PASSWORD_FIELD:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        values[str(field.verbose_name)] = _display(obj, field)
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            related = getattr(obj, m2m.name).all()
            values[str(m2m.verbose_name)] = ", ".join(sorted(str(r) for r in related))
    return values


def stored_values(obj: models.Model) -> dict[str, str]:
    """The values of the stored row (before a change); empty for a new object."""
    if obj.pk is None:
        return {}
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return {} if stored is None else audit_values(stored)


def _stored_password(obj: models.Model) -> str | None:
    if obj.pk is None or not any(f.name == _PASSWORD_FIELD for f in obj._meta.concrete_fields):
        return None
    return (
        type(obj)._default_manager.filter(pk=obj.pk).values_list(_PASSWORD_FIELD, flat=True).first()
    )


def audit_unit(obj: models.Model) -> UnitKerja | None:
    if isinstance(obj, UnitKerja):
        return obj if obj.pk is not None and not getattr(obj, "_zi_deleting", False) else None
    unit = getattr(obj, "unit", None)
    return unit if isinstance(unit, UnitKerja) else None


def audit_kode(obj: models.Model) -> str:
    for name in ("kode", "slug", "username"):
        value = getattr(obj, name, None)
        if value:
            return str(value)[:60]
    return str(obj)[:60]


def record_admin_change(
    request: HttpRequest,
    obj: models.Model,
    aksi: str,
    old: dict[str, str],
    new: dict[str, str],
    *,
    password_changed: bool = False,
) -> Riwayat | None:
    """One admin write in `Riwayat` (memberships keep their own, richer record)."""
    if isinstance(obj, Keanggotaan):
        if aksi != Riwayat.Aksi.UBAH or diff(old, new):
            record_membership(request, obj, aksi)
        return None
    perubahan = diff(old, new)
    if password_changed:
        perubahan["kata sandi"] = ["", PASSWORD_CHANGED]
    return riwayat_record(
        user=request.user,
        unit=None if aksi == Riwayat.Aksi.HAPUS and isinstance(obj, UnitKerja) else audit_unit(obj),
        tahun=getattr(obj, "tahun", None) if isinstance(getattr(obj, "tahun", None), int) else None,
        objek=obj._meta.label_lower,
        objek_id=obj.pk,
        kode=audit_kode(obj),
        aksi=aksi,
        perubahan=perubahan,
    )


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


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin whose every write is recorded in `Riwayat`."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        old = stored_values(obj) if change else {}
        old_password = _stored_password(obj)
        super().save_model(request, obj, form, change)
        setattr(obj, _OLD, (old, old_password, change))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        old, old_password, changed = getattr(obj, _OLD, ({}, None, change))
        password = getattr(obj, _PASSWORD_FIELD, None) if old_password is not None else None
        record_admin_change(
            request,
            obj,
            Riwayat.Aksi.UBAH if changed else Riwayat.Aksi.BUAT,
            old,
            audit_values(obj),
            password_changed=bool(changed and password is not None and password != old_password),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record_deletion(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        self._record_deletion(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request: HttpRequest, objs: Iterable[models.Model]) -> None:
        for obj in objs:
            record_admin_change(request, obj, Riwayat.Aksi.HAPUS, audit_values(obj), {})

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            record_admin_change(request, deleted, Riwayat.Aksi.HAPUS, audit_values(deleted), {})
            deleted.delete()
        for obj in instances:
            is_new = obj.pk is None
            old = stored_values(obj)
            obj.save()
            record_admin_change(
                request,
                obj,
                Riwayat.Aksi.BUAT if is_new else Riwayat.Aksi.UBAH,
                old,
                audit_values(obj),
            )
        formset.save_m2m()


class UnchangeableAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows never changed or deleted here (their workflow service writes them); the
    change page says why."""

    read_only_notice = _(
        "Data ini hanya dapat dibaca di admin: perubahannya dilakukan melalui alur kerja "
        "portal agar tercatat di riwayat."
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        if request.method == "GET" and object_id is not None:
            messages.info(request, str(self.read_only_notice))
        return super().changeform_view(request, object_id, form_url, extra_context)


class ReadOnlyAdmin(UnchangeableAdmin):
    """Read and filter only: the data is written by its workflow service, never here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
