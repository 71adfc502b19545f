"""Load test of ZI Portal: tim kerja filling in the LKE, TPI browsing.

Run through `bench/load/run.py` (it starts the app under gunicorn with PostgreSQL, Redis
and a Celery worker, then this file headless). Standalone, against a server that already
runs with the demo data:

    .venv/bin/locust -f bench/load/locustfile.py --headless -u 50 -r 5 -t 5m \
        --host http://127.0.0.1:8100

Every simulated user logs in with its own session as one of the demo users and finds its
penilaian by following the links of the home page, as a person would. Tim kerja users are
spread round-robin over the four units; `TpiBrowser` users (tpi.mk) only read.

Environment (all optional):
  LOAD_PASSWORD       demo password (default demo-zi-2026)
  LOAD_UPLOAD_LOG     JSON-lines file: one line per evidence file sent (name, SHA-256,
                      size, outcome), for the integrity check after the run
  LOAD_REQUEST_LOG    CSV file: one line per request (end time, name, ms, status, failed)
  LOAD_SUMMARY        JSON file written at the end with counters that Locust's own
                      statistics do not hold (409 conflicts, exports, downloads checked)
  LOAD_TPI_USERS      how many of the users are TPI browsers (default 4)
  LOAD_EXPORT_WAIT_S  how long a user watches one export's progress page (default 180)

Outcomes counted as failures: any status other than the expected one, a page without the
element it must have, a download whose bytes differ from what was uploaded, an export
that ends `gagal`. A 409 on an answer save is an expected outcome of concurrent editing
(the user then saves again over the newer version, as the page asks); it is counted, not
failed.
"""

# ruff: noqa: S311 (pseudo-random choices simulate users; file contents use os.urandom)
from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gevent import GreenletExit
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-zi-2026")
TIM_USERS = ["tim.biro-hp", "tim.pusat-tik", "tim.rutan-kupang", "tim.bkkbn-sumsel"]
TPI_USER = "tpi.mk"
EXPORT_WAIT_S = float(os.environ.get("LOAD_EXPORT_WAIT_S", "180"))
UPLOAD_LOG = os.environ.get("LOAD_UPLOAD_LOG", "")
SUMMARY_FILE = os.environ.get("LOAD_SUMMARY", "")

# -- shared counters -------------------------------------------------------------------

COUNTS: Counter[str] = Counter()
_LOCK = threading.Lock()  # gevent-patched: a cheap no-op between greenlets
_UPLOAD_FH: io.TextIOWrapper | None = None
_USER_SEQ = itertools.count()


def _count(key: str, n: int = 1) -> None:
    COUNTS[key] += n


def _log_upload(record: dict[str, Any]) -> None:
    global _UPLOAD_FH
    if not UPLOAD_LOG:
        return
    with _LOCK:
        if _UPLOAD_FH is None:
            _UPLOAD_FH = open(UPLOAD_LOG, "a", encoding="utf-8")  # noqa: SIM115
        _UPLOAD_FH.write(json.dumps(record, sort_keys=True) + "\n")
        _UPLOAD_FH.flush()


REQUEST_LOG = os.environ.get("LOAD_REQUEST_LOG", "")
_REQUEST_FH: io.TextIOWrapper | None = None


@events.request.add_listener
def _log_request(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None,
    response: Any = None,
    **_kw: Any,
) -> None:
    """Every request with its exact time, for per-minute and steady-state percentiles."""
    global _REQUEST_FH
    if not REQUEST_LOG:
        return
    if _REQUEST_FH is None:
        _REQUEST_FH = open(REQUEST_LOG, "w", encoding="utf-8")  # noqa: SIM115
        _REQUEST_FH.write("end_ts,method,name,ms,status,failed\n")
    status = getattr(response, "status_code", 0) if response is not None else 0
    name = name.replace('"', "'")
    _REQUEST_FH.write(
        f'{time.time():.3f},{request_type},"{name}",{response_time:.1f},{status},'
        f"{int(exception is not None)}\n"
    )


@events.quitting.add_listener
def _write_summary(environment: Any, **_kw: Any) -> None:
    if _UPLOAD_FH is not None:
        _UPLOAD_FH.close()
    if _REQUEST_FH is not None:
        _REQUEST_FH.close()
    if SUMMARY_FILE:
        with open(SUMMARY_FILE, "w", encoding="utf-8") as fh:
            json.dump(dict(sorted(COUNTS.items())), fh, indent=2)


# -- page parsing ----------------------------------------------------------------------

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
RE_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RE_DASHBOARD = re.compile(rf'href="/penilaian/({UUID})/"')
RE_AREA = re.compile(rf'href="/penilaian/({UUID})/area/(\d+)/"')
RE_RA = re.compile(rf'href="(/penilaian/{UUID}/indikator/[^"/]+/rencana-aksi/)"')
RE_ARTICLE = re.compile(r'<article class="card mb-3 question-card[^"]*" id="q-(\d+)"')
RE_VERSI = re.compile(r'name="versi" value="(\d+)"')
RE_OPSI = re.compile(r'name="opsi" id="[^"]+" value="([^"]+)"')
RE_ANGKA = re.compile(r'name="angka_([^"]+)"')
RE_BUKTI_LINK = re.compile(
    rf'href="(/penilaian/{UUID}/bukti/{UUID}/)"[^>]*>\s*<i[^>]*></i>\s*([^<]+?)\s*</a>'
)
RE_EXPORT_JOB = re.compile(rf"/ekspor/({UUID})/$")
RE_STATUS = re.compile(r'id="ekspor-status" data-status="([a-z_]+)"')


@dataclass
class Question:
    pk: int
    versi: int
    opsi: list[str]
    angka: list[str]
    editable: bool
    can_upload: bool


@dataclass
class Page:
    url: str
    csrf: str
    questions: dict[int, Question] = field(default_factory=dict)
    bukti_links: list[tuple[str, str]] = field(default_factory=list)
    rencana_aksi_links: list[str] = field(default_factory=list)


def parse_question(chunk: str, pk: int) -> Question:
    versi = RE_VERSI.search(chunk)
    # A read-only card has its fieldset/inputs disabled and no submit button.
    editable = "Simpan jawaban" in chunk or 'type="submit" class="btn btn-zi' in chunk
    return Question(
        pk=pk,
        versi=int(versi.group(1)) if versi else 0,
        opsi=RE_OPSI.findall(chunk),
        angka=RE_ANGKA.findall(chunk),
        editable=editable,
        can_upload=f"/pertanyaan/{pk}/bukti/" in chunk,
    )


def parse_worksheet(url: str, html: str) -> Page:
    csrf = RE_CSRF.search(html)
    page = Page(url=url, csrf=csrf.group(1) if csrf else "")
    starts = [(m.start(), int(m.group(1))) for m in RE_ARTICLE.finditer(html)]
    for i, (pos, pk) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(html)
        page.questions[pk] = parse_question(html[pos:end], pk)
    page.bukti_links = RE_BUKTI_LINK.findall(html)
    page.rencana_aksi_links = sorted(set(RE_RA.findall(html)))
    return page


# -- evidence files --------------------------------------------------------------------


def random_pdf(size: int) -> bytes:
    """A well-formed PDF (one blank page) carrying `size` random bytes in an unused
    stream, so every file is unique and incompressible."""
    payload = os.urandom(size)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Length " + str(len(payload)).encode() + b" >>\nstream\n" + payload + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n% zi-portal load test " + uuid.uuid4().hex.encode() + b"\n"
    )
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def random_png(pixels: int) -> bytes:
    """A genuine PNG of random noise (a 'photo' that cannot be compressed)."""
    from PIL import Image

    width = max(16, int((pixels * 4 / 3) ** 0.5))
    height = max(16, pixels // width)
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def make_evidence() -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of a new unique evidence file."""
    token = uuid.uuid4().hex
    if random.random() < 0.7:
        # 20 KB .. 4 MB, log-uniform: mostly scans of a few hundred KB, some larger
        # than FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) so the temp-file path is used too.
        size = int(10 ** random.uniform(4.3, 6.6))
        return f"load-{token}.pdf", random_pdf(size), "application/pdf"
    pixels = int(10 ** random.uniform(4.0, 5.6))
    return f"load-{token}.png", random_png(pixels), "image/png"


# -- users -----------------------------------------------------------------------------


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    username = ""

    def on_start(self) -> None:
        self.client.headers["User-Agent"] = "zi-portal-load-test"
        self.penilaian: list[str] = []
        self.areas: dict[str, list[int]] = {}
        self.page: Page | None = None
        self.login()
        self.discover()

    # -- helpers

    def get_page(self, url: str, name: str, must: str = "") -> str | None:
        with self.client.get(url, name=name, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")
                return None
            if must and must not in resp.text:
                resp.failure(f"page lacks {must!r}")
                return None
            resp.success()
            return resp.text

    def htmx_headers(self, target: str, csrf: str) -> dict[str, str]:
        headers = {"HX-Request": "true", "HX-Target": target, "X-CSRFToken": csrf}
        if self.page:
            headers["HX-Current-URL"] = self.client.base_url + self.page.url
            headers["Referer"] = self.client.base_url + self.page.url
        return headers

    def login(self) -> None:
        html = self.get_page("/accounts/login/", "/accounts/login/ [GET]", "csrfmiddlewaretoken")
        if html is None:
            raise StopUser()
        token = RE_CSRF.search(html)
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            name="/accounts/login/ [POST]",
            catch_response=True,
        ) as resp:
            # Redirected to the home page, which lists the user's units.
            if resp.status_code != 200 or 'data-unit="' not in resp.text:
                resp.failure(f"login as {self.username} failed (HTTP {resp.status_code})")
                raise StopUser()
            resp.success()
            _count(f"login:{self.username}")
            self.home_html = resp.text

    def discover(self) -> None:
        self.penilaian = sorted(set(RE_DASHBOARD.findall(self.home_html)))
        if not self.penilaian:
            _count("error:no_penilaian_on_home")
            raise StopUser()
        for code in self.penilaian:
            html = self.get_page(f"/penilaian/{code}/", "/penilaian/[code]/", "data-area-progress")
            if html is None:
                continue
            self.areas[code] = sorted({int(n) for c, n in RE_AREA.findall(html) if c == code})

    def pick(self) -> tuple[str, int]:
        code = random.choice(self.penilaian)
        return code, random.choice(self.areas.get(code) or [1])

    def open_worksheet(self, code: str | None = None, nomor: int | None = None) -> Page | None:
        if code is None or nomor is None:
            code, nomor = self.pick()
        url = f"/penilaian/{code}/area/{nomor}/"
        html = self.get_page(url, "/penilaian/[code]/area/[n]/", "question-card")
        if html is None:
            return None
        self.page = parse_worksheet(url, html)
        self.page_code = code
        return self.page

    # -- read-only tasks shared by everyone

    @task(2)
    def home(self) -> None:
        self.get_page("/", "/ (home)", 'data-unit="')

    @task(3)
    def dashboard(self) -> None:
        code = random.choice(self.penilaian)
        self.get_page(f"/penilaian/{code}/", "/penilaian/[code]/", "data-area-progress")

    @task(10)
    def browse_worksheet(self) -> None:
        self.open_worksheet()

    @task(1)
    def score_page(self) -> None:
        code = random.choice(self.penilaian)
        self.get_page(f"/penilaian/{code}/skor/", "/penilaian/[code]/skor/")

    @task(1)
    def rencana_aksi(self) -> None:
        page = self.page or self.open_worksheet()
        if page and page.rencana_aksi_links:
            self.get_page(
                random.choice(page.rencana_aksi_links),
                "/penilaian/[code]/indikator/[kode]/rencana-aksi/",
            )


class TimKerja(PortalUser):
    """A member of a unit's tim kerja filling in the penilaian mandiri."""

    weight = 1

    def on_start(self) -> None:
        self.username = TIM_USERS[next(_USER_SEQ) % len(TIM_USERS)]
        self.uploaded: dict[str, str] = {}  # file name -> sha256 of what this user sent
        super().on_start()

    def editable_question(self, *, upload: bool = False) -> Question | None:
        page = self.page or self.open_worksheet()
        if page is None:
            return None
        candidates = [
            q for q in page.questions.values() if (q.can_upload if upload else q.editable)
        ]
        if not candidates:
            _count("skipped:no_editable_question")
            return None
        return random.choice(candidates)

    @task(6)
    def save_answer(self) -> None:
        # A person reads the area first, then answers one question on it.
        if self.page is None or random.random() < 0.3:
            self.open_worksheet()
        q = self.editable_question()
        if q is None or self.page is None:
            return
        if q.angka:
            values = {f"angka_{k}": str(random.randint(0, 200)) for k in q.angka}
            opsi = ""
        elif q.opsi:
            values, opsi = {}, random.choice(q.opsi)
        else:
            _count("skipped:question_without_inputs")
            return
        catatan = f"Diisi uji beban {uuid.uuid4().hex[:12]}"
        url = f"/penilaian/{self.page_code}/jawaban/{q.pk}/"
        for attempt in (1, 2):
            data = {
                "csrfmiddlewaretoken": self.page.csrf,
                "versi": str(q.versi),
                "opsi": opsi,
                "catatan": catatan,
                **values,
            }
            name = "/penilaian/[code]/jawaban/[id]/" + (
                " (retry after 409)" if attempt == 2 else ""
            )
            with self.client.post(
                url,
                data=data,
                headers=self.htmx_headers(f"q-{q.pk}", self.page.csrf),
                name=name,
                catch_response=True,
                allow_redirects=False,
            ) as resp:
                new_versi = RE_VERSI.search(resp.text or "")
                if resp.status_code == 200 and "Jawaban tersimpan" in resp.text:
                    resp.success()
                    _count("answer_saved")
                    if new_versi:
                        q.versi = int(new_versi.group(1))
                    return
                if resp.status_code == 409:
                    # Someone of the same unit saved this question meanwhile: expected.
                    resp.success()
                    _count("answer_conflict_409")
                    if new_versi:
                        q.versi = int(new_versi.group(1))
                    continue
                resp.failure(f"HTTP {resp.status_code}")
                _count(f"answer_failed_{resp.status_code}")
                return
        _count("answer_conflict_twice")

    @task(3)
    def upload_evidence(self) -> None:
        if self.page is None or random.random() < 0.3:
            self.open_worksheet()
        q = self.editable_question(upload=True)
        if q is None or self.page is None:
            return
        files = [make_evidence() for _ in range(2 if random.random() < 0.2 else 1)]
        records = []
        for name, content, mime in files:
            rec = {
                "name": name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "mime": mime,
                "penilaian": self.page_code,
                "pertanyaan": q.pk,
                "user": self.username,
                "sent_at": time.time(),
                "outcome": "sending",
            }
            records.append(rec)
            self.uploaded[name] = rec["sha256"]
        for rec in records:
            _log_upload(rec)  # logged before sending: an interrupted request is still known
        url = f"/penilaian/{self.page_code}/pertanyaan/{q.pk}/bukti/"
        multipart = [("berkas", (n, c, m)) for n, c, m in files]
        outcome = "failed"
        status = 0
        try:
            with self.client.post(
                url,
                data={"csrfmiddlewaretoken": self.page.csrf, "tanggal_efektif": ""},
                files=multipart,
                headers=self.htmx_headers(f"q-{q.pk}", self.page.csrf),
                name="/penilaian/[code]/pertanyaan/[id]/bukti/ (upload)",
                catch_response=True,
                allow_redirects=False,
            ) as resp:
                status = resp.status_code
                listed = all(n in (resp.text or "") for n, _c, _m in files)
                if status == 200 and listed:
                    resp.success()
                    outcome = "ok"
                    self.page.bukti_links.extend(
                        (link, n)
                        for link, n in RE_BUKTI_LINK.findall(resp.text)
                        if n in self.uploaded
                    )
                else:
                    resp.failure(f"HTTP {status}" + ("" if listed else ", file not listed"))
        except GreenletExit:
            # Locust ended the run while this request was in flight (like a closed tab):
            # no response, so no statistics entry; the check after the run looks for it.
            outcome = "interrupted"
            raise
        finally:
            for rec in records:
                _log_upload({**rec, "outcome": outcome, "status": status, "done_at": time.time()})
            _count(f"upload_files_{outcome}", len(records))
            _count(f"upload_requests_{outcome}")

    @task(2)
    def open_evidence(self) -> None:
        """Open a file listed on the page; if this user uploaded it, check its bytes."""
        page = self.page or self.open_worksheet()
        if page is None or not page.bukti_links:
            return
        link, name = random.choice(page.bukti_links)
        with self.client.get(
            link, name="/penilaian/[code]/bukti/[uuid]/ (download)", catch_response=True
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")
                return
            expected = self.uploaded.get(name)
            if expected is not None:
                if hashlib.sha256(resp.content).hexdigest() != expected:
                    resp.failure(f"{name}: downloaded bytes differ from the upload")
                    _count("download_hash_mismatch")
                    return
                _count("download_hash_checked")
            resp.success()

    @task(1)
    def start_export(self) -> None:
        code = random.choice(self.penilaian)
        html = self.get_page(f"/penilaian/{code}/", "/penilaian/[code]/", "lke_xlsx")
        if html is None:
            return
        token = RE_CSRF.search(html)
        csrf = token.group(1) if token else ""
        with self.client.post(
            f"/penilaian/{code}/ekspor/lke_xlsx/",
            data={"csrfmiddlewaretoken": csrf, "oleh": "mandiri"},
            headers={"Referer": f"{self.client.base_url}/penilaian/{code}/"},
            name="/penilaian/[code]/ekspor/lke_xlsx/ (start)",
            catch_response=True,
            allow_redirects=False,
        ) as resp:
            job = RE_EXPORT_JOB.search(resp.headers.get("Location", ""))
            if resp.status_code != 302 or job is None:
                resp.failure(f"HTTP {resp.status_code} to {resp.headers.get('Location')!r}")
                _count("export_start_failed")
                return
            resp.success()
        job_id = job.group(1)
        _count("export_started")
        page = self.get_page(f"/ekspor/{job_id}/", "/ekspor/[uuid]/", 'id="ekspor-status"')
        if page is None:
            return
        # The page polls its status fragment every second (hx-trigger="every 1s").
        status = (RE_STATUS.search(page) or [None, "?"])[1]
        deadline = time.monotonic() + EXPORT_WAIT_S
        while status in ("antre", "proses"):
            if time.monotonic() > deadline:
                _count("export_left_waiting")  # the person gave up watching; not an error
                return
            if self.environment.runner and self.environment.runner.state in ("stopping", "stopped"):
                _count("export_unwatched_at_test_end")
                return
            time.sleep(1)
            with self.client.get(
                f"/ekspor/{job_id}/status/",
                headers={"HX-Request": "true", "HX-Target": "ekspor-status"},
                name="/ekspor/[uuid]/status/",
                catch_response=True,
            ) as resp:
                found = RE_STATUS.search(resp.text or "")
                if resp.status_code != 200 or found is None:
                    resp.failure(f"HTTP {resp.status_code}")
                    return
                resp.success()
                status = found.group(1)
        if status == "gagal":
            _count("export_failed")
            self.environment.events.request.fire(
                request_type="EXPORT",
                name="export job outcome",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"export {job_id} ended gagal"),
                context={},
            )
            return
        if status != "selesai":
            _count(f"export_status_{status}")
            return
        _count("export_finished_seen")
        with self.client.get(
            f"/ekspor/{job_id}/unduh/", name="/ekspor/[uuid]/unduh/", catch_response=True
        ) as resp:
            if resp.status_code == 200 and resp.content[:2] == b"PK":
                resp.success()
                _count("export_downloaded")
            else:
                resp.failure(f"HTTP {resp.status_code}, not an xlsx")


class TpiBrowser(PortalUser):
    """A TPI member of Mahkamah Konstitusi looking at both units' worksheets (read only)."""

    fixed_count = int(os.environ.get("LOAD_TPI_USERS", "4"))
    username = TPI_USER

    @task(3)
    def review_area(self) -> None:
        code, nomor = self.pick()
        self.get_page(f"/penilaian/{code}/reviu/area/{nomor}/", "/penilaian/[code]/reviu/area/[n]/")

    @task(1)
    def queue(self) -> None:
        self.get_page("/tpi/", "/tpi/ (antrean)")
