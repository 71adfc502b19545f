"""`.ci/ceph` (issue 18 part 4): the single-node Ceph RADOS Gateway of CI and of the tests.

The cluster test starts a private cluster on free ports in its own folder, stores an
object, stops every daemon by its pid file, starts them again on the same data and reads
the object back. It needs the Ceph packages (`radosgw ceph-mon ceph-osd`, which `.ci/run`
has installed by then); it never installs them itself.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "ceph"


def _ceph(command: str, env: dict[str, str], timeout: int = 180) -> str:
    done = subprocess.run(
        [str(SCRIPT), command],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _exports(text: str) -> dict[str, str]:
    pairs = (line.removeprefix("export ").split("=", 1) for line in text.splitlines())
    return {name: value for name, value in pairs}


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def test_env_prints_the_gateway_in_django_storages_names() -> None:
    printed = _exports(_ceph("env", {"CEPH_RGW_PORT": "17480", "CEPH_DIR": "/nonexistent"}))
    assert printed == {
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:17480",
        "AWS_ACCESS_KEY_ID": "zi-portal-ci",
        "AWS_SECRET_ACCESS_KEY": "zi-portal-ci-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_S3_SIGNATURE_VERSION": "s3v4",
    }


def test_an_unknown_command_shows_the_usage() -> None:
    done = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "up|down|env|status|purge" in done.stderr


@pytest.fixture
def private_cluster() -> Iterator[dict[str, str]]:
    require(
        all(shutil.which(p) for p in ("radosgw", "ceph-mon", "ceph-osd", "radosgw-admin")),
        "Ceph (radosgw ceph-mon ceph-osd; `.ci/ceph up` installs them)",
    )
    rgw, mon, mon_v1 = _free_ports(3)
    # A short folder: the daemons' admin sockets must fit a unix socket path.
    folder = tempfile.mkdtemp(prefix="zi-ceph-")
    env = {
        "CEPH_DIR": folder,
        "CEPH_RGW_PORT": str(rgw),
        "CEPH_MON_PORT": str(mon),
        "CEPH_MON_V1_PORT": str(mon_v1),
    }
    try:
        yield env
    finally:
        _ceph("purge", env)
    assert not Path(folder).exists()


def _client(settings: dict[str, str]) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
        region_name=settings["AWS_S3_REGION_NAME"],
        config=Config(
            signature_version=settings["AWS_S3_SIGNATURE_VERSION"],
            s3={"addressing_style": settings["AWS_S3_ADDRESSING_STYLE"]},
        ),
    )


def _pids(folder: str) -> dict[str, int]:
    return {p.stem: int(p.read_text()) for p in (Path(folder) / "run").glob("*.pid")}


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.s3
def test_a_private_cluster_keeps_its_objects_across_down_and_up(
    private_cluster: dict[str, str],
) -> None:
    env = private_cluster
    _ceph("up", env)
    pids = _pids(env["CEPH_DIR"])
    assert set(pids) == {"mon.a", "osd.0", "client.rgw.a"} and all(map(_running, pids.values()))
    _ceph("up", env)  # idempotent: the running daemons are left alone
    assert _pids(env["CEPH_DIR"]) == pids
    assert "answers" in _ceph("status", env)

    settings = _exports(_ceph("env", env))
    client = _client(settings)
    content = os.urandom(3 * 1024 * 1024)
    client.create_bucket(Bucket="zi-ceph-test")
    client.put_object(Bucket="zi-ceph-test", Key="bukti/a.bin", Body=content)

    _ceph("down", env)
    assert not any(map(_running, pids.values()))
    _ceph("up", env)  # the same data folder: the object is still there
    body = _client(settings).get_object(Bucket="zi-ceph-test", Key="bukti/a.bin")["Body"]
    assert body.read() == content
