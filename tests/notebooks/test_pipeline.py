"""``python -m helpers.pipeline``: parameters checked up front, a notebook run out of order stops
with the name of the one to run first, a failure still leaves nothing behind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import params
from helpers.params import ROOT, ParameterError
from helpers.pipeline import select_steps


def _pipeline(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.pipeline", "run", "--no-progress",
                           *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def test_steps_are_selected_by_number():
    assert select_steps("03-05") == ["03_s3_bucket", "04_prepare_data", "05_train"]
    assert select_steps("07") == ["07_evaluate"]
    assert len(select_steps(None)) == 8
    for bad in ("09", "05-03", "x"):
        with pytest.raises(ParameterError):
            select_steps(bad)


@pytest.mark.parametrize("content, words", [
    ("bakend: local\n", "unknown parameter bakend; valid names: backend, region"),
    ("max_run: ten\n", "parameter max_run must be int, not str 'ten'"),
    ("train_fraction: 1.5\n", "parameter train_fraction must be below 1"),
    ("train_instance_count: 0\n", "parameter train_instance_count must be at least 1"),
    ("max_run: 900\nmax_wait: 600\n", "max_wait (600) must be at least max_run (900)"),
    ("bucket_name: My_Bucket\n", "parameter bucket_name 'My_Bucket': a bucket name has no capital"),
    ("backend: azure\n", "parameter backend must be one of local, aws, auto"),
    ("region: mars\n", "parameter region 'mars' is not an AWS region"),
    ("hyperparameters: {eta: 0.2}\n", "hyperparameters must include num_round"),
    ("- a list\n", "must hold a mapping"),
])
def test_bad_parameter_files_are_refused_before_anything_runs(tmp_path, content, words):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ParameterError) as raised:
        params.load(path)
    assert words in str(raised.value)
    result = _pipeline("--params", str(path), "-p", f"run_dir={tmp_path / 'run'}")
    assert result.returncode == 2 and words in result.stderr
    assert not (tmp_path / "run").exists()


def test_bad_overrides_are_refused(tmp_path):
    result = _pipeline("-p", "max_run=-5")
    assert result.returncode == 2 and "max_run must be at least 1" in result.stderr
    result = _pipeline("-p", "nonsense")
    assert result.returncode == 2 and "-p takes name=value" in result.stderr


def test_the_parameter_files_are_valid():
    for path in (ROOT / "params").glob("*.yaml"):
        assert params.load(path)["hyperparameters"]["num_round"] == 50


def test_a_notebook_run_out_of_order_names_the_one_to_run_first(tmp_path):
    run = tmp_path / "run"
    result = _pipeline("--params", "params/ci.yaml", "--steps", "05", "-p", f"run_dir={run}")
    assert result.returncode == 1
    assert "05_train failed: cell 4: StepOrderError" in result.stderr
    assert "run notebooks/03_s3_bucket.ipynb first" in result.stderr
    assert (run / "05_train.failed.ipynb").is_file() and not (run / "05_train.ipynb").exists()


def test_the_run_state_names_the_first_missing_notebook(tmp_path):
    from helpers.runstate import RunState, StepOrderError

    state = RunState(tmp_path)
    state.record("03_s3_bucket", bucket="b", output_path="s3://b/o")
    with pytest.raises(StepOrderError, match="run notebooks/04_prepare_data.ipynb first"):
        state.require("05_train", "output_path", "train_uri")
    assert RunState(tmp_path).require("05_train", "bucket") == ["b"]


def test_a_failure_in_step_06_leaves_no_endpoint_model_config_or_bucket(tmp_path, backend):
    run = tmp_path / "run"
    result = _pipeline("--params", "params/ci.yaml", "--steps", "03-07", "-p", f"run_dir={run}",
                       "-p", "endpoint_instance_type=ml.bogus.xlarge", "-p", "run_id=inject-06")
    assert result.returncode == 1, result.stderr
    assert "06_deploy failed: cell" in result.stderr and "ValidationException" in result.stderr
    summary = json.loads((run / "summary.json").read_text())
    assert [s["status"] for s in summary["steps"]] == ["ok", "ok", "ok", "failed", "ok"]
    assert summary["steps"][-1]["step"] == "08_cleanup (after failure)"
    from helpers.cleanup import suite_resources

    assert suite_resources(backend.boto_session, "inject-06") == []
    sagemaker = backend.boto_session.client("sagemaker")
    tagged_models = [m for m in sagemaker.list_models()["Models"]
                     if {"Key": "tutorial-run-id", "Value": "inject-06"} in
                     sagemaker.list_tags(ResourceArn=m["ModelArn"])["Tags"]]
    assert tagged_models == []
    state = json.loads((run / "state.json").read_text())
    buckets = [b["Name"] for b in backend.boto_session.client("s3").list_buckets()["Buckets"]]
    assert state["bucket"] not in buckets
