"""The training platform: what SageMaker does around the algorithm container.

It lays out the container's folder (``/opt/ml`` on AWS), downloads each channel from S3, runs the
algorithm in a worker process, ships its output to CloudWatch Logs, enforces
``MaxRuntimeInSeconds`` and uploads ``model.tar.gz``, moving the job through the same statuses.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tarfile
import threading
import time
from pathlib import Path

from ...s3 import split_uri
from ..cloudwatch import LogStream
from ..loopback import Loopback
from ..sagemaker.models import no_objects_message
from ..warmpool import WarmPool
from .layout import container_paths

log = logging.getLogger("helpers.local.training")

_ROUND = re.compile(r"^\[\d+\]\t(?P<metrics>.+)$")
FAILURE_REASON_LIMIT = 1024
STOP_GRACE = 5.0


class ClientFailure(Exception):
    """A job failure caused by its request or data; the message is the FailureReason."""


class TrainingRun:
    def __init__(self, job, workdir: Path, loopback: Loopback, pool: WarmPool) -> None:
        self.job = job
        self.pool = pool
        self.workdir = workdir
        self.loopback = loopback
        self.region = job.backend.region
        self.paths = container_paths(workdir)

    def start(self) -> None:
        threading.Thread(target=self._run, name=f"training:{self.job.name}", daemon=True).start()

    # -- the job's life ------------------------------------------------------------------------
    def _run(self) -> None:
        job = self.job
        try:
            self._lay_out()
            job.training_start = time.time()
            job.transition("Downloading", "Downloading input data")
            for channel in job.request.get("InputDataConfig", []):
                self._download_channel(channel)
            if self._stopped("Stopped", "Training job stopped"):
                return
            logs = LogStream(self.loopback, self.region, "/aws/sagemaker/TrainingJobs",
                             f"{job.name}/algo-1-{int(time.time())}")
            logs.open()  # the stream exists as soon as the job is Training, as on AWS
            job.transition("Training", "Training image download completed. Training in progress.")
            outcome = self._train(logs)
            if outcome == "stopped":
                return self._upload_then_stop("Stopped", "Training job stopped")
            if outcome == "max-runtime":
                job.begin_stopping()
                return self._upload_then_stop(
                    "MaxRuntimeExceeded",
                    "Training job runtime exceeded MaxRuntimeInSeconds provided",
                )
            if outcome != 0:
                job.finish("Failed", "Failed", "Training job failed", self._failure_reason(outcome))
                return
            job.transition("Uploading", "Uploading generated training model")
            self._upload_model()
            job.finish("Completed", "Completed", "Training job completed")
        except ClientFailure as failure:
            reason = str(failure)[:FAILURE_REASON_LIMIT]
            job.finish("Failed", "Failed", "Training job failed", reason)
        except Exception:
            log.exception("training job %s failed in the platform", job.name)
            job.finish("Failed", "Failed", "Training job failed",
                       "InternalServerError: We encountered an internal error. Please try again.")

    def _stopped(self, secondary: str, message: str) -> bool:
        if self.job.stop_requested.is_set():
            self.job.finish("Stopped", secondary, message)
            return True
        return False

    def _upload_then_stop(self, secondary: str, message: str) -> None:
        """A stopped job keeps what the algorithm saved before it ended, as on AWS."""
        if any(self.paths["model"].iterdir()):
            self._upload_model()
        self.job.finish("Stopped", secondary, message)

    # -- the container folder ------------------------------------------------------------------
    def _lay_out(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)
        for key in ("config", "data", "model", "output"):
            self.paths[key].mkdir(parents=True, exist_ok=True)
        request = self.job.request
        channels = {
            c["ChannelName"]: {
                "ContentType": c["ContentType"],
                "TrainingInputMode": c.get("InputMode", request["AlgorithmSpecification"]
                                           .get("TrainingInputMode", "File")),
                "S3DistributionType": c["DataSource"].get("S3DataSource", {})
                .get("S3DataDistributionType", "FullyReplicated"),
                "RecordWrapperType": c.get("RecordWrapperType", "None"),
            } if "ContentType" in c else {
                "TrainingInputMode": c.get("InputMode", "File"),
                "S3DistributionType": "FullyReplicated",
                "RecordWrapperType": c.get("RecordWrapperType", "None"),
            }
            for c in request.get("InputDataConfig", [])
        }
        hosts = [f"algo-{i}" for i in range(1, self.job.instance_count + 1)]
        files = {
            "hyperparameters.json": request.get("HyperParameters", {}),
            "inputdataconfig.json": channels,
            "resourceconfig.json": {"current_host": "algo-1", "hosts": hosts,
                                    "network_interface_name": "lo"},
        }
        for name, content in files.items():
            (self.paths["config"] / name).write_text(json.dumps(content))

    def _download_channel(self, channel: dict) -> None:
        name = channel["ChannelName"]
        source = channel["DataSource"].get("S3DataSource")
        if source is None:
            raise ClientFailure(f"ClientError: Channel {name}: only S3 data sources are served "
                                "offline.")
        uri = source["S3Uri"]
        if source.get("S3DataType", "S3Prefix") != "S3Prefix":
            raise ClientFailure(f"ClientError: Channel {name}: S3DataType "
                                f"{source['S3DataType']} is not served offline; use S3Prefix.")
        bucket, prefix = split_uri(uri)
        s3 = self.loopback.client("s3", self.region)
        target = (self.paths["data"] / name).resolve()
        target.mkdir(parents=True, exist_ok=True)
        keys = []
        try:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                keys += [o["Key"] for o in page.get("Contents", []) if not o["Key"].endswith("/")]
        except s3.exceptions.NoSuchBucket:
            keys = []
        if not keys:
            raise ClientFailure("ClientError: " + no_objects_message(
                uri, self.region, self.job.request["RoleArn"]))
        for key in keys:
            relative = key[len(prefix):].lstrip("/") or key.rsplit("/", 1)[-1]
            destination = (target / relative).resolve()
            if not destination.is_relative_to(target):
                raise ClientFailure(
                    f"ClientError: Channel {name}: the S3 key {key!r} would be written outside "
                    "the channel folder; rename the object."
                )
            destination.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, key, str(destination))

    # -- the algorithm -------------------------------------------------------------------------
    def _train(self, logs: LogStream) -> int | str:
        """Run the algorithm; its exit code, or ``stopped`` / ``max-runtime``."""
        job = self.job
        worker = self.pool.launch({"role": "train", "root": str(self.workdir),
                                   "image_version": job.image.version})
        shipper = logs.follow(worker.stdout, on_line=self._record_metrics)
        limit = job.request["StoppingCondition"].get("MaxRuntimeInSeconds", 86400)
        deadline = time.monotonic() + limit
        outcome: int | str | None = None
        while outcome is None:
            try:
                outcome = worker.wait(0.05)
            except subprocess.TimeoutExpired:
                if job.stop_requested.is_set():
                    outcome = "stopped"
                elif time.monotonic() > deadline:
                    outcome = "max-runtime"
        if isinstance(outcome, str):
            _terminate(worker)
        shipper.join(timeout=10)
        job.training_end = time.time()
        return outcome

    def _record_metrics(self, line: str) -> None:
        match = _ROUND.match(line.rstrip("\n"))
        if not match:
            return
        for item in match["metrics"].split("\t"):
            name, _, value = item.partition(":")
            channel, _, metric = name.partition("-")
            try:
                self.job.final_metrics[f"{channel}:{metric}"] = float(value)
            except ValueError:
                continue

    def _failure_reason(self, exit_code: int) -> str:
        try:
            reason = self.paths["failure"].read_text(errors="replace").strip()
        except FileNotFoundError:
            reason = ""
        if not reason:
            reason = (f"the algorithm exited with code {exit_code} and wrote no failure file; "
                      "see the job's CloudWatch log stream")
        return f"AlgorithmError: {reason}"[:FAILURE_REASON_LIMIT]

    def _upload_model(self) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for path in sorted(self.paths["model"].rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(self.paths["model"])))
        output = self.job.request["OutputDataConfig"]["S3OutputPath"].rstrip("/")
        bucket, prefix = split_uri(output)
        key = "/".join(filter(None, [prefix, self.job.name, "output", "model.tar.gz"]))
        s3 = self.loopback.client("s3", self.region)
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=buffer.getvalue())
        except s3.exceptions.NoSuchBucket:
            raise ClientFailure(
                f"ClientError: Failed to upload model artifacts to s3://{bucket}/{key}: the "
                f"bucket {bucket} does not exist."
            ) from None
        self.job.model_artifact = f"s3://{bucket}/{key}"


def _terminate(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
