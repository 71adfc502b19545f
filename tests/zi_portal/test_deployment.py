"""Several machines in one (issue 18 part 5): two web processes and one Celery worker,
each in its own working folder with its own MEDIA_ROOT (no shared disk), all on the same
PostgreSQL database, the same Redis and the same S3 bucket.

An upload through web A downloads byte-identical through web B; an export queued on A is
rendered by the worker and downloaded through B; the rencana kerja approved on A is signed
by the worker and verifies through the public page of A and of B. Afterwards no process
has written a single file under its MEDIA_ROOT: everything went to the object store.

Needs PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and an S3 gateway
(ZI_TEST_S3_ENDPOINT with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `.ci/ceph up`
starts one; tests/s3.py): it skips without them, and fails under
CI=true. `.ci/run` runs it in its S3 leg (`pytest -m s3`).
"""

# ruff: noqa: S310 (requests go only to the processes this test started on 127.0.0.1)
from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from PIL import Image
from weasyprint import HTML

from documents.models import DokumenTertandatangan, ExportJob
from evidence.models import Bukti, RencanaKerja
from evidence.persetujuan import RK_TEXT_FIELDS
from lke.models import Penilaian, Pertanyaan
from tests.conftest import require
from tests.s3 import ENDPOINT, bucket, keys, require_gateway
from tests.workers import database_url_for_worker, reachable
from zi_portal.demo import DEMO_PASSWORD
from zi_portal.lib.objectstore import PortalS3Storage
from zi_portal.workers import worker_command

__all__ = ["bucket"]  # the fixture of tests/s3.py
pytestmark = [pytest.mark.s3, pytest.mark.broker]

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90
TASK_SECONDS = 180
USERS = ("tim.biro-hp", "tim.pusat-tik", "pimpinan.pusat-tik")


def _s3_environment(bucket: str) -> dict[str, str]:
    """The gateway of this run in django-storages' variable names, as each machine gets them."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": ENDPOINT,
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", ""),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "AWS_S3_REGION_NAME": os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
        "AWS_S3_ADDRESSING_STYLE": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path"),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the machines ----------------------------------------------------------------------


@dataclass
class Machine:
    """One process in its own folder: its own cwd, MEDIA_ROOT, ZI_VAR_DIR and log."""

    name: str
    folder: Path
    command: list[str]
    env: dict[str, str]
    port: int | None = None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def media(self) -> Path:
        return self.folder / "media"

    @property
    def log(self) -> Path:
        return self.folder / "process.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.media.mkdir(parents=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=self.folder,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def tail(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ---\n{text[-3000:]}"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def local_files(self) -> list[Path]:
        return sorted(p for p in self.media.rglob("*") if p.is_file())


def _gunicorn_command(port: int) -> list[str]:
    """The portal under gunicorn as the README's production command runs it (one worker
    process each: two machines on two cores)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "zi_portal.wsgi",
        "-w",
        "1",
        "--timeout",
        "120",
        "-b",
        f"127.0.0.1:{port}",
    ]


def _machine_env(folder: Path, common: dict[str, str]) -> dict[str, str]:
    """The environment of one machine: what a process manager would set on it."""
    signing = folder / "var" / "signing"
    signing.mkdir(parents=True)
    # The signing certificate is provisioned on every machine, as a secret would be; the
    # development CA inside it is what the verification page trusts (DEBUG + ZI_TRUST_DEV_CA).
    source = Path(settings.ZI_SIGNING_P12)
    shutil.copy(source, signing / source.name)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ZI_", "DJANGO"))},
        **common,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings.base",
        "ZI_VAR_DIR": str(folder / "var"),
        "MEDIA_ROOT": str(folder / "media"),
        "ZI_SIGNING_P12": str(signing / source.name),
    }


@pytest.fixture
def redis_url() -> str:
    """The shared services of the machines, checked before the demo data is loaded."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    url: str = settings.ZI_TEST_REDIS_URL
    require(bool(url) and reachable(url), "Redis (REDIS_URL)")
    require_gateway()
    return url


@pytest.fixture
def cluster(
    redis_url: str, bucket: PortalS3Storage, committed_demo: None, tmp_path: Path
) -> Iterator[dict[str, Machine]]:
    """web-a, web-b (gunicorn) and worker (Celery), each in its own folder of tmp_path."""
    from documents.signing import ensure_dev_certificate

    ensure_dev_certificate(Path(settings.ZI_SIGNING_P12), settings.ZI_SIGNING_P12_PASSPHRASE)
    _production_passwords(USERS)
    queue = f"zi-test-{uuid.uuid4().hex[:8]}"
    common = {
        **_s3_environment(bucket.bucket_name),
        "DEBUG": "true",  # the development CA is trusted only in debug
        "ZI_TRUST_DEV_CA": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one secret: a session of A works on B
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # this test's own queue on the shared Redis
        "ZI_SIGNING_P12_PASSPHRASE": settings.ZI_SIGNING_P12_PASSPHRASE,
    }
    machines: dict[str, Machine] = {}
    for name in ("web-a", "web-b"):
        folder = tmp_path / name
        port = _free_port()
        machines[name] = Machine(
            name, folder, _gunicorn_command(port), _machine_env(folder, common), port=port
        )
    folder = tmp_path / "worker"
    machines["worker"] = Machine(
        "worker", folder, worker_command(queue), _machine_env(folder, common)
    )
    try:
        for machine in machines.values():
            machine.start()
        for machine in (machines["web-a"], machines["web-b"]):
            _wait_until_serving(machine)
        yield machines
    finally:
        for machine in machines.values():
            machine.stop()


def _production_passwords(usernames: tuple[str, ...]) -> None:
    """The demo password under the production hasher: the test settings store MD5 hashes,
    which the processes (on the base settings) do not accept."""
    hasher = PBKDF2PasswordHasher()
    for user in get_user_model().objects.filter(username__in=usernames):
        user.password = hasher.encode(DEMO_PASSWORD, hasher.salt())
        user.save(update_fields=["password"])


def _wait_until_serving(machine: Machine) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert machine.proc is not None and machine.proc.poll() is None, machine.tail()
        try:
            with urllib.request.urlopen(f"{machine.url}/accounts/login/", timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{machine.name} did not answer in {STARTUP_SECONDS} s\n{machine.tail()}")


# -- a browser without a browser --------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Browser:
    """One user's cookies, sent to whichever web process a request goes to."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken") or ""

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body: bytes | None = None
        sent = dict(headers or {})
        if data is not None or files is not None:
            fields = {**(data or {}), "csrfmiddlewaretoken": self._csrf()}
            body, content_type = _multipart(fields, files or {})
            sent["Content-Type"] = content_type
        req = urllib.request.Request(url, data=body, headers=sent)
        try:
            with self.opener.open(req, timeout=120) as r:
                return Response(r.status, dict(r.headers), r.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, dict(exc.headers), exc.read())

    def login(self, web: Machine, username: str) -> None:
        self.request(f"{web.url}/accounts/login/")
        response = self.request(
            f"{web.url}/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status == 302, (response.status, response.text[:2000], web.tail())


def _multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _evidence_pdf() -> bytes:
    """A real PDF of about 1 MiB: a text page with a photo of noise (incompressible)."""
    image = Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    html = (
        "<html><body><h1>Surat Keputusan Tim Kerja Zona Integritas</h1>"
        "<p>Ditetapkan di Jakarta pada 14 Maret 2022.</p>"
        f'<img src="{src}" style="width:120mm"></body></html>'
    )
    return bytes(HTML(string=html).write_pdf())


def _wait_for(what: str, check: Any, machines: dict[str, Machine]) -> Any:
    deadline = time.monotonic() + TASK_SECONDS
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(
        f"{what}: not done in {TASK_SECONDS} s\n" + "\n".join(m.tail() for m in machines.values())
    )


# -- the test ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_web_processes_and_a_worker_share_nothing_but_the_database_redis_and_the_bucket(
    cluster: dict[str, Machine], bucket: PortalS3Storage
) -> None:
    web_a, web_b = cluster["web-a"], cluster["web-b"]

    # 1. An upload through A downloads byte-identical through B (the same session).
    tim = Browser()
    tim.login(web_a, "tim.biro-hp")
    biro_hp = Penilaian.objects.get(unit__slug="biro-hp")
    q = Pertanyaan.objects.get(model=biro_hp.model, kode="A.I.1.i.a")
    content = _evidence_pdf()
    uploaded = tim.request(
        f"{web_a.url}/penilaian/{biro_hp.code}/pertanyaan/{q.pk}/bukti/",
        {"tanggal_efektif": "2022-03-14"},
        {"berkas": ("sk-tim-zi.pdf", content, "application/pdf")},
        headers={"HX-Request": "true"},
    )
    assert uploaded.status == 200 and "berkas bukti tersimpan" in uploaded.text, uploaded.text[
        :2000
    ]
    bukti = Bukti.objects.get(pertanyaan=q, nama_asli="sk-tim-zi.pdf")
    download = tim.request(f"{web_b.url}/penilaian/{biro_hp.code}/bukti/{bukti.code}/?unduh=1")
    assert download.status == 200, download.text[:2000]
    assert hashlib.sha256(download.body).hexdigest() == hashlib.sha256(content).hexdigest()
    assert len(download.body) == len(content) > 1_000_000

    # 2. An export queued on A is rendered by the worker and downloaded through B.
    queued = tim.request(
        f"{web_a.url}/penilaian/{biro_hp.code}/ekspor/lke_xlsx/", {"oleh": "mandiri"}
    )
    assert queued.status == 302, queued.text[:2000]
    job_id = re.search(r"/ekspor/([0-9a-f-]{36})/", queued.headers["Location"])
    assert job_id, queued.headers["Location"]
    job = ExportJob.objects.get(pk=job_id.group(1))

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in {"selesai", "gagal"}

    _wait_for("the export", finished, cluster)
    assert job.status == "selesai", job.error
    page = tim.request(f"{web_b.url}/ekspor/{job.pk}/status/")
    assert page.status == 200 and f"/ekspor/{job.pk}/unduh/" in page.text
    workbook = tim.request(f"{web_b.url}/ekspor/{job.pk}/unduh/")
    assert workbook.status == 200 and workbook.body[:2] == b"PK"
    from openpyxl import load_workbook

    assert "LKE" in " ".join(load_workbook(io.BytesIO(workbook.body)).sheetnames).upper()

    # 3. The rencana kerja approved on A is signed by the worker; it verifies through A and B.
    tik = Penilaian.objects.get(unit__slug="pusat-tik")
    rk_url = f"/penilaian/{tik.code}/rencana-kerja/"
    rk = RencanaKerja.objects.get(penilaian=tik)
    form = {f: str(getattr(rk, f) or "") for f in RK_TEXT_FIELDS}
    form.update(
        tanggal="2022-02-10",
        aksi="simpan",
        penandatangan_nip="197001012000031001",
        penandatangan_lain="",
    )
    tim_tik = Browser()
    tim_tik.login(web_a, "tim.pusat-tik")
    assert tim_tik.request(web_a.url + rk_url, form).status == 302
    assert tim_tik.request(web_b.url + rk_url, {"aksi": "ajukan"}).status == 302
    pimpinan = Browser()
    pimpinan.login(web_b, "pimpinan.pusat-tik")
    approved = pimpinan.request(web_a.url + rk_url, {"aksi": "setujui", "catatan": ""})
    assert approved.status == 302, approved.text[:2000]

    def signed() -> DokumenTertandatangan | None:
        return DokumenTertandatangan.objects.filter(rencana_kerja=rk, aktif=True).first()

    dokumen = _wait_for("the signing", signed, cluster)
    pdf = pimpinan.request(f"{web_b.url}{rk_url}dokumen/{dokumen.code}/")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    assert hashlib.sha256(pdf.body).hexdigest() == dokumen.sha256
    public = Browser()
    for web in (web_a, web_b):
        page = public.request(f"{web.url}/verifikasi/{dokumen.code}/")
        # Signed with the development certificate: intact, labelled as development.
        assert page.status == 200 and 'data-status="pengembangan"' in page.text, page.text[:3000]
        assert dokumen.sha256 in page.text
    public.request(f"{web_a.url}/verifikasi/{dokumen.code}/")
    copy = public.request(
        f"{web_a.url}/verifikasi/{dokumen.code}/",
        {},
        {"berkas": ("rencana-kerja.pdf", pdf.body, "application/pdf")},
    )
    assert copy.status == 200 and 'data-salinan="identik"' in copy.text, copy.text[:3000]
    assert 'data-salinan-status="sah"' in copy.text

    # No shared disk, and none used: every file of the three is in the bucket.
    for machine in cluster.values():
        assert machine.local_files() == [], machine.name
    bukti.refresh_from_db()
    job.refresh_from_db()
    assert {bukti.berkas.name, job.berkas.name, dokumen.berkas.name} <= keys(bucket)
