"""Faults between and during notebooks, and what protects a learner's AWS bill: every resource
tagged, cleanup by run id or by audit, cleanup on Ctrl-C, cleanup twice, no secret printed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import boto3
import pytest

from helpers.cleanup import main as cleanup_main
from helpers.cleanup import suite_resources
from helpers.params import ROOT

FAKE_KEY = "AKIAFAKEKEY7EXAMPLE1"
FAKE_SECRET = "fake/Secret+Key/that-must-never-be-printed"


def _pipeline(*args: str, env: dict | None = None, timeout: int = 600):
    return subprocess.run([sys.executable, "-m", "helpers.pipeline", "run", "--no-progress",
                           "--params", "params/ci.yaml", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout, env=env)


def _tags(client, arn: str) -> dict:
    return {t["Key"]: t["Value"] for t in client.list_tags(ResourceArn=arn)["Tags"]}


def test_every_resource_is_tagged_and_cleanup_by_run_id_and_audit_find_them(
        tmp_path, backend, capsys):
    run = tmp_path / "run"
    result = _pipeline("--steps", "03-06", "-p", f"run_dir={run}", "-p", "run_id=tagged-run")
    assert result.returncode == 0, result.stderr
    state = json.loads((run / "state.json").read_text())
    sm = backend.boto_session.client("sagemaker")
    expected = {"tutorial-suite": "sagemaker-xgboost-notebooks", "tutorial-run-id": "tagged-run"}
    arns = [sm.describe_training_job(TrainingJobName=state["job_name"])["TrainingJobArn"],
            sm.describe_model(ModelName=state["model_name"])["ModelArn"],
            sm.describe_endpoint_config(
                EndpointConfigName=state["endpoint_config_name"])["EndpointConfigArn"],
            sm.describe_endpoint(EndpointName=state["endpoint_name"])["EndpointArn"]]
    for arn in arns:
        assert expected.items() <= _tags(sm, arn).items(), arn
    bucket_tags = backend.boto_session.client("s3").get_bucket_tagging(
        Bucket=state["bucket"])["TagSet"]
    assert expected.items() <= {t["Key"]: t["Value"] for t in bucket_tags}.items()

    assert cleanup_main(["--audit"]) == 0
    audit = capsys.readouterr().out
    for name in (state["endpoint_name"], state["model_name"], state["bucket"]):
        assert name in audit
    assert "tagged-run" in audit and "0h 0" in audit

    assert cleanup_main(["--run-id", "tagged-run"]) == 0
    printed = capsys.readouterr().out
    assert f"deleted endpoint {state['endpoint_name']}" in printed
    assert f"deleted bucket {state['bucket']}" in printed
    assert suite_resources(backend.boto_session, "tagged-run") == []
    assert cleanup_main(["--run-id", "tagged-run"]) == 0  # a second cleanup is harmless
    assert "nothing to delete" in capsys.readouterr().out


def test_ctrl_c_during_a_step_still_runs_cleanup_and_cleanup_twice_is_harmless(tmp_path,
                                                                                backend):
    run = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.pipeline", "run", "--no-progress", "--params",
         "params/ci.yaml", "--steps", "03-07", "-p", f"run_dir={run}", "-p",
         "run_id=interrupted"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 300
    while not (run / "06_deploy.ipynb").exists():  # interrupt 07, with an endpoint up
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 130, err
    assert "07_evaluate failed: Ctrl-C" in err
    summary = json.loads((run / "summary.json").read_text())
    assert summary["steps"][-1] == {**summary["steps"][-1], "step": "08_cleanup (after failure)",
                                    "status": "ok"}
    assert suite_resources(backend.boto_session, "interrupted") == []
    again = _pipeline("--steps", "08", "-p", f"run_dir={run}", "-p", "run_id=interrupted")
    assert again.returncode == 0, again.stderr


def test_a_restarted_server_is_detected_and_the_notebook_to_rerun_is_named(tmp_path):
    env = {**os.environ, "LOCAL_AWS_STATE_DIR": str(tmp_path / "server")}
    run = tmp_path / "run"
    first = _pipeline("--steps", "03-04", "-p", f"run_dir={run}", env=env)
    assert first.returncode == 0, first.stderr
    subprocess.run([sys.executable, "-m", "helpers.local", "stop"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    later = _pipeline("--steps", "05", "-p", f"run_dir={run}", "--keep-resources", env=env)
    assert later.returncode == 1
    assert "the offline server was restarted after 03_s3_bucket ran" in later.stderr
    assert "Re-run the notebooks from 03_s3_bucket" in later.stderr
    status = subprocess.run([sys.executable, "-m", "helpers.local", "status"], env=env,
                            cwd=ROOT, capture_output=True, text=True)
    assert status.returncode == 0 and "running at http://127.0.0.1:" in status.stdout
    subprocess.run([sys.executable, "-m", "helpers.local", "stop"], env=env, cwd=ROOT)


def test_no_secret_reaches_a_notebook_a_log_or_the_summary(tmp_path):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": FAKE_KEY, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
           "AWS_SESSION_TOKEN": FAKE_SECRET + "-token",
           "LOCAL_AWS_STATE_DIR": str(tmp_path / "server")}
    run = tmp_path / "run"
    result = _pipeline("-p", f"run_dir={run}", env=env)
    assert result.returncode == 0, result.stderr
    subprocess.run([sys.executable, "-m", "helpers.local", "stop"], env=env, cwd=ROOT)
    written = [result.stdout, result.stderr]
    for folder in (run, tmp_path / "server"):
        written += [p.read_text(errors="replace") for p in folder.rglob("*")
                    if p.is_file() and p.suffix in (".ipynb", ".json", ".md", ".log")]
    assert len(written) > 10
    for text in written:
        assert FAKE_KEY not in text and FAKE_SECRET not in text


def test_model_servers_listen_on_loopback_only(backend, bucket, channels):
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput

    from helpers.local import find
    from helpers.local.inventory import fetch
    from tests.support import xgboost_image

    estimator = Estimator(xgboost_image(backend), backend.role, instance_count=1,
                          instance_type="ml.m5.large", output_path=f"s3://{bucket}/loopback",
                          sagemaker_session=backend.session)
    estimator.set_hyperparameters(num_round=2)
    estimator.fit({"train": TrainingInput(channels["train"], content_type="csv")}, logs=False)
    predictor = estimator.deploy(1, "ml.m5.large")
    try:
        pids = [s["pid"] for e in fetch(find().url)["Endpoints"]
                if e["EndpointName"] == predictor.endpoint_name for s in e["ModelServers"]]
        listening = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
        lines = [line for line in listening.splitlines()
                 if any(f"pid={pid}," in line for pid in pids)]
        assert lines and all("127.0.0.1:" in line for line in lines)
    finally:
        predictor.delete_model()
        predictor.delete_endpoint()


@pytest.mark.parametrize("url", ["http://127.0.0.1:1"])
def test_an_aws_session_never_uses_a_stale_local_endpoint(url, backend, monkeypatch):
    from helpers.backend import clear_local_env

    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER", url)
    clear_local_env()
    try:
        client = boto3.session.Session(region_name="us-east-1", aws_access_key_id="x",
                                       aws_secret_access_key="y").client("sagemaker")
        assert client.meta.endpoint_url == "https://api.sagemaker.us-east-1.amazonaws.com"
    finally:
        from helpers.backend import open_backend

        open_backend("local")

