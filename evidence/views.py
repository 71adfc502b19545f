from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.forms import (
    RealisasiForm,
    RealisasiRencanaAksiForm,
    RencanaAksiForm,
    RktBarisFormSet,
    RktImporForm,
    RktKepalaForm,
)
from evidence.models import (
    Bukti,
    IndikatorKinerja,
    JenisBukti,
    RencanaAksi,
    RencanaKinerjaTahunan,
)
from evidence.realisasi import NAMA_TRIWULAN, sel_triwulan
from evidence.rkt import (
    HEADER_FIELDS,
    BarisRkt,
    RktDitolak,
    RktKonflik,
    realisasi_save,
    rkt_for,
    rkt_refusal,
    rkt_save,
)
from evidence.rkt_import import rkt_import
from evidence.services import (
    RealisasiDitolak,
    RencanaAksiKonflik,
    realisasi_bukti_choices,
    realisasi_refusal,
    realisasi_rencana_aksi_save,
    rencana_aksi_copy_from,
    rencana_aksi_create,
    rencana_aksi_delete,
    rencana_aksi_move,
    rencana_aksi_update,
)
from evidence.validators import INLINE_TYPES, BuktiDitolak
from lke.access import get_penilaian_for_user
from lke.models import Indikator, Penilaian, StatusPenilaian
from units.access import Izin, UnitAccess
from units.evaluator import akses_berkas_catat
from units.models import AksesBerkas, Keanggotaan
from zi_portal.lib.http import file_response


def _bukti(penilaian: Penilaian, code: str) -> Bukti:
    try:
        bukti = Bukti.objects.select_related("pertanyaan__indikator__area").get(
            code=code, penilaian=penilaian
        )
    except (Bukti.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    bukti.penilaian = penilaian
    return bukti


@require_GET
@login_required
def bukti_berkas(request: HttpRequest, code: str, bukti_code: str) -> FileResponse:
    """Serve an evidence file to those who may see the unit: inline preview for PDF and
    images, download for the rest; never from a public URL."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    bukti = _bukti(penilaian, bukti_code)
    if bukti.jenis != JenisBukti.FILE or not bukti.berkas:
        raise Http404
    akses_berkas_catat(
        access,
        user=request.user,
        tahun=penilaian.tahun,
        jenis=AksesBerkas.Jenis.BUKTI,
        objek_id=bukti.code,
        nama_berkas=bukti.nama_asli,
    )
    inline = bukti.tipe_konten in INLINE_TYPES and request.GET.get("unduh") is None
    return file_response(
        bukti.berkas,
        filename=bukti.nama_asli,
        content_type=bukti.tipe_konten if inline else "application/octet-stream",
        inline=inline,
    )


# -- rencana aksi -----------------------------------------------------------------------


def _members(penilaian: Penilaian) -> list[tuple[int, str]]:
    rows = (
        Keanggotaan.objects.filter(unit=penilaian.unit)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    seen: dict[int, str] = {}
    for m in rows:
        seen.setdefault(m.user_id, m.user.get_full_name() or m.user.get_username())
    return list(seen.items())


def _indikator(penilaian: Penilaian, kode: str) -> Indikator:
    try:
        return Indikator.objects.select_related("area").get(model=penilaian.model, kode=kode)
    except Indikator.DoesNotExist as exc:
        raise Http404 from exc


def _ra_rw(access: UnitAccess, penilaian: Penilaian, indikator: Indikator) -> None:
    if not access.can(Izin.EDIT_RENCANA_AKSI) or not access.can_edit_area(indikator.area.nomor):
        raise PermissionDenied
    if penilaian.status == StatusPenilaian.FINAL:
        raise PermissionDenied


def _row(penilaian: Penilaian, row_code: str) -> RencanaAksi:
    try:
        row = RencanaAksi.objects.select_related("indikator__area", "penanggung_jawab_user").get(
            code=row_code, penilaian=penilaian, indikator__isnull=False
        )
    except (RencanaAksi.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    row.penilaian = penilaian
    return row


def _ra_values(form: RencanaAksiForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("versi", None)
    data["penanggung_jawab_user_id"] = data.pop("penanggung_jawab_user")
    return data


def _ra_page_context(
    penilaian: Penilaian,
    access: UnitAccess,
    indikator: Indikator,
    form: RencanaAksiForm | None = None,
) -> dict[str, Any]:
    rows = list(
        RencanaAksi.objects.filter(penilaian=penilaian, indikator=indikator)
        .select_related("penanggung_jawab_user")
        .prefetch_related("bukti", "realisasi__bukti")
        .order_by("urutan", "id")
    )
    for row in rows:
        row.triwulan_sel = sel_triwulan(row)  # type: ignore[attr-defined]
    editable = (
        access.can(Izin.EDIT_RENCANA_AKSI)
        and access.can_edit_area(indikator.area.nomor)
        and penilaian.status != StatusPenilaian.FINAL
    )
    previous = penilaian.previous()
    return {
        "penilaian": penilaian,
        "access": access,
        "indikator": indikator,
        "rows": rows,
        "editable": editable,
        "form": form
        or RencanaAksiForm(members=_members(penilaian), initial={"status": "belum_mulai"}),
        "previous": previous,
        "triwulan_nama": list(enumerate(NAMA_TRIWULAN, start=1)),
    }


@require_http_methods(["GET", "POST"])
@login_required
def rencana_aksi_list(request: HttpRequest, code: str, kode: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    indikator = _indikator(penilaian, kode)
    if request.method == "POST":
        _ra_rw(access, penilaian, indikator)
        form = RencanaAksiForm(request.POST, members=_members(penilaian))
        if form.is_valid():
            try:
                rencana_aksi_create(
                    penilaian=penilaian,
                    indikator=indikator,
                    values=_ra_values(form),
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Baris rencana aksi ditambahkan."))
                return redirect("evidence:rencana_aksi", code=penilaian.code, kode=indikator.kode)
        return render(
            request,
            "evidence/rencana_aksi.html",
            _ra_page_context(penilaian, access, indikator, form),
            status=422,
        )
    return render(
        request, "evidence/rencana_aksi.html", _ra_page_context(penilaian, access, indikator)
    )


@require_http_methods(["GET", "POST"])
@login_required
def rencana_aksi_ubah(request: HttpRequest, code: str, row_code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    row = _row(penilaian, row_code)
    assert row.indikator is not None
    _ra_rw(access, penilaian, row.indikator)
    members = _members(penilaian)
    ctx: dict[str, Any] = {"penilaian": penilaian, "row": row, "editable": True}
    if request.method == "GET":
        ctx["form"] = RencanaAksiForm(initial=RencanaAksiForm.initial_for(row), members=members)
        return render(request, "evidence/partials/_ra_form_row.html", ctx)
    form = RencanaAksiForm(request.POST, members=members)
    ctx["form"] = form
    if not form.is_valid():
        return render(request, "evidence/partials/_ra_form_row.html", ctx, status=422)
    try:
        row = rencana_aksi_update(
            row=row,
            values=_ra_values(form),
            expected_versi=form.cleaned_data["versi"] or 0,
            user=request.user,
        )
    except RencanaAksiKonflik as exc:
        ctx["conflict"] = exc.current
        data = request.POST.copy()
        data["versi"] = str(exc.current.versi)
        ctx["form"] = RencanaAksiForm(data, members=members)
        ctx["form"].is_valid()
        return render(request, "evidence/partials/_ra_form_row.html", ctx, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "evidence/partials/_ra_form_row.html", ctx, status=422)
    row.penilaian = penilaian
    return render(
        request,
        "evidence/partials/_ra_row.html",
        {"penilaian": penilaian, "row": row, "editable": True},
    )


@require_GET
@login_required
def rencana_aksi_baris(request: HttpRequest, code: str, row_code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    row = _row(penilaian, row_code)
    assert row.indikator is not None
    editable = access.can(Izin.EDIT_RENCANA_AKSI) and access.can_edit_area(row.indikator.area.nomor)
    return render(
        request,
        "evidence/partials/_ra_row.html",
        {"penilaian": penilaian, "row": row, "editable": editable},
    )


@require_POST
@login_required
def rencana_aksi_hapus(request: HttpRequest, code: str, row_code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    row = _row(penilaian, row_code)
    assert row.indikator is not None
    _ra_rw(access, penilaian, row.indikator)
    kode = row.indikator.kode
    rencana_aksi_delete(row=row, user=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    messages.success(request, _("Baris rencana aksi dihapus."))
    return redirect("evidence:rencana_aksi", code=penilaian.code, kode=kode)


@require_POST
@login_required
def rencana_aksi_pindah(request: HttpRequest, code: str, row_code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code)
    row = _row(penilaian, row_code)
    assert row.indikator is not None
    _ra_rw(access, penilaian, row.indikator)
    direction = -1 if request.POST.get("arah") == "naik" else 1
    rencana_aksi_move(row=row, direction=direction, user=request.user)
    return redirect("evidence:rencana_aksi", code=penilaian.code, kode=row.indikator.kode)


@require_POST
@login_required
def rencana_aksi_salin(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.EDIT_RENCANA_AKSI)
    source = (
        Penilaian.objects.filter(unit=penilaian.unit, tahun__lt=penilaian.tahun)
        .order_by("-tahun")
        .first()
    )
    if source is None:
        messages.error(request, _("Belum ada penilaian tahun sebelumnya untuk disalin."))
    else:
        try:
            n = rencana_aksi_copy_from(
                source=source, target=penilaian, user=request.user, access=access
            )
        except BuktiDitolak as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(n)d baris rencana aksi disalin dari tahun %(tahun)d.")
                % {"n": n, "tahun": source.tahun},
            )
    return redirect("scoring:dashboard", code=penilaian.code)


# -- realisasi per quarter (issue 15) ----------------------------------------------------


def _realisasi_row(penilaian: Penilaian, row_code: str) -> RencanaAksi:
    row = _row(penilaian, row_code)
    row = (
        RencanaAksi.objects.select_related("indikator__area")
        .prefetch_related("realisasi__bukti")
        .get(pk=row.pk)
    )
    row.penilaian = penilaian
    row.triwulan_sel = sel_triwulan(row)  # type: ignore[attr-defined]
    return row


def _realisasi_display(
    request: HttpRequest, penilaian: Penilaian, row: RencanaAksi, editable: bool
) -> HttpResponse:
    return render(
        request,
        "evidence/partials/_realisasi_row.html",
        {"penilaian": penilaian, "row": row, "editable": editable},
    )


@require_GET
@login_required
def rencana_aksi_realisasi(request: HttpRequest, code: str, row_code: str) -> HttpResponse:
    """The row's four quarters (the fragment an edit returns to)."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    row = _realisasi_row(penilaian, row_code)
    editable = not realisasi_refusal(access, row) and penilaian.status != StatusPenilaian.FINAL
    return _realisasi_display(request, penilaian, row, editable)


@require_http_methods(["GET", "POST"])
@login_required
def rencana_aksi_realisasi_ubah(
    request: HttpRequest, code: str, row_code: str, triwulan: int
) -> HttpResponse:
    """Edit one quarter's realisasi of a row in place (htmx), like the row itself."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    if triwulan not in (1, 2, 3, 4):
        raise Http404
    row = _realisasi_row(penilaian, row_code)
    if realisasi_refusal(access, row) or penilaian.status == StatusPenilaian.FINAL:
        raise PermissionDenied
    current = next(s.realisasi for s in row.triwulan_sel if s.nomor == triwulan)  # type: ignore[attr-defined]
    choices = [
        (str(b.code), f"{b.pertanyaan.kode if b.pertanyaan else ''} {b}".strip())
        for b in realisasi_bukti_choices(row)
    ]
    ctx: dict[str, Any] = {
        "penilaian": penilaian,
        "row": row,
        "triwulan": triwulan,
        "nama_triwulan": NAMA_TRIWULAN[triwulan - 1],
        "editable": True,
    }
    if request.method == "GET":
        initial: dict[str, Any] = {"status": "belum_mulai", "progres": 0, "versi": 0}
        if current is not None:
            initial = {
                "realisasi": current.realisasi,
                "progres": current.progres,
                "status": current.status,
                "kendala": current.kendala,
                "tindak_lanjut": current.tindak_lanjut,
                "bukti": [str(b.code) for b in current.bukti.all()],
                "versi": current.versi,
            }
        ctx["form"] = RealisasiRencanaAksiForm(initial=initial, bukti=choices)
        return render(request, "evidence/partials/_realisasi_form_row.html", ctx)
    form = RealisasiRencanaAksiForm(request.POST, bukti=choices)
    ctx["form"] = form
    if not form.is_valid():
        return render(request, "evidence/partials/_realisasi_form_row.html", ctx, status=422)
    data = form.cleaned_data
    try:
        realisasi_rencana_aksi_save(
            row=row,
            triwulan=triwulan,
            values={
                f: data[f] for f in ("realisasi", "progres", "status", "kendala", "tindak_lanjut")
            },
            bukti=data["bukti"],
            user=request.user,
            access=access,
            expected_versi=data["versi"],
        )
    except RealisasiDitolak as exc:
        ctx["errors"] = exc.messages
        return render(request, "evidence/partials/_realisasi_form_row.html", ctx, status=422)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Realisasi tersimpan."))
        assert row.indikator is not None
        return redirect(
            reverse("evidence:rencana_aksi", args=[penilaian.code, row.indikator.kode])
            + f"#rl-{row.code}"
        )
    return _realisasi_display(request, penilaian, _realisasi_row(penilaian, row_code), True)


# -- Rencana Kinerja Tahunan ------------------------------------------------------------


def _rkt_rw(access: UnitAccess, penilaian: Penilaian) -> None:
    if rkt_refusal(access, penilaian.unit, penilaian.tahun):
        raise PermissionDenied


def _rkt_initial(rkt: RencanaKinerjaTahunan | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if rkt is None:
        return {}, []
    header: dict[str, Any] = {f: getattr(rkt, f) for f in HEADER_FIELDS}
    header["versi"] = rkt.versi
    rows = []
    for s in rkt.sasaran.prefetch_related("indikator").order_by("urutan", "id"):
        for n, i in enumerate(s.indikator.all()):
            rows.append(
                {
                    "code": str(i.code),
                    "sasaran_nomor": s.nomor if n == 0 else "",
                    "sasaran": s.teks if n == 0 else "",
                    "nomor": i.nomor,
                    "indikator": i.nama,
                    "target": i.target_teks,
                    "utama": i.utama,
                    "berorientasi_hasil": i.berorientasi_hasil,
                    "tautan_zi": i.tautan_zi,
                }
            )
    return header, rows


@require_http_methods(["GET", "POST"])
@login_required
def rkt_ubah(request: HttpRequest, code: str) -> HttpResponse:
    """The RKT table in the seed's layout (No / Sasaran / Indikator / Target), editable."""
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.EDIT_RENCANA_AKSI)
    _rkt_rw(access, penilaian)
    rkt = rkt_for(penilaian.unit, penilaian.tahun)
    header, rows = _rkt_initial(rkt)
    errors: list[str] = []
    conflict = False
    if request.method == "POST":
        kepala = RktKepalaForm(request.POST)
        formset = RktBarisFormSet(request.POST, prefix="baris")
        if kepala.is_valid() and formset.is_valid():
            data = {f: kepala.cleaned_data[f] for f in HEADER_FIELDS}
            baris = [
                _baris_rkt(f.cleaned_data, n)
                for n, f in enumerate(formset.forms, start=1)
                if f.cleaned_data
            ]
            try:
                rkt_save(
                    unit=penilaian.unit,
                    tahun=penilaian.tahun,
                    header=data,
                    rows=baris,
                    user=request.user,
                    access=access,
                    expected_versi=kepala.cleaned_data.get("versi"),
                )
            except RktDitolak as exc:
                errors = exc.messages
            except RktKonflik:
                conflict = True
                errors = [
                    _(
                        "RKT ini telah diubah oleh pengguna lain. Muat ulang halaman lalu "
                        "ulangi perubahan Anda."
                    )
                ]
            else:
                messages.success(request, _("RKT tersimpan."))
                return redirect("scoring:rkt", code=penilaian.code)
        else:
            errors = [_("Periksa isian yang ditandai.")]
    else:
        kepala = RktKepalaForm(initial=header)
        formset = RktBarisFormSet(initial=rows, prefix="baris")
    return render(
        request,
        "evidence/rkt_ubah.html",
        {
            "penilaian": penilaian,
            "access": access,
            "kepala": kepala,
            "formset": formset,
            "errors": errors,
            "impor": RktImporForm(),
        },
        status=409 if conflict else (422 if errors else 200),
    )


def _baris_rkt(data: dict[str, Any], n: int) -> BarisRkt:
    return BarisRkt(
        code=data.get("code") or "",
        sasaran_nomor=data.get("sasaran_nomor") or "",
        sasaran=data.get("sasaran") or "",
        nomor=data.get("nomor") or "",
        indikator=data.get("indikator") or "",
        target=data.get("target") or "",
        utama=bool(data.get("utama")),
        berorientasi_hasil=bool(data.get("berorientasi_hasil")),
        tautan_zi=data.get("tautan_zi") or "",
        baris=n,
    )


@require_POST
@login_required
def rkt_impor(request: HttpRequest, code: str) -> HttpResponse:
    penilaian, access = get_penilaian_for_user(request.user, code, Izin.EDIT_RENCANA_AKSI)
    _rkt_rw(access, penilaian)
    form = RktImporForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas Excel (.xlsx) untuk diimpor."))
        return redirect("evidence:rkt_ubah", code=penilaian.code)
    try:
        rkt = rkt_import(
            unit=penilaian.unit,
            tahun=penilaian.tahun,
            upload=form.cleaned_data["berkas"],
            user=request.user,
            access=access,
        )
    except RktDitolak as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect("evidence:rkt_ubah", code=penilaian.code)
    n = IndikatorKinerja.objects.filter(sasaran__rkt=rkt).count()
    messages.success(request, _("%(n)d indikator kinerja diimpor dari Excel.") % {"n": n})
    return redirect("scoring:rkt", code=penilaian.code)


@require_POST
@login_required
def rkt_realisasi(request: HttpRequest, code: str, indikator_code: str) -> HttpResponse:
    """Store one quarter's realisasi of an indikator kinerja, with its bukti."""
    penilaian, access = get_penilaian_for_user(request.user, code)
    try:
        indikator = IndikatorKinerja.objects.select_related("sasaran__rkt__unit").get(
            code=indikator_code,
            sasaran__rkt__unit=penilaian.unit,
            sasaran__rkt__tahun=penilaian.tahun,
        )
    except (IndikatorKinerja.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    _rkt_rw(access, penilaian)
    form = RealisasiForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Periksa isian realisasi: pilih triwulan I-IV."))
        return redirect("scoring:rkt", code=penilaian.code)
    data = form.cleaned_data
    try:
        realisasi_save(
            indikator=indikator,
            triwulan=data["triwulan"],
            nilai=data["nilai"],
            teks=data["teks"],
            tercapai=form.tercapai_value(),
            catatan=data["catatan"],
            files=data["berkas"],
            tanggal_efektif=data["tanggal_efektif"],
            kunci=data["kunci"] or "",
            user=request.user,
            access=access,
        )
    except (RktDitolak, BuktiDitolak) as exc:
        messages.error(request, f"{indikator.nomor} {indikator.nama[:60]}: {exc}")
    else:
        messages.success(request, _("Realisasi tersimpan."))
    return redirect(reverse("scoring:rkt", args=[penilaian.code]) + f"#ik-{indikator.code}")


# -- starting the next year (issue 16 part 2) -------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def tahun_baru(request: HttpRequest, code: str) -> HttpResponse:
    """Start the unit's next penilaian year from this one's page (admin)."""
    from evidence.forms import TahunBaruForm
    from evidence.tahun_baru import penilaian_tahun_baru
    from lke.models import ModelPenilaian

    penilaian, access = get_penilaian_for_user(request.user, code, Izin.MULAI_TAHUN)
    latest = Penilaian.objects.filter(unit=penilaian.unit).order_by("-tahun").first()
    default_model = ModelPenilaian.objects.filter(bawaan=True).first() or penilaian.model
    form = TahunBaruForm(
        request.POST or None,
        initial={
            "tahun": (latest.tahun if latest else penilaian.tahun) + 1,
            "model": default_model.pk,
            "salin_rencana_aksi": True,
        },
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = penilaian_tahun_baru(
                unit=penilaian.unit,
                tahun=form.cleaned_data["tahun"],
                model=form.cleaned_data["model"],
                salin_rencana_aksi=form.cleaned_data["salin_rencana_aksi"],
                bawa_bukti=form.cleaned_data["bawa_bukti"],
                user=request.user,
                access=access,
            )
        except BuktiDitolak as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Penilaian tahun %(tahun)d dimulai: %(ra)d baris rencana aksi disalin, "
                    "%(bukti)d bukti dibawa sebagai perlu dicek ulang."
                )
                % {
                    "tahun": result.penilaian.tahun,
                    "ra": result.rencana_aksi,
                    "bukti": result.bukti,
                },
            )
            return redirect("scoring:dashboard", code=result.penilaian.code)
    return render(
        request,
        "evidence/tahun_baru.html",
        {"penilaian": penilaian, "form": form, "error": error},
        status=422 if (error or form.errors) else 200,
    )
