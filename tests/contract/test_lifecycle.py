"""``python -m helpers.local start | stop | status``: idempotent, isolated, never sharing a port.

Each test runs its own server in its own state folder, apart from the session's server.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import time

import boto3
import numpy as np
import pytest
import xgboost as xgb
from sagemaker import image_uris

from helpers.local import LocalServerError, find, lifecycle, start, stop
from helpers.local.inventory import fetch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _cli(*args: str, folder) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.local", "--state-dir", str(folder),
                           *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def folder(tmp_path):
    yield tmp_path
    stop(tmp_path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == 0
    except ChildProcessError:
        return True


def test_start_is_idempotent_and_status_lists_the_server(folder):
    first = _cli("start", folder=folder)
    assert first.returncode == 0, first.stderr
    url = first.stdout.strip()
    assert url.startswith("http://127.0.0.1:")
    again = _cli("start", folder=folder)
    assert again.stdout.strip() == url
    status = _cli("status", folder=folder)
    assert status.returncode == 0 and f"running at {url}" in status.stdout
    assert "training jobs (0):" in status.stdout and "endpoints (0):" in status.stdout
    assert _cli("stop", folder=folder).stdout.strip() == "stopped"
    assert _cli("status", folder=folder).returncode == 3


def test_two_state_folders_get_two_servers(folder, tmp_path_factory):
    other = tmp_path_factory.mktemp("second-user")
    try:
        mine, theirs = start(folder=folder), start(folder=other)
        assert mine.url != theirs.url and mine.pid != theirs.pid
    finally:
        stop(other)


def test_a_busy_port_is_refused_never_shared(folder):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(LocalServerError, match=f"port {port} .* already in use"):
            start(port=port, folder=folder)
    assert find(folder) is None


def test_a_stale_record_pointing_at_someone_elses_port_is_not_trusted(folder):
    with socket.socket() as impostor:
        impostor.bind(("127.0.0.1", 0))
        impostor.listen()
        port = impostor.getsockname()[1]
        (folder / "server.json").write_text(json.dumps(
            {"url": f"http://127.0.0.1:{port}", "port": port, "pid": os.getpid(),
             "token": "not-ours", "started": time.time()}))
        assert find(folder) is None
        assert stop(folder) is False  # never signals a pid it cannot prove is its own
        running = start(folder=folder)
        assert running.url != f"http://127.0.0.1:{port}"


def test_every_listener_binds_loopback_only(folder):
    running = start(folder=folder)
    listening = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
    ours = [line for line in listening.splitlines() if f"pid={running.pid}," in line]
    assert ours and all("127.0.0.1:" in line for line in ours)


def test_stop_ends_the_model_servers(folder, tmp_path_factory):
    running = start(folder=folder)
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="testing",
                                    aws_secret_access_key="testing")
    clients = {name: session.client(name, endpoint_url=running.url)
               for name in ("s3", "iam", "sagemaker")}
    trust = {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                            "Principal": {"Service": "sagemaker.amazonaws.com"}}]}
    role = clients["iam"].create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(trust))
    booster = xgb.train({}, xgb.DMatrix(np.eye(3), label=[0, 1, 0]), 2)
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        raw = bytes(booster.save_raw("ubj"))
        member = tarfile.TarInfo("xgboost-model")
        member.size = len(raw)
        tar.addfile(member, io.BytesIO(raw))
    clients["s3"].create_bucket(Bucket="lifecycle")
    clients["s3"].put_object(Bucket="lifecycle", Key="m/model.tar.gz", Body=archive.getvalue())
    sm = clients["sagemaker"]
    image = image_uris.retrieve("xgboost", "us-east-1", "3.0-5")
    sm.create_model(ModelName="m", ExecutionRoleArn=role["Role"]["Arn"],
                    PrimaryContainer={"Image": image,
                                      "ModelDataUrl": "s3://lifecycle/m/model.tar.gz"})
    sm.create_endpoint_config(EndpointConfigName="m", ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": "m", "InitialInstanceCount": 2,
         "InstanceType": "ml.m5.large"}])
    sm.create_endpoint(EndpointName="m", EndpointConfigName="m")
    deadline = time.monotonic() + 60
    while sm.describe_endpoint(EndpointName="m")["EndpointStatus"] == "Creating":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pids = [s["pid"] for s in fetch(running.url)["Endpoints"][0]["ModelServers"]]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    assert stop(folder) is True
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)
    assert not _alive(running.pid)


def test_start_reports_a_server_that_cannot_start(folder, monkeypatch):
    monkeypatch.setattr(lifecycle, "START_TIMEOUT", 5.0)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(LocalServerError, match="did not start"):
        start(folder=folder)
    assert find(folder) is None
