"""Open a training job's ``model.tar.gz`` from S3 as an ``xgboost.Booster``."""

from __future__ import annotations

import io
import pickle
import tarfile
import tempfile
from pathlib import Path

import boto3

from .s3 import split_uri


def load_booster(model_data: str, boto_session: boto3.session.Session):
    """The Booster inside the artifact, whichever way the container saved it
    (``save_model`` from 1.3-1 on, a pickle before)."""
    import xgboost as xgb

    if not model_data.startswith("s3://"):
        raise ValueError(f"not an S3 URI: {model_data!r}")
    bucket, key = split_uri(model_data)
    archive = boto_session.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    with tempfile.TemporaryDirectory() as folder, \
            tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        tar.extractall(folder, filter="data")
        path = Path(folder) / "xgboost-model"
        booster = xgb.Booster()
        try:
            booster.load_model(bytearray(path.read_bytes()))  # format read from the bytes
        except xgb.core.XGBoostError:
            with open(path, "rb") as handle:
                booster = pickle.load(handle)
    return booster
