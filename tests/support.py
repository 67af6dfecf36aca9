"""Data and names the tests share."""

from __future__ import annotations

import io

import numpy as np


def synthetic_rows(rows: int = 1500, features: int = 6, seed: int = 7) -> np.ndarray:
    """Label-first rows of a learnable binary problem."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, features))
    y = (x[:, 0] - 0.5 * x[:, 1] + 0.3 * rng.normal(size=rows) > 0).astype(int)
    return np.column_stack([y, x])


def to_csv(rows: np.ndarray) -> bytes:
    buffer = io.StringIO()
    np.savetxt(buffer, rows, delimiter=",", fmt="%.6g")
    return buffer.getvalue().encode()


def xgboost_image(backend, version: str = "3.0-5") -> str:
    from sagemaker import image_uris

    return image_uris.retrieve("xgboost", backend.region, version)


def wait_until_done(sagemaker_client, job_name: str, timeout: float = 60.0) -> dict:
    """Poll a training job until it ends (offline jobs take seconds)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        description = sagemaker_client.describe_training_job(TrainingJobName=job_name)
        if description["TrainingJobStatus"] in ("Completed", "Failed", "Stopped"):
            return description
        if time.monotonic() > deadline:
            raise TimeoutError(f"{job_name} still {description['TrainingJobStatus']}")
        time.sleep(0.05)


def wait_for_idle(sagemaker_client, timeout: float = 120.0) -> None:
    """Wait until no training job is running, so later tests start with free capacity."""
    import time

    deadline = time.monotonic() + timeout
    while sagemaker_client.list_training_jobs(StatusEquals="InProgress")["TrainingJobSummaries"]:
        if time.monotonic() > deadline:
            raise TimeoutError("training jobs still running")
        time.sleep(0.1)
