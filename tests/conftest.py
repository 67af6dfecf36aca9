"""Fixtures of the unit and contract tests (the session's settings are in ../conftest.py)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.support import synthetic_rows, to_csv

ROOT = Path(__file__).resolve().parents[1]
BANK_CSV = Path(os.environ.get("BANK_CLEAN_CSV",
                               ROOT.parent / "shared" / "data" / "bank_clean.csv"))


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
