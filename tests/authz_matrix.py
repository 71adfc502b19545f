"""Building blocks of the authorization matrix (tests/test_authorization_matrix.py).

The matrix states, per URL name, which requests to make and what each *relation* between
the requesting user and the object gets. The relation follows from the demo role and the
*scope* of the objects the URL is built from:

| scope     | objects                                           | admin | tim.biro-hp | pimpinan.biro-hp | tpi.mk   | tim.rutan-kupang |
|-----------|---------------------------------------------------|-------|-------------|------------------|----------|------------------|
| `own`     | Biro HP 2022 (MK)                                 | admin | tim         | pimpinan         | tpi      | outsider         |
| `sibling` | Pusat TIK 2022 (MK, covered by the MK-wide TPI)   | admin | outsider    | outsider         | tpi      | outsider         |
| `other`   | Rutan Kupang 2024 (Kemenkumham)                   | admin | outsider    | outsider         | outsider | tim              |
| `cross`   | Biro HP penilaian with a Rutan Kupang object or a | foreign (every signed-in user)                                      |
|           | question of another LKE model in the URL, or a    |                                                                     |
|           | colleague's export job                            |                                                                     |
| `-`       | URLs without unit objects                         | admin | tim         | pimpinan         | tpi      | tim              |

Anonymous requests are the relation `anon` in every scope.

Three outside evaluators (issue 16 part 4; not demo users: the seeds name none, so the
scene makes them) hold a grant (units.AksesEvaluator) on Biro HP 2022 and 2024:
`evaluator.aktif` inside its period (relation `evaluator`: read yes, write 403),
`evaluator.berakhir` whose end date was yesterday and `evaluator.belum` whose start date
is tomorrow (both `outsider` in every scope: 404 everywhere, files and export downloads
included). In the scope `-` all three are the signed-in relation `evaluator`.
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.http import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from documents.models import DokumenTertandatangan, ExportJob, JenisEkspor, StatusEkspor
from evidence.models import Bukti, RencanaAksi, RencanaKerja
from evidence.services import bukti_upload
from lke.models import Penilaian, Pertanyaan
from scoring.models import Jawaban
from tests.evidence.files import PDF, pdf
from units.access import tanggal_akses
from units.models import AksesEvaluator, JenisEvaluator, Keanggotaan, Peran, UnitKerja

# -- outcomes ---------------------------------------------------------------------------

Outcome = int | str
LOGIN = "302 to /accounts/login/?next="
ADMIN_LOGIN = "302 to /admin/login/?next="
REDIRECT = "302 elsewhere"  # a redirect after an action, not a login prompt
REDIRECT_CODES = {301, 302, 303, 307, 308}


def outcome_of(response: HttpResponseBase) -> Outcome:
    """The response as the matrix names it: a status, or which kind of redirect."""
    if response.status_code not in REDIRECT_CODES:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("login") + "?next="):
        return LOGIN
    if location.startswith(reverse("admin:login") + "?next="):
        return ADMIN_LOGIN
    return REDIRECT


# -- roles, scopes and relations --------------------------------------------------------

ANONYMOUS = "anonymous"
EVALUATOR_AKTIF, EVALUATOR_BERAKHIR, EVALUATOR_BELUM = (
    "evaluator.aktif",
    "evaluator.berakhir",
    "evaluator.belum",
)
EVALUATORS = (EVALUATOR_AKTIF, EVALUATOR_BERAKHIR, EVALUATOR_BELUM)
ROLES = (
    ANONYMOUS,
    "admin",
    "tim.biro-hp",
    "pimpinan.biro-hp",
    "tpi.mk",
    "tim.rutan-kupang",
    *EVALUATORS,
)
OWN, SIBLING, OTHER, CROSS, NONE = "own", "sibling", "other", "cross", "-"
SCOPED = (OWN, SIBLING, OTHER)
SCOPED_WITH_CROSS = (OWN, SIBLING, OTHER, CROSS)
UNSCOPED = (NONE,)

UNIT_OF_SCOPE = {
    OWN: "biro-hp",
    SIBLING: "pusat-tik",
    OTHER: "rutan-kupang",
    CROSS: "biro-hp",
    NONE: "biro-hp",
}

_SIGNED_IN = {role: "foreign" for role in ROLES if role != ANONYMOUS}
_OUTSIDE = {role: "outsider" for role in EVALUATORS}
RELATION: dict[str, dict[str, str]] = {
    OWN: {
        ANONYMOUS: "anon",
        "admin": "admin",
        "tim.biro-hp": "tim",
        "pimpinan.biro-hp": "pimpinan",
        "tpi.mk": "tpi",
        "tim.rutan-kupang": "outsider",
        EVALUATOR_AKTIF: "evaluator",
        EVALUATOR_BERAKHIR: "outsider",
        EVALUATOR_BELUM: "outsider",
    },
    SIBLING: {
        ANONYMOUS: "anon",
        "admin": "admin",
        "tim.biro-hp": "outsider",
        "pimpinan.biro-hp": "outsider",
        "tpi.mk": "tpi",
        "tim.rutan-kupang": "outsider",
        **_OUTSIDE,
    },
    OTHER: {
        ANONYMOUS: "anon",
        "admin": "admin",
        "tim.biro-hp": "outsider",
        "pimpinan.biro-hp": "outsider",
        "tpi.mk": "outsider",
        "tim.rutan-kupang": "tim",
        **_OUTSIDE,
    },
    CROSS: {ANONYMOUS: "anon", **_SIGNED_IN},
    NONE: {
        ANONYMOUS: "anon",
        "admin": "admin",
        "tim.biro-hp": "tim",
        "pimpinan.biro-hp": "pimpinan",
        "tpi.mk": "tpi",
        "tim.rutan-kupang": "tim",
        **{role: "evaluator" for role in EVALUATORS},
    },
}


@dataclass(frozen=True)
class Expect:
    """The outcome per relation. Defaults: the access rules' login prompt and 404s."""

    admin: Outcome
    tim: Outcome
    pimpinan: Outcome
    tpi: Outcome
    anon: Outcome = LOGIN
    outsider: Outcome = 404  # no role in the unit: its existence is not revealed
    foreign: Outcome = 404  # an object that is not part of the penilaian in the URL
    evaluator: Outcome = 403  # an outside evaluator inside its grant: read-only

    def for_relation(self, relation: str) -> Outcome:
        value: Outcome = getattr(self, relation)
        return value


def everyone(outcome: Outcome) -> Expect:
    """The same outcome for every relation, anonymous included."""
    return Expect(outcome, outcome, outcome, outcome, outcome, outcome, outcome, outcome)


def members(outcome: Outcome) -> Expect:
    """Every role of the unit and an outside evaluator inside its grant get `outcome`;
    outsiders 404, anonymous the login page."""
    return Expect(admin=outcome, tim=outcome, pimpinan=outcome, tpi=outcome, evaluator=outcome)


# -- the objects a URL is built from ----------------------------------------------------


def _user(username: str) -> User:
    user: User = get_user_model().objects.get(username=username)
    return user


# Each evaluator's period as days from today (Asia/Jakarta): inside, ended, not started.
EVALUATOR_PERIODS = {
    EVALUATOR_AKTIF: (-10, 20),
    EVALUATOR_BERAKHIR: (-30, -1),
    EVALUATOR_BELUM: (1, 30),
}
EVALUATOR_YEARS = (2022, 2024)  # Biro HP 2022, and 2024 for the penetapan SK's penilaian


def evaluator_user(username: str) -> User:
    """An outside evaluator with grants on Biro HP (EVALUATOR_YEARS) for its period."""
    evaluator: User = get_user_model().objects.create_user(username=username)
    unit = UnitKerja.objects.get(slug="biro-hp")
    today = tanggal_akses()
    start, end = EVALUATOR_PERIODS[username]
    for tahun in EVALUATOR_YEARS:
        AksesEvaluator.objects.create(
            user=evaluator,
            jenis=JenisEvaluator.TPN,
            unit=unit,
            tahun=tahun,
            mulai=today + dt.timedelta(days=start),
            selesai=today + dt.timedelta(days=end),
        )
    return evaluator


class Scene:
    """Real objects of one scope, created on first use inside the test's transaction."""

    def __init__(self, scope: str, role: str) -> None:
        self.scope = scope
        self.role = role
        self.slug = UNIT_OF_SCOPE[scope]

    @cached_property
    def requester(self) -> User | None:
        if self.role == ANONYMOUS:
            return None
        return evaluator_user(self.role) if self.role in EVALUATORS else _user(self.role)

    @cached_property
    def penilaian(self) -> Penilaian:
        return Penilaian.objects.select_related("model", "unit").get(unit__slug=self.slug)

    @cached_property
    def foreign(self) -> Scene:
        """Objects of another unit, put into this scope's URLs by the `cross` scope."""
        return Scene(OTHER, self.role)

    @cached_property
    def tim(self) -> User:
        return _user(f"tim.{self.slug}")

    @cached_property
    def question(self) -> Pertanyaan:
        questions = Pertanyaan.objects.select_related("indikator__area")
        if self.scope == CROSS:  # a question of another LKE model
            foreign = questions.exclude(model=self.penilaian.model).order_by("pk").first()
            assert foreign is not None
            return foreign
        return questions.get(model=self.penilaian.model, kode="A.I.1.i.a")

    @cached_property
    def bukti(self) -> Bukti:
        if self.scope == CROSS:
            return self.foreign.bukti
        (stored,) = bukti_upload(
            penilaian=self.penilaian,
            pertanyaan=self.question,
            files=[pdf("sk-tim.pdf")],
            user=self.tim,
            tanggal_efektif=dt.date(self.penilaian.tahun, 3, 1),
        )
        return stored

    @cached_property
    def row(self) -> RencanaAksi:
        if self.scope == CROSS:
            return self.foreign.row
        row = (
            RencanaAksi.objects.filter(penilaian=self.penilaian, indikator__isnull=False)
            .order_by("urutan", "id")
            .first()
        )
        if row is None:  # Rutan Kupang's demo data has data dukung, no Tabel 1 rows
            row = RencanaAksi.objects.create(
                penilaian=self.penilaian,
                indikator=self.question.indikator,
                rencana_aksi="Sosialisasi kode etik pegawai",
            )
        return row

    @cached_property
    def rk(self) -> RencanaKerja:
        rk, _created = RencanaKerja.objects.get_or_create(
            penilaian=self.penilaian, defaults={"kota": self.penilaian.unit.kota}
        )
        return rk

    @cached_property
    def dokumen(self) -> DokumenTertandatangan:
        """The signed rencana kerja (the demo signs Biro HP's; others get a stored PDF)."""
        if self.scope == CROSS:
            return self.foreign.dokumen
        existing = DokumenTertandatangan.objects.filter(rencana_kerja__penilaian=self.penilaian)
        found = existing.order_by("-ditandatangani_pada").first()
        if found is not None:
            return found
        return DokumenTertandatangan.objects.create(
            rencana_kerja=self.rk,
            berkas=ContentFile(PDF, name="dokumen.pdf"),
            sha256=hashlib.sha256(PDF).hexdigest(),
            ukuran=len(PDF),
            penandatangan=_user(f"pimpinan.{self.slug}"),
            nama_penandatangan="Pimpinan",
            subjek_sertifikat="CN=Uji",
            ditandatangani_pada=timezone.now(),
        )

    @cached_property
    def job_owner(self) -> User:
        """The requester (their own job), or in `cross` a colleague with a role in the unit."""
        if self.scope == CROSS:
            colleague = get_user_model().objects.create_user(username="rekan.biro-hp")
            Keanggotaan.objects.create(
                user=colleague, unit=self.penilaian.unit, peran=Peran.TIM_KERJA
            )
            return colleague
        return self.requester or self.tim

    @cached_property
    def job(self) -> ExportJob:
        """A finished LKE export with its file."""
        job = ExportJob(
            owner=self.job_owner,
            penilaian=self.penilaian,
            jenis=JenisEkspor.LKE_XLSX,
            status=StatusEkspor.SELESAI,
            progress=100,
            nama_berkas="lke.xlsx",
            selesai_pada=timezone.now(),
            kedaluwarsa=timezone.now() + dt.timedelta(days=1),
        )
        job.berkas.save("lke.xlsx", ContentFile(b"PK\x03\x04 uji"), save=False)
        job.save()
        return job

    def jawaban_versi(self, set_: str) -> int:
        versi = (
            Jawaban.objects.filter(penilaian=self.penilaian, set=set_, pertanyaan=self.question)
            .values_list("versi", flat=True)
            .first()
        )
        return versi or 0

    def set_status(self, status: str) -> None:
        Penilaian.objects.filter(pk=self.penilaian.pk).update(status=status)
        self.penilaian.status = status


Builder = Callable[[Scene], dict[str, Any]]


def no_kwargs(scene: Scene) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Check:
    """One request to make against a URL, and its expected outcome per relation."""

    method: str
    expect: Expect
    data: Builder | None = None
    prepare: Callable[[Scene], None] | None = None
    htmx: bool = False
    label: str = ""
    kwargs: Builder | None = None  # overrides the route's kwargs
    scopes: tuple[str, ...] | None = None  # overrides the route's scopes
    query: str = ""  # appended to the URL after "?"


@dataclass(frozen=True)
class Route:
    kwargs: Builder
    scopes: tuple[str, ...]
    checks: tuple[Check, ...] = field(default_factory=tuple)


def wrong_method(method: str) -> Check:
    """The decorators refuse the method before anything else, for everyone."""
    return Check(method, everyone(405), label="wrong method", scopes=(OWN,))


@dataclass(frozen=True)
class Cell:
    route: str
    check: Check
    scope: str
    role: str
    expected: Outcome

    @property
    def id(self) -> str:
        label = f"[{self.check.label}]" if self.check.label else ""
        return f"{self.route}|{self.check.method}{label}|{self.scope}|{self.role}"


def cells(matrix: dict[str, Route]) -> Iterator[Cell]:
    for name, route in matrix.items():
        for check in route.checks:
            scopes = check.scopes if check.scopes is not None else route.scopes
            if route.scopes == UNSCOPED:
                scopes = UNSCOPED
            for scope in scopes:
                for role in ROLES:
                    relation = RELATION[scope][role]
                    yield Cell(name, check, scope, role, check.expect.for_relation(relation))


# -- the URL resolver -------------------------------------------------------------------


def resolver_routes() -> dict[str, str]:
    """Every route of the project by its full name (`namespace:name`), with its pattern.

    Routes without a name get `<unnamed pattern>` so that they cannot slip through.
    """
    found: dict[str, str] = {}

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                walk(pattern.url_patterns, ns or "", route)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {route}>"
                found[f"{namespace}:{name}" if namespace else name] = route

    walk(get_resolver().url_patterns, "", "/")
    return found
