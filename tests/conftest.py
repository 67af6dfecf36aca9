"""Shared fixtures: one offline server for the whole test session, in a temporary state folder,
so tests never touch a learner's own ``.local-aws/`` server."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.support import synthetic_rows, to_csv

ROOT = Path(__file__).resolve().parents[1]
BANK_CSV = Path(os.environ.get("BANK_CLEAN_CSV",
                               ROOT.parent / "shared" / "data" / "bank_clean.csv"))


def pytest_configure(config):
    os.environ["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"
    if "LOCAL_AWS_STATE_DIR" not in os.environ:
        os.environ["LOCAL_AWS_STATE_DIR"] = tempfile.mkdtemp(prefix="local-aws-tests-")
        config._local_aws_owned = True


def pytest_unconfigure(config):
    if getattr(config, "_local_aws_owned", False):
        from helpers.local import stop

        stop(Path(os.environ["LOCAL_AWS_STATE_DIR"]))


@pytest.fixture(scope="session")
def backend():
    from helpers.backend import open_backend

    return open_backend("local")


@pytest.fixture(scope="session")
def bucket(backend):
    name = f"tests-{uuid.uuid4().hex[:8]}"
    backend.boto_session.client("s3").create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def channels(backend, bucket):
    """``train`` and ``validation`` prefixes holding synthetic CSV, as the tutorial lays them."""
    s3 = backend.boto_session.client("s3")
    data = synthetic_rows()
    s3.put_object(Bucket=bucket, Key="synthetic/train/train.csv", Body=to_csv(data[:1000]))
    s3.put_object(Bucket=bucket, Key="synthetic/validation/validation.csv",
                  Body=to_csv(data[1000:]))
    return {"train": f"s3://{bucket}/synthetic/train",
            "validation": f"s3://{bucket}/synthetic/validation", "data": data}
