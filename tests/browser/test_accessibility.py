"""Issue 13 part 3: axe-core finds no WCAG 2.1 A/AA violation on any page of any role.

axe-core is vendored (tests/browser/assets/, see its README) and injected with
`page.evaluate()`: DevTools evaluates it outside the page's Content-Security-Policy, so the
policy stays on (the test checks the header of every page it audits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from documents.models import ExportJob, JenisEkspor
from lke.models import Indikator, Penilaian, StatusPenilaian
from zi_portal.middleware import PAGE_CSP

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "assets" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 8).map(n => n.target.join(' ')),
  }));
}"""


def audit(page: Any, url: str) -> list[str]:
    """Open `url`, check that the page CSP is on, run axe; the violations as lines."""
    response = page.goto(url)
    assert response is not None
    assert response.headers.get("content-security-policy") == PAGE_CSP, url
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    return [
        f"{url}: {v['id']} ({v['impact']}) {v['help']} -> {', '.join(v['targets'])}"
        for v in violations
    ]


def _pages(role: str) -> list[str]:
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    pusat_tik = Penilaian.objects.get(unit__slug="pusat-tik")
    # A penilaian under TPI review, so the reviu and hasil pages are the editable ones.
    Penilaian.objects.filter(pk=pusat_tik.pk).update(status=StatusPenilaian.REVIU_TPI)
    indikator = Indikator.objects.filter(area__model=biro_hp.model).order_by("pk").first()
    assert indikator is not None

    def unit_pages(p: Penilaian) -> list[str]:
        code = p.code
        return [
            reverse("scoring:dashboard", args=[code]),
            reverse("scoring:worksheet", args=[code, 1]),
            reverse("scoring:worksheet", args=[code, 3]),
            reverse("evidence:rencana_aksi", args=[code, indikator.kode]),
            reverse("scoring:skor", args=[code]),
            reverse("scoring:riwayat", args=[code]),
            reverse("documents:rencana_kerja", args=[code]),
            reverse("scoring:rkt", args=[code]),
            reverse("scoring:syarat", args=[code]),
        ]

    common = [reverse("home"), reverse("notifikasi")]
    if role == "tim.biro-hp":
        user = get_user_model().objects.get(username=role)
        job = ExportJob.objects.create(
            owner=user,
            penilaian=biro_hp,
            jenis=JenisEkspor.LKE_XLSX,
            kedaluwarsa=timezone.now() + dt.timedelta(days=1),
        )
        return [
            *common,
            *unit_pages(biro_hp),
            reverse("scoring:ajukan", args=[biro_hp.code]),
            reverse("evidence:rkt_ubah", args=[biro_hp.code]),
            reverse("documents:impor", args=[biro_hp.code]),
            reverse("ekspor:halaman", args=[job.id]),
        ]
    if role == "tpi.mk":
        return [
            *common,
            reverse("scoring:antrean"),
            reverse("scoring:instansi", args=["mk"]),
            *unit_pages(pusat_tik),
            reverse("scoring:reviu", args=[pusat_tik.code, 1]),
            reverse("scoring:hasil", args=[pusat_tik.code]),
        ]
    if role == "pimpinan.biro-hp":
        return [*common, *unit_pages(biro_hp)]
    if role == "pimpinan.mk":  # pimpinan instansi: the Tabel 5 and penetapan forms
        return [
            *common,
            reverse("scoring:syarat", args=[biro_hp.code]),
            reverse("scoring:syarat", args=[pusat_tik.code]),
            reverse("scoring:dashboard", args=[biro_hp.code]),
            reverse("scoring:instansi", args=["mk"]),
        ]
    # The admin: the portal pages of a unit under review, with the TPI's view of them.
    return [
        *common,
        reverse("scoring:dashboard", args=[pusat_tik.code]),
        reverse("scoring:worksheet", args=[pusat_tik.code, 1]),
        reverse("scoring:skor", args=[pusat_tik.code]),
        reverse("scoring:riwayat", args=[pusat_tik.code]),
        reverse("scoring:instansi", args=["kemenkumham"]),
        # The 10/2019 score page: model notices, unverified rules, no per-area lines.
        reverse("scoring:skor", args=[Penilaian.objects.get(unit__slug="bkkbn-sumsel").code]),
        *(
            reverse("scoring:syarat", args=[p.code])
            for p in Penilaian.objects.exclude(pk=biro_hp.pk).order_by("unit__slug")
        ),
    ]


@pytest.mark.parametrize(
    "role", ["tim.biro-hp", "tpi.mk", "pimpinan.biro-hp", "pimpinan.mk", "admin"]
)
def test_every_page_of_the_role_has_no_wcag_violation(
    role: str, browser_login: Callable[[str], Any], demo_live_server: Any
) -> None:
    page = browser_login(role)
    base = demo_live_server.url
    problems = [line for url in _pages(role) for line in audit(page, base + url)]
    assert not problems, "\n".join(problems)


def test_public_and_error_pages_have_no_wcag_violation(page: Any, demo_live_server: Any) -> None:
    from documents.models import DokumenTertandatangan

    base = demo_live_server.url
    urls = [reverse("login"), "/tidak-ada/"]
    dokumen = DokumenTertandatangan.objects.order_by("pk").first()
    assert dokumen is not None, "the demo's signed rencana kerja"
    urls.append(reverse("verifikasi:detail", args=[dokumen.code]))
    problems = [line for url in urls for line in audit(page, base + url)]
    assert not problems, "\n".join(problems)
